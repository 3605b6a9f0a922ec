"""Each notebook under nbs/ is a test: its cells run top to bottom (as `nbdev_test` runs them, skipping the cells
flagged with settings.ini's `tst_flags`, i.e. `slow` and `gpu`), and any failing assertion fails it.
Stage notebooks that need the artifacts of earlier stages say `skip_exec: true` in their front matter, as nbdev_test
honours; CI runs them through the smoke pipeline instead."""
from pathlib import Path
import pytest
from nbdev.process import NBProcessor
from nbdev.frontmatter import FrontmatterProc
from nbdev.config import get_config
from nbdev.doclinks import nbglob
from nbdev.test import test_nb as run_nb_tests

cfg = get_config()
def _skip_exec(nb:Path) -> bool:
    "nbdev's own reading of the front matter (what nbdev_test skips)."
    fm = getattr(NBProcessor(nb, procs=FrontmatterProc, process=True).nb, 'frontmatter_', {}) or {}
    return str(fm.get('skip_exec', False)).lower() == 'true'

NBS = [p for p in sorted(nbglob(cfg.nbs_path, func=Path), key=lambda p: p.name) if not _skip_exec(p)]

@pytest.mark.parametrize('nb', NBS, ids=[p.name for p in NBS])
def test_notebook(nb):
    ok, secs = run_nb_tests(nb, skip_flags=cfg.tst_flags.split(), force_flags=[], do_print=False, showerr=True)
    assert ok, f'{nb.name} failed (see the traceback above)'
