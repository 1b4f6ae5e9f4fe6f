// Every staff read of a person-level record is in the access log with its real time and the
// official's own reason: persons, cases, check-ins, survey responses and screening items alike,
// through one function with one reason rule (trimmed, 2 to 200 code points). A reason may be left
// out only for one's own assigned work (the assigned caseworker's case, the assigned caregiver's
// residents), and the log then says so. Node standard library only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, loginAs, assertProblem } from './_client.mjs';

// Header values travel as bytes: a Korean reason goes as its UTF-8 bytes.
const hv = (s) => Buffer.from(s, 'utf8').toString('latin1');

let server, admin, cw, carer, myDong, personId, household, caseId, itemId, assignmentId, responseId;

before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
  carer = await loginAs(server, 'caregiver');
  const careteam = await loginAs(server, 'care_team');
  myDong = cw.demo.scope_id;
  const code = (await call(server, 'GET', '/api/v1/districts')).json[0].dongs.find((d) => d.id === myDong).code;
  personId = (await call(server, 'POST', '/api/v1/persons', { session: admin, body: { name: '열람기록', phone: '01055517777', dong_id: myDong } })).json.id;
  household = (await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, body: { channel: 'counter', dong_id: myDong, address: '은행로 5 열람', concern: '난방이 안 됨' } })).json.household_id;
  caseId = (await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: household } })).json.id;
  const csv = `household_key,dong,indicator,value,period\nL1,${code},gas_cutoff,1,${new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 7)}\n`;
  await call(server, 'POST', '/api/v1/screening/indicators', { session: admin, body: csv, headers: { 'Content-Type': 'text/csv' } });
  const round = (await call(server, 'POST', '/api/v1/screening/rounds', { session: admin, body: { min_score: 0 } })).json.id;
  itemId = (await call(server, 'GET', `/api/v1/screening/rounds/${round}`, { session: admin })).json.items[0].id;
  assignmentId = (await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw, body: { person_id: personId, caregiver_account_id: carer.demo.account_id, cadence: 'weekly' } })).json.id;
  const answers = { meals: 'one_or_less', health: 'good', chronic_untreated: false, contact_frequency: 'rarely', emergency_contact: false, heating: true, mood: 'most_days', wants_help: true };
  const r = await call(server, 'POST', '/api/v1/surveys/living_conditions_50plus/responses', { session: careteam, body: { dong_id: myDong, respondent: { name: '박열람', address: '은행로 8', phone: '010-5550-8888', birth_year: 1955 }, answers } });
  assert.equal(r.status, 201, r.text);
  responseId = r.json.id;
  for (const [what, v] of Object.entries({ personId, household, caseId, itemId, assignmentId, responseId })) assert.ok(v, `fixture ${what}`);
});
after(async () => { if (server) await server.stop(); });

async function newestLog() {
  const r = await call(server, 'GET', '/api/v1/admin/access-log', { session: admin });
  assert.equal(r.status, 200, r.text);
  return r.json.items[0];
}

const reads = () => [
  ['person', () => `/api/v1/persons/${personId}`, 'person', personId, cw],
  ['case', () => `/api/v1/cases/${caseId}`, 'case', caseId, admin],
  ['check-in record', () => `/api/v1/checkins/assignments/${assignmentId}`, 'person', personId, cw],
  ['survey response', () => `/api/v1/surveys/responses/${responseId}`, 'survey_response', responseId, cw],
  ['screening item', () => `/api/v1/screening/items/${itemId}`, 'screening_item', itemId, cw],
  ['household', () => `/api/v1/outreach/households/${household}`, 'household', household, cw],
];

test('every read is logged with its real time and the reason the official gave', async () => {
  const problems = [];
  for (const [name, path, kind, id, session] of reads()) {
    const reason = `${name} 확인 요청 ${Date.now() % 100000}`;
    const before = Math.floor(Date.now() / 1000) - 5;
    const r = await call(server, 'GET', path(), { session, headers: { 'X-Access-Reason': hv(reason) } });
    if (r.status !== 200) { problems.push(`${name}: ${r.status} ${r.text.slice(0, 120)}`); continue; }
    const e = await newestLog();
    const after = Math.floor(Date.now() / 1000) + 5;
    if (e.subject_kind !== kind || e.subject_id !== id) problems.push(`${name}: newest row is ${e.subject_kind} ${e.subject_id}`);
    if (!(e.at >= before && e.at <= after)) problems.push(`${name}: logged at ${e.at} (${new Date(e.at * 1000).toISOString()}), not now`);
    if (e.reason !== reason) problems.push(`${name}: logged reason ${JSON.stringify(e.reason)}, the official gave ${JSON.stringify(reason)}`);
    if (e.actor_account_id !== session.demo.account_id) problems.push(`${name}: actor ${e.actor_account_id}`);
  }
  assert.deepEqual(problems, []);
});

test('one reason rule everywhere: trimmed, 2 to 200 code points, counted as characters not bytes', async () => {
  const problems = [];
  const hangul = (n) => '가'.repeat(n);  // 3 bytes each
  for (const [name, path, , , session] of reads()) {
    const ok150 = await call(server, 'GET', path(), { session, headers: { 'X-Access-Reason': hv(hangul(150)) } });
    if (ok150.status !== 200) problems.push(`${name}: 150 Hangul characters refused (${ok150.status})`);
    const ok200 = await call(server, 'GET', path(), { session, headers: { 'X-Access-Reason': hv(`  ${hangul(200)}  `) } });
    if (ok200.status !== 200) problems.push(`${name}: 200 characters with spaces around refused (${ok200.status})`);
    for (const bad of [hangul(201), ' 가 ', '   ']) {
      const r = await call(server, 'GET', path(), { session, headers: { 'X-Access-Reason': hv(bad) } });
      if (r.status !== 422) { problems.push(`${name}: reason of ${[...bad].length} characters: ${r.status}, want 422`); continue; }
      if (!r.json.errors?.some((x) => x.field === 'X-Access-Reason')) problems.push(`${name}: 422 does not name X-Access-Reason`);
    }
  }
  assert.deepEqual(problems, []);
  const e = await newestLog();
  assert.equal(e.reason, hangul(200), 'the reason is stored trimmed');
});

test('no reason: refused, except for one\'s own assigned work, which the log names', async () => {
  // Opening a record that is not one's own assignment needs a reason.
  for (const [name, path, , , session] of reads())
    assertProblem(await call(server, 'GET', path(), { session }), 422, `${name} without a reason`);
  // The assigned caseworker's own case, the assigned caregiver's own resident.
  const own = await call(server, 'GET', `/api/v1/cases/${caseId}`, { session: cw });
  assert.equal(own.status, 200, own.text);
  assert.equal((await newestLog()).reason, 'assigned caseworker');
  const mine = await call(server, 'GET', `/api/v1/checkins/assignments/${assignmentId}`, { session: carer });
  assert.equal(mine.status, 200, mine.text);
  let e = await newestLog();
  assert.equal(e.reason, 'assigned caregiver');
  assert.equal(e.actor_account_id, carer.demo.account_id);
  const list = await call(server, 'GET', '/api/v1/checkins/mine', { session: carer });
  assert.equal(list.status, 200, list.text);
  e = await newestLog();
  assert.equal(e.reason, 'assigned caregiver');
  assert.ok(Math.abs(e.at - Date.now() / 1000) < 60, `real time: ${e.at}`);
  // A reason the caseworker gives for their own case is logged as given.
  await call(server, 'GET', `/api/v1/cases/${caseId}`, { session: cw, headers: { 'X-Access-Reason': hv('방문 전 확인') } });
  assert.equal((await newestLog()).reason, '방문 전 확인');
});
