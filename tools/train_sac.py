"""Train (or resume) the data stage's SAC for one task of a preset, without rolling out datasets: the long part of
the collect stage, run as its own process (one per task, each with its thread share). The collect stage then finds
the finished checkpoints (same folder: the same training config) and only picks levels and rolls out.

    VTE_NB_RUNS=/work/runs python tools/train_sac.py --preset paper_cpu --env HalfCheetah-v5 --total-steps 400000 --threads 1
"""
import argparse, os, sys

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--preset', default='paper_cpu'); p.add_argument('--env', required=True)
p.add_argument('--total-steps', type=int, default=None); p.add_argument('--threads', type=int, default=1)
p.add_argument('--name', default=None, help='run name (default: the preset name)')
a = p.parse_args()
os.environ['OMP_NUM_THREADS'] = str(a.threads)
import torch; torch.set_num_threads(a.threads)
from vte_nb.core import load_preset, run_dir, seed_everything
from vte_nb.data.collect import CollectConfig, sac_dir
from vte_nb.rl.sac import BACKENDS

d = dict(load_preset(a.preset).get('collect', {}))
if a.total_steps: d['total_steps'] = a.total_steps
cfg = CollectConfig.from_dict({**d, 'run_name': a.name or a.preset, 'threads': a.threads})
run = run_dir(cfg.run_name).make()
ckpt = sac_dir(cfg, a.env, run)
print(f'{a.env}: {cfg.total_steps:,} steps into {ckpt}', flush=True)
seed_everything(cfg.seed + cfg.env_ids.index(a.env))
log = BACKENDS[cfg.backend].train(a.env, cfg, ckpt, device='cpu', progress=True)
print(f"{a.env}: done at step {log[-1]['step']:,}, best evaluation {max(e['mean'] for e in log):.0f}", flush=True)
