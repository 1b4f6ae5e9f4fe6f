// Risk-weighted workload: GET /api/v1/outreach/workload (open work and risk per dong, caseworkers'
// loads, care-team members shared out by risk) and automatic assignment to the caseworker of the
// dong with the lowest weighted load, with the reason kept in the household's timeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, loginAs, login, assertProblem, errorFields, districts } from './_client.mjs';

let server, admin, cw, resident, cw2, myDong, otherDong, district;
const stamp = String(Date.now() % 1000000).padStart(6, '0');
const REASON = 'triage: workload test';

const intake = (session, body) => call(server, 'POST', '/api/v1/outreach/intake', { session, body });
const assign = (session, id, body) => call(server, 'POST', `/api/v1/outreach/households/${id}/assign`, { session, body });
const workload = (session) => call(server, 'GET', '/api/v1/outreach/workload', { session });

// A new account holding `role` for `dong` (granted by the district admin), logged in.
async function staff(role, dong, n) {
  const email = `wl.${role}.${n}.${process.pid}.${stamp}@example.com`;
  const password = 'workload-test-pass-1';
  const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { email, password, name: `${role}${n}`, district_id: district.id } });
  assert.equal(su.status, 201, su.text);
  const g = await call(server, 'POST', `/api/v1/admin/accounts/${su.json.account.id}/roles`, {
    session: admin, body: { role, scope_kind: 'dong', scope_id: dong } });
  assert.equal(g.status, 201, g.text);
  return { ...(await login(server, email, password)), id: su.json.account.id };
}

async function household(session, dong, urgency, n) {
  const r = await intake(session, { channel: 'hotline', dong_id: dong, address: `워크로드로 ${stamp}-${n}`, concern: `부하 시험 ${n}`, urgency });
  assert.equal(r.status, 201, r.text);
  return r.json.household_id ?? r.json.reports?.[0]?.household_id;
}

before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
  resident = await loginAs(server, 'resident');
  myDong = cw.demo.scope_id;
  district = (await districts(server)).find((x) => x.dongs.some((g) => g.id === myDong));
  // A dong with no caseworker at all (the demo grants caseworker in one dong only).
  otherDong = district.dongs.find((g) => g.id !== myDong).id;
  cw2 = await staff('caseworker', myDong, 2);
  await staff('care_team', myDong, 1);
  await staff('care_team', otherDong, 2);
});
after(async () => { if (server) await server.stop(); });

test('automatic assignment goes to the caseworker with the lowest risk-weighted load, and says why', async () => {
  // The demo caseworker takes an urgent household (weight 3) by hand.
  const a = await household(cw, myDong, 'urgent', 1);
  assert.ok(a, 'intake answered with a household id');
  const manual = await assign(cw, a, { account_id: cw.account.id });
  assert.equal(manual.status, 200, manual.text);

  // The next one, assigned automatically, goes to the second caseworker (load 0 < 3).
  const b = await household(cw, myDong, 'normal', 2);
  const auto = await assign(cw, b, { auto: true });
  assert.equal(auto.status, 200, auto.text);
  assert.equal(auto.json.assigned_to, cw2.id, auto.text);
  assert.equal(auto.json.assignment.account_id, cw2.id);
  assert.match(auto.json.assignment.reason, /lowest risk-weighted load 0 .* of \d+ caseworkers; next lowest 3/, auto.json.assignment.reason);

  // The reason stays in the household's timeline.
  const opened = await call(server, 'GET', `/api/v1/outreach/households/${b}`, { session: cw, headers: { 'X-Access-Reason': REASON } });
  assert.equal(opened.status, 200, opened.text);
  const ev = opened.json.timeline.find((e) => e.kind === 'assigned');
  assert.ok(ev && /^자동 배정: 담당 공무원 \d+명 중 위험 가중 업무량이 가장 적음: 0\(가구 0, 사례 0\), 다음으로 적은 업무량 3\nauto: lowest risk-weighted load/.test(ev.note), JSON.stringify(opened.json.timeline));
  assert.match(auto.json.assignment.reason_ko, /^자동 배정: /);

  // Now cw2 carries 1 and cw 3: an urgent one goes to cw2 again, after which cw2 (4) > cw (3).
  const c = await household(cw, myDong, 'urgent', 3);
  assert.equal((await assign(cw, c, { auto: true })).json.assigned_to, cw2.id);
  const d = await household(cw, myDong, 'normal', 4);
  assert.equal((await assign(cw, d, { auto: true })).json.assigned_to, cw.account.id);
});

test('the workload view shows risk per dong, loads per caseworker, and shares care-team members by risk', async () => {
  const mine = await workload(cw);
  assert.equal(mine.status, 200, mine.text);
  assert.deepEqual(mine.json.dongs.map((d) => d.dong.id), [myDong], 'a dong caseworker sees their dong only');
  const row = mine.json.dongs[0];
  // 2 urgent (3 each) + 2 normal (1 each), plus whatever else the demo left open there.
  assert.ok(row.risk >= 8, JSON.stringify(row));
  assert.ok(row.open_households >= 4 && row.caseworkers === 2 && row.care_team_members >= 1, JSON.stringify(row));
  const loads = Object.fromEntries(mine.json.staff.map((s) => [s.account_id, s]));
  assert.equal(loads[cw.account.id].load, 4, JSON.stringify(mine.json.staff));
  assert.equal(loads[cw2.id].load, 4, JSON.stringify(mine.json.staff));
  assert.match(row.reason, /^risk \d+ of the district's \d+ → \d+ of \d+ care-team members$/);
  assert.match(row.reason_ko, /^위험도 \d+\(구 전체 \d+\) → 돌봄 인력 \d+명 중 \d+명$/);

  const all = await workload(admin);
  assert.equal(all.status, 200, all.text);
  assert.equal(all.json.dongs.length, district.dongs.length, 'the district admin sees every dong');
  const total = all.json.dongs.reduce((n, d) => n + d.suggested_care_team_members, 0);
  assert.equal(total, all.json.care_team_members, 'every member is placed');
  const riskiest = all.json.dongs.reduce((a, b) => (b.risk > a.risk ? b : a));
  for (const d of all.json.dongs) {
    assert.ok(d.suggested_care_team_members <= riskiest.suggested_care_team_members, `${JSON.stringify(d)} vs ${JSON.stringify(riskiest)}`);
    if (d.risk === 0) assert.equal(d.suggested_care_team_members, 0, JSON.stringify(d));
  }
});

test('automatic assignment where nobody serves the dong, and bad bodies, get field errors', async () => {
  const h = await household(admin, otherDong, 'high', 5);
  const none = assertProblem(await assign(admin, h, { auto: true }), 422, 'no caseworker in that dong');
  assert.deepEqual(none.errors.map((e) => [e.field, e.code]), [['auto', 'no_caseworker']]);
  const notBool = assertProblem(await assign(admin, h, { auto: 'yes' }), 422, 'auto not a boolean');
  assert.ok(errorFields(notBool).includes('auto'));
  const both = assertProblem(await assign(admin, h, { auto: true, account_id: cw.account.id }), 422, 'both');
  assert.ok(errorFields(both).includes('auto'));
  const neither = assertProblem(await assign(admin, h, {}), 422, 'neither');
  assert.ok(errorFields(neither).includes('account_id'));
  // The household is still unassigned after all that.
  const q = await call(server, 'GET', `/api/v1/outreach/queue?dong_id=${otherDong}&status=new`, { session: admin });
  assert.ok(q.json.items.some((x) => x.id === h), q.text);
});

test('only triage staff see the workload', async () => {
  assertProblem(await workload(resident), 403, 'resident');
  assertProblem(await call(server, 'GET', '/api/v1/outreach/workload'), 401, 'anonymous');
});
