#!/usr/bin/env python
"""One learning-curve comparison, ours against stable-baselines3's SAC: same env, same settings (SB3's SAC defaults,
learning_starts --learning-starts), one seed each, evaluated every --every steps on the same --episodes reset seeds
with the stochastic policy (as the data stage evaluates checkpoints). A sanity comparison, not a parity study: one
seed of a short run says little about SAC's variance.

    python bench/sac_learning_curve.py [--env Hopper-v5] [--steps 20000] [--every 2000] [--json results/sac_curve_hopper_20k.json]
"""
import argparse, json, os, platform, sys, time
import numpy as np

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--env', default='Hopper-v5'); ap.add_argument('--steps', type=int, default=20000)
    ap.add_argument('--every', type=int, default=2000); ap.add_argument('--episodes', type=int, default=10)
    ap.add_argument('--learning-starts', type=int, default=1000); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1); ap.add_argument('--mode', default='auto')
    ap.add_argument('--json')
    a = ap.parse_args()
    os.environ['OMP_NUM_THREADS'] = str(a.threads)
    import torch; torch.set_num_threads(a.threads)
    import gymnasium as gym
    from stable_baselines3 import SAC
    from stable_baselines3.common.callbacks import BaseCallback
    from vte_nb.envs.rollout import rollout
    from vte_nb.rl.sac import SACConfig, SACTrainer
    seeds = 10**6 + np.arange(a.episodes)

    def evaluate(act):
        torch.manual_seed(0)
        return float(np.mean([e.ret for e in rollout(act, a.env, seeds, n_envs=a.episodes)]))

    curves, secs = {'sb3': [], 'ours': []}, {}
    model = SAC('MlpPolicy', gym.make(a.env), learning_starts=a.learning_starts, seed=a.seed, device='cpu', verbose=0)
    sb3_act = lambda obs, deterministic=False: model.predict(obs, deterministic=deterministic)[0]
    class CB(BaseCallback):
        def _on_step(cb):
            if cb.num_timesteps % a.every == 0:
                curves['sb3'].append((cb.num_timesteps, evaluate(sb3_act))); print('sb3 ', curves['sb3'][-1], flush=True)
            return True
    curves['sb3'].append((0, evaluate(sb3_act)))
    t = time.time(); model.learn(a.steps, callback=CB()); secs['sb3'] = time.time() - t

    tr = SACTrainer(a.env, SACConfig(learning_starts=a.learning_starts, seed=a.seed, mode=a.mode), 'cpu')
    ours_act = lambda obs, deterministic=False: tr.agent.act(obs, deterministic)
    curves['ours'].append((0, evaluate(ours_act)))
    def cb(trainer):
        curves['ours'].append((trainer.step, evaluate(ours_act))); print('ours', curves['ours'][-1], flush=True)
    t = time.time(); tr.run(a.steps, cb, a.every); secs['ours'] = time.time() - t
    print({k: f'{v:.0f}s (incl. evaluations)' for k, v in secs.items()})
    if a.json:
        with open(a.json, 'w') as fh:
            json.dump({'env': a.env, 'steps': a.steps, 'every': a.every, 'eval_episodes': a.episodes, 'eval': 'stochastic policy, reset seeds 1e6..',
                       'learning_starts': a.learning_starts, 'seed': a.seed, 'threads': a.threads, 'mode': tr.learner.mode,
                       'curves': curves, 'seconds_incl_eval': secs, 'torch': torch.__version__,
                       'machine': f'{platform.processor() or platform.machine()}, {os.cpu_count()} cpus', 'command': 'python ' + ' '.join(sys.argv)}, fh, indent=2)

if __name__ == '__main__': main()
