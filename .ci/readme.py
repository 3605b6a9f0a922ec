#!/usr/bin/env python
"""README.md is generated from nbs/index.ipynb (nbdev_readme needs Quarto, which our machines cannot install).

    python .ci/readme.py            # write README.md
    python .ci/readme.py --check    # fail if README.md is not what index.ipynb gives
    python .ci/readme.py --command setup|tests   # print quick-start command 1 or 2 (what .ci/run executes)
"""
import re, sys
from pathlib import Path
import nbformat

root = Path(__file__).resolve().parent.parent
HEADER = '<!-- generated from nbs/index.ipynb by .ci/readme.py: edit the notebook, not this file -->\n\n'

def render() -> str:
    nb = nbformat.read(root/'nbs'/'index.ipynb', as_version=4)
    md = '\n\n'.join(c.source.strip() for c in nb.cells if c.cell_type == 'markdown')
    md = re.sub(r'\]\((\d\d[a-z]?_[^)]+\.ipynb)\)', r'](nbs/\1)', md)      # notebook links from the repo root
    return HEADER + md + '\n'

def quickstart() -> list[str]:
    "The commands of the quick-start block, in order."
    block = re.search(r'## Quick start.*?```bash\n(.*?)```', render(), re.S).group(1)
    return [l.strip() for l in block.splitlines() if l.strip() and not l.strip().startswith('#')]

if __name__ == '__main__':
    if '--command' in sys.argv:
        which = sys.argv[sys.argv.index('--command') + 1]
        print(quickstart()[{'setup': 0, 'tests': 1}[which]]); sys.exit(0)
    text = render()
    if '--check' in sys.argv:
        if (root/'README.md').read_text() != text:
            sys.exit('README.md differs from nbs/index.ipynb: run `python .ci/readme.py` and commit README.md')
        print('README.md agrees with nbs/index.ipynb'); sys.exit(0)
    (root/'README.md').write_text(text); print('wrote README.md')
