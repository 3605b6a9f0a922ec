"""Checks of the project itself that need no Quarto: docs config, sidebar, README, presets, packaging metadata."""
import subprocess, sys
from pathlib import Path
import yaml
from nbdev.config import get_config
from nbdev.doclinks import nbglob

root = Path(__file__).resolve().parent.parent
cfg = get_config()

def _sidebar_files(items):
    for it in items:
        if isinstance(it, str): yield it
        elif isinstance(it, dict) and 'contents' in it: yield from _sidebar_files(it['contents'])
        elif isinstance(it, dict) and 'href' in it: yield it['href']

def test_every_notebook_in_sidebar():
    side = yaml.safe_load((root/'nbs'/'sidebar.yml').read_text())
    listed = set(_sidebar_files(side['website']['sidebar']['contents']))
    nbs = {str(p.relative_to(cfg.nbs_path)) for p in nbglob(cfg.nbs_path, func=Path)}
    assert nbs - listed == set(), f'notebooks missing from nbs/sidebar.yml: {sorted(nbs - listed)}'
    assert listed - nbs == set(), f'sidebar.yml lists files that do not exist: {sorted(listed - nbs)}'

def test_one_quarto_yml():
    q = root/'nbs'/'_quarto.yml'
    assert q.is_symlink() and q.resolve() == (root/'_quarto.yml').resolve(), 'nbs/_quarto.yml must be a symlink to the top-level _quarto.yml'
    y = yaml.safe_load((root/'_quarto.yml').read_text())
    assert y['project']['type'] == 'website' and 'sidebar.yml' in y['metadata-files']

def test_readme_agrees_with_index():
    r = subprocess.run([sys.executable, str(root/'.ci'/'readme.py'), '--check'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

def test_ci_runs_readme_commands():
    ci = (root/'.ci'/'run').read_text()
    assert 'readme.py --command tests' in ci and 'readme.py --command setup' in ci and 'torch==2.13.0' in ci

def test_settings_keep_parameters_tags():
    assert cfg.allowed_cell_metadata_keys == 'tags' and set(cfg.tst_flags.split()) == {'slow', 'gpu'}
    assert 'nbdev==2.4.14' in cfg.dev_requirements and 'execnb<0.2' in cfg.dev_requirements

def test_stage_notebooks_have_parameters_cell():
    import nbformat
    for nb in sorted((root/'nbs').glob('5*_exp_*.ipynb')):
        cells = nbformat.read(nb, as_version=4).cells
        assert sum('parameters' in c.metadata.get('tags', []) for c in cells) == 1, f'{nb.name}: needs exactly one parameters cell'

def test_imports_in_their_own_cells():
    "nbdev's docs build executes every cell holding an import: such cells must hold nothing else (or be exported)."
    import ast, nbformat
    bad = []
    for nb in sorted((root/'nbs').glob('*.ipynb')):
        for i, c in enumerate(nbformat.read(nb, as_version=4).cells):
            if c.cell_type != 'code' or '#| export' in c.source or 'nbdev_export()' in c.source: continue
            try: tree = ast.parse('\n'.join(l for l in c.source.splitlines() if not l.lstrip().startswith(('%', '!'))))
            except SyntaxError: continue
            nodes = list(ast.walk(tree))
            if any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in nodes) and any(isinstance(n, (ast.Expr, ast.Assign)) for n in nodes):
                bad.append(f'{nb.name} cell {i}: {c.source.splitlines()[0][:60]}')
    assert not bad, 'cells mixing imports with code (the docs build would run them):\n' + '\n'.join(bad)

def _imports():
    "`{module: {(imported vte_nb module, nested)}}` for every module of the package (nested: inside a def or class; `if TYPE_CHECKING:` blocks are skipped)."
    import ast
    pkg = root/'vte_nb'; out = {}
    for f in sorted(pkg.rglob('*.py')):
        if f.name == '_modidx.py': continue
        mod = '.'.join(f.relative_to(root).with_suffix('').parts).removesuffix('.__init__')
        tree, deps = ast.parse(f.read_text()), set()
        def visit(node, nested):
            for ch in ast.iter_child_nodes(node):
                if isinstance(ch, ast.If) and 'TYPE_CHECKING' in ast.unparse(ch.test): continue   # annotations only, never imported at run time
                inner = nested or isinstance(ch, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
                if isinstance(ch, ast.ImportFrom):
                    base = mod.split('.')[:len(mod.split('.')) - ch.level + (f.name == '__init__.py')] if ch.level else []
                    name = '.'.join(base + ([ch.module] if ch.module else []))
                    if name.startswith('vte_nb'): deps.add((name, inner))
                elif isinstance(ch, ast.Import):
                    deps.update((a.name, inner) for a in ch.names if a.name.startswith('vte_nb'))
                elif isinstance(ch, ast.Call) and getattr(ch.func, 'attr', getattr(ch.func, 'id', '')) in ('import_module', '__import__') \
                        and ch.args and isinstance(ch.args[0], ast.Constant) and str(ch.args[0].value).startswith('vte_nb'):
                    deps.add((ch.args[0].value, True))
                visit(ch, inner)
        visit(tree, False)
        out[mod] = deps
    return out

def test_no_import_inside_functions():
    "The package never imports itself inside a function (a hidden dependency, often a hidden import circle)."
    bad = sorted(f'{m} imports {d} inside a function' for m, ds in _imports().items() for d, nested in ds if nested)
    assert not bad, '\n'.join(bad)

def test_no_import_circles():
    "The modules of the package form a layered graph: no module reaches itself through its imports."
    imports = _imports()
    graph = {m: {d for d, _ in ds if d in imports and d != m} for m, ds in imports.items()}
    state, cycles = {}, []
    def dfs(m, path):
        state[m] = 1
        for d in sorted(graph[m]):
            if state.get(d) == 1: cycles.append(' -> '.join(path[path.index(d):] + [d]) if d in path else f'{m} -> {d}')
            elif d not in state: dfs(d, path + [d])
        state[m] = 2
    for m in sorted(graph):
        if m not in state: dfs(m, [m])
    assert not cycles, 'import circles:\n' + '\n'.join(cycles)

def test_export_cells_are_small():
    "Chapters like fastcore's: no `#| export` cell over 50 lines, and half of them 15 lines or fewer."
    import json, statistics
    sizes, long = [], []
    for nb in sorted((root/'nbs').glob('*.ipynb')):
        for c in json.loads(nb.read_text())['cells']:
            s = ''.join(c['source'])
            if c['cell_type'] != 'code' or not s.split('\n', 1)[0].replace(' ', '').startswith('#|export'): continue
            n = len(s.rstrip('\n').split('\n')); sizes.append(n)
            if n > 50: long.append(f"{nb.name}: an export cell of {n} lines ({s.split(chr(10))[1][:60]!r}...)")
    assert sizes and not long, 'export cells over 50 lines:\n' + '\n'.join(long)
    assert statistics.median(sizes) <= 15, f'median export cell: {statistics.median(sizes)} lines'
