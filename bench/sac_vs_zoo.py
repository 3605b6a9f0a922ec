#!/usr/bin/env python
"""Learning curves of the fast SAC engine (the data stage's evaluation logs) against RL Zoo's published
stable-baselines3 SAC curves (v3 envs, one seed, deterministic evaluation return at 100k / 300k / 1M steps).

    python bench/sac_vs_zoo.py --run /work/runs/paper_cpu [--json results/sac_vs_zoo.json] [--fig results/figures/sac_vs_zoo.png]

Ours: the deterministic evaluations (`det_mean`, 5 episodes) of every checkpoint, and the stochastic ones (`mean`,
10 episodes). At each of RL Zoo's steps we report our deterministic return at the nearest checkpoint at or before it
(none when the run has not got there)."""
import argparse, json, sys
from pathlib import Path

ZOO = {'Hopper-v5': {100_000: 897, 300_000: 1540, 1_000_000: 2278}, 'HalfCheetah-v5': {100_000: 4960, 300_000: 7197, 1_000_000: 9537},
       'Walker2d-v5': {100_000: 393, 300_000: 533, 1_000_000: 3913}}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0]); ap.add_argument('--run', required=True)
    ap.add_argument('--json', default='results/sac_vs_zoo.json'); ap.add_argument('--fig', default='results/figures/sac_vs_zoo.png')
    a = ap.parse_args()
    import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
    logs = {}
    for env in ZOO:
        ds = sorted(Path(a.run, 'models', env).glob('sac_*/evals.json'))
        if ds: logs[env] = json.loads(ds[-1].read_text())
    if not logs: sys.exit(f'no evaluation logs under {a.run}/models/*/sac_*/')
    out = {}
    fig, axs = plt.subplots(1, len(logs), figsize=(5 * len(logs), 3.6), squeeze=False)
    for ax, (env, ev) in zip(axs[0], logs.items()):
        steps = [e['step'] for e in ev]
        det = [e.get('det_mean') for e in ev]
        ax.plot(steps, [e['mean'] for e in ev], color='0.6', lw=1, label='vte_nb fast SAC, stochastic (10 ep.)')
        if any(d is not None for d in det): ax.plot(steps, det, color='C0', lw=1.5, label='vte_nb fast SAC, deterministic (5 ep.)')
        zs = ZOO[env]; ax.scatter(list(zs), list(zs.values()), color='C3', zorder=5, label='RL Zoo SB3 SAC (v3, 1 seed)')
        row = {}
        for s, z in zs.items():
            before = [e for e in ev if e['step'] <= s]
            mine = before[-1].get('det_mean', before[-1]['mean']) if before and before[-1]['step'] >= 0.95 * s else None
            row[str(s)] = {'zoo': z, 'ours_det': mine, 'ratio': mine / z if mine is not None else None}
        out[env] = {'reached_step': steps[-1], 'at_zoo_steps': row}
        ax.set(title=f'{env} (to step {steps[-1]:,})', xlabel='env steps', ylabel='evaluation return'); ax.legend(fontsize=7)
    fig.tight_layout(); Path(a.fig).parent.mkdir(parents=True, exist_ok=True); fig.savefig(a.fig, dpi=110)
    Path(a.json).write_text(json.dumps({'command': 'python ' + ' '.join(sys.argv), 'envs': out}, indent=2))
    for env, r in out.items(): print(env, json.dumps(r['at_zoo_steps']))

if __name__ == '__main__': main()
