#!/usr/bin/env python
"""Throughput of conditional IQ-Learn agents on this machine, side by side in one run, with the ratios to today's agent.

    python bench/iq_throughput.py [--env Hopper-v5] [--steps 2000] [--warmup 300] [--k 2] [--threads 2]
                                  [--data RUN] [--updates-k 1 6] [--loop-k 27] [--device cuda] [--json FILE]

Part 1, whole agents (env steps + one IQ update per step, the stage's own trainer `vte_nb.rl.iq.iq_trainer`, one-hot
conditioning on 30 demos): agent-env-steps/s after learning starts, the first `--warmup` updates (compilation)
excluded. Configurations:
  - `today`: fp32, one process with all `--threads` threads (what the IQ stage ran before this benchmark);
  - `bf16`: the same with the update's matrix products under bf16 autocast;
  - `fp32 x k`, `bf16 x k`, `auto x k`: `--k` agents at once, each its own process with its thread share
    (`threads // k`); the aggregate agent-env-steps/s is reported. `ratio`: `auto x k` (precision 'auto': bf16 where
    the CPU has AVX-512 BF16 or AMX, else fp32) over `fp32 x k` (the imitation grid's configuration before it),
    beside the CPU's capability (`cpu`).
Part 2, the update alone (no env): K agents' IQ-Learn updates (the library's update, IQ's loss, Hopper's sizes,
one-hot conditions), as K learners one after another or as one population of K agents (`vte_nb.rl.population`:
stacked networks, batched matrix products, the layout a GPU wants), fp32 and bf16, per-agent milliseconds.
Part 3 (`--loop-k`), a whole population loop: K environments, the K actors in one forward, one population update per
step: agent-env-steps/s. On CUDA (`--device cuda`) updates and actors run as CUDA-graph replays (mode `graph`).
Demos: the `demos` split of run `--data` under $VTE_NB_RUNS when it exists, else random-policy episodes (the speed
does not depend on what the demos are).
"""
import argparse, dataclasses, json, os, platform, subprocess, sys, time
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
        eps = [dataclasses.replace(e, level=LEVELS[i % 3]) for i, e in enumerate(eps)]   # episodes are frozen
    return make_demos(eps, 'onehot', None, 10)


def matmul_gflops(n:int=2000) -> dict:
    "fp32 and bf16 GFLOP/s of the update's typical product (512 x 256 @ 256 x 256) on one thread."
    import torch
    prev, out = torch.get_num_threads(), {}
    torch.set_num_threads(1)
    for name, dt in (('fp32', torch.float32), ('bf16', torch.bfloat16)):
        x, w = torch.randn(512, 256, dtype=dt), torch.randn(256, 256, dtype=dt)
        for _ in range(20): x @ w
        t = time.perf_counter()
        for _ in range(n): x @ w
        out[name] = round(2 * 512 * 256 * 256 * n / (time.perf_counter() - t) / 1e9, 1)
    torch.set_num_threads(prev)
    return out


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


def iq_learners(K, precision, device, mode, env_dims=(11, 3), cond_dim=3, n_rows=20_000, sep_mode=None):
    "K IQ-Learn learners of Hopper's sizes (one-hot conditions, random replay and demos) as the stage builds them (each from its own seed), and the same K agents as one population."
    import copy, numpy as np, torch
    from functools import partial
    from vte_nb.rl.sac import ReplayBuffer, SACLearner, make_agent
    from vte_nb.rl.iq import iq_critic_loss, iq_batch_fn, iq_batch_fn_graphable
    from vte_nb.rl.population import population_learner
    from vte_nb.stages.iq import IQConfig
    O, A = env_dims
    def buf(seed):
        b, r = ReplayBuffer.for_sac(n_rows, O, A, cond_dim, device=device), np.random.default_rng(seed)
        b.add_batch(obs=r.normal(size=(n_rows, O)), act=r.uniform(-1, 1, (n_rows, A)), rew=np.zeros(n_rows), next_obs=r.normal(size=(n_rows, O)),
                    done=np.zeros(n_rows), cond=np.eye(cond_dim)[r.integers(cond_dim, size=n_rows)])
        return b
    cfgs = [IQConfig(precision=precision, mode=mode, seed=k).sac_config() for k in range(K)]
    agents, experts = [], [buf(100 + k) for k in range(K)]
    for k, c in enumerate(cfgs):
        with torch.random.fork_rng(devices=[]): torch.manual_seed(k); agents.append(make_agent(O, A, c, cond_dim, device=device))
    loss = partial(iq_critic_loss, variant='v0')
    sep = [SACLearner(copy.deepcopy(a), buf(k), c if sep_mode is None else dataclasses.replace(c, mode=sep_mode), loss, partial(iq_batch_fn, expert=e), partial(iq_batch_fn_graphable, expert=e))
           for k, (a, c, e) in enumerate(zip(agents, cfgs, experts))]
    pop = population_learner(agents, cfgs[0], experts, n_rows, loss, iq_batch_fn, iq_batch_fn_graphable)
    for k in range(K):                                     # the population's online rows: each agent's own
        b = sep[k].buffer; pop.buffer.fill(k, **{n: v.cpu().numpy() for n, v in b.split(b.data[:b.size]).items()})
    return sep, pop


def update_bench(K, precision, threads, device='cpu', mode='eager', rounds=5, n=20, separate=True):
    """Per-agent ms of K IQ-Learn updates (the library's: actor on 2 x 256 rows, twin critics, IQ's loss, Adam, Polyak):
    K learners one after another, and the same K agents as one population (`vte_nb.rl.population`)."""
    import statistics, torch
    if threads: torch.set_num_threads(threads)
    sync = (lambda: torch.cuda.synchronize()) if torch.device(device).type == 'cuda' else (lambda: None)
    sep, pop = iq_learners(K, precision, device, mode)
    sep = sep if separate else []
    for l in sep: l.update()                               # compile / capture: not timed
    pop.update(); sync()
    fs = {'separate': lambda: [l.update() for l in sep], 'batched': pop.update} if sep else {'batched': pop.update}
    res = {k: [] for k in fs}
    for _ in range(rounds):
        for name, f in fs.items():
            f(); sync(); t = time.perf_counter()
            for _ in range(n): f()
            sync(); res[name].append((time.perf_counter() - t) / n / K * 1e3)
    out = {k: statistics.median(v) for k, v in res.items()}
    return {**out, 'agent_updates_per_s': {k: 1e3 / v for k, v in out.items()}, 'mode': pop.mode}


def population_parity(K, device, mode, n=50):
    """The population's update in `mode` (a CUDA graph on a GPU) against K learners updated one by one in eager mode,
    on the same batches (the ones the population draws): the largest parameter difference after `n` updates."""
    import torch
    sep, pop = iq_learners(K, 'fp32', device, mode, sep_mode='eager')
    for _ in range(n):
        if pop.mode == 'graph': pop.update(); b = {k: v.clone() for k, v in pop._graph_batch.items()}
        else: b = pop.batch_fn(pop); pop.update({k: v.clone() for k, v in b.items()})
        for k, l in enumerate(sep): l.update({name: v[k] for name, v in b.items()})
    if torch.device(device).type == 'cuda': torch.cuda.synchronize()
    diff = max(float((p - q).abs().max()) for k, l in enumerate(sep) for p, q in zip(pop.agent.agent(k).parameters(), l.agent.parameters()))
    return {'K': K, 'updates': n, 'modes': ['eager (separate)', pop.mode + ' (population)'], 'max_abs_param_diff': diff}


def population_training(K, device, env_id='Hopper-v5', steps=2000, warmup=100, precision='fp32', mode='auto'):
    """The stage's population trainer (`vte_nb.rl.population.PopulationTrainer`, what `IQConfig.population` runs): K
    agents of six conditionings (VTE-like 16-wide, another 16-wide, one-hot, dummy, and none, cycled over seeds)
    on random-policy demos, agent-env-steps/s of `steps` training steps after learning starts and `warmup` updates
    (capture / compile); then a whole `train_population` of 300 steps with its checkpoints and evaluations."""
    import tempfile, numpy as np, torch
    from vte_nb.data.trajectories import Episode
    from vte_nb.envs.rollout import rollout, random_policy
    from vte_nb.envs.scores import LEVELS
    from vte_nb.rl.iq import make_demos
    from vte_nb.rl.population import PopulationTrainer, train_population
    from vte_nb.stages.iq import IQConfig
    eps = [Episode(**{**e.__dict__, 'level': LEVELS[i % 3]}) for i, e in enumerate(rollout(random_policy(env_id), env_id, np.arange(30), 8))]
    r = np.random.default_rng(0)
    kinds = [('vte', r.normal(size=(30, 16))), ('vte', r.normal(size=(30, 16))), ('onehot', None), ('dummy', None), ('none', None), ('vte', r.normal(size=(30, 16)))]
    demos = [make_demos(eps, k, mu, 10) for k, mu in (kinds[i % len(kinds)] for i in range(K))]
    cfgs = [IQConfig(env_ids=[env_id], seed=i // len(kinds), precision=precision, mode=mode, progress=False, eval_episodes=1, final_episodes=1, n_envs=8) for i in range(K)]
    sync = (lambda: torch.cuda.synchronize()) if torch.device(device).type == 'cuda' else (lambda: None)
    tr = PopulationTrainer([c.for_env(env_id) for c in cfgs], env_id, demos, device)
    ls = cfgs[0].learning_starts
    tr.run(ls + warmup); sync(); t = time.perf_counter(); tr.run(ls + warmup + steps); sync(); dt = time.perf_counter() - t
    out = {'K': K, 'env': env_id, 'steps': steps, 'mode': tr.learner.mode, 'precision': precision, 'agent_env_steps_per_s': K * steps / dt,
           'cond_dims': tr.agent.cond_dims}
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        small = [dataclasses.replace(c, total_steps=300, eval_every=150, learning_starts=100, max_episode_steps=200) for c in cfgs]
        _, per, stopped = train_population(small, env_id, demos, d, device, log=lambda m: None)
        out['train_population'] = {'steps': 300, 'seconds': time.perf_counter() - t, 'evaluations_per_agent': [len(p) for p in per], 'stopped': stopped}
    return out


def population_stage(device, mode='graph', steps=600):
    """The imitation stage's population path end to end (`vte_nb.stages.iq.iq_population`, what `iq.population: true`
    runs): two Pendulum agents (one-hot and unconditioned) on demos of three linear controllers, the update in `mode`,
    checkpoints, evaluations, the final evaluation and the analyses; then read back. Returns the agents' statuses."""
    import tempfile, numpy as np
    from vte_nb.core import RunDir
    from vte_nb.data.trajectories import Episode
    from vte_nb.envs.rollout import rollout
    from vte_nb.envs.scores import LEVELS
    from vte_nb.rl.iq import make_demos
    from vte_nb.stages.iq import IQConfig, iq_population
    ctl = lambda k: (lambda obs, deterministic=True: np.clip(-k * obs[:, 1:2] * np.sign(obs[:, :1]) - 0.1 * k * obs[:, 2:3], -2, 2))
    eps = [Episode(**{**e.__dict__, 'level': LEVELS[li]}) for li, k in enumerate((0.2, 1.0, 2.0))
           for e in rollout(ctl(k), 'Pendulum-v1', range(li * 10, li * 10 + 2), 2, 50)]
    cfg = IQConfig(env_ids=['Pendulum-v1'], total_steps=steps, learning_starts=100, batch_size=32, hidden=[64, 64], eval_every=steps // 2,
                   eval_episodes=1, final_episodes=1, analysis_episodes=1, max_episode_steps=50, n_envs=2, progress=False, mode=mode, population=True)
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        jobs = [dict(cfg=dataclasses.replace(cfg, seed=s), env_id='Pendulum-v1', name=k, demos=make_demos(eps, k, None, 2), ckpt_dir=f'{d}/{k}',
                     analyses=False) for s, k in enumerate(('onehot', 'none'))]
        res = iq_population(jobs, RunDir(Path(d)/'run'), device, log=lambda m: None)
        back = iq_population(jobs, RunDir(Path(d)/'run'), device, log=lambda m: None)
    return {'statuses': [r['status'] for r in res], 'errors': [r.get('error') for r in res], 'steps': [r['result']['steps'] for r in res if 'result' in r],
            'read_back': [b['result']['eval_key'] == r['result']['eval_key'] for b, r in zip(back, res) if 'result' in r and 'result' in b],
            'mode': mode, 'seconds': time.perf_counter() - t}


def population_loop(K, precision, device, mode, env_id='Hopper-v5', steps=1000, warmup=50, threads=0,
                    variants=(('plain', False, 0),)):
    """Agent-env-steps/s of a whole population loop: K environments, the K actors' stochastic actions in one forward
    (a CUDA-graph replay on a GPU), K rows into the population's replay, one population update per step (graphed on a
    GPU). Each variant `(name, overlap, env_threads)` schedules the same loop: `overlap` launches the update before
    the environments step, so the GPU computes while the CPU simulates (the update then reads the transitions up to
    the previous step, as an update made before this step's transitions are stored); `env_threads` > 0 steps the
    environments in that many threads (MuJoCo releases the GIL while it simulates). Also the share of the time spent
    stepping the environments."""
    import numpy as np, torch
    from concurrent.futures import ThreadPoolExecutor
    from vte_nb.envs.scores import make_env
    if threads: torch.set_num_threads(threads)
    dev = torch.device(device); cuda = dev.type == 'cuda'
    envs = [make_env(env_id) for _ in range(K)]
    O, A = envs[0].observation_space.shape[0], envs[0].action_space.shape[0]
    _, pop = iq_learners(K, precision, device, mode, (O, A), 3, n_rows=4096)
    ag, buf = pop.agent, pop.buffer
    conds = np.eye(3, dtype=np.float32)[np.arange(K) % 3]
    obs_dev = torch.zeros(K, 1, O + 3, device=dev)
    def act():
        with torch.no_grad():
            mean, log_std = ag.dist(obs_dev[..., :O], obs_dev[..., O:])
            return torch.tanh(mean + log_std.exp() * torch.randn(mean.shape, device=dev))[:, 0]
    if cuda:                                               # the actors' step as one graph replay, as GraphedActor does for one agent
        from vte_nb.rl.sac import capture_graph
        g, act_out = capture_graph(act, dev)
        policy = lambda: (g.replay(), act_out.cpu().numpy())[1]
    else: policy = lambda: act().numpy()
    obs = np.stack([e.reset(seed=k)[0] for k, e in enumerate(envs)]).astype(np.float32)
    nxt, rew, done = np.empty_like(obs), np.zeros(K, np.float32), np.zeros(K, np.float32)
    def step_envs(a, idx):
        for k in idx:
            o, r, term, trunc, _ = envs[k].step(a[k]); nxt[k], rew[k], done[k] = o, r, term
            if term or trunc: o, _ = envs[k].reset()
            obs[k] = o
    out = {'K': K, 'env': env_id, 'rounds': steps, 'mode': pop.mode, 'precision': precision, 'variants': {}}
    for name, overlap, n_threads in variants:
        pool = ThreadPoolExecutor(n_threads) if n_threads else None
        chunks = [list(range(K))[i::n_threads] for i in range(n_threads)] if n_threads else [range(K)]
        env_s = 0.
        def round_():
            nonlocal env_s
            cur = obs.copy(); obs_dev.copy_(torch.from_numpy(np.concatenate([cur, conds], 1))[:, None])
            a = policy()
            if overlap: pop.update()                       # launched: runs on the GPU while the environments step
            t = time.perf_counter()
            if pool: list(pool.map(lambda idx: step_envs(a, idx), chunks))
            else: step_envs(a, chunks[0])
            env_s += time.perf_counter() - t
            buf.add(obs=cur, act=a, rew=rew, next_obs=nxt, done=done, cond=conds)
            if not overlap: pop.update()
        for _ in range(warmup): round_()
        if cuda: torch.cuda.synchronize()
        env_s = 0.; t = time.perf_counter()
        for _ in range(steps): round_()
        if cuda: torch.cuda.synchronize()
        dt = time.perf_counter() - t
        if pool: pool.shutdown()
        out['variants'][name] = {'overlap': overlap, 'env_threads': n_threads, 'agent_env_steps_per_s': K * steps / dt, 'env_share': env_s / dt}
    best = max(out['variants'].values(), key=lambda v: v['agent_env_steps_per_s'])
    out['agent_env_steps_per_s'], out['env_share'] = best['agent_env_steps_per_s'], best['env_share']
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--env', default='Hopper-v5'); ap.add_argument('--steps', type=int, default=2000)
    ap.add_argument('--warmup', type=int, default=300); ap.add_argument('--k', type=int, default=2)
    ap.add_argument('--threads', type=int, default=2); ap.add_argument('--data', default='paper_cpu')
    ap.add_argument('--device', default='cpu', help="'cpu' or 'cuda'"); ap.add_argument('--mode', default=None, help="update mode (default: eager on a CPU, graph on CUDA)")
    ap.add_argument('--updates-k', type=int, nargs='+', default=[1, 6]); ap.add_argument('--skip-agents', action='store_true')
    ap.add_argument('--precisions', nargs='+', default=['fp32', 'bf16']); ap.add_argument('--loop-k', type=int, nargs='*', default=[])
    ap.add_argument('--loop-steps', type=int, default=1000)
    ap.add_argument('--json'); ap.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    ap.add_argument('--precision', default='fp32', help=argparse.SUPPRESS); ap.add_argument('--seed', type=int, default=0, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker: return agent_worker(a)
    import torch
    cuda = a.device.startswith('cuda'); mode = a.mode or ('graph' if cuda else 'eager')
    out = {'env': a.env, 'steps': a.steps, 'warmup_updates': a.warmup, 'threads': a.threads, 'k': a.k, 'device': a.device,
           'gpu': torch.cuda.get_device_name() if cuda else None, 'mode': mode,
           'machine': f'{platform.machine()}, {os.cpu_count()} cpus', 'torch': torch.__version__, 'agents': {}, 'updates': {}, 'loop': {},
           'command': 'python ' + ' '.join(sys.argv)}
    def save():                                            # after every measurement: a run cut short keeps what it measured
        if a.json: Path(a.json).write_text(json.dumps(out, indent=2) + '\n')
    if not a.skip_agents and not cuda:
        share = max(1, a.threads // a.k)
        from vte_nb.rl.sac import cpu_bf16, resolve_precision
        out['cpu'], out['auto_precision'] = cpu_bf16(), resolve_precision('auto', 'cpu')
        out['matmul_gflops_1_thread'] = matmul_gflops()       # the CPU's limits, beside which the agents' rates read
        print('matmul GFLOP/s on one thread:', out['matmul_gflops_1_thread'], flush=True)
        for name, prec, k, th in [('today', 'fp32', 1, a.threads), ('bf16', 'bf16', 1, a.threads),
                                  (f'fp32 x {a.k}', 'fp32', a.k, share), (f'bf16 x {a.k}', 'bf16', a.k, share),
                                  (f'auto x {a.k}', 'auto', a.k, share)]:
            r = run_agents(a, prec, k, th)
            out['agents'][name] = {'precision': prec, 'processes': k, 'threads_each': th, 'per_agent': r, 'aggregate': sum(r)}
            print(f"{name:10s} {k} process(es) x {th} thread(s): {sum(r):6.1f} agent-env-steps/s  ({', '.join(f'{x:.1f}' for x in r)})", flush=True)
        base = out['agents']['today']['aggregate']
        out['ratio_to_today'] = {k: v['aggregate'] / base for k, v in out['agents'].items()}
        # issue 25's goal: the grid's configuration (k processes, precision 'auto') against today's (k processes, fp32)
        out['ratio'] = out['agents'][f'auto x {a.k}']['aggregate'] / out['agents'][f'fp32 x {a.k}']['aggregate']
        out['ratio_definition'] = f"aggregate agent-env-steps/s, 'auto x {a.k}' ({out['auto_precision']}) over 'fp32 x {a.k}'"
        print(f"ratio (auto x {a.k} = {out['auto_precision']} over fp32 x {a.k}): {out['ratio']:.2f}x on {out['cpu']}")
        print('ratios to today:', ', '.join(f'{k} {v:.2f}x' for k, v in out['ratio_to_today'].items())); save()
    for K in a.updates_k:
        for prec in a.precisions:
            for th in ([0] if cuda else sorted({1, a.threads})):
                try: r = update_bench(K, prec, th, a.device, mode)
                except Exception as e: r = {'error': f'{type(e).__name__}: {e}'}; print(f'update K={K} {prec}: {r["error"]}', flush=True)
                else:
                    r['batched_over_separate'] = r['batched'] / r['separate'] if 'separate' in r else None
                    print(f"update K={K} {prec} {th or 'all'} thread(s), {r['mode']}: separate {r.get('separate', float('nan')):.3f} ms/agent, batched {r['batched']:.3f} ms/agent "
                          f"(batched/separate {r['batched_over_separate'] or float('nan'):.2f}; {r['agent_updates_per_s']['batched']:.0f} agent-updates/s batched)", flush=True)
                out['updates'][f'K={K} {prec} t{th or "all"}'] = r; save()
    for K in a.loop_k:
        for prec in a.precisions:
            try: r = population_loop(K, prec, a.device, mode, a.env, a.loop_steps, threads=0 if cuda else a.threads,
                                     variants=(('plain', False, 0), ('overlap', True, 0), ('threads', False, 8), ('overlap+threads', True, 8)))
            except Exception as e: r = {'error': f'{type(e).__name__}: {e}'}; print(f'loop K={K} {prec}: {r["error"]}', flush=True)
            else: print(f"population loop K={K} {prec} {r['mode']}: " + ', '.join(f"{n} {v['agent_env_steps_per_s']:.0f} agent-env-steps/s (envs {100 * v['env_share']:.0f}%)"
                                                                                  for n, v in r['variants'].items()), flush=True)
            out['loop'][f'K={K} {prec}'] = r; save()
    if a.json: print('wrote', a.json)


if __name__ == '__main__': main()
