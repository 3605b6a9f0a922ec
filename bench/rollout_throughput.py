#!/usr/bin/env python
"""Trajectory collection rate (perf anchor 5): env steps/s of rolling out a SAC policy, side by side in one process.

    python bench/rollout_throughput.py [--env Hopper-v5] [--episodes 300] [--threads 1] [--json results/bench_rollout.json]

Compares, on the same machine, env and policy:
  raw      env.step with random actions (the ceiling: no policy at all)
  sb3-loop one env, one `model.predict(obs)` per step: how the authors' expert_generation.py collects
  ours-1   vte_nb.envs.rollout.rollout with n_envs=1
  ours-N   vte_nb.envs.rollout.rollout with n_envs=N (the policy runs on a batch of N observations)
and prints each rate and its ratio to sb3-loop. Every variant plays the same --episodes episodes (reset seeds 0..N-1),
as a data stage does for one level. The policy is a stable-baselines3 SAC; its weights change episode lengths, not the
cost of a step (an untrained one by default, or --checkpoint ZIP).
"""
import argparse, json, os, platform, sys, time
import numpy as np

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--env', default='Hopper-v5'); ap.add_argument('--episodes', type=int, default=300)
    ap.add_argument('--checkpoint', help='a stable-baselines3 SAC .zip to roll out instead of an untrained policy')
    ap.add_argument('--max-steps', type=int, default=1000); ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--n-envs', type=int, nargs='+', default=[8, 16]); ap.add_argument('--json')
    a = ap.parse_args()
    os.environ['OMP_NUM_THREADS'] = str(a.threads)
    import torch; torch.set_num_threads(a.threads)
    from stable_baselines3 import SAC
    from vte_nb.envs.scores import make_env
    from vte_nb.envs.rollout import rollout
    env = make_env(a.env, a.max_steps)
    model = SAC.load(a.checkpoint, device='cpu') if a.checkpoint else SAC('MlpPolicy', env, seed=0, device='cpu')
    act = lambda obs, deterministic=False: model.predict(obs, deterministic=deterministic)[0]
    res = {}

    def timed(name, fn):
        fn(max(2, a.episodes // 20))                        # warm-up
        t = time.perf_counter(); n = fn(a.episodes); dt = time.perf_counter() - t
        res[name] = n / dt; print(f'{name:10s} {n / dt:9.0f} env-steps/s  ({n} steps in {dt:.1f}s)', flush=True)

    def loop(policy):
        def f(n):
            k = 0
            for seed in range(n):
                obs, _ = env.reset(seed=seed); done = False
                while not done:
                    obs, _, te, tr, _ = env.step(policy(obs)); k += 1; done = te or tr
            return k
        return f
    raw, sb3_loop = loop(lambda obs: env.action_space.sample()), loop(lambda obs: model.predict(obs, deterministic=False)[0])

    def ours(n_envs):
        return lambda n: sum(e.length for e in rollout(act, a.env, range(n), n_envs=n_envs, max_episode_steps=a.max_steps))

    timed('raw', raw); timed('sb3-loop', sb3_loop); timed('ours-1', ours(1))
    for n in a.n_envs: timed(f'ours-{n}', ours(n))
    print('\nratios to sb3-loop (the authors\' way):')
    for k, v in res.items(): print(f'  {k:10s} {v / res["sb3-loop"]:5.2f}x')
    if a.json:
        out = {'env': a.env, 'episodes': a.episodes, 'checkpoint': a.checkpoint, 'threads': a.threads, 'steps_per_s': res,
               'ratio_to_sb3_loop': {k: v / res['sb3-loop'] for k, v in res.items()},
               'machine': f'{platform.processor() or platform.machine()}, {os.cpu_count()} cpus', 'torch': torch.__version__,
               'command': 'python ' + ' '.join(sys.argv)}
        with open(a.json, 'w') as f: json.dump(out, f, indent=2)

if __name__ == '__main__': main()
