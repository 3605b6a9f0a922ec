"""Compare the numbers of two runs' `results/*.json`: every numeric (and plain string) leaf, paths, timings, hashes
and provenance left out. How the stage-layer refactors were checked against the commit before them:

    VTE_NB_THREADS=1 VTE_NB_RUNS=/tmp/r PYTHONPATH=<checkout A> vte-nb run --preset smoke --name a   # and b from checkout B
    python tools/compare_runs.py /tmp/r/a /tmp/r/b [--stages collect love vte probes]

One thread: LOVE's training on two threads is not bit-reproducible from run to run (the same code, same seed, first
differing iteration 6-21 of 60), so only one-thread runs can be compared exactly."""
import argparse, json, math
from pathlib import Path

SKIP = ('seconds', 'time', '_provenance', 'provenance', 'git_sha', 'versions', 'steps_per_s', 'iterations_per_s', 'threads', 'loadavg', 'run_name')

def leaves(x, p=''):
    "`(path, value)` of every number and plain string below `x` (keys naming timings, provenance or the run left out)."
    if isinstance(x, dict):
        for k, v in x.items():
            if not any(s in k for s in SKIP): yield from leaves(v, f'{p}.{k}')
    elif isinstance(x, list):
        for i, v in enumerate(x): yield from leaves(v, f'{p}[{i}]')
    elif isinstance(x, (int, float)) and not isinstance(x, bool): yield p, float(x)
    elif isinstance(x, str) and not any(t in x for t in ('/', '.pt', '.png', '.npz')): yield p, x

def same(a, b) -> bool: return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))

def compare(a:Path, b:Path, stages=None, show:int=30) -> tuple[int, list[str]]:
    "Number of values compared and the differing ones (`file.path: a != b`) of the results JSONs of run folders `a` and `b`."
    files = sorted(p.name for p in (a/'results').glob('*.json') if not p.name.endswith('config.json'))
    if stages: files = [f for f in files if f.split('.')[0] in stages]
    n, bad = 0, []
    for f in files:
        fb = b/'results'/f
        if not fb.is_file(): bad.append(f'{f}: missing in {b}'); continue
        la, lb = dict(leaves(json.loads((a/'results'/f).read_text()))), dict(leaves(json.loads(fb.read_text())))
        for k in sorted(set(la) | set(lb)):
            n += 1
            if not same(la.get(k), lb.get(k)): bad.append(f'{f}{k}: {la.get(k)!r} != {lb.get(k)!r}')
    return n, bad

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('a', type=Path); ap.add_argument('b', type=Path)
    ap.add_argument('--stages', nargs='*', help='only these stages (collect love vte iq probes)')
    args = ap.parse_args()
    n, bad = compare(args.a, args.b, args.stages)
    for line in bad[:30]: print(line)
    print(f'{n} values compared, {len(bad)} differ')
    raise SystemExit(1 if bad else 0)
