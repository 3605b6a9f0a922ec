"""Every pytest worker gets its share of the cores: two torch processes with default threads on 2 cores run ~20x
slower than one. Runs written by the notebooks under test go to a temporary folder, not to the checkout's runs/."""
import os, tempfile

def _workers() -> int:
    return int(os.environ.get('PYTEST_XDIST_WORKER_COUNT', '1'))

def pytest_configure(config):
    n = max(1, (len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count() or 1) // _workers())
    os.environ['OMP_NUM_THREADS'] = os.environ['MKL_NUM_THREADS'] = os.environ['VTE_NB_THREADS'] = str(n)
    os.environ.setdefault('VTE_NB_RUNS', tempfile.mkdtemp(prefix='vte_nb_test_runs_'))
    os.environ['IN_TEST'] = '1'
    try:
        import torch; torch.set_num_threads(n)
    except ImportError: pass

def pytest_unconfigure(config):
    "Drop torch dynamo's clean-up hooks before the interpreter tears down (they print KeyError tracebacks at exit)."
    import sys
    if 'torch._dynamo' in sys.modules:
        from vte_nb.rl.sac import quiet_dynamo_exit
        quiet_dynamo_exit()
