#!/usr/bin/env python
"""Time a VTE training step (encoder over whole trajectories + policy on sampled transitions + backward + AdamW) at
the paper's size: 1,000-step trajectories of LOVE outputs (10 skill logits + 2 boundary columns), batch 32,
d_model 256, 4 pre-norm layers, Hopper's 11-d observations and 3-d actions. float32 (the reference) and bf16
autocast run interleaved over several rounds in one process; prints trajectories/s, tokens/s and the ratio.

    python bench/vte_train.py [--device cpu|cuda] [--threads 2] [--T 1000] [--batch 32] [--precisions fp32 bf16] [--json FILE]

Also prints the projected time of the VTE stage for 900 trajectories at `--stage-steps` steps (the `paper` preset:
3,000 steps of 32 trajectories).
"""
import argparse, json, os, platform, statistics, sys, time

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--device', default='cpu'); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--T', type=int, default=1000); ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--d-model', type=int, default=256); ap.add_argument('--layers', type=int, default=4)
    ap.add_argument('--n-trans', type=int, default=16, help='transitions per trajectory for the decoder')
    ap.add_argument('--precisions', nargs='+', default=['fp32', 'bf16'])
    ap.add_argument('--rounds', type=int, default=3); ap.add_argument('--n', type=int, default=3, help='steps per round')
    ap.add_argument('--stage-steps', type=int, default=3000); ap.add_argument('--json')
    a = ap.parse_args()
    os.environ['OMP_NUM_THREADS'] = os.environ['MKL_NUM_THREADS'] = str(a.threads)
    import numpy as np, torch
    torch.set_num_threads(a.threads)
    from vte_nb.models.tvae import TrajItem, TrajectoryVAE, make_batch
    dev = torch.device(a.device)
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == 'cuda' else (lambda: None)
    rng = np.random.default_rng(0)
    items = [TrajItem({'z': rng.normal(size=(a.T, 10)).astype(np.float32), 'm': np.eye(2, dtype=np.float32)[rng.integers(0, 2, a.T)]},
                      rng.normal(size=(a.T, 11)).astype(np.float32), rng.uniform(-0.9, 0.9, (a.T, 3)).astype(np.float32), i % 3, 0.0, i)
              for i in range(a.batch)]
    batch = make_batch(items, range(a.batch), a.n_trans, a.T, rng, dev)
    steps, mem = {}, {}
    for p in a.precisions:
        torch.manual_seed(0)
        model = TrajectoryVAE({'z': 10, 'm': 2}, 11, 3, 10, a.d_model, a.layers, 4).to(dev)
        opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
        amp = torch.autocast(dev.type, dtype=torch.bfloat16, enabled=p == 'bf16')
        def step(model=model, opt=opt, amp=amp):
            with amp: loss, _ = model(*batch, kl_weight=1.0)
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        if dev.type == 'cuda': torch.cuda.reset_peak_memory_stats(dev)
        step(); sync()
        if dev.type == 'cuda': mem[p] = torch.cuda.max_memory_allocated(dev) / 2**30
        steps[p] = step
    res = {p: [] for p in steps}
    for _ in range(a.rounds):
        for p, f in steps.items():
            sync(); t = time.perf_counter()
            for _ in range(a.n): f()
            sync(); res[p].append((time.perf_counter() - t) / a.n)
    out = {}
    for p, v in res.items():
        s = statistics.median(v)
        out[p] = {'median_s_per_step': s, 'min_s_per_step': min(v), 'trajectories_per_s': a.batch / s, 'tokens_per_s': a.batch * a.T / s,
                  'stage_projection_s': s * a.stage_steps, **({'peak_gib': mem[p]} if p in mem else {})}
        print(f"{p:5s} {a.device}: {s:7.3f} s/step  {a.batch / s:8.1f} traj/s  {a.batch * a.T / s:10.0f} tokens/s  "
              f"VTE stage ({a.stage_steps} steps) ~{s * a.stage_steps / 60:.1f} min" + (f"  peak {mem[p]:.1f} GiB" if p in mem else ''))
    if 'fp32' in out and 'bf16' in out:
        r = out['fp32']['median_s_per_step'] / out['bf16']['median_s_per_step']
        print(f"bf16 / fp32 speed-up: {r:.2f}x"); out['bf16_speedup'] = r
    if a.json:
        with open(a.json, 'w') as fh:
            json.dump({'device': a.device, 'threads': a.threads, 'T': a.T, 'batch': a.batch, 'd_model': a.d_model, 'layers': a.layers,
                       'results': out, 'torch': torch.__version__, 'loadavg_after': os.getloadavg(),
                       'machine': f'{platform.processor() or platform.machine()}, {os.cpu_count()} cpus',
                       'command': 'python ' + ' '.join(sys.argv)}, fh, indent=2)

if __name__ == '__main__': main()
