#!/usr/bin/env python
"""Throughput of conditional IQ-Learn agents on this machine, side by side in one run, with the ratios to today's agent.

    python bench/iq_throughput.py [--env Hopper-v5] [--steps 2000] [--warmup 300] [--k 2] [--threads 2]
                                  [--data RUN] [--updates-k 1 6] [--json FILE]

Part 1, whole agents (env steps + one IQ update per step, the stage's own trainer `vte_nb.rl.iq.iq_trainer`, one-hot
conditioning on 30 demos): agent-env-steps/s after learning starts, the first `--warmup` updates (compilation)
excluded. Configurations:
  - `today`: fp32, one process with all `--threads` threads (what the IQ stage ran before this benchmark);
  - `bf16`: the same with the update's matrix products under bf16 autocast;
  - `fp32 x k`, `bf16 x k`: `--k` agents at once, each its own process with its thread share (`threads // k`);
    the aggregate agent-env-steps/s is reported.
Part 2, the update maths alone (no env): K agents' IQ-sized updates (actor on 2 x 512 rows, twin critics on 3 x 512
rows, backward, Adam), run as K separate updates or as one update of K-stacked networks (batched matrix products,
the population layout a GPU wants), fp32 and bf16, per-agent milliseconds.
Demos: the `demos` split of run `--data` under $VTE_NB_RUNS when it exists, else random-policy episodes (the speed
does not depend on what the demos are).
"""
import argparse, json, os, platform, subprocess, sys, time
from pathlib import Path


def demos_for(env_id, data):
    import numpy as np
    from vte_nb.core import run_dir
    from vte_nb.data.trajectories import load_levels
    from vte_nb.envs.rollout import rollout, random_policy
    from vte_nb.envs.scores import LEVELS
    from vte_nb.rl.iq import make_demos
    p = run_dir(data).data if data else None
    if p is not None and (p/env_id).exists(): eps = load_levels(p, env_id, 'demos').episodes
    else:
        eps = rollout(random_policy(env_id), env_id, np.arange(30), 8)
        for i, e in enumerate(eps): e.level = LEVELS[i % 3]
    return make_demos(eps, 'onehot', None, 10)


def agent_worker(a):
    "One agent in this process: print its env-steps/s after learning starts and warm-up, as one JSON line."
    import torch; torch.set_num_threads(a.threads)
    from vte_nb.rl.iq import iq_trainer
    from vte_nb.stages.iq import IQConfig
    cfg = IQConfig(env_ids=[a.env], precision=a.precision, mode='compile', seed=a.seed, progress=False)
    tr = iq_trainer(cfg, a.env, demos_for(a.env, a.data))
    t0 = {}
    start = cfg.learning_starts + a.warmup
    tr.run(start)                                          # learning starts, compilation, warm-up
    t = time.perf_counter(); tr.run(start + a.steps); dt = time.perf_counter() - t
    print(json.dumps({'steps_per_s': a.steps / dt, 'seconds': dt}), flush=True)


def run_agents(a, precision, k, threads):
    "k agent processes at once (seeds 0..k-1), each with `threads` threads; their steps/s."
    env = {**os.environ, 'OMP_NUM_THREADS': str(threads), 'MKL_NUM_THREADS': str(threads), 'VTE_NB_THREADS': str(threads)}
    cmd = lambda s: [sys.executable, __file__, '--worker', '--env', a.env, '--steps', str(a.steps), '--warmup', str(a.warmup),
                     '--precision', precision, '--threads', str(threads), '--seed', str(s), '--data', a.data or '']
    ps = [subprocess.Popen(cmd(s), stdout=subprocess.PIPE, env=env, text=True) for s in range(k)]
    outs = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in ps]
    return [o['steps_per_s'] for o in outs]


def update_bench(K, precision, threads, rounds=5, n=20):
    "Per-agent ms of K IQ-sized updates: separately, and as one update of K-stacked networks."
    import torch; torch.set_num_threads(threads)
    from vte_nb.rl.sac import EnsembleLinear
    O, A, C, H, B = 11 + 3, 3, 3, 256, 512                 # Hopper obs + one-hot condition, actions, 512 rows (256 online + 256 expert)
    def mlp(n, i, o):
        ws = []
        for a_, b_ in zip([i, H, H], [H, H, o]):
            ws += [torch.nn.Parameter(torch.randn(n, a_, b_) / a_ ** .5), torch.nn.Parameter(torch.zeros(n, 1, b_))]
        return ws
    def fwd(ws, x):
        for l in range(3): x = EnsembleLinear.apply(x, ws[2 * l], ws[2 * l + 1], l < 2)
        return x.float()
    def make(k):
        actor, critic = mlp(k, O, 2 * A), mlp(2 * k, O + A, 1)
        opt = torch.optim.Adam(actor + critic, lr=1e-4, foreach=True)
        obs = torch.randn(k, 2 * B, O); act = torch.randn(2 * k, B, O + A)
        def step():
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=precision == 'bf16'):
                mu = fwd(actor, obs)                                           # pi(s) and pi(s') for k agents
                a_ = torch.tanh(mu[..., :A])
                s_a = torch.cat([obs[:, :B], a_[:, :B]], -1).repeat(2, 1, 1)  # (2k, B, O+A): both critics of each agent
                with torch.no_grad(): y = fwd(critic, torch.cat([obs[:, B:], a_[:, B:].detach()], -1).repeat(2, 1, 1))
                loss = (fwd(critic, s_a) - y).pow(2).mean() + fwd(critic, act).pow(2).mean() + mu.pow(2).mean()
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        return step
    sep = [make(1) for _ in range(K)]; bat = make(K)
    def t_sep():
        for f in sep: f()
    res = {'separate': [], 'batched': []}
    for _ in range(rounds):
        for name, f in (('separate', t_sep), ('batched', bat)):
            f(); t = time.perf_counter()
            for _ in range(n): f()
            res[name].append((time.perf_counter() - t) / n / K * 1e3)
    import statistics
    return {k: statistics.median(v) for k, v in res.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--env', default='Hopper-v5'); ap.add_argument('--steps', type=int, default=2000)
    ap.add_argument('--warmup', type=int, default=300); ap.add_argument('--k', type=int, default=2)
    ap.add_argument('--threads', type=int, default=2); ap.add_argument('--data', default='paper_cpu')
    ap.add_argument('--updates-k', type=int, nargs='+', default=[1, 6]); ap.add_argument('--skip-agents', action='store_true')
    ap.add_argument('--json'); ap.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    ap.add_argument('--precision', default='fp32', help=argparse.SUPPRESS); ap.add_argument('--seed', type=int, default=0, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker: return agent_worker(a)
    import torch
    out = {'env': a.env, 'steps': a.steps, 'warmup_updates': a.warmup, 'threads': a.threads, 'k': a.k,
           'machine': f'{platform.machine()}, {os.cpu_count()} cpus', 'torch': torch.__version__, 'agents': {}, 'updates': {}}
    if not a.skip_agents:
        share = max(1, a.threads // a.k)
        for name, prec, k, th in [('today', 'fp32', 1, a.threads), ('bf16', 'bf16', 1, a.threads),
                                  (f'fp32 x {a.k}', 'fp32', a.k, share), (f'bf16 x {a.k}', 'bf16', a.k, share)]:
            r = run_agents(a, prec, k, th)
            out['agents'][name] = {'precision': prec, 'processes': k, 'threads_each': th, 'per_agent': r, 'aggregate': sum(r)}
            print(f"{name:10s} {k} process(es) x {th} thread(s): {sum(r):6.1f} agent-env-steps/s  ({', '.join(f'{x:.1f}' for x in r)})", flush=True)
        base = out['agents']['today']['aggregate']
        out['ratio_to_today'] = {k: v['aggregate'] / base for k, v in out['agents'].items()}
        print('ratios to today:', ', '.join(f'{k} {v:.2f}x' for k, v in out['ratio_to_today'].items()))
    for K in a.updates_k:
        for prec in ('fp32', 'bf16'):
            for th in sorted({1, a.threads}):
                r = update_bench(K, prec, th)
                out['updates'][f'K={K} {prec} t{th}'] = {**r, 'batched_over_separate': r['batched'] / r['separate']}
                print(f"update K={K} {prec} {th} thread(s): separate {r['separate']:.2f} ms/agent, batched {r['batched']:.2f} ms/agent "
                      f"(batched/separate {r['batched'] / r['separate']:.2f})", flush=True)
    out['command'] = 'python ' + ' '.join(sys.argv)
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=2) + '\n'); print('wrote', a.json)


if __name__ == '__main__': main()
