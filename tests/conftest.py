"""Every pytest worker gets its share of the cores: two torch processes with default threads on 2 cores run ~20x
slower than one. Runs written by the notebooks under test go to a temporary folder, never to the checkout's runs/ or
to the user's $VTE_NB_RUNS: the suite fails if either changed while it ran."""
import os, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def _workers() -> int:
    return int(os.environ.get('PYTEST_XDIST_WORKER_COUNT', '1'))

def _snapshot(folder) -> dict:
    "Every file below `folder` with its size and modification time (empty when there is no folder)."
    p = Path(folder)
    return {str(f): (f.stat().st_size, f.stat().st_mtime_ns) for f in p.rglob('*') if f.is_file()} if p.is_dir() else {}

def pytest_configure(config):
    n = max(1, (len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count() or 1) // _workers())
    os.environ['OMP_NUM_THREADS'] = os.environ['MKL_NUM_THREADS'] = os.environ['VTE_NB_THREADS'] = str(n)
    if not hasattr(config, 'workerinput'):                  # the controller: what the user's runs look like now
        config._user_runs = [d for d in {ROOT/'runs', os.environ.get('VTE_NB_RUNS')} if d]
        config._runs_before = {str(d): _snapshot(d) for d in config._user_runs}
        os.environ['VTE_NB_RUNS'] = tempfile.mkdtemp(prefix='vte_nb_test_runs_')   # inherited by the workers
    os.environ['IN_TEST'] = '1'
    try:
        import torch; torch.set_num_threads(n)
    except ImportError: pass

def pytest_sessionfinish(session, exitstatus):
    "Fail the run when the tests wrote into the checkout's runs/ or the user's $VTE_NB_RUNS."
    cfg = session.config
    if hasattr(cfg, 'workerinput') or not hasattr(cfg, '_runs_before'): return
    changed = [d for d, snap in cfg._runs_before.items() if _snapshot(d) != snap]
    if changed:
        print(f"\nthe tests changed the runs folder(s) {', '.join(changed)}: tests must write only below a temporary folder")
        session.exitstatus = 1

def pytest_unconfigure(config):
    "Drop torch dynamo's clean-up hooks before the interpreter tears down (they print KeyError tracebacks at exit)."
    import sys
    if 'torch._dynamo' in sys.modules:
        from vte_nb.rl.sac import quiet_dynamo_exit
        quiet_dynamo_exit()
