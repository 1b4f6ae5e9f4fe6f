#!/usr/bin/env python3
"""Writes data/geo/demo-district-2013.geojson: the 16 administrative dongs of Seoul's 중랑구 (code
11070) in 2013, the real neighbourhood shapes the fictional demo district 한빛구 is drawn on
(its 16 dongs take them in order of the census code). Coordinates rounded to 5 decimals (about
1 m). Only this district is copied. Source and licence: data/geo/NOTICE.md.

Usage: scripts/geo-demo-district.py /path/to/seoul-dongs-2013.geojson
"""
import json
import sys

src = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data/geo/seoul-dongs-2013.geojson'
with open(src, encoding='utf-8') as f:
    seoul = json.load(f)


def rnd(c):
    return [round(c[0], 5), round(c[1], 5)]


def ring(r):
    out = []
    for c in r:
        c = rnd(c)
        if not out or out[-1] != c:
            out.append(c)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


features = []
for ft in sorted(seoul['features'], key=lambda x: x['properties']['code']):
    p = ft['properties']
    if not p['code'].startswith('11070'):
        continue
    g = ft['geometry']
    if g['type'] == 'Polygon':
        coords = [ring(r) for r in g['coordinates']]
    else:
        coords = [[ring(r) for r in poly] for poly in g['coordinates']]
    features.append({'type': 'Feature',
                     'properties': {'code': p['code'], 'name': p['name'], 'name_eng': p['name_eng'], 'base_year': p['base_year']},
                     'geometry': {'type': g['type'], 'coordinates': coords}})
assert len(features) == 16, len(features)
out = {'type': 'FeatureCollection',
       'about': 'Seoul 중랑구 (11070), 16 administrative dongs, 2013 census boundaries (KOSTAT via southkorea/seoul-maps, '
                'Apache-2.0; see NOTICE.md). The demo district 한빛구 is fictional and drawn on these shapes.',
       'features': features}
with open('data/geo/demo-district-2013.geojson', 'w', encoding='utf-8') as f:
    json.dump(out, f, ensure_ascii=False, separators=(',', ':'))
    f.write('\n')
print(len(features), 'dongs written')
