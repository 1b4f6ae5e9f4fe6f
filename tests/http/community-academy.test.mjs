// The academy and certificates over HTTP: courses with sessions (refusals naming the field),
// enrolment never over capacity under concurrent requests (the database enforces it) with the rest
// waitlisted in order, a cancelled place passing to the first waitlisted, attendance per session
// by organizers only, completion by the course's rule (3 of 4) issuing one certificate, and the
// public check by number and code showing minimal data (a wrong code answers like an unknown number).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs, login, districts } from './_client.mjs';

let server, cw, district, myDong;
const members = [];
const now = () => Math.floor(Date.now() / 1000);

before(async () => {
  server = await startServer();
  cw = await loginAs(server, 'caseworker');
  district = (await districts(server))[0];
  myDong = cw.demo.scope_id;
  for (let i = 0; i < 6; i++) {
    const email = `academy${i}.${process.pid}@example.com`;
    const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { email, password: 'community-test-pass-1', name: `김수강${i}`, district_id: district.id } });
    assert.equal(su.status, 201, su.text);
    members.push(await login(server, email, 'community-test-pass-1'));
  }
});
after(async () => { if (server) await server.stop(); });

const sessions = (t, first) => [0, 1, 2, 3].map((i) => ({ starts_at: first + i * 600, ends_at: first + i * 600 + 300, place: '주민센터 3층' }));

test('a course of 4 sessions: capacity under concurrency, waitlist, attendance, completion and a certificate anyone can check', async () => {
  const t = now();
  const bad = await call(server, 'POST', '/api/v1/community/courses', { session: cw, body: { title: '동행 리더 과정', issuer: '한빛구 가족센터', capacity: 3, required_sessions: 5, closes_at: t + 60, sessions: sessions(t, t + 600), dong_id: myDong } });
  assert.deepEqual(errorFields(assertProblem(bad, 422)), ['required_sessions']);
  const bad2 = await call(server, 'POST', '/api/v1/community/courses', { session: cw, body: { title: '과정', issuer: '센터', capacity: 3, required_sessions: 1, closes_at: t + 60, sessions: [{ starts_at: t + 900, ends_at: t + 800 }], dong_id: myDong } });
  assert.deepEqual(errorFields(assertProblem(bad2, 422)), ['sessions']);
  assertProblem(await call(server, 'POST', '/api/v1/community/courses', { session: members[0], body: { title: '과정', issuer: '센터', capacity: 3, required_sessions: 1, closes_at: t + 60, sessions: sessions(t, t + 600), dong_id: myDong } }), 403);
  // The sessions start within the hour, so attendance can be marked now.
  const c = await call(server, 'POST', '/api/v1/community/courses', { session: cw, body: { title: '동행 리더 과정', issuer: '한빛구 가족센터', capacity: 3, required_sessions: 3, closes_at: t + 300, sessions: sessions(t, t + 600), dong_id: myDong } });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.sessions.length, 4);
  const enrol = (m) => call(server, 'POST', `/api/v1/community/courses/${c.json.id}/enrolments`, { session: m });
  const rs = await Promise.all(members.map(enrol));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  assert.equal(rs.filter((r) => r.json.status === 'confirmed').length, 3, 'never over capacity');
  const waiting = rs.filter((r) => r.json.status === 'waitlisted').sort((a, b) => a.json.position - b.json.position);
  assert.equal(waiting.length, 3);
  assert.deepEqual(errorFields(assertProblem(await enrol(members[0]), 422)), ['account_id'], 'twice refused');
  const pub = await call(server, 'GET', `/api/v1/community/courses/${c.json.id}`);
  assert.equal(pub.json.places_left, 0);
  assert.ok(!pub.text.includes('김수강'), 'no names in public');
  // A confirmed person cancels: the first waitlisted is confirmed at once.
  const confirmed = rs.filter((r) => r.json.status === 'confirmed').map((r) => r.json);
  const leaver = confirmed[0];
  const leaverSession = members[rs.findIndex((r) => r.json.id === leaver.id)];
  const cancel = await call(server, 'POST', `/api/v1/community/enrolments/${leaver.id}/cancel`, { session: leaverSession });
  assert.equal(cancel.json.status, 'cancelled', cancel.text);
  const promotedSession = members[rs.findIndex((r) => r.json.id === waiting[0].json.id)];
  const mine = (await call(server, 'GET', '/api/v1/community/enrolments/mine', { session: promotedSession })).json.items;
  assert.equal(mine.find((e) => e.course_id === c.json.id).status, 'confirmed');
  // Attendance: organizers only; the roster names the confirmed only.
  const roster = await call(server, 'GET', `/api/v1/community/courses/${c.json.id}/roster`, { session: cw });
  assert.equal(roster.status, 200, roster.text);
  const conf = roster.json.enrolments.filter((e) => e.status === 'confirmed');
  assert.equal(conf.length, 3);
  for (const e of roster.json.enrolments.filter((x) => x.status === 'waitlisted')) assert.equal(e.name, undefined);
  assertProblem(await call(server, 'GET', `/api/v1/community/courses/${c.json.id}/roster`, { session: members[1] }), [403, 404]);
  const who = conf[0];
  const mark = (session, session_id, enrolment_id, status) => call(server, 'POST', `/api/v1/community/courses/${c.json.id}/attendance`, { session, body: { session_id, enrolment_id, status } });
  const sids = c.json.sessions.map((x) => x.id);
  assertProblem(await mark(members[1], sids[0], who.id, 'attended'), [403, 404]);
  const wl = roster.json.enrolments.find((x) => x.status === 'waitlisted');
  assert.deepEqual(errorFields(assertProblem(await mark(cw, sids[0], wl.id, 'attended'), 422)), ['enrolment_id']);
  assert.deepEqual(errorFields(assertProblem(await mark(cw, 999999, who.id, 'attended'), 422)), ['session_id']);
  let last;
  for (const [i, m] of [['0', 'attended'], ['1', 'no_show'], ['2', 'attended']]) {
    last = await mark(cw, sids[Number(i)], who.id, m);
    assert.equal(last.status, 200, last.text);
    assert.equal(last.json.completed, false, 'not yet: 2 of the 3 needed');
  }
  // Correcting session 2 to attended reaches 3 of 4: completed, one certificate.
  last = await mark(cw, sids[1], who.id, 'attended');
  assert.equal(last.json.completed, true, last.text);
  assert.match(last.json.certificate_number, /^DURE-\d{4}-\d{6}$/);
  const again = await mark(cw, sids[3], who.id, 'attended');
  assert.equal(again.json.certificate_number, last.json.certificate_number, 'issued once');
  const holder = members.find((_, i) => rs[i].json.id === who.id);
  const certs = (await call(server, 'GET', '/api/v1/certificates/mine', { session: holder })).json.items;
  assert.equal(certs.length, 1);
  const cert = certs[0];
  assert.equal(cert.number, last.json.certificate_number);
  assert.match(cert.code, /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
  assert.match(cert.detail, /4회 중 3회 출석 \(수료 기준 3회\)/);
  // Nobody else sees it among theirs.
  const others = (await call(server, 'GET', '/api/v1/certificates/mine', { session: members.find((m) => m !== holder) })).json.items;
  assert.equal(others.length, 0);
  // The public check: number and code (typed loosely) → minimal data with the holder masked.
  const v = await call(server, 'GET', `/api/v1/certificates/verify?number=${cert.number}&code=${cert.code.toLowerCase().replace('-', ' ')}`);
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.title, '동행 리더 과정');
  assert.equal(v.json.issuer, '한빛구 가족센터');
  assert.match(v.json.holder, /^김\*+\d$/);
  assert.equal(v.json.revoked, false);
  assert.ok(!('code' in v.json) && !('account_id' in v.json) && !v.text.includes('@'), v.text);
  const wrong = await call(server, 'GET', `/api/v1/certificates/verify?number=${cert.number}&code=AAAAA-AAAAA`);
  const unknown = await call(server, 'GET', `/api/v1/certificates/verify?number=DURE-1999-000001&code=${cert.code}`);
  assertProblem(wrong, 404);
  assertProblem(unknown, 404);
  assert.equal(wrong.json.detail, unknown.json.detail, 'a wrong code and an unknown number answer alike');
  assert.deepEqual(errorFields(assertProblem(await call(server, 'GET', '/api/v1/certificates/verify?number=&code='), 422)).sort(), ['code', 'number']);
});
