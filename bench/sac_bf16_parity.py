#!/usr/bin/env python
"""Learning parity of the fast SAC engine's bf16 update against fp32: the data stage's SAC (paper_cpu settings:
learning_starts 10k, batch 256, SB3's defaults otherwise) on Hopper-v5 for --steps env steps, --seeds seeds in each
precision, evaluated every --every steps (10 stochastic + 5 deterministic episodes, the data stage's evaluation).
Each run checkpoints under $VTE_NB_RUNS/bf16_parity/<env>/<precision>_s<seed> and resumes after a kill; finished
runs are read back, not redone. The runs go one after another, each on --threads threads.

    python bench/sac_bf16_parity.py [--env Hopper-v5] [--steps 100000] [--seeds 0 1 2] [--threads 1] [--json FILE]

Verdict: bf16 passes when the mean of its seeds' final returns (mean of the last --last evaluations) lies within the
fp32 seeds' range, widened by nothing. Throughput is wall-clock env-steps/s of each run after learning starts.
"""
import argparse, json, os, platform, sys, time
from pathlib import Path

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--env', default='Hopper-v5'); ap.add_argument('--steps', type=int, default=100_000)
    ap.add_argument('--every', type=int, default=10_000); ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    ap.add_argument('--precisions', nargs='+', default=['bf16', 'fp32']); ap.add_argument('--last', type=int, default=3)
    ap.add_argument('--threads', type=int, default=1); ap.add_argument('--only-report', action='store_true', help='read finished runs, train nothing')
    ap.add_argument('--json')
    a = ap.parse_args()
    os.environ['OMP_NUM_THREADS'] = os.environ['MKL_NUM_THREADS'] = str(a.threads)
    import numpy as np, torch; torch.set_num_threads(a.threads)
    from vte_nb.core import runs_root
    from vte_nb.data.collect import CollectConfig
    from vte_nb.rl.sac import FastSACBackend
    root = runs_root()/'bf16_parity'/a.env
    runs = {}
    for seed in a.seeds:                                   # interleaved, so that a cut-short session still has pairs
        for prec in a.precisions:
            cfg = CollectConfig(env_ids=[a.env], backend='fast', precision=prec, seed=seed, total_steps=a.steps, learning_starts=10_000,
                                buffer_size=1_000_000, checkpoint_every=a.every, eval_episodes=10, eval_det_episodes=5,
                                max_episode_steps=1000, n_envs=10, progress=False)
            d = root/f'{prec}_s{seed}'
            latest = d/'latest.json'
            done = latest.exists() and json.loads(latest.read_text()).get('step', 0) >= a.steps
            if not done and a.only_report: continue
            t = time.time()
            if not done: print(f'{prec} seed {seed}: training to {a.steps} in {d}', flush=True)
            evals = FastSACBackend().train(a.env, cfg, d, device='cpu', progress=False)
            if not done: print(f'{prec} seed {seed}: done in {time.time() - t:.0f}s', flush=True)
            evals = [e for e in evals if e['step'] <= a.steps]
            post = [e for e in evals if e['step'] >= cfg.learning_starts]
            rate = (post[-1]['step'] - post[0]['step']) / (post[-1]['time'] - post[0]['time']) if len(post) > 1 else None
            runs[(prec, seed)] = {'final': float(np.mean([e['mean'] for e in evals[-a.last:]])),
                                  'final_det': float(np.mean([e['det_mean'] for e in evals[-a.last:]])),
                                  'curve': [(e['step'], e['mean'], e.get('det_mean')) for e in evals], 'env_steps_per_s': rate}
    out = {'env': a.env, 'steps': a.steps, 'last_evals': a.last, 'runs': {f'{p}_s{s}': v for (p, s), v in runs.items()}}
    for p in a.precisions:
        f = [v['final'] for (q, _), v in runs.items() if q == p]
        r = [v['env_steps_per_s'] for (q, _), v in runs.items() if q == p and v['env_steps_per_s']]
        if f: out[p] = {'n_seeds': len(f), 'final_mean': float(np.mean(f)), 'final_std': float(np.std(f)), 'finals': f,
                        'env_steps_per_s_mean': float(np.mean(r)) if r else None}
    if 'bf16' in out and 'fp32' in out and out['fp32']['n_seeds'] >= 2:
        lo, hi = min(out['fp32']['finals']), max(out['fp32']['finals'])
        out['parity'] = bool(lo <= out['bf16']['final_mean'] <= hi)
        out['verdict'] = (f"bf16 mean final {out['bf16']['final_mean']:.0f} ± {out['bf16']['final_std']:.0f} ({out['bf16']['n_seeds']} seeds) "
                          f"{'within' if out['parity'] else 'outside'} the fp32 range [{lo:.0f}, {hi:.0f}] ({out['fp32']['n_seeds']} seeds)")
        if out['bf16']['env_steps_per_s_mean'] and out['fp32']['env_steps_per_s_mean']:
            out['speedup_bf16'] = out['bf16']['env_steps_per_s_mean'] / out['fp32']['env_steps_per_s_mean']
    for k, v in out['runs'].items(): print(f"{k:9s} final {v['final']:7.1f} (det {v['final_det']:7.1f})  {v['env_steps_per_s'] or 0:6.1f} env-steps/s")
    if 'verdict' in out: print(out['verdict'])
    out.update(machine=f'{platform.processor() or platform.machine()}, {os.cpu_count()} cpus', torch=torch.__version__,
               threads=a.threads, command='python ' + ' '.join(sys.argv))
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True); Path(a.json).write_text(json.dumps(out, indent=2))

if __name__ == '__main__': main()
