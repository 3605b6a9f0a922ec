"""CI: the smoke sweep shared collect + LOVE and finished both cells with their probes and imitation results."""
import json, sys
s = json.load(open(sys.argv[1]))
assert s['shared_stages'] == ['collect', 'love'], s['shared_stages']
status = {c: v['status'] for c, v in s['cells'].items()}
assert status == {'pooling=transformer': 'done', 'pooling=mean': 'done'}, {c: (v['status'], v['error']) for c, v in s['cells'].items()}
assert all('probes' in v['results'] and 'iq' in v['results'] for v in s['cells'].values())
print('sweep ok:', {c: round(v['seconds']) for c, v in s['cells'].items()}, 'total', round(s['seconds']), 's')
