#!/usr/bin/env python
"""SAC training throughput (perf anchors 2 and 3): stable-baselines3's SAC and ours (vte_nb.rl.sac), one after the
other in one process, same env and settings, env-steps/s of the full training loop (act, env step, store, update).

    python bench/sac_throughput.py [--env Hopper-v5] [--steps 4000] [--threads 1] [--device cpu] [--compile eager]
                                   [--rounds 2] [--bf16] [--json results/bench_sac_cpu_t1.json]

`--bf16` adds ours with `precision='bf16'` (the update's matrix products under bf16 autocast, fp32 master weights).

Both run batch 256, one update per env step, 256x256 MLPs, twin critics, learned temperature, Adam 3e-4 (SB3's SAC
defaults). Each first fills `--learning-starts` random-action steps and runs `--burn-in` training steps (not timed:
allocation, first-call and compile costs), then is timed over `--steps` training steps. With `--rounds N` the timed
steps are split into N chunks run alternately (sb3, ours, sb3, ours, ...), so that load from other jobs on a shared
machine falls on both alike; the rate is total steps over total time for each.
"""
import argparse, json, os, platform, statistics, sys, time

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--env', default='Hopper-v5')
    ap.add_argument('--steps', type=int, default=4000, help='timed training steps for each implementation')
    ap.add_argument('--learning-starts', type=int, default=1000)
    ap.add_argument('--burn-in', type=int, default=200, help='training steps after learning_starts, not timed')
    ap.add_argument('--rounds', type=int, default=2, help='alternate sb3/ours this many times over the timed steps')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--compile', default='auto', choices=['auto', 'eager', 'compile', 'graph'], help="our update's mode ('auto': graph on CUDA, eager on CPU)")
    ap.add_argument('--batch-size', type=int, default=256)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--skip-sb3', action='store_true')
    ap.add_argument('--bf16', action='store_true', help="also ours with precision='bf16'")
    ap.add_argument('--json', help='write the results here')
    a = ap.parse_args()
    os.environ['OMP_NUM_THREADS'] = os.environ['MKL_NUM_THREADS'] = str(a.threads)
    import torch; torch.set_num_threads(a.threads)
    import gymnasium as gym
    from vte_nb.rl.sac import SACConfig, SACTrainer
    cap = a.learning_starts + a.burn_in + a.steps + 10
    start = a.learning_starts + a.burn_in
    chunks = [a.steps // a.rounds + (i < a.steps % a.rounds) for i in range(a.rounds)]

    runners = {}
    if not a.skip_sb3:
        from stable_baselines3 import SAC
        model = SAC('MlpPolicy', gym.make(a.env), learning_starts=a.learning_starts, batch_size=a.batch_size, buffer_size=cap,
                    seed=a.seed, device=a.device, verbose=0)
        def sb3(n, first=False): model.learn(n, reset_num_timesteps=first)
        runners['sb3'] = sb3
    def ours(precision):
        tr = SACTrainer(a.env, SACConfig(learning_starts=a.learning_starts, batch_size=a.batch_size, buffer_size=cap, seed=a.seed,
                                         mode=a.compile, precision=precision), a.device)
        def run(n, first=False): tr.run(tr.step + n)
        return tr, run
    tr, runners['ours'] = ours('fp32')
    if a.bf16: _, runners['ours-bf16'] = ours('bf16')

    for name, run in runners.items():                      # fill, burn in, compile: not timed
        t = time.perf_counter(); run(start, first=True)
        print(f'{name:9s} warm-up {start} steps in {time.perf_counter() - t:.1f}s', flush=True)
    times = {k: [] for k in runners}
    for i, n in enumerate(chunks):
        for name, run in runners.items():
            t = time.perf_counter(); run(n); dt = time.perf_counter() - t
            times[name].append(dt)
            print(f'{name:9s} round {i + 1}/{a.rounds}: {n} steps in {dt:.1f}s = {n / dt:.0f} env-steps/s', flush=True)
    rate = {k: a.steps / sum(v) for k, v in times.items()}
    print()
    for k, v in rate.items(): print(f'{k:9s} {v:7.1f} env-steps/s')
    ratio = rate['ours'] / rate['sb3'] if 'sb3' in rate else None
    # each round pairs an sb3 chunk with an ours chunk run right after it: the median of the paired ratios is robust to
    # a burst of load from other jobs that hits one round
    paired = sorted(ts / to for ts, to in zip(times['sb3'], times['ours'])) if 'sb3' in times else []
    median_ratio = statistics.median(paired) if paired else None
    if ratio: print(f'ratio ours / sb3: {ratio:.2f}x (total time); median of the {a.rounds} paired rounds: {median_ratio:.2f}x')
    bf16_ratio = rate['ours-bf16'] / rate['ours'] if 'ours-bf16' in rate else None
    bf16_paired = statistics.median(sorted(t32 / t16 for t32, t16 in zip(times['ours'], times['ours-bf16']))) if bf16_ratio else None
    if bf16_ratio: print(f'ratio ours-bf16 / ours (fp32): {bf16_ratio:.2f}x (total time); median of the paired rounds: {bf16_paired:.2f}x')
    if a.json:
        out = {'env': a.env, 'steps': a.steps, 'learning_starts': a.learning_starts, 'burn_in': a.burn_in, 'rounds': a.rounds,
               'threads': a.threads, 'device': a.device, 'mode': tr.learner.mode, 'batch_size': a.batch_size,
               'steps_per_s': rate, 'ratio_ours_to_sb3': ratio, 'median_paired_round_ratio': median_ratio,
               'ratio_bf16_to_fp32': bf16_ratio, 'median_paired_round_ratio_bf16_to_fp32': bf16_paired,
               'rounds_steps_per_s': {k: [n / t for n, t in zip(chunks, v)] for k, v in times.items()},
               'machine': f'{platform.processor() or platform.machine()}, {os.cpu_count()} cpus', 'torch': torch.__version__,
               'loadavg_after': os.getloadavg(), 'command': 'python ' + ' '.join(sys.argv)}
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json, 'w') as f: json.dump(out, f, indent=2)

if __name__ == '__main__': main()
