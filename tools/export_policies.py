"""Export the level policies a finished collect stage chose (every trained task of its `results/collect.json`) into a
committed policy set, with its manifest: the package's `vte_nb/policies/<name>/` by default.

    VTE_NB_RUNS=/work/runs python tools/export_policies.py --run paper_cpu [--name paper_cpu] [--out vte_nb/policies]

Tasks already in the set and not in this run are kept; a task in both is replaced by this run's levels."""
import argparse, json, sys
from pathlib import Path

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--run', required=True, help='run name (folder below the runs root)'); p.add_argument('--name', default=None)
p.add_argument('--out', default=None, help="folder holding policy sets (default: the package's vte_nb/policies)")
a = p.parse_args()
from vte_nb.core import run_dir
from vte_nb.data.collect import CollectConfig, export_level_policies

run = run_dir(a.run)
summary = json.loads((run.results/'collect.json').read_text())
cfg = CollectConfig.from_dict(json.loads((run.results/'collect.config.json').read_text())['config'])
d = export_level_policies(summary, cfg, a.name or a.run, a.out, command='python ' + ' '.join(sys.argv))
man = json.loads((d/'manifest.json').read_text())
for env, e in man['envs'].items():
    print(env, {l: (v['checkpoint_step'], round(v['eval_return']), v['sha256'][:12]) for l, v in e['levels'].items()})
print(f'policy set in {d}')
