// The welfare status map and statistics API (docs/api.md "Welfare status map and statistics",
// issue 3) against a real server with the demo district: dong boundaries as GeoJSON, indicators,
// values per dong with quantile class breaks, series by year, and the officials' CSV upload —
// all or nothing, every bad line reported, CP949 refused, authorization and body limits.
// Node standard library only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

let server;
let admin;
let resident;
let caseworker;

const enc = encodeURIComponent;
const get = async (p, what = p) => {
  const r = await call(server, 'GET', p);
  assert.equal(r.status, 200, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
};
const upload = (session, csv, headers = { 'Content-Type': 'text/csv; charset=utf-8' }) =>
  call(server, 'POST', '/api/v1/statistics/upload', { session, body: csv, headers });
const stats = (indicator, year) => get(`/api/v1/statistics?indicator=${indicator}${year ? `&year=${year}` : ''}`);

before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  resident = await loginAs(server, 'resident');
  caseworker = await loginAs(server, 'caseworker');
});
after(async () => { if (server) await server.stop(); });

// --- map -----------------------------------------------------------------------------------------

test('the map serves the demo district as a GeoJSON FeatureCollection of dong polygons', async () => {
  const r = await call(server, 'GET', '/api/v1/map/dongs');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/geo\+json/);
  const fc = r.json;
  assert.equal(fc.type, 'FeatureCollection');
  assert.equal(fc.features.length, 16, 'one feature per demo dong');
  const ids = new Set();
  for (const f of fc.features) {
    assert.equal(f.type, 'Feature');
    assert.equal(typeof f.properties.dong_id, 'number');
    assert.match(f.properties.name_ko, /동$/);
    assert.match(f.properties.name_en, /-dong$/);
    ids.add(f.properties.dong_id);
    assert.ok(['Polygon', 'MultiPolygon'].includes(f.geometry.type));
    const ring = f.geometry.coordinates[0];
    assert.ok(ring.length >= 4);
    assert.deepEqual(ring[0], ring[ring.length - 1], 'rings are closed');
    for (const [lon, lat] of ring) assert.ok(lon > 126 && lon < 128 && lat > 37 && lat < 38.5, `${lon},${lat} in Korea`);
  }
  assert.equal(ids.size, 16, 'no dong twice');
  assertProblem(await call(server, 'GET', '/api/v1/map/dongs?district_id=999999'), 404, 'unknown district');
});

test('replacing boundaries checks every feature and changes nothing on error', async () => {
  const before = (await call(server, 'GET', '/api/v1/map/dongs')).json;
  const [a, b, c, d] = before.features;
  const bad = {
    type: 'FeatureCollection',
    features: [
      a,
      { ...b, properties: { name: '없는동' } },
      { ...c, geometry: { type: 'Polygon', coordinates: [c.geometry.coordinates[0].slice(0, -1)] } },
      { ...d, geometry: { type: 'LineString', coordinates: [[127, 37], [127.1, 37.1]] } },
      { ...a, properties: { dong_id: a.properties.dong_id } },
    ],
  };
  const put = (session, body, what) => call(server, 'PUT', '/api/v1/map/dongs', { session, body, headers: { 'Content-Type': 'application/geo+json' } });
  const p = assertProblem(await put(admin, JSON.stringify(bad)), 422, 'bad GeoJSON');
  assert.deepEqual(errorFields(p), ['features[1].properties', 'features[2].geometry.coordinates[0]',
    'features[3].geometry.type', 'features[4].properties']);
  assert.deepEqual((await call(server, 'GET', '/api/v1/map/dongs')).json, before, 'map unchanged');

  assertProblem(await put(resident, JSON.stringify(before)), 403, 'resident');
  assertProblem(await call(server, 'PUT', '/api/v1/map/dongs', { body: before }), 401, 'anonymous');

  // Features named by code and Korean name instead of dong_id are accepted; the same map again.
  const byName = { type: 'FeatureCollection', features: before.features.map((f, i) => ({
    type: 'Feature',
    properties: i % 2 ? { code: f.properties.code } : { name: f.properties.name_ko },
    geometry: f.geometry,
  })) };
  const ok = await put(admin, JSON.stringify(byName));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.dongs, 16);
  assert.deepEqual((await call(server, 'GET', '/api/v1/map/dongs')).json, before, 'same map after re-import');
});

// --- statistics ----------------------------------------------------------------------------------

test('indicators list the demo years', async () => {
  const { items } = await get('/api/v1/statistics/indicators');
  const codes = items.map((i) => i.code);
  for (const c of ['aged_65_share', 'single_household_share', 'livelihood_recipients', 'registered_disabled', 'single_parent_households'])
    assert.ok(codes.includes(c), `indicator ${c}`);
  const aged = items.find((i) => i.code === 'aged_65_share');
  assert.equal(aged.unit, '%');
  assert.equal(aged.name_ko, '65세 이상 인구 비율');
  assert.deepEqual(aged.years, [2022, 2023, 2024, 2025]);
});

test('statistics give every dong a value and a quantile class, the district total and the source', async () => {
  const s = await stats('aged_65_share');
  assert.equal(s.year, 2025, 'latest year by default');
  assert.deepEqual(s.years, [2022, 2023, 2024, 2025]);
  assert.equal(s.unit, '%');
  assert.equal(s.dongs.length, 16);
  assert.equal(s.breaks.method, 'quantile');
  assert.equal(s.breaks.classes, 5);
  assert.equal(s.breaks.breaks.length, 6);
  const sorted = [...s.breaks.breaks].sort((x, y) => x - y);
  assert.deepEqual(s.breaks.breaks, sorted, 'edges ascend');
  const perClass = [0, 0, 0, 0, 0];
  for (const d of s.dongs) {
    assert.equal(typeof d.value, 'number', `${d.name_ko} has a value`);
    assert.ok(d.value > 5 && d.value < 45, `${d.name_ko}: plausible share ${d.value}`);
    const k = d.class;
    assert.ok(d.value >= s.breaks.breaks[k] && d.value <= s.breaks.breaks[k + 1], `${d.name_ko} ${d.value} in class ${k}`);
    perClass[k] += 1;
  }
  assert.ok(perClass.every((n) => n >= 3), `roughly equal classes: ${perClass}`);
  assert.equal(typeof s.district.value, 'number');
  assert.equal(s.district.computed, false, 'the demo uploads a whole-district row');
  assert.match(s.district.source, /행정안전부 주민등록인구통계/);
  assert.match(s.source, /데모/, 'labelled as demo numbers');

  // Counts: a past year; the district figure is the uploaded 전체 row.
  const r = await stats('livelihood_recipients', 2023);
  assert.equal(r.year, 2023);
  assert.equal(r.unit, '명');
  const sum = r.dongs.reduce((a, d) => a + d.value, 0);
  assert.equal(r.district.value, sum, 'the demo district total adds up its dongs');

  const p = assertProblem(await call(server, 'GET', '/api/v1/statistics?indicator=nope&year=20x4'), 422, 'bad query');
  assert.deepEqual(errorFields(p).sort(), ['indicator', 'year']);
  assertProblem(await call(server, 'GET', '/api/v1/statistics'), 422, 'no indicator');
});

test('a series gives one dong (or the district) by year for a chart', async () => {
  const s = await get(`/api/v1/statistics/series?indicator=single_household_share&dong=${enc('은행동')}`);
  assert.equal(s.dong.name_ko, '은행동');
  assert.deepEqual(s.items.map((i) => i.year), [2022, 2023, 2024, 2025]);
  const byCode = await get(`/api/v1/statistics/series?indicator=single_household_share&dong=${s.dong.code}`);
  assert.deepEqual(byCode.items, s.items);
  const district = await get('/api/v1/statistics/series?indicator=single_household_share');
  assert.equal(district.dong, null);
  assert.equal(district.items.length, 4);
  assertProblem(await call(server, 'GET', `/api/v1/statistics/series?indicator=aged_65_share&dong=${enc('없는동')}`), 422);
});

// --- upload --------------------------------------------------------------------------------------

test('an official uploads CSV; the same rows again change nothing; a new value replaces the old', async () => {
  const csv = '\uFEFFindicator,dong,year,value,source\r\n' +
    'aged_65_share,은행동,2026,25.5,구 자체 집계(테스트)\r\n' +
    'aged_65_share,neuti,2026,19.25,구 자체 집계(테스트)\r\n' +
    'aged_65_share,전체,2026,22.0,구 자체 집계(테스트)\r\n';
  const r = await upload(admin, csv);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual({ rows: r.json.rows, inserted: r.json.inserted, replaced: r.json.replaced }, { rows: 3, inserted: 3, replaced: 0 });
  assert.deepEqual(r.json.years, [2026]);
  const s = await stats('aged_65_share', 2026);
  assert.equal(s.dongs.find((d) => d.name_ko === '은행동').value, 25.5);
  assert.equal(s.dongs.find((d) => d.code === 'neuti').value, 19.25);
  assert.equal(s.dongs.filter((d) => d.value === null).length, 14, 'dongs without a value are listed with null');
  assert.equal(s.district.value, 22);
  assert.equal(s.breaks.classes, 2);

  const again = await upload(admin, csv);
  assert.equal(again.status, 200);
  assert.deepEqual([again.json.inserted, again.json.replaced, again.json.unchanged], [0, 0, 3], 'idempotent');
  const changed = await upload(admin, csv.replace('25.5', '26.5'));
  assert.deepEqual([changed.json.inserted, changed.json.replaced, changed.json.unchanged], [0, 1, 2]);
  assert.equal((await stats('aged_65_share', 2026)).dongs.find((d) => d.name_ko === '은행동').value, 26.5);
});

test('a file with bad rows is refused whole, with every bad line and field listed', async () => {
  const before = await stats('registered_disabled', 2025);
  const csv = [
    'indicator,dong,year,value',
    'registered_disabled,은행동,2025,999999', // fine, but must not be stored
    'no_such_indicator,은행동,2025,1',
    'registered_disabled,없는동,2025,1',
    'registered_disabled,느티동,1989,1',
    'registered_disabled,솔내동,2025,많음',
    'registered_disabled,eunhaeng,2025,5', // same dong and year as line 2
    'registered_disabled,버들동,2025',
    'registered_disabled,매화동,2030,7', // fine, must not be stored either
  ].join('\n');
  const p = assertProblem(await upload(admin, csv), 422, 'bad rows');
  assert.deepEqual(errorFields(p), ['line 3: indicator', 'line 4: dong', 'line 5: year', 'line 6: value', 'line 7: dong', 'line 8']);
  assert.deepEqual(p.errors.map((e) => e.code), ['unknown_indicator', 'unknown_dong', 'out_of_range', 'not_a_number', 'duplicate_row', 'wrong_field_count']);
  assert.match(p.detail, /nothing was imported/);
  assert.deepEqual(await stats('registered_disabled', 2025), before, 'nothing changed');
  const y2030 = await stats('registered_disabled', 2030);
  assert.ok(y2030.dongs.every((d) => d.value === null), 'the good rows of a bad file were not stored');

  const header = assertProblem(await upload(admin, 'indicator,dong,value\nx,y,1\n'), 422, 'missing column');
  assert.deepEqual(errorFields(header), ['line 1: year']);
});

test('CP949 (EUC-KR) bytes are refused with a clear message and nothing is stored', async () => {
  // "aged_65_share,은행동,2027,30" with 은행동 in CP949.
  const body = Buffer.concat([
    Buffer.from('indicator,dong,year,value\naged_65_share,'),
    Buffer.from([0xc0, 0xba, 0xc7, 0xe0, 0xb5, 0xbf]),
    Buffer.from(',2027,30\n'),
  ]);
  const p = assertProblem(await upload(admin, body), 422, 'cp949');
  assert.equal(p.errors[0].code, 'cp949_encoding');
  assert.match(p.errors[0].message, /UTF-8/);
  assert.ok((await stats('aged_65_share', 2027)).dongs.every((d) => d.value === null));
});

test('who may upload: 401 anonymous, 403 resident, a dong caseworker only for their dong', async () => {
  const csv = 'indicator,dong,year,value\nlivelihood_recipients,은행동,2028,100\n';
  assertProblem(await call(server, 'POST', '/api/v1/statistics/upload', { body: csv, headers: { 'Content-Type': 'text/csv' } }), 401, 'anonymous');
  assertProblem(await upload(resident, csv), 403, 'resident');
  // The demo caseworker's grant is scoped to the first dong (은행동).
  const own = await upload(caseworker, csv);
  assert.equal(own.status, 200, own.text);
  assertProblem(await upload(caseworker, 'indicator,dong,year,value\nlivelihood_recipients,느티동,2028,100\n'), 403, 'other dong');
  assertProblem(await upload(caseworker, 'indicator,dong,year,value\nlivelihood_recipients,전체,2028,100\n'), 403, 'whole district');
  assertProblem(await upload(admin, csv, { 'Content-Type': 'application/json' }), 415, 'not text/csv');
});

test('a body over the server limit gets 413 and the server keeps serving', async () => {
  const big = 'indicator,dong,year,value\n' + 'aged_65_share,은행동,2029,1\n'.repeat(50000); // ≈ 1.5 MB
  assert.ok(Buffer.byteLength(big) > 1024 * 1024);
  let r;
  try {
    r = await upload(admin, big);
  } catch (e) {
    assert.fail(`no response to an oversized upload: ${e.cause?.code || e.message}`);
  }
  assertProblem(r, 413, 'oversized upload');
  await get('/api/v1/statistics/indicators');
});
