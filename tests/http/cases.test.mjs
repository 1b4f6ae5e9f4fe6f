// Case management over HTTP: a reported household becomes a case that moves intake → assessment →
// plan (with catalogue services) → monitoring → closed; visits with a checklist; notes encrypted;
// only the assigned caseworker and district supervisors read it, and every read is logged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, login, loginAs } from './_client.mjs';

let server, admin, cw, other, myDong, household, caseId, serviceId;

before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
  myDong = cw.demo.scope_id;
  const r = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, body: {
    channel: 'hotline', dong_id: myDong, address: `은행로 ${Date.now() % 100000} 301호`, concern: '전기가 끊긴 것 같음', urgency: 'urgent' } });
  assert.equal(r.status, 201, r.text);
  household = r.json.household_id;
  serviceId = (await call(server, 'GET', `/api/v1/services?q=${encodeURIComponent('긴급복지')}`)).json.items[0].id;
  other = await loginAs(server, 'care_team');
});
after(async () => { if (server) await server.stop(); });

test('a caseworker opens a case for a reported household; one open case per household', async () => {
  assertProblem(await call(server, 'POST', '/api/v1/cases', { session: other, body: { household_id: household } }), 403);
  const bad = assertProblem(await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: household, assigned_account_id: other.demo.account_id } }), 422);
  assert.deepEqual(errorFields(bad), ['assigned_account_id']);
  // An unknown household answers like one of another dong: 403 for a dong caseworker, 422 for a district official.
  assertProblem(await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: 99999999 } }), 403);
  assert.deepEqual(errorFields(assertProblem(await call(server, 'POST', '/api/v1/cases', { session: admin, body: { household_id: 99999999 } }), 422)), ['household_id']);
  const r = await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: household } });
  assert.equal(r.status, 201, r.text);
  caseId = r.json.id;
  assert.equal(r.json.stage, 'intake');
  assertProblem(await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: household } }), 409);
});

test('the case moves through its stages with the details each needs', async () => {
  const stage = (body, session = cw) => call(server, 'POST', `/api/v1/cases/${caseId}/stage`, { session, body });
  const skip = assertProblem(await stage({ stage: 'plan', goals: ['x'] }), 422);
  assert.deepEqual(errorFields(skip), ['stage']);
  const badA = assertProblem(await stage({ stage: 'assessment', crisis_level: 7, needs: ['flying'] }), 422);
  assert.deepEqual(errorFields(badA).sort(), ['crisis_level', 'needs[0]']);
  const a = await stage({ stage: 'assessment', crisis_level: 3, needs: ['livelihood', 'energy'], summary: '단전 2개월, 식사 불규칙' });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.crisis_level, 3);
  const badP = assertProblem(await stage({ stage: 'plan', goals: [], services: ['no-such-service'] }), 422);
  assert.deepEqual(errorFields(badP).sort(), ['goals', 'services[0]']);
  const p = await stage({ stage: 'plan', goals: ['전기 다시 연결', '긴급 생계지원 신청'], services: [serviceId], referrals: ['한빛노인종합복지관 도시락 배달'] });
  assert.equal(p.status, 200, p.text);
  const v = await call(server, 'POST', `/api/v1/cases/${caseId}/visits`, { session: cw, body: { checklist: { meals: 'problem', heating: 'ok', utilities: 'problem' }, result: '냉장고가 비어 있음' } });
  assert.equal(v.status, 201, v.text);
  assert.deepEqual(v.json.concerns, ['meals', 'utilities']);
  const badV = assertProblem(await call(server, 'POST', `/api/v1/cases/${caseId}/visits`, { session: cw, body: { checklist: { vibes: 'ok', meals: 'meh' } } }), 422);
  assert.deepEqual(errorFields(badV).sort(), ['checklist.meals', 'checklist.vibes', 'result']);
  assert.equal((await call(server, 'POST', `/api/v1/cases/${caseId}/notes`, { session: cw, body: { text: '한전에 분할납부 요청함' } })).status, 201);
  assert.equal((await stage({ stage: 'monitoring', note: '3개월간 월 1회 방문' })).status, 200);
  const badC = assertProblem(await stage({ stage: 'closed', outcome: 'vanished' }), 422);
  assert.deepEqual(errorFields(badC), ['outcome']);
});

test('only the assigned caseworker and district supervisors read it; reads are logged; notes encrypted', async () => {
  const full = await call(server, 'GET', `/api/v1/cases/${caseId}`, { session: cw });
  assert.equal(full.status, 200, full.text);
  assert.deepEqual(full.json.entries.map((e) => e.kind), ['stage', 'stage', 'stage', 'visit', 'note', 'stage']);
  assert.equal(full.json.entries[1].body.summary, '단전 2개월, 식사 불규칙');
  assert.deepEqual(full.json.services.map((s) => s.kind).sort(), ['linked', 'referral']);
  assert.ok(full.json.services.find((s) => s.kind === 'linked').name.length > 0);
  assert.equal((await call(server, 'GET', `/api/v1/cases/${caseId}`, { session: admin, headers: { 'X-Access-Reason': 'case review' } })).status, 200, 'a district supervisor, with a reason');
  for (const role of ['care_team', 'caregiver', 'gatekeeper', 'resident', 'volunteer']) {
    assertProblem(await call(server, 'GET', `/api/v1/cases/${caseId}`, { session: await loginAs(server, role) }), 403, role);
    assert.equal((await call(server, 'GET', '/api/v1/cases', { session: await loginAs(server, role) })).json.items.length, 0, role);
  }
  assertProblem(await call(server, 'GET', `/api/v1/cases/${caseId}`), 401);
  // Handing the case to the supervisor takes it away from the caseworker.
  const h = await call(server, 'PUT', `/api/v1/cases/${caseId}/assignee`, { session: admin, body: { account_id: admin.demo.account_id } });
  assert.equal(h.status, 200, h.text);
  assertProblem(await call(server, 'GET', `/api/v1/cases/${caseId}`, { session: cw }), 403);
  const log = await call(server, 'GET', '/api/v1/admin/access-log', { session: admin });
  assert.equal(log.status, 200, log.text);
  const rows = log.json.items;
  const reads = rows.filter((x) => x.subject_kind === 'case' && Number(x.subject_id) === caseId);
  assert.ok(reads.length >= 2, JSON.stringify(rows[0]));
  if (server.db.startsWith('sqlite:')) {
    const raw = execFileSync('sqlite3', [server.db.slice(7), 'SELECT body_enc FROM case_entries'], { encoding: 'utf8' });
    assert.ok(!raw.includes('한전') && !raw.includes('단전'), 'entries encrypted at rest');
  }
  const closed = await call(server, 'POST', `/api/v1/cases/${caseId}/stage`, { session: admin, body: { stage: 'closed', outcome: 'linked_public', note: '긴급복지 생계지원 연계' } });
  assert.equal(closed.status, 200, closed.text);
  assertProblem(await call(server, 'POST', `/api/v1/cases/${caseId}/stage`, { session: admin, body: { stage: 'monitoring' } }), 409);
  // A closed case takes no more notes or visits (its record is final; a new case is opened instead).
  assertProblem(await call(server, 'POST', `/api/v1/cases/${caseId}/notes`, { session: admin, body: { text: '종결 후 메모' } }), 409);
  // A new case may now be opened for the household.
  assert.equal((await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: household } })).status, 201);
});

test('a caseworker lists every case of their dong with ?scope=dong, but opens only their own', async () => {
  // A second caseworker of the same dong, granted by the district admin.
  const email = `cases.cw2.${process.pid}.${Date.now() % 100000}@example.com`;
  const districtId = (await call(server, 'GET', '/api/v1/districts')).json.find((d) => d.dongs.some((g) => g.id === myDong)).id;
  const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { email, password: 'cases-test-pass-1', name: '둘째 주무관', district_id: districtId } });
  assert.equal(su.status, 201, su.text);
  const g = await call(server, 'POST', `/api/v1/admin/accounts/${su.json.account.id}/roles`, { session: admin, body: { role: 'caseworker', scope_kind: 'dong', scope_id: myDong } });
  assert.equal(g.status, 201, g.text);
  const h = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, body: { channel: 'counter', dong_id: myDong, address: `버들길 ${Date.now() % 100000}`, concern: '창구 상담' } });
  const opened = await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: h.json.household_id, assigned_account_id: su.json.account.id } });
  assert.equal(opened.status, 201, opened.text);
  const theirs = opened.json.id;

  const mine = await call(server, 'GET', '/api/v1/cases', { session: cw });
  assert.ok(!mine.json.items.some((c) => c.id === theirs), 'not in "mine"');
  assert.ok(mine.json.items.every((c) => c.mine && c.can_open), mine.text);
  const dong = await call(server, 'GET', '/api/v1/cases?scope=dong', { session: cw });
  const row = dong.json.items.find((c) => c.id === theirs);
  assert.ok(row, dong.text);
  assert.equal(row.mine, false);
  assert.equal(row.can_open, false);
  assert.ok(!('entries' in row), 'no entries in the list');
  assertProblem(await call(server, 'GET', `/api/v1/cases/${theirs}`, { session: cw }), 403);
  const cw2 = await login(server, email, 'cases-test-pass-1');
  assert.equal((await call(server, 'GET', `/api/v1/cases/${theirs}`, { session: cw2 })).status, 200);

  // A care-team member sees no cases either way; bad parameters are named.
  assert.equal((await call(server, 'GET', '/api/v1/cases?scope=dong', { session: other })).json.items.length, 0);
  const bad = assertProblem(await call(server, 'GET', '/api/v1/cases?scope=all&dong=abc', { session: cw }), 422);
  assert.deepEqual(errorFields(bad).sort(), ['dong', 'scope']);
});

test('only a supervisor of the dong (or a district admin) hands a case on; a caseworker cannot take one to themselves', async () => {
  const email = `cases.taker.${process.pid}.${Date.now() % 100000}@example.com`;
  const districtId = (await call(server, 'GET', '/api/v1/districts')).json.find((d) => d.dongs.some((g) => g.id === myDong)).id;
  const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { email, password: 'cases-test-pass-2', name: '옆자리 주무관', district_id: districtId } });
  assert.equal(su.status, 201, su.text);
  const colleagueId = su.json.account.id;
  assert.equal((await call(server, 'POST', `/api/v1/admin/accounts/${colleagueId}/roles`, { session: admin, body: { role: 'caseworker', scope_kind: 'dong', scope_id: myDong } })).status, 201);
  const colleague = await login(server, email, 'cases-test-pass-2');
  const h = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, body: { channel: 'counter', dong_id: myDong, address: `솔내로 ${Date.now() % 100000}`, concern: '상담 필요' } });
  const opened = await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: h.json.household_id } });
  assert.equal(opened.status, 201, opened.text);
  const id = opened.json.id;
  assert.equal((await call(server, 'POST', `/api/v1/cases/${id}/notes`, { session: cw, body: { text: '비밀 상담 메모' } })).status, 201);

  // The colleague cannot take it, and so cannot read its notes.
  assertProblem(await call(server, 'PUT', `/api/v1/cases/${id}/assignee`, { session: colleague, body: { account_id: colleagueId } }), 403, 'self-reassignment');
  const still = await call(server, 'GET', `/api/v1/cases/${id}`, { session: colleague });
  assertProblem(still, 403);
  assert.ok(!still.text.includes('비밀 상담 메모'));
  // Nor does the assigned caseworker hand it on by themselves.
  assertProblem(await call(server, 'PUT', `/api/v1/cases/${id}/assignee`, { session: cw, body: { account_id: colleagueId } }), 403, 'caseworker handing on');

  // The dong's supervisor reads it and hands it on; the access log says who did.
  const sup = await loginAs(server, 'supervisor');
  assert.equal(sup.demo.scope_id, myDong, 'the demo supervisor leads the caseworkers of the demo dong');
  // Not their own case: the supervisor says why (docs/privacy.md, "Access log").
  assertProblem(await call(server, 'GET', `/api/v1/cases/${id}`, { session: sup }), 422);
  assert.equal((await call(server, 'GET', `/api/v1/cases/${id}`, { session: sup, headers: { 'X-Access-Reason': 'reassignment review' } })).status, 200);
  assert.ok((await call(server, 'GET', '/api/v1/cases', { session: sup })).json.items.some((c) => c.id === id), 'the supervisor lists the dong\'s cases');
  const notCw = assertProblem(await call(server, 'PUT', `/api/v1/cases/${id}/assignee`, { session: sup, body: { account_id: other.demo.account_id } }), 422);
  assert.deepEqual(errorFields(notCw), ['account_id']);
  const moved = await call(server, 'PUT', `/api/v1/cases/${id}/assignee`, { session: sup, body: { account_id: colleagueId } });
  assert.equal(moved.status, 200, moved.text);
  assert.equal((await call(server, 'GET', `/api/v1/cases/${id}`, { session: colleague })).status, 200);
  assertProblem(await call(server, 'GET', `/api/v1/cases/${id}`, { session: cw }), 403);
  const log = await call(server, 'GET', '/api/v1/admin/access-log', { session: admin });
  const row = log.json.items.find((x) => x.subject_kind === 'case' && x.subject_id === id && x.action === 'reassign');
  assert.ok(row, `the reassignment is logged: ${log.text.slice(0, 300)}`);
  assert.equal(row.actor_account_id, sup.demo.account_id);
  assert.ok(row.at > 1700000000, `with its real time: ${row.at}`);
});
