#!/usr/bin/env python
"""The README's first way in, as a person takes it: JupyterLab in a real browser (Debian's Chromium, driven by
Playwright), Run All on the front page, a library chapter and a stage notebook on the `smoke` run.

    VTE_NB_RUNS=... python .ci/browser_test.py [--shots DIR] [--chromium /usr/bin/chromium]

Each notebook must finish with no error output; the front page must draw its mermaid diagram, the others at least
one figure. Screenshots go to DIR (default: $VTE_NB_RUNS/smoke/screenshots). The notebooks are saved by the browser
to read their outputs and put back byte for byte afterwards."""
import argparse, json, os, secrets, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [('index.ipynb', 'diagram'), ('30_eval.probes.ipynb', 'figure'), ('54_exp_probes.ipynb', 'figure')]

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def start_lab(port:int, token:str, log):
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ip=127.0.0.1', f'--port={port}', f'--IdentityProvider.token={token}',
           f'--ServerApp.root_dir={ROOT/"nbs"}', '--ServerApp.open_browser=False', '--LabApp.news_url=', '--allow-root']
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT/'nbs')
    for _ in range(120):
        if proc.poll() is not None: raise SystemExit(f'browser test: jupyter lab exited with {proc.returncode} (log: {log.name})')
        try:
            urllib.request.urlopen(f'http://127.0.0.1:{port}/api/status?token={token}', timeout=2); return proc
        except OSError: time.sleep(1)
    proc.terminate(); raise SystemExit(f'browser test: jupyter lab did not answer on 127.0.0.1:{port} within 120 s (log: {log.name})')

ACTIVE = '.jp-NotebookPanel:not(.lm-mod-hidden)'

def wait_done(page, n_code:int, timeout_s:float):
    "Until every code cell of the visible notebook shows an execution count and none shows `[*]`."
    page.wait_for_function(f"""() => {{
        const ps = [...document.querySelectorAll('{ACTIVE} .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
        return ps.length >= {n_code} && ps.every(t => /\\[\\d+\\]/.test(t));
    }}""", timeout=timeout_s * 1000, polling=1000)

def run_all(page, base:str, name:str, want:str, shots:Path, timeout_s:float) -> dict:
    before = json.loads((ROOT/'nbs'/name).read_text())
    n_code = sum(c['cell_type'] == 'code' for c in before['cells'])
    page.goto(f"{base}/lab/workspaces/ci-{name.replace('.', '-')}/tree/{name}?reset")      # a fresh workspace: no tabs of earlier runs
    page.wait_for_selector(f'{ACTIVE} .jp-Cell', timeout=120_000)
    page.wait_for_function("() => /\\|\\s*Idle/.test(document.querySelector('.jp-StatusBar-Widget, #jp-main-statusbar')?.innerText || '')",
                           timeout=120_000, polling=500)
    page.locator('.lm-MenuBar-itemLabel', has_text='Run').first.click()
    page.locator('li.lm-Menu-item[data-command="runmenu:run-all"]').click()
    if n_code: wait_done(page, n_code, timeout_s)
    time.sleep(1)
    mtime = (ROOT/'nbs'/name).stat().st_mtime
    page.locator(f'{ACTIVE} .jp-Notebook').click(position={'x': 5, 'y': 5}); page.keyboard.press('Escape'); page.keyboard.press('Control+s')
    for _ in range(60):
        if (ROOT/'nbs'/name).stat().st_mtime != mtime: break
        time.sleep(0.5)
    time.sleep(1)
    shot = shots/f"{name.removesuffix('.ipynb')}.png"; page.screenshot(path=str(shot), full_page=False)
    saved = json.loads((ROOT/'nbs'/name).read_text())
    outs = [o for c in saved['cells'] for o in c.get('outputs', [])]
    errors = [o.get('ename', '') + ': ' + o.get('evalue', '') for o in outs if o.get('output_type') == 'error']
    errors += ['TqdmWarning: IProgress not found (ipywidgets missing)' for o in outs if 'IProgress not found' in ''.join(o.get('text', ''))]
    ran = sum(c['cell_type'] == 'code' and c.get('execution_count') is not None for c in saved['cells'])
    if want == 'diagram':                                    # JupyterLab draws a ```mermaid fence as an image (SVG)
        shown = page.evaluate(f"() => [...document.querySelectorAll('{ACTIVE} .jp-RenderedMermaid img')].filter(i => i.naturalWidth > 0).length")
    else: shown = page.evaluate(f"() => [...document.querySelectorAll('{ACTIVE} .jp-RenderedImage img')].filter(i => i.naturalWidth > 0).length")
    return {'notebook': name, 'code_cells': n_code, 'ran': ran, 'errors': errors, 'want': want, 'shown': shown, 'screenshot': str(shot)}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--shots', default=None); ap.add_argument('--chromium', default=shutil.which('chromium') or '/usr/bin/chromium')
    ap.add_argument('--timeout', type=float, default=240, help='seconds per notebook')
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright
    runs = Path(os.environ.get('VTE_NB_RUNS', ROOT/'runs'))
    shots = Path(a.shots or runs/'smoke'/'screenshots'); shots.mkdir(parents=True, exist_ok=True)
    originals = {n: (ROOT/'nbs'/n).read_bytes() for n, _ in NOTEBOOKS}
    port, token = free_port(), secrets.token_hex(16)
    log = open(shots/'jupyterlab.log', 'w')
    lab = start_lab(port, token, log)
    results, t0 = [], time.time()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=a.chromium, args=['--no-sandbox', '--disable-gpu'])
            page = browser.new_page(viewport={'width': 1400, 'height': 1000})
            page.goto(f'http://127.0.0.1:{port}/lab?token={token}')          # sets the auth cookie
            for name, want in NOTEBOOKS:
                r = run_all(page, f'http://127.0.0.1:{port}', name, want, shots, a.timeout); results.append(r)
                print(f"browser test: {name}: {r['ran']}/{r['code_cells']} code cells ran, {len(r['errors'])} errors, "
                      f"{r['shown']} {want}(s) shown; screenshot {r['screenshot']}", flush=True)
            browser.close()
    finally:
        for n, b in originals.items(): (ROOT/'nbs'/n).write_bytes(b)
        lab.terminate(); lab.wait(30); log.close()
    (shots/'browser_test.json').write_text(json.dumps({'seconds': time.time() - t0, 'notebooks': results}, indent=2))
    bad = [f"{r['notebook']}: {len(r['errors'])} errors {r['errors'][:2]}, {r['ran']}/{r['code_cells']} cells ran, {r['shown']} {r['want']}(s) shown"
           for r in results if r['errors'] or r['ran'] < r['code_cells'] or not r['shown']]
    if bad: raise SystemExit('browser test failed:\n' + '\n'.join(bad))
    print(f'browser test passed in {time.time() - t0:.0f} s; screenshots in {shots}')

if __name__ == '__main__': main()
