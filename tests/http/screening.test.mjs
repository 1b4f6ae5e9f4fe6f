// Risk screening over HTTP: institutions' indicator files (every bad row reported, nothing
// imported from a bad file, the same file twice changes nothing), a screening round ranked per dong
// with each score's reasons, dong-scoped access, outcomes, precision and recalibration.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

let server, admin, caseworker, dongs;
before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  caseworker = await loginAs(server, 'caseworker');
  dongs = (await call(server, 'GET', '/api/v1/districts')).json[0].dongs;
});
after(async () => { if (server) await server.stop(); });

const upload = (csv, session = admin) => call(server, 'POST', '/api/v1/screening/indicators', {
  session, body: csv, headers: { 'Content-Type': 'text/csv' } });
const month = (() => { const d = new Date(Date.now() + 9 * 3600e3); return d.toISOString().slice(0, 7); })();
const HEADER = 'household_key,dong,indicator,value,period\n';

test('the indicator list has about 40 crisis-information types with default weights', async () => {
  const r = await call(server, 'GET', '/api/v1/screening/indicators');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.length >= 40);
  assert.ok(r.json.items.find((i) => i.code === 'electricity_cutoff' && i.label_ko === '단전'));
});

test('a file with bad rows is refused whole, each row named; CP949 is recognized', async () => {
  const csv = HEADER + [
    `A1,${dongs[0].code},electricity_cutoff,1,${month}`,
    `A2,${dongs[0].code},no_such_indicator,1,${month}`,
    `A3,nowhere,gas_cutoff,1,${month}`,
    `A4,${dongs[1].code},gas_cutoff,-5,2026-13`,
    `A1,${dongs[0].code},electricity_cutoff,2,${month}`,
  ].join('\n');
  const p = assertProblem(await upload(csv), 422);
  const fields = errorFields(p);
  for (const f of ['line 3.indicator', 'line 4.dong', 'line 5.value', 'line 5.period', 'line 6']) assert.ok(fields.includes(f), `${f} in ${fields}`);
  const cp949 = Buffer.concat([Buffer.from(HEADER), Buffer.from([0xB4, 0xDC, 0xC0, 0xFC]), Buffer.from(`,${dongs[0].code},gas_cutoff,1,${month}\n`)]);
  const p2 = assertProblem(await call(server, 'POST', '/api/v1/screening/indicators', { session: admin, body: cp949, headers: { 'Content-Type': 'text/csv' } }), 422);
  assert.match(JSON.stringify(p2.errors), /CP949/);
  assertProblem(await upload('name,address\nx,y\n'), 422);
  // Nothing from the refused files is there.
  const round = await call(server, 'POST', '/api/v1/screening/rounds', { session: admin, body: {} });
  assert.equal(round.status, 201, round.text);
  assert.equal(round.json.households, 0);
});

test('only district officials upload and run rounds', async () => {
  const csv = HEADER + `Z1,${dongs[0].code},gas_cutoff,1,${month}\n`;
  assertProblem(await upload(csv, { cookie: '' }), 401);
  assertProblem(await upload(csv, await loginAs(server, 'resident')), 403);
  assertProblem(await upload(csv, await loginAs(server, 'gatekeeper')), 403);
  assertProblem(await upload(csv, caseworker), 403);  // a dong caseworker: the file is district-wide
  assertProblem(await call(server, 'POST', '/api/v1/screening/rounds', { session: caseworker, body: {} }), 403);
});

test('a round ranks households per dong with reasons; dong scope, outcomes, precision, recalibration', async () => {
  const rows = [];
  // In the caseworker's dong: H1 has three signals, H2 one. In another dong: H3 two.
  for (const ind of ['electricity_cutoff', 'health_insurance_arrears', 'public_rental_arrears']) rows.push(`H1,${dongs[0].code},${ind},1,${month}`);
  rows.push(`H2,${dongs[0].code},electricity_cutoff,1,${month}`);
  rows.push(`H3,${dongs[1].code},gas_cutoff,1,${month}`, `H3,${dongs[1].code},job_loss,1,${month}`);
  // Training population: 30 more households with one or two signals each.
  for (let i = 0; i < 30; i++) {
    rows.push(`T${i},${dongs[0].code},${i % 2 ? 'telecom_arrears' : 'water_cutoff'},1,${month}`);
    if (i % 3 === 0) rows.push(`T${i},${dongs[0].code},single_elderly,1,${month}`);
  }
  const up = await upload(HEADER + rows.join('\n') + '\n');
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.households, 33);
  const again = await upload(HEADER + rows.join('\n') + '\n');
  assert.equal(again.json.rows, up.json.rows, 're-import accepted');
  const round = await call(server, 'POST', '/api/v1/screening/rounds', { session: admin, body: { min_score: 0, per_dong: 50 } });
  assert.equal(round.status, 201, round.text);
  assert.equal(round.json.households, 33, 'idempotent: the second import added nothing');
  const full = (await call(server, 'GET', `/api/v1/screening/rounds/${round.json.id}`, { session: admin })).json;
  const mine = full.items.filter((x) => x.dong_id === dongs[0].id);
  assert.equal(mine[0].rank, 1);
  assert.deepEqual(mine[0].why.map((w) => w.indicator).sort(), ['electricity_cutoff', 'health_insurance_arrears', 'public_rental_arrears']);
  assert.ok(mine[0].score > mine[mine.length - 1].score);
  assert.ok(full.items.some((x) => x.dong_id === dongs[1].id));
  // The dong caseworker sees only their dong, and no household keys in the list.
  const cw = (await call(server, 'GET', `/api/v1/screening/rounds/${round.json.id}`, { session: caseworker })).json;
  assert.ok(cw.items.length > 0 && cw.items.every((x) => x.dong_id === dongs[0].id));
  assert.ok(!JSON.stringify(cw).includes('"H1"'));
  const other = full.items.find((x) => x.dong_id === dongs[1].id);
  assertProblem(await call(server, 'GET', `/api/v1/screening/items/${other.id}`, { session: caseworker }), 403);
  const one = await call(server, 'GET', `/api/v1/screening/items/${mine[0].id}`, { session: caseworker, headers: { 'X-Access-Reason': 'screening visit' } });
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.household_key, 'H1');
  assertProblem(await call(server, 'GET', `/api/v1/screening/rounds/${round.json.id}`, { session: await loginAs(server, 'gatekeeper') }), 403);
  // Outcomes: bad code named; the caseworker records for their dong only.
  const bad = assertProblem(await call(server, 'PUT', `/api/v1/screening/items/${mine[0].id}/outcome`, { session: caseworker, body: { outcome: 'maybe' } }), 422);
  assert.deepEqual(errorFields(bad), ['outcome']);
  assertProblem(await call(server, 'PUT', `/api/v1/screening/items/${other.id}/outcome`, { session: caseworker, body: { outcome: 'refused' } }), 403);
  // Recalibration needs enough outcomes.
  assertProblem(await call(server, 'POST', '/api/v1/screening/model/recalibrate', { session: admin }), 422);
  let n = 0;
  for (const it of mine) {
    const outcome = it.why.some((w) => w.indicator === 'water_cutoff' || w.indicator === 'electricity_cutoff') ? 'supported_public' : 'not_in_need';
    const r = await call(server, 'PUT', `/api/v1/screening/items/${it.id}/outcome`, { session: caseworker, body: { outcome } });
    assert.equal(r.status, 200, r.text);
    n++;
  }
  const report = (await call(server, 'GET', `/api/v1/screening/rounds/${round.json.id}?dong=${dongs[0].id}`, { session: admin })).json.report;
  assert.equal(report.decided, n);
  assert.ok(report.precision > 0 && report.precision < 1, JSON.stringify(report));
  const cal = await call(server, 'POST', '/api/v1/screening/model/recalibrate', { session: admin });
  assert.equal(cal.status, 200, cal.text);
  assert.equal(cal.json.version, 1);
  assert.ok(cal.json.weights.water_cutoff.after > cal.json.weights.water_cutoff.before, 'supported signals gain weight');
  assert.ok(cal.json.weights.telecom_arrears.after < cal.json.weights.telecom_arrears.before, 'signals of households not in need lose weight');
});
