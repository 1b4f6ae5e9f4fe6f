// Staff pages name people and speak Korean (issue 16): GET /api/v1/staff/names names the
// staff accounts a page holds by number (never a resident, never another district's account);
// GET /api/v1/disclosures?status=submitted is the administrator's review queue; a screening CSV's
// row errors carry a code per kind, so the page words them in Korean. Node standard library only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, loginAs, assertProblem } from './_client.mjs';

let server, admin, cw, careTeam, resident, manager;
before(async () => {
  server = await startServer();
  [admin, cw, careTeam, resident, manager] = await Promise.all(
    ['district_admin', 'caseworker', 'care_team', 'resident', 'facility_manager'].map((r) => loginAs(server, r)));
});
after(async () => { if (server) await server.stop(); });

const names = (session, q) => call(server, 'GET', `/api/v1/staff/names${q === undefined ? '' : `?ids=${q}`}`, { session });

test('staff names: colleagues are named, residents and unknown ids are left out', async () => {
  const ids = [server.account('caregiver').account_id, server.account('district_admin').account_id,
    server.account('resident').account_id, 999999];
  const r = await names(cw, ids.join(','));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const got = new Map(r.json.items.map((x) => [x.account_id, x.name]));
  assert.equal(got.get(server.account('caregiver').account_id), server.account('caregiver').name);
  assert.equal(got.get(server.account('district_admin').account_id), server.account('district_admin').name);
  assert.equal(got.has(server.account('resident').account_id), false, 'a resident is never named here');
  assert.equal(got.has(999999), false);
  assert.deepEqual(Object.keys(r.json.items[0]).sort(), ['account_id', 'name'], 'names only, no contact details');
  // A care-team member (reads the dong's check-ins) may ask too.
  const ct = await names(careTeam, String(server.account('caseworker').account_id));
  assert.equal(ct.status, 200, ct.text);
  assert.equal(ct.json.items[0].name, server.account('caseworker').name);
});

test('staff names: bad input is named; residents, facility managers and visitors learn nothing', async () => {
  assert.equal(assertProblem(await names(cw), 422).errors[0].field, 'ids');
  assert.equal(assertProblem(await names(cw, '1,x'), 422).errors[0].code, 'not_an_integer');
  assert.equal(assertProblem(await names(cw, '1,,2'), 422).errors[0].code, 'not_an_integer');
  assert.equal(assertProblem(await names(cw, Array.from({ length: 201 }, (_, i) => i + 1).join(',')), 422).errors[0].code, 'too_many');
  assertProblem(await names(resident, '1'), 403);
  assertProblem(await names(manager, '1'), 403);
  assertProblem(await names(undefined, '1'), 401);
});

test('disclosure review queue: the administrator lists what waits, longest first; others may not', async () => {
  const q = await call(server, 'GET', '/api/v1/disclosures?status=submitted', { session: admin });
  assert.equal(q.status, 200, q.text);
  assert.ok(q.json.items.length >= 1, `the demo's submitted budget waits: ${q.text.slice(0, 300)}`);
  for (const d of q.json.items) {
    assert.equal(d.status, 'submitted');
    assert.ok(d.facility?.name && d.facility?.id, JSON.stringify(d));
    assert.ok(d.submitted_at, 'when it was submitted');
    assert.equal(typeof d.own_submission, 'boolean');
  }
  const times = q.json.items.map((d) => d.submitted_at);
  assert.deepEqual(times, [...times].sort(), 'longest waiting first');
  // Without ?status the queue is the same; another status is refused by name.
  assert.equal((await call(server, 'GET', '/api/v1/disclosures', { session: admin })).json.items.length, q.json.items.length);
  assert.equal(assertProblem(await call(server, 'GET', '/api/v1/disclosures?status=draft', { session: admin }), 422).errors[0].field, 'status');

  // Approved, it leaves the queue.
  const first = q.json.items[0];
  const ok = await call(server, 'POST', `/api/v1/facilities/${first.facility.id}/disclosures/${first.id}/approve`, { session: admin });
  assert.equal(ok.status, 200, ok.text);
  const after = await call(server, 'GET', '/api/v1/disclosures?status=submitted', { session: admin });
  assert.equal(after.json.items.some((d) => d.id === first.id), false);

  assertProblem(await call(server, 'GET', '/api/v1/disclosures', { session: manager }), 403);
  assertProblem(await call(server, 'GET', '/api/v1/disclosures', { session: resident }), 403);
  assertProblem(await call(server, 'GET', '/api/v1/disclosures'), 401);
});

test('screening CSV errors carry a code per kind of mistake (the page words them in Korean)', async () => {
  const csv = 'household_key,dong,indicator,value,period\n'
    + 'H1,nowhere,electricity_cutoff,1,2026-01\n'
    + 'H2,' + 'x'.repeat(3) + ',electricity_cutof,1,2026-01\n'
    + 'H3,nowhere,electricity_cutoff,-5,2026-1\n';
  const p = assertProblem(await call(server, 'POST', '/api/v1/screening/indicators', { session: admin, body: csv, headers: { 'Content-Type': 'text/csv' } }), 422);
  const by = new Map(p.errors.map((e) => [e.field, e]));
  assert.equal(by.get('line 2.dong').code, 'unknown_dong');
  assert.match(by.get('line 2.dong').message, /: nowhere$/, 'the offending text ends the message');
  assert.equal(by.get('line 3.indicator').code, 'unknown_indicator');
  assert.match(by.get('line 3.indicator').message, /: electricity_cutof$/);
  assert.equal(by.get('line 4.value').code, 'bad_value');
  assert.equal(by.get('line 4.period').code, 'bad_period');
  const header = assertProblem(await call(server, 'POST', '/api/v1/screening/indicators', { session: admin, body: 'a,b\n', headers: { 'Content-Type': 'text/csv' } }), 422);
  assert.equal(header.errors[0].code, 'bad_header');
  assert.ok(p.errors.every((e) => e.code !== 'invalid_row'), JSON.stringify(p.errors));
});
