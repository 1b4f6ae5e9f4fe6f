// Every screening, check-in and case endpoint × every role (and anonymous): who may, who may not.
// The expected table is written out here, so a change in authorize() that widens or narrows
// access fails this test. (Outreach reports have their own matrix in outreach_matrix.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, loginAs } from './_client.mjs';

let server, sessions = {}, admin, cw, myDong, otherDong, personId, household, caseId, itemId, assignmentId;
const ANON = 'anonymous';

before(async () => {
  server = await startServer();
  for (const a of server.accounts) sessions[a.role] = await loginAs(server, a.role);
  sessions[ANON] = { cookie: '' };
  admin = sessions.district_admin;
  cw = sessions.caseworker;
  myDong = cw.demo.scope_id;
  const ds = (await call(server, 'GET', '/api/v1/districts')).json;
  const dongs = ds[0].dongs;
  otherDong = dongs.find((d) => d.id !== myDong).id;
  const code = dongs.find((d) => d.id === myDong).code;
  const p = await call(server, 'POST', '/api/v1/persons', { session: admin, body: { name: '매트릭스', phone: '01055512345', birth_date: '1944-04-04', address: '은행로 9', dong_id: myDong } });
  personId = p.json.id;
  const h = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, body: { channel: 'counter', dong_id: myDong, address: '은행로 9 매트릭스', concern: '난방이 안 됨', urgency: 'high' } });
  household = h.json.household_id;
  caseId = (await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: household } })).json.id;
  const csv = `household_key,dong,indicator,value,period\nM1,${code},gas_cutoff,1,${new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 7)}\n`;
  await call(server, 'POST', '/api/v1/screening/indicators', { session: admin, body: csv, headers: { 'Content-Type': 'text/csv' } });
  const round = (await call(server, 'POST', '/api/v1/screening/rounds', { session: admin, body: { min_score: 0 } })).json.id;
  itemId = (await call(server, 'GET', `/api/v1/screening/rounds/${round}`, { session: admin })).json.items[0].id;
  assignmentId = (await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw, body: { person_id: personId, caregiver_account_id: sessions.caregiver.demo.account_id, cadence: 'weekly' } })).json.id;
});
after(async () => { if (server) await server.stop(); });

// role → allowed? For each endpoint: the roles that get a success; everyone else gets 403
// (anonymous 401). A success is any 2xx, or 409 where repeating the call conflicts.
const endpoints = () => [
  ['GET screening rounds', ['district_admin', 'caseworker'], (s) => call(server, 'GET', '/api/v1/screening/rounds', { session: s })],
  ['POST screening round', ['district_admin'], (s) => call(server, 'POST', '/api/v1/screening/rounds', { session: s, body: {} })],
  ['POST indicator file', ['district_admin'], (s) => call(server, 'POST', '/api/v1/screening/indicators', { session: s, body: 'household_key,dong,indicator,value,period\n', headers: { 'Content-Type': 'text/csv' } })],
  ['GET screening item (household key)', ['district_admin', 'caseworker'], (s) => call(server, 'GET', `/api/v1/screening/items/${itemId}`, { session: s, headers: { 'X-Access-Reason': 'access matrix' } })],
  ['PUT screening outcome', ['district_admin', 'caseworker'], (s) => call(server, 'PUT', `/api/v1/screening/items/${itemId}/outcome`, { session: s, body: { outcome: 'unreachable' } })],
  ['POST recalibrate', ['district_admin'], (s) => call(server, 'POST', '/api/v1/screening/model/recalibrate', { session: s }), [422]],
  ['GET assignments of the dong', ['district_admin', 'caseworker', 'care_team'], (s) => call(server, 'GET', `/api/v1/checkins/assignments?dong=${myDong}`, { session: s })],
  ['GET escalations of the dong', ['district_admin', 'caseworker', 'care_team'], (s) => call(server, 'GET', `/api/v1/checkins/escalations?dong=${myDong}`, { session: s })],
  ['GET assignment (resident record)', ['district_admin', 'caseworker', 'care_team', 'caregiver'], (s) => call(server, 'GET', `/api/v1/checkins/assignments/${assignmentId}`, { session: s, headers: { 'X-Access-Reason': 'access matrix' } })],
  ['POST check-in', ['district_admin', 'caseworker', 'care_team', 'caregiver'], (s) => call(server, 'POST', `/api/v1/checkins/assignments/${assignmentId}/checkins`, { session: s, body: { result: 'fine' } })],
  ['POST case', ['district_admin', 'caseworker'], (s) => call(server, 'POST', '/api/v1/cases', { session: s, body: { household_id: household } })],
  ['GET case', ['district_admin', 'caseworker', 'supervisor'], (s) => call(server, 'GET', `/api/v1/cases/${caseId}`, { session: s, headers: { 'X-Access-Reason': 'access matrix' } })],
  ['POST case note', ['district_admin', 'caseworker', 'supervisor'], (s) => call(server, 'POST', `/api/v1/cases/${caseId}/notes`, { session: s, body: { text: '메모' } })],
  // Handing a case on is for supervisors: not even its own caseworker (here handed back to them).
  ['PUT case assignee', ['district_admin', 'supervisor'], (s) => call(server, 'PUT', `/api/v1/cases/${caseId}/assignee`, { session: s, body: { account_id: cw.demo.account_id } })],
  // Last: a new assignment replaces the resident's current one.
  ['POST check-in assignment', ['district_admin', 'caseworker'], (s) => call(server, 'POST', '/api/v1/checkins/assignments', { session: s, body: { person_id: personId, caregiver_account_id: sessions.caregiver.demo.account_id, cadence: 'weekly' } })],
];

test('every endpoint × every role', async () => {
  const roles = [...server.accounts.map((a) => a.role), ANON];
  assert.ok(roles.length >= 10, `demo roles: ${roles}`);
  const problems = [];
  for (const [name, allowed, fn, alsoOk = []] of endpoints()) {
    for (const role of roles) {
      const r = await fn(sessions[role]);
      const expectOk = allowed.includes(role);
      const ok = (r.status >= 200 && r.status < 300) || r.status === 409 || alsoOk.includes(r.status);
      const want = role === ANON ? 401 : 403;
      if (expectOk && !ok) problems.push(`${name} as ${role}: ${r.status} ${r.text.slice(0, 120)}`);
      if (!expectOk && r.status !== want) problems.push(`${name} as ${role}: expected ${want}, got ${r.status}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('a caregiver reaches only the resident assigned to them, never a case or a household key', async () => {
  const carer = sessions.caregiver;
  // The matrix ended by assigning the resident anew (to the same caregiver); hand it to the care team.
  const moved = await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw, body: { person_id: personId, caregiver_account_id: sessions.care_team.demo.account_id, cadence: 'daily' } });
  assert.equal(moved.status, 201, moved.text);
  assert.equal((await call(server, 'POST', `/api/v1/checkins/assignments/${moved.json.id}/checkins`, { session: carer, body: { result: 'fine' } })).status, 403);
  assert.equal((await call(server, 'GET', `/api/v1/checkins/assignments/${moved.json.id}`, { session: carer })).status, 403);
  assert.equal((await call(server, 'GET', '/api/v1/checkins/mine', { session: carer })).json.items.length, 0);
  assert.equal((await call(server, 'GET', `/api/v1/cases/${caseId}`, { session: carer })).status, 403);
  assert.equal((await call(server, 'GET', `/api/v1/screening/items/${itemId}`, { session: carer })).status, 403);
  // A caseworker of another dong sees none of it: the demo has one caseworker, so check the rule
  // through the dong filter instead: no escalations or cases leak into another dong's lists.
  const other = await call(server, 'GET', `/api/v1/checkins/escalations?dong=${otherDong}`, { session: cw });
  assert.equal(other.status, 403);
});
