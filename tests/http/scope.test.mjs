// District scope is part of every grant and every query, tested with the demo's second district
// (`dure demo --second-district`): each district's staff work on their own records, lists never
// fall back to the first district, and a record of another district answers exactly like a
// missing one. Routes that look a record up authenticate first, so ids cannot be probed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, login, loginAs } from './_client.mjs';

const SURVEY = 'living_conditions_50plus';
let server, d1, d2, admin1, cw1, admin2, cw2, ct2, cg2, dong2;
let case2, person2, assignment2, response2;

before(async () => {
  server = await startServer({ secondDistrict: true });
  d1 = server.account('district_admin').district_id;
  const second = server.accounts.filter((a) => a.district_id !== d1);
  assert.ok(second.length >= 4, `the second district has staff: ${JSON.stringify(server.accounts.map((a) => [a.role, a.district_id]))}`);
  d2 = second[0].district_id;
  const as2 = async (role) => {
    const a = second.find((x) => x.role === role);
    assert.ok(a, `district 2 has a ${role}`);
    return { ...(await login(server, a.login, a.password)), demo: a };
  };
  admin1 = await loginAs(server, 'district_admin');
  cw1 = await loginAs(server, 'caseworker');
  admin2 = await as2('district_admin');
  cw2 = await as2('caseworker');
  ct2 = await as2('care_team');
  cg2 = await as2('caregiver');
  dong2 = cw2.demo.scope_id;
  const ds = (await call(server, 'GET', '/api/v1/districts')).json;
  assert.ok(ds.find((d) => d.id === d2).dongs.some((g) => g.id === dong2), 'the district-2 caseworker works in a district-2 dong');
});
after(async () => { if (server) await server.stop(); });

test('a district-2 caseworker opens and lists their own cases; district 1 never sees them', async () => {
  const h = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw2, body: { channel: 'counter', dong_id: dong2, address: '누리구 하늘로 5', concern: '난방비 체납' } });
  assert.equal(h.status, 201, h.text);
  const c = await call(server, 'POST', '/api/v1/cases', { session: cw2, body: { household_id: h.json.household_id } });
  assert.equal(c.status, 201, c.text);
  case2 = c.json.id;
  const mine = await call(server, 'GET', '/api/v1/cases', { session: cw2 });
  assert.ok(mine.json.items.some((x) => x.id === case2), `the district-2 caseworker lists their case: ${mine.text}`);
  const all2 = await call(server, 'GET', '/api/v1/cases', { session: admin2 });
  assert.ok(all2.json.items.some((x) => x.id === case2), `the district-2 admin lists it: ${all2.text}`);
  const all1 = await call(server, 'GET', '/api/v1/cases', { session: admin1 });
  assert.ok(!all1.json.items.some((x) => x.id === case2), 'district 1 does not list it');
  assert.equal((await call(server, 'GET', `/api/v1/cases/${case2}`, { session: cw2 })).status, 200);
});

test('a district-2 caseworker assigns a caregiver of their dong and sees the assignment in their lists', async () => {
  const p = await call(server, 'POST', '/api/v1/persons', { session: cw2, body: { name: '누리주민', phone: '01055529999', dong_id: dong2 } });
  assert.equal(p.status, 201, p.text);
  person2 = p.json.id;
  const a = await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw2, body: { person_id: person2, caregiver_account_id: cg2.demo.account_id, cadence: 'daily' } });
  assert.equal(a.status, 201, `district-2 assignment: ${a.text}`);
  assignment2 = a.json.id;
  const list = await call(server, 'GET', `/api/v1/checkins/assignments?dong=${dong2}`, { session: cw2 });
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.some((x) => x.id === assignment2), `listed for district 2: ${list.text}`);
  const whole = await call(server, 'GET', '/api/v1/checkins/assignments', { session: admin2 });
  assert.ok(whole.json.items.some((x) => x.id === assignment2), `the district-2 admin's district list: ${whole.text}`);
  const d1list = await call(server, 'GET', '/api/v1/checkins/assignments', { session: admin1 });
  assert.ok(!d1list.json.items.some((x) => x.id === assignment2), 'not in district 1\'s list');
  assert.equal((await call(server, 'GET', '/api/v1/checkins/escalations', { session: admin2 })).status, 200);
  // A district-1 caregiver cannot be put on a district-2 resident.
  const wrong = await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw2, body: { person_id: person2, caregiver_account_id: server.account('caregiver').account_id, cadence: 'daily' } });
  assert.equal(wrong.status, 422, wrong.text);
  assert.equal(wrong.json.errors[0].field, 'caregiver_account_id');
});

test('a district-2 care team\'s interview stays in district 2', async () => {
  const r = await call(server, 'POST', `/api/v1/surveys/${SURVEY}/responses`, { session: ct2, body: {
    dong_id: dong2, respondent: { name: '누리응답', address: '누리구 바닷길 3', birth_year: 1950 },
    answers: { meals: 'one_or_less', health: 'poor', chronic_untreated: true, contact_frequency: 'rarely', emergency_contact: false, heating: false, mood: 'most_days', wants_help: true } } });
  assert.equal(r.status, 201, r.text);
  response2 = r.json.id;
  const theirs = await call(server, 'GET', `/api/v1/surveys/${SURVEY}/responses`, { session: cw2 });
  assert.ok(theirs.json.items.some((x) => x.id === response2), `district 2 lists its interview: ${theirs.text}`);
  const ours = await call(server, 'GET', `/api/v1/surveys/${SURVEY}/responses`, { session: admin1 });
  assert.ok(!ours.json.items.some((x) => x.id === response2), `district 1 does not: ${ours.text}`);
  const q1 = await call(server, 'GET', '/api/v1/outreach/queue?status=all', { session: admin1 });
  assert.ok(!q1.json.items.some((x) => x.district_id === d2 || x.dong?.id === dong2), 'nothing of district 2 in district 1\'s triage queue');
  const q2 = await call(server, 'GET', '/api/v1/outreach/queue?status=all', { session: admin2 });
  assert.ok(q2.json.items.some((x) => x.district_id === d2 && x.dong?.id === dong2), `the flagged interview joined district 2's queue: ${q2.text.slice(0, 300)}`);
  // A dong id of the other district is no dong of the interviewer's.
  const cross = await call(server, 'POST', `/api/v1/surveys/${SURVEY}/responses`, { session: admin1, body: {
    dong_id: dong2, respondent: { name: 'x', address: 'y', birth_year: 1950 }, answers: { meals: 'three', health: 'good', chronic_untreated: false, contact_frequency: 'weekly', emergency_contact: true, heating: true, mood: 'no', wants_help: false } } });
  assert.equal(cross.status, 422, cross.text);
});

test('screening lists default to the caller\'s district', async () => {
  const r = await call(server, 'GET', '/api/v1/screening/rounds', { session: admin2 });
  assert.equal(r.status, 200, `district-2 admin lists their rounds: ${r.text}`);
});

test('another district\'s record answers exactly like a missing one', async () => {
  const pairs = [
    ['GET', (id) => `/api/v1/cases/${id}`, () => case2],
    ['GET', (id) => `/api/v1/persons/${id}`, () => person2, { 'X-Access-Reason': 'scope check' }],
    ['GET', (id) => `/api/v1/checkins/assignments/${id}`, () => assignment2],
    ['GET', (id) => `/api/v1/surveys/responses/${id}`, () => response2],
  ];
  for (const [method, path, id, headers] of pairs) {
    for (const who of [admin1, cw1]) {
      const theirs = await call(server, method, path(id()), { session: who, headers });
      const missing = await call(server, method, path(987654), { session: who, headers });
      assert.equal(theirs.status, missing.status, `${who.demo.role} ${path(id())}: ${theirs.status} vs missing ${missing.status}`);
      assert.equal(theirs.json?.detail, missing.json?.detail, `${who.demo.role} ${path(id())}: same detail`);
      assert.ok([403, 404].includes(theirs.status), `${path(id())}: ${theirs.status}`);
    }
  }
  // A district-2 supervisor cannot reassign a district-1 case either.
  const h = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw1, body: { channel: 'counter', dong_id: cw1.demo.scope_id, address: '은행로 55', concern: '상담' } });
  const c1 = (await call(server, 'POST', '/api/v1/cases', { session: cw1, body: { household_id: h.json.household_id } })).json.id;
  const sup2 = server.accounts.find((a) => a.district_id === d2 && a.role === 'supervisor');
  const s2 = await login(server, sup2.login, sup2.password);
  const far = await call(server, 'PUT', `/api/v1/cases/${c1}/assignee`, { session: s2, body: { account_id: sup2.account_id } });
  const none = await call(server, 'PUT', '/api/v1/cases/987654/assignee', { session: s2, body: { account_id: sup2.account_id } });
  assert.equal(far.status, none.status, `${far.text} vs ${none.text}`);
  assert.equal(far.json.detail, none.json.detail);
});

test('routes that look a record up ask for a login first: no 404 for anonymous callers', async () => {
  const probes = [
    ['GET', `/api/v1/cases/${case2}`], ['GET', '/api/v1/cases/987654'],
    ['POST', '/api/v1/cases/987654/notes', { text: 'x' }], ['PUT', '/api/v1/cases/987654/assignee', { account_id: 1 }],
    ['POST', '/api/v1/cases', { household_id: 987654 }],
    ['GET', `/api/v1/checkins/assignments/${assignment2}`], ['GET', '/api/v1/checkins/assignments/987654'],
    ['POST', '/api/v1/checkins/assignments/987654/checkins', { result: 'fine' }],
    ['POST', '/api/v1/checkins/assignments', { person_id: 987654, caregiver_account_id: 1, cadence: 'daily' }],
    ['GET', '/api/v1/screening/items/987654'], ['PUT', '/api/v1/screening/items/987654/outcome', { outcome: 'refused' }],
    ['GET', '/api/v1/screening/rounds/987654'],
    ['GET', `/api/v1/surveys/responses/${response2}`], ['GET', '/api/v1/surveys/responses/987654'],
    ['PUT', '/api/v1/surveys/responses/987654/follow_up', { follow_up: 'supported' }],
    ['POST', '/api/v1/persons/987654/rrn'],
  ];
  const got = [];
  for (const [method, path, body] of probes) {
    const r = await call(server, method, path, { body });
    if (r.status !== 401) got.push(`${method} ${path}: ${r.status}`);
  }
  assert.deepEqual(got, []);
});

test('staff routes without ?district_id= work in the caller\'s district, never the first one', async () => {
  // The catalogue: a district-2 official creates a service without naming the district.
  const svc = await call(server, 'POST', '/api/v1/services', { session: admin2, body: { name: '누리구 시험 서비스', provider_level: 'district', topics: ['care'], life_stages: ['senior'] } });
  assert.equal(svc.status, 201, `a district-2 service is created in district 2: ${svc.text}`);
  const in2 = await call(server, 'GET', `/api/v1/services?district_id=${d2}&q=${encodeURIComponent('누리구 시험 서비스')}`);
  assert.ok(in2.json.items.some((s) => s.id === svc.json.id), `listed in district 2: ${in2.text}`);
  const in1 = await call(server, 'GET', `/api/v1/services?district_id=${d1}&q=${encodeURIComponent('누리구 시험 서비스')}`);
  assert.ok(!in1.json.items.some((s) => s.id === svc.json.id), 'not in district 1');
  const fresh = await call(server, 'GET', '/api/v1/catalog/freshness', { session: admin2 });
  assert.equal(fresh.status, 200, `district 2 reads its own freshness queue: ${fresh.text}`);
  // News: posted to the caller's district, listed there for the caller.
  const n = await call(server, 'POST', '/api/v1/news', { session: admin2, body: { title: '누리구 소식 시험', body: '누리구 주민센터 안내' } });
  assert.equal(n.status, 201, `district-2 news: ${n.text}`);
  const news2 = await call(server, 'GET', `/api/v1/news?district_id=${d2}`);
  assert.ok(news2.json.items.some((x) => x.id === n.json.id), 'in district 2');
  const news1 = await call(server, 'GET', '/api/v1/news');
  assert.ok(!news1.json.items.some((x) => x.id === n.json.id), 'the anonymous default list (district 1) does not show it');
  const mine = await call(server, 'GET', '/api/v1/news', { session: admin2 });
  assert.ok(mine.json.items.some((x) => x.id === n.json.id), `a district-2 official lists their district's news: ${mine.text}`);
  // Administration: the dead-letter outbox is the caller's district's.
  assert.equal((await call(server, 'GET', '/api/v1/admin/outbox/dead', { session: admin2 })).status, 200, 'district-2 admin reads its outbox');
  assert.equal((await call(server, 'GET', '/api/v1/admin/jobs', { session: admin2 })).status, 200, 'district-2 admin reads the jobs');
});

test('intake by a dong official never joins or names a household of another dong (review #20: intake answered merged and household_id across dongs)', async () => {
  const ds = (await call(server, 'GET', '/api/v1/districts')).json;
  const myDong = cw1.demo.scope_id;
  const otherDong = ds.find((d) => d.id === d1).dongs.find((g) => g.id !== myDong).id;
  const phone = `0107${String(process.pid).padStart(7, '0').slice(-7)}`;
  const there = await call(server, 'POST', '/api/v1/outreach/intake', { session: admin1, body: { channel: 'hotline', dong_id: otherDong, address: '다른동로 7', concern: '연락 두절', subject_phone: phone } });
  assert.equal(there.status, 201, there.text);
  const mine = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw1, body: { channel: 'counter', dong_id: myDong, address: '은행로 77', concern: '상담 요청', subject_phone: phone } });
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.json.merged, false, `the caseworker's report does not join another dong's household: ${mine.text}`);
  assert.notEqual(mine.json.household_id, there.json.household_id, 'the answer does not name the other dong\'s household');
  const opened = await call(server, 'GET', `/api/v1/outreach/households/${mine.json.household_id}`, { session: cw1, headers: { 'X-Access-Reason': 'scope check' } });
  assert.equal(opened.status, 200, `the household named is one the caseworker can open: ${opened.status}`);
  // A district-wide official still finds the known household, whatever the dong.
  const admin = await call(server, 'POST', '/api/v1/outreach/intake', { session: admin1, body: { channel: 'hotline', dong_id: myDong, address: '은행로 78', concern: '재신고', subject_phone: phone } });
  assert.equal(admin.status, 201, admin.text);
  assert.equal(admin.json.merged, true, `district-wide intake joins a known household: ${admin.text}`);
});
