// Projects (사업) of help matching over HTTP (issue 13, src/sharing): a manager opens a project
// with an RRULE schedule expanded into shifts; hostile rules get a problem naming `rrule`;
// volunteers join shifts and the database never lets a shift go over capacity, also when many
// join at once; a sub-field's vetting level applies to joining. SQLite and
// (DURE_HTTP_DB=postgresql) PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs, districts, sessionCookie } from './_client.mjs';

let server, manager, caseworker, districtId, cwDong, otherDong;
const uniq = Date.now() % 1000000;
const day = (offset) => new Date(Date.now() + 9 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);
const post = (session, path, body, headers = {}) => call(server, 'POST', path, { session, body, headers });
const get = (session, path) => call(server, 'GET', path, { session });

async function signup(n) {
  const r = await call(server, 'POST', '/api/v1/auth/signup',
    { body: { email: `sharing.prj.${uniq}.${n}@example.com`, password: 'gangnam-river-walk-42', name: `봉사${n}`, district_id: districtId } });
  assert.equal(r.status, 201, r.text);
  return { cookie: sessionCookie(r.setCookies).split(';')[0], csrf: r.json.csrf_token, account: r.json.account };
}

const project = (extra = {}) => ({ title: '어르신 반찬 나눔', subfield: 'H03', organization: 'dong_centre', dong_id: otherDong,
  dtstart: day(1), rrule: 'FREQ=WEEKLY;INTERVAL=1;COUNT=4', start_minute: 600, minutes: 120, slots: 3, ...extra });

before(async () => {
  server = await startServer();
  const ds = await districts(server);
  districtId = ds[0].id;
  manager = await loginAs(server, 'project_manager');
  caseworker = await loginAs(server, 'caseworker');
  cwDong = caseworker.demo.scope_id;
  otherDong = ds[0].dongs.find((g) => g.id !== cwDong).id;
});
after(async () => { if (server) await server.stop(); });

test('a manager opens a project; the schedule is expanded into shifts; anyone reads it', async () => {
  const r = await post(manager, '/api/v1/sharing/projects', project({ rrule: 'FREQ=DAILY;INTERVAL=2;COUNT=5' }), { 'Idempotency-Key': `prj-${uniq}` });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.shifts, r.json.first, r.json.last, r.json.rrule], [5, day(1), day(9), 'FREQ=DAILY;INTERVAL=2;COUNT=5']);
  const again = await post(manager, '/api/v1/sharing/projects', project({ rrule: 'FREQ=DAILY;INTERVAL=2;COUNT=5' }), { 'Idempotency-Key': `prj-${uniq}` });
  assert.equal(again.json.id, r.json.id, 'replayed, not a second project');
  const one = await get(null, `/api/v1/sharing/projects/${r.json.id}`);
  assert.equal(one.status, 200, one.text);
  assert.deepEqual(one.json.shifts.map((s) => s.day), [day(1), day(3), day(5), day(7), day(9)]);
  assert.ok(one.json.shifts.every((s) => s.capacity === 3 && s.places_left === 3 && s.joined === false));
  assert.equal(one.json.organization_ko, '동 행정복지센터');
  const list = await get(null, '/api/v1/sharing/projects');
  assert.ok(list.json.items.some((p) => p.id === r.json.id && p.upcoming_shifts === 5 && p.places_left === 15));
  // One-off: no rule, one shift. Whole district: dong_id null.
  const once = await post(manager, '/api/v1/sharing/projects', project({ rrule: undefined, dong_id: null }));
  assert.equal(once.status, 201, once.text);
  assert.equal(once.json.shifts, 1);
  assertProblem(await get(null, '/api/v1/sharing/projects/987654'), 404, 'unknown project');
});

test('hostile schedules and bad fields get a problem naming the field; nothing is written', async () => {
  const before = (await get(null, '/api/v1/sharing/projects')).json.items.length;
  const cases = [
    [{ rrule: 'FREQ=HOURLY' }, 'rrule', 'unsupported_freq'],
    [{ rrule: 'FREQ=DAILY;COUNT=3;UNTIL=20991231' }, 'rrule', 'count_and_until'],
    [{ rrule: 'FREQ=WEEKLY;BYDAY=XX' }, 'rrule', 'bad_byday'],
    [{ rrule: 'FREQ=DAILY;INTERVAL=99999999999' }, 'rrule', 'bad_interval'],
    [{ rrule: 'FREQ=DAILY;BYSETPOS=1;' + 'X'.repeat(150) }, 'rrule', 'unknown_part'],
    [{ rrule: 'FREQ=DAILY;UNTIL=20200101' }, 'rrule', 'no_dates'],
    [{ rrule: 'A'.repeat(300) }, 'rrule', 'too_long'],
    [{ dtstart: '2020-01-01' }, 'dtstart', 'in_the_past'],
    [{ dtstart: '2026-02-30' }, 'dtstart', 'not_a_date'],
    [{ slots: 0 }, 'slots', null],
    [{ subfield: 'Z99' }, 'subfield', 'unknown_subfield'],
    [{ organization: 'mafia' }, 'organization', 'unknown_code'],
    [{ start_minute: 1400, minutes: 120 }, 'minutes', 'past_midnight'],
  ];
  for (const [extra, field, code] of cases) {
    const p = assertProblem(await post(manager, '/api/v1/sharing/projects', project(extra)), 422, field);
    assert.ok(errorFields(p).includes(field), `${field}: ${JSON.stringify(p.errors)}`);
    if (code) assert.equal(p.errors.find((e) => e.field === field).code, code, JSON.stringify(p.errors));
  }
  assert.equal((await get(null, '/api/v1/sharing/projects')).json.items.length, before, 'nothing half-written');
  // Who opens projects: managers of the scope only.
  const resident = await signup('x');
  assertProblem(await post(resident, '/api/v1/sharing/projects', project()), 403, 'resident');
  assertProblem(await post(null, '/api/v1/sharing/projects', project()), 401, 'anonymous');
  assertProblem(await post(caseworker, '/api/v1/sharing/projects', project({ dong_id: otherDong })), 403, 'another dong');
  assertProblem(await post(caseworker, '/api/v1/sharing/projects', project({ dong_id: null })), 403, 'a dong caseworker: not district-wide');
  assert.equal((await post(caseworker, '/api/v1/sharing/projects', project({ dong_id: cwDong }))).status, 201);
});

test('many volunteers join one shift at once: exactly its capacity get places; leaving frees one', async () => {
  const r = await post(manager, '/api/v1/sharing/projects', project({ rrule: 'FREQ=WEEKLY;COUNT=2', slots: 3 }));
  const shift = (await get(null, `/api/v1/sharing/projects/${r.json.id}`)).json.shifts[0];
  const vols = [];
  for (let i = 0; i < 10; i++) vols.push(await signup(i));
  const results = await Promise.all(vols.map((v) => post(v, `/api/v1/sharing/shifts/${shift.id}/join`, {})));
  const codes = results.map((x) => x.status).sort();
  assert.deepEqual(codes, [201, 201, 201, 409, 409, 409, 409, 409, 409, 409], results.map((x) => x.text).join('\n'));
  for (const x of results.filter((y) => y.status === 409)) assert.ok(errorFields(x.json).includes('shift'), x.text);
  let view = await get(null, `/api/v1/sharing/projects/${r.json.id}`);
  assert.equal(view.json.shifts[0].places_left, 0);
  const inIt = vols.filter((_, i) => results[i].status === 201);
  const out = vols.filter((_, i) => results[i].status === 409);
  assert.equal((await get(inIt[0], `/api/v1/sharing/projects/${r.json.id}`)).json.shifts[0].joined, true);
  assertProblem(await post(inIt[0], `/api/v1/sharing/shifts/${shift.id}/join`, {}), 409, 'twice');
  assertProblem(await post(out[0], `/api/v1/sharing/shifts/${shift.id}/leave`, {}), 409, 'not in it');
  assert.equal((await post(inIt[0], `/api/v1/sharing/shifts/${shift.id}/leave`, {})).status, 200);
  assert.equal((await post(out[0], `/api/v1/sharing/shifts/${shift.id}/join`, {})).status, 201, 'the freed place is taken');
  view = await get(null, `/api/v1/sharing/projects/${r.json.id}`);
  assert.deepEqual([view.json.shifts[0].places_left, view.json.shifts[1].places_left], [0, 3]);
  assertProblem(await post(null, `/api/v1/sharing/shifts/${shift.id}/join`, {}), 401, 'anonymous');
  assertProblem(await post(inIt[1], '/api/v1/sharing/shifts/987654/join', {}), 404, 'unknown shift');
});

test('a sub-field with a vetting level: only volunteers checked at that level join', async () => {
  const r = await post(manager, '/api/v1/sharing/projects', project({ subfield: 'R02', rrule: 'FREQ=MONTHLY;BYDAY=2TU;COUNT=2' }));
  assert.equal(r.status, 201, r.text);
  const shift = (await get(null, `/api/v1/sharing/projects/${r.json.id}`)).json.shifts[0];
  const v = await signup('v');
  assertProblem(await post(v, `/api/v1/sharing/shifts/${shift.id}/join`, {}), 403, 'not trained');
  const o = await post(v, '/api/v1/sharing/offers', { subfields: ['R02'], dong_id: otherDong, days: ['tue'], hour_from: 9, hour_to: 18, mode: 'in_person' });
  await post(manager, `/api/v1/sharing/offers/${o.json.id}/vetting`, { decision: 'approve', checked: 'training' });
  assert.equal((await post(v, `/api/v1/sharing/shifts/${shift.id}/join`, {})).status, 201);
});

test('a caseworker turns a case plan goal into a need on the resident behalf, consent recorded', async () => {
  const h = await post(caseworker, '/api/v1/outreach/intake', {
    channel: 'hotline', dong_id: cwDong, address: `나눔로 ${uniq} 101호`, concern: '식사를 거르심', urgency: 'normal' });
  assert.equal(h.status, 201, h.text);
  const c = await post(caseworker, '/api/v1/cases', { household_id: h.json.household_id });
  assert.equal(c.status, 201, c.text);
  const caseId = c.json.id;
  const person = (await post(caseworker, '/api/v1/persons', { name: '사례대상', phone: '01055598765', dong_id: cwDong })).json;
  const body = (extra = {}) => ({ case_id: caseId, goal: 1, subfield: 'H03', window_from: day(0), window_to: day(30), days: ['tue'],
    hour_from: 11, hour_to: 13, detail: '주 1회 반찬 배달', on_behalf: { person_id: person.id, consent_method: 'in_person' }, ...extra });
  // Before a plan: refused naming case_id.
  let p = assertProblem(await post(caseworker, '/api/v1/sharing/needs/from-case', body()), 409, 'no plan yet');
  assert.ok(errorFields(p).includes('case_id'));
  await post(caseworker, `/api/v1/cases/${caseId}/stage`, { stage: 'assessment', crisis_level: 2, needs: ['livelihood'] });
  const plan = await post(caseworker, `/api/v1/cases/${caseId}/stage`, { stage: 'plan', goals: ['긴급 생계지원 신청', '식사 지원 연결'], services: [], referrals: [] });
  assert.equal(plan.status, 200, plan.text);
  p = assertProblem(await post(caseworker, '/api/v1/sharing/needs/from-case', body({ goal: 5 })), 422, 'unknown goal');
  assert.ok(errorFields(p).includes('goal'));
  p = assertProblem(await post(caseworker, '/api/v1/sharing/needs/from-case', body({ on_behalf: undefined })), 422, 'consent required');
  assert.ok(errorFields(p).includes('on_behalf'));
  p = assertProblem(await post(caseworker, '/api/v1/sharing/needs/from-case', body({ on_behalf: { person_id: person.id, consent_method: 'assumed' } })), 422, 'consent method');
  assert.ok(errorFields(p).includes('consent_method'));
  const resident = await signup('c');
  assertProblem(await post(resident, '/api/v1/sharing/needs/from-case', body()), 403, 'a resident');
  assertProblem(await post(manager, '/api/v1/sharing/needs/from-case', body({ case_id: 987654 })), [403, 404], 'unknown case');
  const r = await post(caseworker, '/api/v1/sharing/needs/from-case', body());
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.case_id, r.json.goal, r.json.status], [caseId, '식사 지원 연결', 'pending']);
  const q = await get(caseworker, '/api/v1/sharing/staff/queue');
  const it = q.json.needs.find((x) => x.id === r.json.id);
  assert.ok(it, 'in the vetting queue');
  assert.deepEqual([it.on_behalf, it.name, it.dong_id], [true, '사례대상', cwDong]);
});
