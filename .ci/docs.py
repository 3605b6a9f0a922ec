#!/usr/bin/env python
"""The docs build, up to where it needs Quarto: what `nbdev_proc_nbs` does, without its attempt to install Quarto
(it runs `sudo` and `pip install -e` when Quarto is missing). Writes _proc/, the folder `quarto render` would read."""
from pathlib import Path

def main():
    import nbdev.doclinks
    from nbdev.quarto import refresh_quarto_yml
    from nbdev.serve import proc_nbs
    refresh_quarto_yml()
    nbdev.doclinks._build_modidx()
    cache = Path(proc_nbs(n_workers=2))
    nbs = sorted(p.name for p in Path('nbs').glob('*.ipynb'))
    missing = [n for n in nbs if not (cache/n).exists()] + [f for f in ('_quarto.yml', 'sidebar.yml') if not (cache/f).exists()]
    if missing: raise SystemExit(f'docs processing did not produce: {missing}')
    if '```{mermaid}' not in (cache/'index.ipynb').read_text():
        raise SystemExit("docs processing left index.ipynb's ```mermaid fence as it was: Quarto would show the diagram as text (settings.ini procs)")
    print(f'processed {len(nbs)} notebooks into {cache}')

if __name__ == '__main__': main()
