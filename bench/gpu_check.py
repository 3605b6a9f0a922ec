#!/usr/bin/env python
"""The GPU check, prepared to run in one call on a lent CUDA machine (within ~8 minutes), and on the CPU in CI so it
does not rot:

    python bench/gpu_check.py                          # CUDA: full sizes, writes results/gpu_check.json
    python bench/gpu_check.py --device cpu --tiny      # CI: every section at toy sizes, writes $OUT or /tmp

Sections (each timed side by side in this one process; a failing section is recorded and the others still run):
  sac       our SAC (graph on CUDA: compiled + CUDA-graphed update and graphed actor) vs stable-baselines3 on the same
            device, env-steps/s of the full training loop and the ratio;
  parity    the same updates eager and in the device's fast mode (graph on CUDA, compile on CPU) from one seed:
            largest parameter difference;
  love_vte  one LOVE and one VTE training step at the authors' sizes (batch 16 x 1000 steps, hidden 256; VTE batch 32 x
            1000, d_model 256, 4 layers), fp32 vs bf16 autocast;
  iq        the IQ-Learn update of K = 1 / 9 / 27 agents, one after another vs one population of stacked agents
            (vte_nb.rl.population), each in the device's fast mode; the whole population loop at K = 1 / 27;
  smoke     the smoke pipeline end to end with device=cuda (skipped on the CPU: CI runs it itself).
"""
import argparse, json, os, platform, statistics, subprocess, sys, tempfile, time, traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def timed(f, n:int, sync) -> float:
    "Median seconds of `f()` over `n` calls (after one untimed call)."
    f(); sync(); ts = []
    for _ in range(n):
        t = time.perf_counter(); f(); sync(); ts.append(time.perf_counter() - t)
    return statistics.median(ts)

def sac_section(a, dev, sync):
    import gymnasium as gym
    from vte_nb.rl.sac import SACConfig, SACTrainer
    from stable_baselines3 import SAC
    ls, steps = (200, 300) if a.tiny else (1000, 3000)
    model = SAC('MlpPolicy', gym.make('Hopper-v5'), learning_starts=ls, buffer_size=ls + steps + 10, device=str(dev), verbose=0, seed=0)
    model.learn(ls + 50); t = time.perf_counter(); model.learn(steps, reset_num_timesteps=False); sb3 = steps / (time.perf_counter() - t)
    mode = 'eager' if a.tiny else 'auto'
    tr = SACTrainer('Hopper-v5', SACConfig(learning_starts=ls, buffer_size=ls + steps + 100, mode=mode, seed=0), dev)
    tr.run(ls + 50); sync(); t = time.perf_counter(); tr.run(tr.step + steps); sync(); ours = steps / (time.perf_counter() - t)
    return {'env': 'Hopper-v5', 'timed_steps': steps, 'mode': tr.learner.mode, 'sb3_steps_per_s': sb3, 'ours_steps_per_s': ours, 'ratio': ours / sb3}

def parity_section(a, dev, sync):
    import torch
    from vte_nb.rl.sac import SACConfig, SACLearner, ReplayBuffer, make_agent
    fast = 'eager' if a.tiny else ('graph' if dev.type == 'cuda' else 'compile')
    def learner(mode):
        cfg = SACConfig(hidden=[64, 64] if a.tiny else [256, 256], batch_size=64 if a.tiny else 256, mode=mode, seed=0)
        torch.manual_seed(0); ag = make_agent(11, 3, cfg, device=dev)
        buf = ReplayBuffer.for_sac(2000, 11, 3, device=dev)
        g = torch.Generator().manual_seed(1)
        buf.add_batch(obs=torch.randn(2000, 11, generator=g).numpy(), act=(torch.rand(2000, 3, generator=g) * 2 - 1).numpy(),
                      rew=torch.randn(2000, generator=g).numpy(), next_obs=torch.randn(2000, 11, generator=g).numpy(), done=torch.zeros(2000).numpy())
        return SACLearner(ag, buf, cfg)
    ref, other = learner('eager'), learner(fast)
    n = 5 if a.tiny else 50
    for _ in range(n):                                       # the same batches for both
        if fast == 'graph':                                  # a graph draws its own batch inside the graph: reuse it
            other.update(); b = {k: v.clone() for k, v in other._graph_batch.items()}
        else:
            b = ref.batch_fn(ref); other.update({k: v.clone() for k, v in b.items()})
        ref.update(b)
    sync()
    diff = max(float((p - q).detach().abs().max()) for p, q in zip(ref.agent.parameters(), other.agent.parameters()))
    return {'modes': ['eager', fast], 'updates': n, 'max_abs_param_diff': diff}

def love_vte_section(a, dev, sync):
    import numpy as np, torch
    from vte_nb.models.love import LoveModel, love_loss
    from vte_nb.models.tvae import TrajItem, TrajectoryVAE, make_batch
    B, T, H = (4, 50, 32) if a.tiny else (16, 1000, 256)
    n = 2 if a.tiny else 5
    g = torch.Generator().manual_seed(0)
    batch = {'observations': torch.randn(B, T, 11, generator=g).to(dev), 'actions': (torch.rand(B, T, 3, generator=g) * 2 - 1).to(dev),
             'mask': torch.ones(B, T, dtype=torch.bool, device=dev), 'lengths': torch.full((B,), T, device=dev)}
    out = {}
    for prec in ('fp32', 'bf16'):
        torch.manual_seed(0)
        m = LoveModel(11, 3, n_skills=10, hidden=H, amp=prec == 'bf16').to(dev); opt = torch.optim.Adam(m.parameters(), 1e-3)
        def step():
            loss = love_loss(m, m(batch))['loss']; opt.zero_grad(); loss.backward(); opt.step()
        out[f'love_{prec}_s_per_step'] = timed(step, n, sync)
    Bv, Tv, D, L = (4, 50, 32, 1) if a.tiny else (32, 1000, 256, 4)
    rng = np.random.default_rng(0)
    items = [TrajItem({'z': rng.normal(size=(Tv, 10)).astype(np.float32), 'm': np.eye(2, dtype=np.float32)[rng.integers(0, 2, Tv)]},
                      rng.normal(size=(Tv, 11)).astype(np.float32), rng.uniform(-.9, .9, (Tv, 3)).astype(np.float32), i % 3, 0., i) for i in range(Bv)]
    vb = make_batch(items, range(Bv), 16, Tv, rng, dev)
    for prec in ('fp32', 'bf16'):
        torch.manual_seed(0)
        vae = TrajectoryVAE({'z': 10, 'm': 2}, 11, 3, 10, D, L, 4 if D >= 64 else 2).to(dev); opt = torch.optim.AdamW(vae.parameters(), 3e-4)
        amp = torch.autocast(dev.type, dtype=torch.bfloat16, enabled=prec == 'bf16')
        def step():
            with amp: loss, _ = vae(*vb, kl_weight=1.0)
            opt.zero_grad(); loss.backward(); opt.step()
        out[f'vte_{prec}_s_per_step'] = timed(step, n, sync)
    out['love_bf16_speedup'] = out['love_fp32_s_per_step'] / out['love_bf16_s_per_step']
    out['vte_bf16_speedup'] = out['vte_fp32_s_per_step'] / out['vte_bf16_s_per_step']
    out['sizes'] = {'love': [B, T, H], 'vte': [Bv, Tv, D, L]}
    return out

def iq_section(a, dev, sync):
    """IQ-Learn's update for K = 1 / 9 / 27 agents, K learners one after another vs one population of K stacked agents
    (`bench/iq_throughput.py`'s `update_bench`), the population's update against separate eager learners, the whole
    population loop (K envs, the actors as one graph replay, one population update per step: the issue's K = 27
    agent-env-steps/s), and the stage's population trainer (K = 18, its training loop and a short `train_population`)."""
    sys.path.insert(0, str(ROOT/'bench')); import iq_throughput as iqb
    mode = 'eager' if a.tiny else ('graph' if dev.type == 'cuda' else 'compile')
    parts, out = a.iq_parts or ['updates', 'trainer', 'stage'], {'mode': mode}
    def measure(key, f):
        try: out[key] = f()
        except Exception as e: out[key] = {'error': f'{type(e).__name__}: {e}', 'trace': traceback.format_exc(limit=6)}
        print(f"gpu_check iq {key}: {json.dumps(out[key], default=float)[:500]}", flush=True); a.save()
    if 'updates' in parts:
        for K, prec in ([(1, 'fp32'), (2, 'fp32')] if a.tiny else [(1, 'fp32'), (9, 'fp32'), (27, 'fp32'), (27, 'bf16')]):
            measure(f'update K{K} {prec}', lambda: iqb.update_bench(K, prec, 0, str(dev), mode, rounds=2 if a.tiny else 3, n=2 if a.tiny else 20,
                                                                     separate=a.tiny or prec == 'fp32'))
        measure('parity', lambda: iqb.population_parity(3, str(dev), mode, 3 if a.tiny else 50))
        variants = (('plain', False, 0), ('overlap', True, 0), ('threads', False, 2 if a.tiny else 8), ('overlap+threads', True, 2 if a.tiny else 8))
        for K, prec in ([(2, 'fp32')] if a.tiny else [(1, 'fp32'), (27, 'fp32'), (27, 'bf16')]):
            measure(f'loop K{K} {prec}', lambda: iqb.population_loop(K, prec, str(dev), mode, 'Hopper-v5', 20 if a.tiny else 1000, 5 if a.tiny else 50,
                                                                     variants=variants[:1] if K == 1 else variants))
    if 'stage' in parts:
        measure('stage', lambda: iqb.population_stage(str(dev), 'eager' if a.tiny or dev.type != 'cuda' else 'graph', 200 if a.tiny else 600))
    if 'trainer' in parts:
        measure('trainer', lambda: iqb.population_training(3 if a.tiny else 18, str(dev), 'Hopper-v5', 20 if a.tiny else 2000, 5 if a.tiny else 100,
                                                            mode='eager' if a.tiny else 'auto'))
    return out

def smoke_section(a, dev, sync):
    if dev.type != 'cuda': return {'skipped': 'CPU: CI runs the smoke pipeline itself'}
    with tempfile.TemporaryDirectory() as d:
        t = time.time()
        r = subprocess.run(['vte-nb', 'run', '--preset', 'smoke', '--name', 'gpu-smoke', '-p', 'device=cuda', '--no-progress', '--runs-dir', d],
                           capture_output=True, text=True, timeout=420)
        if r.returncode: raise RuntimeError((r.stderr or r.stdout).strip().splitlines()[-1])
        return {'seconds': time.time() - t}

SECTIONS = {'iq': iq_section, 'sac': sac_section, 'parity': parity_section, 'love_vte': love_vte_section, 'smoke': smoke_section}   # the measurement first

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--device', default='cuda'); ap.add_argument('--tiny', action='store_true', help='toy sizes (CI)')
    ap.add_argument('--threads', type=int, default=0); ap.add_argument('--only', nargs='+', choices=list(SECTIONS))
    ap.add_argument('--iq-parts', nargs='+', choices=['updates', 'trainer', 'stage'], help="the iq section's parts (default: all): the update / loop measurements, the stage's population trainer, its stage path end to end")
    ap.add_argument('--json', default=None, help='default: results/gpu_check.json on CUDA, else $OUT or /tmp/gpu_check.json')
    a = ap.parse_args()
    import torch
    from vte_nb.core import get_device, provenance, set_threads
    set_threads(a.threads)
    dev = get_device(a.device)
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == 'cuda' else (lambda: None)
    res = {'device': str(dev), 'gpu': torch.cuda.get_device_name(dev) if dev.type == 'cuda' else None, 'tiny': a.tiny,
           'machine': f'{platform.machine()}, {os.cpu_count()} cpus', **provenance(), 'command': 'python ' + ' '.join(sys.argv), 'sections': {}}
    out = Path(a.json or (ROOT/'results'/'gpu_check.json' if dev.type == 'cuda' else Path(os.environ.get('OUT', tempfile.gettempdir()))/'gpu_check.json'))
    out.parent.mkdir(parents=True, exist_ok=True)
    a.save = lambda: out.write_text(json.dumps(res, indent=2, default=float))   # after every measurement: a run cut short keeps what it measured
    failed = []
    for name, f in SECTIONS.items():
        if a.only and name not in a.only: continue
        t = time.time()
        try: res['sections'][name] = {**f(a, dev, sync), 'wall_s': time.time() - t}
        except Exception as e:
            failed.append(name); res['sections'][name] = {'error': f'{type(e).__name__}: {e}', 'trace': traceback.format_exc(limit=4), 'wall_s': time.time() - t}
        print(f"gpu_check {name}: {json.dumps(res['sections'][name], default=float)[:400]}", flush=True)
        a.save()
    print(f'gpu_check: wrote {out}' + (f'; failed: {", ".join(failed)}' if failed else ''))
    return 1 if failed else 0

if __name__ == '__main__': sys.exit(main())
