#!/usr/bin/env python
"""Time one SAC update (batch 256, 256x256 MLPs, twin critics, learned temperature; Hopper's 11-d observations and
3-d actions) in each mode, on the CPU or a GPU, interleaved over several rounds in one process.

    python bench/sac_update_time.py [--threads 1] [--device cpu] [--modes eager compile] [--precisions fp32 bf16]
                                    [--sb3] [--json FILE]

`--sb3` adds stable-baselines3's `SAC.train(gradient_steps=1)` on a replay buffer of the same size. Reports the median
and the minimum over rounds of the mean time per update (wall clock; `--cpu-time` uses process CPU time instead).
"""
import argparse, json, os, platform, statistics, sys, time

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--threads', type=int, default=1); ap.add_argument('--device', default='cpu')
    ap.add_argument('--modes', nargs='+', default=['eager', 'compile']); ap.add_argument('--sb3', action='store_true')
    ap.add_argument('--precisions', nargs='+', default=['fp32'], help="SACConfig.precision values: each mode runs in each")
    ap.add_argument('--rounds', type=int, default=6); ap.add_argument('--n', type=int, default=30, help='updates per round')
    ap.add_argument('--cpu-time', action='store_true'); ap.add_argument('--json')
    a = ap.parse_args()
    os.environ['OMP_NUM_THREADS'] = os.environ['MKL_NUM_THREADS'] = str(a.threads)
    import numpy as np, torch; torch.set_num_threads(a.threads)
    from vte_nb.rl.sac import SACConfig, SACLearner, ReplayBuffer, make_agent
    clock = time.process_time if a.cpu_time else time.perf_counter
    dev = torch.device(a.device)
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == 'cuda' else (lambda: None)
    rng = np.random.default_rng(0)
    fns, compile_s = {}, {}
    for mode, prec in [(m, p) for m in a.modes for p in a.precisions]:
        cfg = SACConfig(mode=mode, precision=prec)
        name = mode if prec == 'fp32' else f'{mode}-{prec}'
        torch.manual_seed(0); agent = make_agent(11, 3, cfg, device=dev)
        buf = ReplayBuffer.for_sac(5000, 11, 3, device=dev)
        for _ in range(5000): buf.add(obs=rng.normal(size=11), act=rng.uniform(-1, 1, 3), rew=rng.normal(), next_obs=rng.normal(size=11), done=0.)
        l = SACLearner(agent, buf, cfg)
        t = time.perf_counter(); l.update(); l.update(); sync(); compile_s[name] = time.perf_counter() - t
        print(f'{name:12s} first two updates (compile, capture): {compile_s[name]:.1f}s', flush=True)
        fns[name] = l.update
    if a.sb3:
        import gymnasium as gym
        from stable_baselines3 import SAC
        m = SAC('MlpPolicy', gym.make('Hopper-v5'), learning_starts=1000, buffer_size=5000, seed=0, device=a.device, verbose=0)
        m.learn(1100)
        fns['sb3'] = lambda: m.train(gradient_steps=1, batch_size=256)
    res = {k: [] for k in fns}
    for _ in range(a.rounds):
        for k, f in fns.items():
            for _ in range(3): f()
            sync(); t = clock()
            for _ in range(a.n): f()
            sync(); res[k].append((clock() - t) / a.n * 1e3)
    out = {k: {'median_ms': statistics.median(v), 'min_ms': min(v), 'rounds_ms': v} for k, v in res.items()}
    for k, v in out.items(): print(f'{k:12s} threads {a.threads}: median {v["median_ms"]:6.2f} ms, min {v["min_ms"]:6.2f} ms per update')
    if a.json:
        with open(a.json, 'w') as fh:
            json.dump({'threads': a.threads, 'device': a.device, 'clock': 'process' if a.cpu_time else 'wall', 'updates': out,
                       'first_two_updates_s': compile_s, 'torch': torch.__version__, 'loadavg_after': os.getloadavg(),
                       'machine': f'{platform.processor() or platform.machine()}, {os.cpu_count()} cpus',
                       'command': 'python ' + ' '.join(sys.argv)}, fh, indent=2)

if __name__ == '__main__': main()
