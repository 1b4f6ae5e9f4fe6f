// Check-ins over HTTP: a caregiver sees and checks only the residents assigned to them; not
// reached and concern open escalations, fine closes them; a signed passive signal opens one; the
// ladder climbs on timers (driven here by `dure` time through the store's tick via the server
// loop, so the test moves the clock by editing next_at in the database); access is per dong.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

const SECRET = 'sensor-secret-for-tests-0123456789';
let server, admin, cw, carer, careteam, myDong, otherDong, personId, otherPersonId, assignment;

before(async () => {
  server = await startServer({ env: { DURE_SIGNAL_SECRET: SECRET, DURE_ALERT_INTERVAL: '1' } });
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
  carer = await loginAs(server, 'caregiver');
  careteam = await loginAs(server, 'care_team');
  myDong = cw.demo.scope_id;
  const ds = (await call(server, 'GET', '/api/v1/districts')).json;
  otherDong = ds[0].dongs.find((g) => g.id !== myDong).id;
  const mk = async (dong, name) => {
    const r = await call(server, 'POST', '/api/v1/persons', { session: admin, body: { name, phone: `0105551${Math.floor(Math.random() * 9000 + 1000)}`, birth_date: '1940-02-03', address: '한빛구 은행로 1', dong_id: dong } });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  personId = await mk(myDong, '고독한');
  otherPersonId = await mk(otherDong, '다른동');
});
after(async () => { if (server) await server.stop(); });

const signed = (body, secret = SECRET, ts = Math.floor(Date.now() / 1000)) => {
  const text = JSON.stringify(body);
  const sig = 'sha256=' + crypto.createHmac('sha256', secret).update(`${ts}.${text}`).digest('hex');
  return call(server, 'POST', '/api/v1/checkins/signals', { body: text, headers: { 'Content-Type': 'application/json', 'X-Signal-Timestamp': String(ts), 'X-Signal-Signature': sig } });
};

test('a dong caseworker assigns a caregiver; bad input names the field; other dongs are refused', async () => {
  const bad = assertProblem(await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw, body: { person_id: personId, caregiver_account_id: carer.demo.account_id, cadence: 'hourly', x: 1 } }), 422);
  assert.deepEqual(errorFields(bad).sort(), ['cadence', 'x']);
  const notCarer = assertProblem(await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw, body: { person_id: personId, caregiver_account_id: (await loginAs(server, 'resident')).demo.account_id, cadence: 'weekly' } }), 422);
  assert.deepEqual(errorFields(notCarer), ['caregiver_account_id']);
  assertProblem(await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw, body: { person_id: otherPersonId, caregiver_account_id: carer.demo.account_id, cadence: 'weekly' } }), 403);
  assertProblem(await call(server, 'POST', '/api/v1/checkins/assignments', { session: carer, body: { person_id: personId, caregiver_account_id: carer.demo.account_id, cadence: 'weekly' } }), 403);
  const r = await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw, body: { person_id: personId, caregiver_account_id: carer.demo.account_id, cadence: 'twice_weekly' } });
  assert.equal(r.status, 201, r.text);
  assignment = r.json.id;
});

test('officials list a dong\'s assignments without personal data; others are refused', async () => {
  const list = (session, q = `?dong=${myDong}`) => call(server, 'GET', `/api/v1/checkins/assignments${q}`, { session });
  const r = await list(cw);
  assert.equal(r.status, 200, r.text);
  const row = r.json.items.find((a) => a.id === assignment);
  assert.ok(row, r.text);
  assert.equal(row.caregiver_account_id, carer.demo.account_id);
  assert.equal(row.cadence, 'twice_weekly');
  assert.ok(!r.text.includes('고독한'), 'no names in the list');
  assert.equal((await list(careteam)).status, 200);
  assert.ok((await list(admin, '')).json.items.some((a) => a.id === assignment), 'the district admin lists the district');
  assertProblem(await list(cw, `?dong=${otherDong}`), 403);
  assertProblem(await list(carer), 403);
  assertProblem(await list(cw, '?dong=abc'), 422);
  assertProblem(await call(server, 'GET', `/api/v1/checkins/escalations?dong=1x`, { session: cw }), 422);
});

test('the caregiver sees only their residents and records check-ins; concern escalates, fine closes', async () => {
  const mine = (await call(server, 'GET', '/api/v1/checkins/mine', { session: carer })).json.items;
  assert.deepEqual(mine.map((x) => x.resident.name), ['고독한']);
  assert.equal(mine[0].cadence, 'twice_weekly');
  assert.equal((await call(server, 'GET', '/api/v1/checkins/mine', { session: careteam })).json.items.length, 0);
  // Another caregiver-like account that is not assigned cannot record.
  assertProblem(await call(server, 'POST', `/api/v1/checkins/assignments/${assignment}/checkins`, { session: await loginAs(server, 'volunteer'), body: { result: 'fine' } }), 403);
  const bad = assertProblem(await call(server, 'POST', `/api/v1/checkins/assignments/${assignment}/checkins`, { session: carer, body: { result: 'meh' } }), 422);
  assert.deepEqual(errorFields(bad), ['result']);
  const c = await call(server, 'POST', `/api/v1/checkins/assignments/${assignment}/checkins`, { session: carer, body: { result: 'concern', note: '식사를 거의 못 하심' } });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.escalation.step_code, 'care_team_call');
  // The care team of the dong and the caseworker see it; the note is readable to them, encrypted at rest.
  const esc = (await call(server, 'GET', `/api/v1/checkins/escalations?dong=${myDong}`, { session: careteam })).json.items;
  assert.equal(esc.length, 1);
  assert.equal(esc[0].reason, 'concern');
  assertProblem(await call(server, 'GET', `/api/v1/checkins/escalations?dong=${otherDong}`, { session: careteam }), 403);
  // The care team is told in its 알림함, without the resident's name or the note.
  const inbox = (await call(server, 'GET', '/api/v1/me/inbox', { session: careteam })).json;
  const told = (inbox.items || inbox).filter((m) => m.kind === 'checkin_escalation');
  assert.equal(told.length, 1, JSON.stringify(inbox));
  assert.equal(told[0].title, '[안부 확인 2단계] 돌봄팀 전화 확인');
  assert.match(told[0].body, new RegExp(`돌봄 배정 #${assignment}: 돌봄이웃이 걱정되는 상황을 알렸습니다`));
  assert.ok(!told[0].body.includes('고독한') && !told[0].body.includes('식사'), told[0].body);
  const detail = (await call(server, 'GET', `/api/v1/checkins/assignments/${assignment}`, { session: cw, headers: { 'X-Access-Reason': 'escalation follow-up' } })).json;
  assert.equal(detail.checkins[0].note, '식사를 거의 못 하심');
  if (server.db.startsWith('sqlite:')) {
    const raw = execFileSync('sqlite3', [server.db.slice(7), 'SELECT note_enc FROM checkins'], { encoding: 'utf8' });
    assert.ok(!raw.includes('식사'), 'note encrypted at rest');
  }
  // Fine closes it, with the step recorded.
  const f = await call(server, 'POST', `/api/v1/checkins/assignments/${assignment}/checkins`, { session: carer, body: { result: 'fine' } });
  assert.equal(f.json.escalation, null);
  assert.equal((await call(server, 'GET', `/api/v1/checkins/escalations?dong=${myDong}`, { session: cw })).json.items.length, 0);
});

test('a signed passive signal opens an escalation that climbs the ladder on timers', async () => {
  assertProblem(await signed({ assignment_id: assignment, kind: 'no_activity', hours: 20 }, 'wrong-secret-000000000000'), 401);
  assertProblem(await signed({ assignment_id: assignment, kind: 'no_activity', hours: 20 }, SECRET, Math.floor(Date.now() / 1000) - 3600), 401);
  const quiet = await signed({ assignment_id: assignment, kind: 'no_activity', hours: 3 });
  assert.equal(quiet.json.escalation, null, 'a short quiet spell is normal');
  const s = await signed({ assignment_id: assignment, kind: 'no_activity', hours: 14, device: 'plug-7' });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.escalation.step_code, 'caregiver_retry');
  assert.equal(s.json.escalation.reason, 'no_activity');
  if (!server.db.startsWith('sqlite:')) return;
  // Move the clock: make each step due, and let the server's loop (every second here) climb.
  for (const step of ['care_team_call', 'official_visit', 'emergency_response']) {
    execFileSync('sqlite3', [server.db.slice(7), 'UPDATE escalations SET next_at = 0 WHERE closed_at = 0']);
    const end = Date.now() + 10000;
    let cur;
    while (Date.now() < end) {
      cur = (await call(server, 'GET', `/api/v1/checkins/escalations?dong=${myDong}`, { session: cw })).json.items[0];
      if (cur.step_code === step) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(cur.step_code, step);
  }
  const last = (await call(server, 'GET', `/api/v1/checkins/escalations?dong=${myDong}`, { session: cw })).json.items[0];
  assert.deepEqual(last.steps.map((x) => x.step), [1, 2, 3, 4]);
  assert.equal(last.next_at, null, 'the last step has no next');
});

test('a missed check-in opens an escalation by itself', async () => {
  const r = await call(server, 'POST', `/api/v1/checkins/assignments/${assignment}/checkins`, { session: cw, body: { result: 'fine' } });
  assert.equal(r.status, 201);
  if (!server.db.startsWith('sqlite:')) return;
  execFileSync('sqlite3', [server.db.slice(7), `UPDATE checkin_assignments SET last_ok_at = last_ok_at - 10 * 86400 WHERE id = ${assignment}`]);
  const end = Date.now() + 10000;
  let items = [];
  while (Date.now() < end) {
    items = (await call(server, 'GET', `/api/v1/checkins/escalations?dong=${myDong}`, { session: cw })).json.items;
    if (items.length) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.equal(items.length, 1);
  assert.equal(items[0].reason, 'missed');
  assertProblem(await call(server, 'GET', '/api/v1/checkins/mine'), 401);
});
