// Published statistics (issue 11, item 9), against a real server: the public survey report is a
// snapshot an official published, never a live count; small cells and their complements are
// suppressed so no count can be recovered by subtraction from the totals; and comparing two
// snapshots taken one interview apart reveals nothing. Node standard library only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

const SURVEY = 'living_conditions_50plus';
const MEASURES = ['surveyed', 'newly_discovered', 'supported'];
let server, careteam, cw, admin, resident, myDong, otherDong, thirdDong;
before(async () => {
  server = await startServer();
  careteam = await loginAs(server, 'care_team');
  cw = await loginAs(server, 'caseworker');
  admin = await loginAs(server, 'district_admin');
  resident = await loginAs(server, 'resident');
  myDong = cw.demo.scope_id;
  const others = (await call(server, 'GET', '/api/v1/districts')).json[0].dongs.filter((d) => d.id !== myDong);
  [otherDong, thirdDong] = [others[0].id, others[1].id];
});
after(async () => { if (server) await server.stop(); });

const fine = { meals: 'three', health: 'good', chronic_untreated: false, contact_frequency: 'weekly', emergency_contact: true, heating: true, mood: 'no', wants_help: false };
const low = { ...fine, mood: 'most_days' };
let n = 0;
async function interview(session, answers, dong = myDong) {
  n += 1;
  const r = await call(server, 'POST', `/api/v1/surveys/${SURVEY}/responses`, {
    session, body: { dong_id: dong, respondent: { name: `응답자${n}`, address: `은행로 ${n}`, birth_year: 1960 }, answers } });
  assert.equal(r.status, 201, r.text);
}
const publish = (session = admin, body = {}) => call(server, 'POST', `/api/v1/surveys/${SURVEY}/report/snapshots`, { session, body });
const publicReport = (q = '') => call(server, 'GET', `/api/v1/surveys/${SURVEY}/report${q}`);

// What an outsider does with one snapshot: total minus the visible cells. It recovers a hidden
// cell exactly when it is the only hidden part of a shown total.
function subtractionAttack(rep) {
  const recovered = [];
  for (const m of MEASURES) {
    if (rep[m] === null) continue;
    const hidden = rep.by_dong.filter((d) => d[m] === null);
    if (hidden.length === 1) recovered.push(`${m} of dong ${hidden[0].dong_id} = ${rep[m] - rep.by_dong.reduce((s, d) => s + (d[m] ?? 0), 0)}`);
  }
  return recovered;
}
// Every count two snapshots both show, by name.
function cells(rep) {
  const out = {};
  for (const m of MEASURES) out[`total.${m}`] = rep[m];
  for (const d of rep.by_dong) for (const m of MEASURES) out[`dong.${d.dong_id}.${m}`] = d[m];
  for (const [f, v] of Object.entries(rep.by_flag)) out[`flag.${f}`] = v;
  return out;
}
function differencingAttack(a, b) {
  const ca = cells(a); const cb = cells(b); const found = [];
  for (const k of Object.keys(cb)) {
    if (ca[k] == null || cb[k] == null) continue;
    const d = Math.abs(cb[k] - ca[k]);
    if (d >= 1 && d <= 4) found.push(`${k}: ${ca[k]} → ${cb[k]}`);
  }
  // The hidden dong cells of a shown total, taken together, against the same cells before.
  for (const m of MEASURES) {
    if (a[m] == null || b[m] == null) continue;
    const hidden = b.by_dong.filter((d) => d[m] === null).map((d) => d.dong_id);
    if (!hidden.length) continue;
    const before = hidden.map((id) => a.by_dong.find((d) => d.dong_id === id)?.[m]);
    if (before.some((v) => v == null)) continue;
    const sumB = b[m] - b.by_dong.reduce((s, d) => s + (d[m] ?? 0), 0);
    const d = Math.abs(sumB - before.reduce((s, v) => s + v, 0));
    if (d >= 1 && d <= 4) found.push(`hidden ${m} of dongs ${hidden}: changed by ${d}`);
  }
  return found;
}
function noSmallCell(rep) {
  for (const [k, v] of Object.entries(cells(rep))) assert.ok(v === null || v === 0 || v >= 5, `${k} = ${v} is published`);
}

let first;
test('the public report is a snapshot an official published, not a live count', async () => {
  assertProblem(await publicReport(), 404, 'nothing published yet');
  for (let i = 0; i < 7; i++) await interview(careteam, low);
  for (let i = 0; i < 5; i++) await interview(admin, fine, otherDong);
  await interview(admin, fine, thirdDong);
  const p = await publish();
  assert.equal(p.status, 201, p.text);
  assert.ok(p.json.snapshot_id && p.json.published_at, p.text);
  first = p.json;
  const r = await publicReport();
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.snapshot_id, first.snapshot_id);
  assert.equal(r.json.published_at, first.published_at, 'the public view carries the snapshot date');
  assert.equal(r.json.by_flag.mental_health, 7);
  // One more interview: the public report does not move (it moved 6 → 7 when it was live).
  await interview(careteam, low);
  const again = await publicReport();
  assert.deepEqual(again.json, r.json);
});

test('small cells and their complements are hidden: subtraction from the totals recovers nothing', async () => {
  noSmallCell(first);
  const third = first.by_dong.find((d) => d.dong_id === thirdDong);
  assert.deepEqual([third.surveyed, third.newly_discovered, third.supported], [null, null, null], 'one respondent: the whole dong is hidden');
  assert.equal(first.surveyed, 13, 'the total is shown');
  assert.equal(first.by_dong.find((d) => d.dong_id === otherDong).surveyed, null, 'its complement is hidden too');
  assert.deepEqual(subtractionAttack(first), [], 'total minus the visible cells recovers a hidden one');
});

test('comparing snapshots one interview apart reveals nothing', async () => {
  // Published right after one more interview (the same day): every changed small difference is hidden.
  const p = await publish();
  assert.equal(p.status, 201, p.text);
  const second = p.json;
  noSmallCell(second);
  assert.deepEqual(subtractionAttack(second), []);
  assert.deepEqual(differencingAttack(first, second), [], 'a cell that changed by 1 to 4 is shown in both');
  assert.equal(second.by_flag.mental_health, null, '7 → 8 would name the new interview\'s flag');
  // Enough new interviews for a difference that names nobody: shown again.
  for (let i = 0; i < 5; i++) await interview(careteam, low);
  const third = (await publish()).json;
  noSmallCell(third);
  assert.deepEqual(subtractionAttack(third), []);
  for (const [a, b] of [[first, second], [first, third], [second, third]]) assert.deepEqual(differencingAttack(a, b), []);
  assert.equal(third.by_flag.mental_health, 13);
  // Every snapshot stays available as published.
  const list = await call(server, 'GET', `/api/v1/surveys/${SURVEY}/report/snapshots`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items.map((x) => x.id), [first.snapshot_id, second.snapshot_id, third.snapshot_id]);
  const old = await publicReport(`?snapshot=${first.snapshot_id}`);
  assert.equal(old.json.by_flag.mental_health, 7);
  assert.equal((await publicReport()).json.snapshot_id, third.snapshot_id, 'the latest by default');
});

test('only an official of the district publishes; bad queries get problem+json', async () => {
  assertProblem(await call(server, 'POST', `/api/v1/surveys/${SURVEY}/report/snapshots`, { body: {} }), 401, 'anonymous');
  for (const s of [careteam, cw, resident]) assertProblem(await publish(s), 403, s.demo.role);
  const bad = assertProblem(await publish(admin, { year: 'last' }), 422, 'bad year');
  assert.deepEqual(errorFields(bad), ['year']);
  assert.deepEqual(errorFields(assertProblem(await publicReport('?snapshot=abc'), 422)), ['snapshot']);
  assertProblem(await publicReport('?snapshot=987654'), 404, 'no such snapshot');
  assertProblem(await call(server, 'GET', '/api/v1/surveys/no_such/report'), 404);
});
