// Least data by role (docs/privacy.md): every role × every endpoint that shows a person's data,
// and which fields each role gets. The resident registration number (RRN) is masked everywhere;
// only a caseworker of the person's dong sees it in full, through a separate, logged reveal.
// Care teams, caregivers and gatekeepers see only what their task needs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, loginAs } from './_client.mjs';

const ANON = 'anonymous';
const RRN = '440101-2345678';
const RRN_TAIL = '2345678';
const MASKED = '440101-2******';
const PHONE = '01055517777';
const NOTE = '현관에 우편물이 쌓여 있음';
const WHY = 'privacy matrix check';

let server, sessions = {}, roles, admin, cw, myDong, personId, assignmentId;

before(async () => {
  server = await startServer();
  for (const a of server.accounts) if (!sessions[a.role]) sessions[a.role] = await loginAs(server, a.role);
  sessions[ANON] = { cookie: '' };
  roles = [...Object.keys(sessions)];
  admin = sessions.district_admin;
  cw = sessions.caseworker;
  myDong = cw.demo.scope_id;
  const p = await call(server, 'POST', '/api/v1/persons', { session: cw, body: { name: '주민등록', rrn: RRN, phone: PHONE, birth_date: '1944-01-01', address: '은행로 44 비밀', dong_id: myDong } });
  assert.equal(p.status, 201, p.text);
  personId = p.json.id;
  const a = await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw, body: { person_id: personId, caregiver_account_id: sessions.caregiver.demo.account_id, cadence: 'weekly' } });
  assert.equal(a.status, 201, a.text);
  assignmentId = a.json.id;
  const c = await call(server, 'POST', `/api/v1/checkins/assignments/${assignmentId}/checkins`, { session: sessions.caregiver, body: { result: 'fine', note: NOTE } });
  assert.equal(c.status, 201, c.text);
});
after(async () => { if (server) await server.stop(); });

const withReason = { 'X-Access-Reason': WHY };
const OFFICIALS = ['caseworker', 'district_admin'];
const FULL_RESIDENT = ['caregiver', 'caseworker', 'district_admin'];

// name → [roles that get a success, call, check(role, json) for a success].
const endpoints = () => [
  ['GET person', OFFICIALS, (s) => call(server, 'GET', `/api/v1/persons/${personId}`, { session: s, headers: withReason }), (role, j) => {
    assert.equal(j.name, '주민등록', role);
    assert.equal(j.phone, PHONE, role);
    assert.equal(j.address, '은행로 44 비밀', role);
    assert.equal(j.birth_date, '1944-01-01', role);
    assert.equal(j.rrn, MASKED, `${role}: the RRN is masked`);
  }],
  ['POST person lookup', OFFICIALS, (s) => call(server, 'POST', '/api/v1/persons/lookup', { session: s, headers: withReason, body: { phone: PHONE } }), (role, j) => {
    const hit = j.items.find((x) => x.id === personId);
    assert.ok(hit, `${role}: the lookup finds the person`);
    assert.equal(hit.rrn, MASKED, `${role}: the RRN is masked in a lookup`);
  }],
  ['POST reveal RRN', ['caseworker'], (s) => call(server, 'POST', `/api/v1/persons/${personId}/rrn`, { session: s, headers: withReason }), (role, j) => {
    assert.equal(j.rrn, RRN, `${role}: the reveal gives the full number`);
  }],
  ['POST person', OFFICIALS, (s) => call(server, 'POST', '/api/v1/persons', { session: s, body: { name: '새 주민', dong_id: myDong } }), () => {}],
  ['GET check-in assignment', ['district_admin', 'caseworker', 'care_team', 'caregiver'], (s) => call(server, 'GET', `/api/v1/checkins/assignments/${assignmentId}`, { session: s, headers: withReason }), (role, j) => {
    assert.equal(j.resident.name, '주민등록', role);
    assert.equal(j.resident.phone, PHONE, role);
    const full = FULL_RESIDENT.includes(role);
    assert.equal(j.resident.address, full ? '은행로 44 비밀' : null, `${role}: address ${full ? 'shown' : 'withheld'}`);
    assert.equal(j.checkins[0].note, full ? NOTE : null, `${role}: check-in note ${full ? 'shown' : 'withheld'}`);
    assert.ok(!('birth_date' in j.resident) && !('rrn' in j.resident), `${role}: no birth date or RRN`);
  }],
];

test('every role × every person-data endpoint: who gets it, and which fields', async () => {
  const problems = [];
  for (const [name, allowed, fn, check] of endpoints()) {
    for (const role of roles) {
      const r = await fn(sessions[role]);
      if (r.text.includes(RRN_TAIL) && !(name === 'POST reveal RRN' && allowed.includes(role)))
        problems.push(`${name} as ${role}: the full RRN leaked: ${r.text.slice(0, 160)}`);
      if (allowed.includes(role)) {
        if (r.status < 200 || r.status > 299) { problems.push(`${name} as ${role}: ${r.status} ${r.text.slice(0, 160)}`); continue; }
        try { check(role, r.json); } catch (e) { problems.push(`${name} as ${role}: ${e.message}`); }
      } else {
        const want = role === ANON ? 401 : 403;
        if (r.status !== want) problems.push(`${name} as ${role}: expected ${want}, got ${r.status} ${r.text.slice(0, 120)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('a caregiver\'s own list carries the name, address and phone of their residents only', async () => {
  for (const role of roles.filter((x) => x !== ANON)) {
    const r = await call(server, 'GET', '/api/v1/checkins/mine', { session: sessions[role] });
    assert.equal(r.status, 200, `${role}: ${r.text}`);
    const hit = r.json.items.find((x) => x.resident.id === personId);
    if (role === 'caregiver') {
      assert.ok(hit, r.text);
      assert.deepEqual([hit.resident.name, hit.resident.address, hit.resident.phone], ['주민등록', '은행로 44 비밀', PHONE]);
    } else assert.equal(hit, undefined, `${role} sees no one else's resident`);
    assert.ok(!r.text.includes(RRN_TAIL), role);
  }
});

test('phone numbers never travel in a URL: the GET forms are refused and name the POST', async () => {
  for (const role of roles) {
    const r = await call(server, 'GET', `/api/v1/persons?phone=${PHONE}`, { session: sessions[role], headers: withReason });
    assert.equal(r.status, 400, `${role}: ${r.status} ${r.text}`);
    assert.match(r.headers.get('content-type'), /problem\+json/);
    assert.match(r.json.detail, /POST \/api\/v1\/persons\/lookup/);
    assert.ok(!r.text.includes('주민등록'), role);
  }
  const q = await call(server, 'GET', `/api/v1/admin/accounts?q=${encodeURIComponent(admin.demo.login)}`, { session: admin });
  assert.equal(q.status, 400, q.text);
  assert.match(q.json.detail, /POST \/api\/v1\/admin\/accounts\/search/);
  const found = await call(server, 'POST', '/api/v1/admin/accounts/search', { session: admin, body: { q: admin.demo.login } });
  assert.equal(found.status, 200, found.text);
  assert.deepEqual(found.json.items.map((x) => x.id), [admin.demo.account_id]);
  assert.equal((await call(server, 'POST', '/api/v1/admin/accounts/search', { session: cw, body: { q: admin.demo.login } })).status, 403);
  assert.equal((await call(server, 'POST', '/api/v1/persons/lookup', { session: cw, headers: withReason, body: { phone: 'abc' } })).json.errors[0].field, 'phone');
});

test('revealing the RRN needs a reason and is in the access log as a reveal', async () => {
  const none = await call(server, 'POST', `/api/v1/persons/${personId}/rrn`, { session: cw });
  assert.equal(none.status, 422, none.text);
  assert.equal(none.json.errors[0].field, 'X-Access-Reason');
  const why = `benefit application ${Date.now() % 100000}`;
  const r = await call(server, 'POST', `/api/v1/persons/${personId}/rrn`, { session: cw, headers: { 'X-Access-Reason': why } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const log = await call(server, 'GET', `/api/v1/admin/access-log?person_id=${personId}`, { session: admin });
  const row = log.json.items.find((x) => x.reason === why);
  assert.ok(row, log.text.slice(0, 400));
  assert.equal(row.action, 'reveal');
  assert.equal(row.fields, 'rrn');
  assert.equal(row.actor_account_id, cw.demo.account_id);
  // An ordinary read records that the number was shown masked.
  const reads = log.json.items.filter((x) => x.action === 'read');
  assert.ok(reads.length > 0 && reads.every((x) => !/(^|,)rrn(,|$)/.test(x.fields)), JSON.stringify(reads));
});
