"""Each notebook under nbs/ is a test: its cells run top to bottom (as `nbdev_test` runs them, skipping the cells
flagged with settings.ini's `tst_flags`, i.e. `slow` and `gpu`), and any failing assertion fails it."""
from pathlib import Path
import pytest
from nbdev.config import get_config
from nbdev.doclinks import nbglob
from nbdev.test import test_nb as run_nb_tests

cfg = get_config()
NBS = sorted(nbglob(cfg.nbs_path, func=Path), key=lambda p: p.name)

@pytest.mark.parametrize('nb', NBS, ids=[p.name for p in NBS])
def test_notebook(nb):
    ok, secs = run_nb_tests(nb, skip_flags=cfg.tst_flags.split(), force_flags=[], do_print=False, showerr=True)
    assert ok, f'{nb.name} failed (see the traceback above)'
