// The staff directory: GET /api/v1/outreach/staff?dong=&role= lists who serves a dong as
// caseworker, care-team member or caregiver (a dong grant there, or a district grant), by name and
// role only, for those who may assign people in that dong. Node standard library only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, loginAs, login, assertProblem, districts } from './_client.mjs';

let server, admin, cw, district, myDong, otherDong;
const people = {};  // key -> { id, name, email }
const stamp = String(Date.now() % 1000000).padStart(6, '0');
const PHONE = '010-5555-' + stamp.slice(-4);

const directory = (session, query) => call(server, 'GET', `/api/v1/outreach/staff${query === undefined ? '' : `?${query}`}`, { session });

// A new account with `role` granted for a dong (or the district with scope 'district'); with
// `byPhone`, it signs up with a mobile number instead of an e-mail address.
async function account(key, role, scope, byPhone = false) {
  const email = `dir.${key}.${process.pid}.${stamp}@example.com`;
  const name = `명부${key}${stamp}`;
  const password = 'directory-test-pass-1';
  const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { ...(byPhone ? { phone: PHONE } : { email }), password, name, district_id: district.id } });
  assert.equal(su.status, 201, su.text);
  const id = su.json.account.id;
  const body = scope === 'district' ? { role, scope_kind: 'district', scope_id: district.id } : { role, scope_kind: 'dong', scope_id: scope };
  const g = await call(server, 'POST', `/api/v1/admin/accounts/${id}/roles`, { session: admin, body });
  assert.equal(g.status, 201, g.text);
  people[key] = { id, name, email, password };
  return people[key];
}

before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
  myDong = cw.demo.scope_id;
  district = (await districts(server)).find((x) => x.dongs.some((g) => g.id === myDong));
  otherDong = district.dongs.find((g) => g.id !== myDong).id;
  await account('cwHere', 'caseworker', myDong, true);
  await account('cwThere', 'caseworker', otherDong);
  await account('ctThere', 'care_team', otherDong);
  await account('cgThere', 'caregiver', otherDong);
  await account('cwWide', 'caseworker', 'district');
  await account('gkHere', 'gatekeeper', myDong);
});
after(async () => { if (server) await server.stop(); });

const demo = (role) => server.account(role);
const byId = (items) => new Map(items.map((x) => [`${x.account_id}/${x.role}`, x]));

test('a caseworker lists the caseworkers, care-team members and caregivers of their dong, and no one else', async () => {
  const r = await directory(cw, `dong=${myDong}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const got = byId(r.json.items);
  const want = [
    [demo('caseworker').account_id, 'caseworker', demo('caseworker').name, false],
    [people.cwHere.id, 'caseworker', people.cwHere.name, false],
    [people.cwWide.id, 'caseworker', people.cwWide.name, true],
    [demo('care_team').account_id, 'care_team', demo('care_team').name, false],
    [demo('caregiver').account_id, 'caregiver', demo('caregiver').name, false],
  ];
  for (const [id, role, name, wide] of want) {
    const x = got.get(`${id}/${role}`);
    assert.ok(x, `${name} (${role}) is listed: ${r.text}`);
    assert.equal(x.name, name);
    assert.equal(x.district_wide, wide, JSON.stringify(x));
  }
  for (const key of ['cwThere', 'ctThere', 'cgThere', 'gkHere'])
    assert.ok(!r.json.items.some((x) => x.account_id === people[key].id), `${key} is not listed: ${r.text}`);
  for (const x of r.json.items) assert.ok(['caseworker', 'care_team', 'caregiver'].includes(x.role), JSON.stringify(x));
  assert.ok(!r.json.items.some((x) => x.account_id === demo('gatekeeper').account_id || x.account_id === demo('district_admin').account_id));
  // Grouped by role (caseworkers, care team, caregivers), each group by name.
  const order = ['caseworker', 'care_team', 'caregiver'];
  const ranks = r.json.items.map((x) => order.indexOf(x.role));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), r.text);
});

test('names and roles only: no e-mail address or phone number in the answer', async () => {
  const r = await directory(admin, `dong=${myDong}`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length >= 5, r.text);
  for (const x of r.json.items) assert.deepEqual(Object.keys(x).sort(), ['account_id', 'district_wide', 'name', 'role'], JSON.stringify(x));
  assert.ok(!r.text.includes('@'), `no e-mail address: ${r.text}`);
  assert.ok(!r.text.includes(PHONE) && !r.text.includes(PHONE.replace(/-/g, '')), `no phone number: ${r.text}`);
  assert.ok(!/email|phone/i.test(r.text), r.text);
});

test('role filters, comma-separated; the district admin sees any dong', async () => {
  const carers = await directory(cw, `dong=${myDong}&role=caregiver,care_team`);
  assert.equal(carers.status, 200, carers.text);
  assert.deepEqual([...new Set(carers.json.items.map((x) => x.role))].sort(), ['care_team', 'caregiver'], carers.text);
  assert.ok(carers.json.items.some((x) => x.account_id === demo('caregiver').account_id));
  assert.ok(!carers.json.items.some((x) => x.role === 'caseworker'));

  const cws = await directory(cw, `dong=${myDong}&role=caseworker`);
  assert.equal(cws.status, 200, cws.text);
  assert.deepEqual(cws.json.items.map((x) => x.account_id).sort((a, b) => a - b),
    [demo('caseworker').account_id, people.cwHere.id, people.cwWide.id].sort((a, b) => a - b), cws.text);

  const there = await directory(admin, `dong=${otherDong}`);
  assert.equal(there.status, 200, there.text);
  const ids = there.json.items.map((x) => x.account_id);
  for (const key of ['cwThere', 'ctThere', 'cgThere', 'cwWide']) assert.ok(ids.includes(people[key].id), `${key} in ${there.text}`);
  for (const key of ['cwHere']) assert.ok(!ids.includes(people[key].id), `${key} not in ${there.text}`);
  assert.ok(!ids.includes(demo('caseworker').account_id) && !ids.includes(demo('caregiver').account_id), there.text);
});

test('anonymous callers get 401', async () => {
  assertProblem(await directory(null, `dong=${myDong}`), 401, 'anonymous');
  assertProblem(await directory(null), 401, 'anonymous without dong');
});

test('gatekeepers, residents, caregivers, care-team members and a caseworker of another dong get 403', async () => {
  for (const role of ['gatekeeper', 'resident', 'caregiver', 'care_team', 'volunteer']) {
    const s = await loginAs(server, role);
    const p = assertProblem(await directory(s, `dong=${myDong}`), 403, role);
    assert.ok(p.detail, `${role}: 403 says why`);
  }
  assertProblem(await directory(cw, `dong=${otherDong}`), 403, 'caseworker of another dong');
  assertProblem(await directory(cw, `dong=${otherDong}&role=caregiver`), 403, 'caseworker of another dong, caregivers');
  const there = people.cwThere;
  const s = await login(server, there.email, there.password);
  assertProblem(await directory(s, `dong=${myDong}`), 403, 'the other dong\'s caseworker');
  assert.equal((await directory(s, `dong=${otherDong}`)).status, 200);
});

test('a missing, non-numeric or unknown dong and an unknown role are 422 with field errors', async () => {
  const cases = [
    [undefined, 'dong', 'required'],
    ['', 'dong', 'required'],
    ['dong=', 'dong', 'not_an_integer'],
    ['dong=abc', 'dong', 'not_an_integer'],
    ['dong=-1', 'dong', 'not_an_integer'],
    ['dong=99999999', 'dong', 'unknown_dong'],
    [`dong=${myDong}&role=district_admin`, 'role', 'unknown_role'],
    [`dong=${myDong}&role=caregiver,manager`, 'role', 'unknown_role'],
    [`dong=${myDong}&role=`, 'role', 'unknown_role'],
    [`dong=${myDong}&role=caregiver&role=care_team`, 'role', 'repeated'],
  ];
  for (const [q, field, code] of cases) {
    for (const who of [cw, admin]) {
      const p = assertProblem(await directory(who, q), 422, q);
      assert.deepEqual(p.errors.map((e) => [e.field, e.code]), [[field, code]], `${q}: ${JSON.stringify(p.errors)}`);
      assert.ok(p.errors[0].message, q);
    }
  }
  // Both at once are both reported.
  const both = assertProblem(await directory(cw, 'dong=x&role=y'), 422, 'both');
  assert.deepEqual(both.errors.map((e) => e.field).sort(), ['dong', 'role']);
  // Validation does not come before the role check for those who may assign nobody.
  const gk = await loginAs(server, 'gatekeeper');
  assertProblem(await directory(gk, 'dong=abc'), 403, 'gatekeeper, bad dong');
});
