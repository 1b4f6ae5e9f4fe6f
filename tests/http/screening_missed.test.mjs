// What the data alone missed: officials link a reported household to the institutions' household
// key (PUT /api/v1/outreach/households/{id}/household_key, kept only as a keyed hash); a screening
// round then reports, of the households people reported in its period, how many were linked, how
// many the round listed, and the share it missed — overall and per dong, within the caller's dongs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

let server, admin, caseworker, resident, myDong, dongs, otherDong;
const stamp = String(Date.now() % 1000000).padStart(6, '0');
const month = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 7);
const linkKey = (session, id, body) => call(server, 'PUT', `/api/v1/outreach/households/${id}/household_key`, { session, body });

async function reported(dong, n) {
  const r = await call(server, 'POST', '/api/v1/outreach/intake', {
    session: admin, body: { channel: 'hotline', dong_id: dong, address: `누락로 ${stamp}-${n}`, concern: `전화 제보 ${n}`, urgency: 'high' } });
  assert.equal(r.status, 201, r.text);
  return r.json.household_id;
}

before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  caseworker = await loginAs(server, 'caseworker');
  resident = await loginAs(server, 'resident');
  myDong = caseworker.demo.scope_id;
  dongs = (await call(server, 'GET', '/api/v1/districts')).json[0].dongs;
  otherDong = dongs.find((d) => d.id !== myDong);
});
after(async () => { if (server) await server.stop(); });

test('a round reports the share of reported households the data alone missed', async () => {
  const code = dongs.find((d) => d.id === myDong).code;
  // The institutions' file knows households K1 (three signals) and K2 (one).
  const csv = 'household_key,dong,indicator,value,period\n' + [
    `K1-${stamp},${code},electricity_cutoff,1,${month}`, `K1-${stamp},${code},gas_cutoff,1,${month}`,
    `K1-${stamp},${code},public_rental_arrears,1,${month}`, `K2-${stamp},${code},telecom_arrears,1,${month}`,
  ].join('\n') + '\n';
  const up = await call(server, 'POST', '/api/v1/screening/indicators', { session: admin, body: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(up.status, 200, up.text);

  // People reported four households in the caseworker's dong and one elsewhere.
  const a = await reported(myDong, 1);  // is K1: the data found it too
  const b = await reported(myDong, 2);  // has a key the data never saw: missed
  const c = await reported(myDong, 3);  // is K2, but K2 scores below the round's cut: missed
  await reported(myDong, 4);            // nobody linked a key: not counted either way
  const e = await reported(otherDong.id, 5);
  for (const [id, key] of [[a, `K1-${stamp}`], [b, `NOPE-${stamp}`], [c, `K2-${stamp}`], [e, `K1-${stamp}x`]]) {
    const r = await linkKey(admin, id, { household_key: key });
    assert.equal(r.status, 200, r.text);
  }
  // The caseworker links in their own dong too (same key again: still one household).
  assert.equal((await linkKey(caseworker, a, { household_key: `K1-${stamp}` })).status, 200);

  // The cut keeps K1 (three signals) and drops K2 (one).
  const round = await call(server, 'POST', '/api/v1/screening/rounds', { session: admin, body: { min_score: 0.5, per_dong: 50 } });
  assert.equal(round.status, 201, round.text);
  const mine = await call(server, 'GET', `/api/v1/screening/rounds/${round.json.id}`, { session: caseworker });
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.items.length, 1, `only K1 is listed: ${mine.text}`);
  assert.deepEqual(mine.json.report.reported, { reported: 4, linked: 3, found_by_data: 1, missed_by_data: 2, missed_share: 2 / 3 });
  assert.deepEqual(mine.json.by_dong[String(myDong)].reported, mine.json.report.reported);
  assert.equal(mine.json.by_dong[String(otherDong.id)], undefined, 'the caseworker sees their dong only');

  const all = await call(server, 'GET', `/api/v1/screening/rounds/${round.json.id}`, { session: admin });
  assert.deepEqual(all.json.report.reported, { reported: 5, linked: 4, found_by_data: 1, missed_by_data: 3, missed_share: 3 / 4 });
  assert.equal(all.json.by_dong[String(otherDong.id)].reported.missed_by_data, 1);

  // The timeline says a key was linked, never which.
  const opened = await call(server, 'GET', `/api/v1/outreach/households/${a}`, { session: caseworker, headers: { 'X-Access-Reason': 'screening check' } });
  assert.equal(opened.status, 200, opened.text);
  assert.ok(opened.json.timeline.some((x) => x.kind === 'key_linked'), opened.text);
  assert.ok(!opened.text.includes(`K1-${stamp}`), 'the key itself is not shown');
});

test('linking a household key: bad bodies and the wrong people are refused', async () => {
  const h = await reported(myDong, 9);
  const bad = assertProblem(await linkKey(admin, h, { household_key: 'x'.repeat(65), extra: 1 }), 422);
  assert.deepEqual(errorFields(bad).sort(), ['extra', 'household_key']);
  assertProblem(await linkKey(admin, h, {}), 422);
  assertProblem(await linkKey(admin, h, { household_key: 'a\u0007b' }), 422);
  assertProblem(await linkKey(resident, h, { household_key: 'K' }), 403);
  assertProblem(await linkKey(await loginAs(server, 'gatekeeper'), h, { household_key: 'K' }), 403);
  assertProblem(await call(server, 'PUT', `/api/v1/outreach/households/${h}/household_key`, { body: { household_key: 'K' } }), 401);
  const elsewhere = await reported(otherDong.id, 10);
  assertProblem(await linkKey(caseworker, elsewhere, { household_key: 'K' }), 403);
});
