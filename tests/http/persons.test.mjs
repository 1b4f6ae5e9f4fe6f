// Personal records: dong-scoped access, the mandatory X-Access-Reason, the access log that
// records every read, and partner API tokens (Authorization: Bearer, no CSRF).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs, districts } from './_client.mjs';

let server;
let cw; let admin; let cwId;
let myDong; let otherDong;
const REASON = 'home visit follow-up 2291';
const REASON2 = 'phone lookup check 8830';
const stamp = String(Date.now() % 10000000).padStart(7, '0');
const phoneMine = `0105${stamp}`;
const phoneOther = `0106${stamp}`;
let personId; let otherPersonId;

// Rows of a list answer, whether a bare array or {items}.
const rowsOf = (j) => (Array.isArray(j) ? j : j?.items || []);
// True when `v` appears anywhere in obj under a key matching `keyRe`.
function deepHas(obj, keyRe, v) {
  if (!obj || typeof obj !== 'object') return false;
  return Object.entries(obj).some(([k, x]) => (keyRe.test(k) && (x === v || x?.id === v)) || deepHas(x, keyRe, v));
}

before(async () => {
  server = await startServer();
  cw = await loginAs(server, 'caseworker');
  admin = await loginAs(server, 'district_admin');
  assert.equal(cw.demo.scope_kind, 'dong', `demo caseworker is dong-scoped: ${JSON.stringify(cw.demo)}`);
  myDong = cw.demo.scope_id;
  const ds = await districts(server);
  const d = ds.find((x) => x.dongs.some((g) => g.id === myDong));
  assert.ok(d, 'the caseworker\'s dong is in a listed district');
  otherDong = d.dongs.find((g) => g.id !== myDong)?.id;
  assert.ok(otherDong !== undefined, 'the demo district has at least two dongs');
  cwId = (await call(server, 'GET', '/api/v1/me', { session: cw })).json.id;
});
after(async () => { if (server) await server.stop(); });

test('a caseworker creates a person in their dong, not in another', async () => {
  const body = { name: '홍길순', phone: phoneMine, birth_date: '1948-05-17', address: '서울특별시 두레구 한빛로 12', dong_id: myDong };
  const noCsrf = await call(server, 'POST', '/api/v1/persons', { session: cw, csrf: false, body });
  assertProblem(noCsrf, 403, 'create person without CSRF token');
  const r = await call(server, 'POST', '/api/v1/persons', { session: cw, body });
  assert.equal(r.status, 201, `create person: ${r.status} ${r.text}`);
  assert.ok(r.json.id !== undefined, `201 {id}: ${r.text}`);
  personId = r.json.id;

  assertProblem(await call(server, 'POST', '/api/v1/persons', { session: cw, body: { ...body, phone: undefined, dong_id: otherDong } }), 403, 'caseworker creating in another dong');
  const bad = assertProblem(await call(server, 'POST', '/api/v1/persons', { session: cw, body: { dong_id: myDong, birth_date: '1948-13-45' } }), 422, 'invalid person');
  const fields = errorFields(bad);
  assert.ok(fields.includes('name'), `missing name named: ${JSON.stringify(bad.errors)}`);
  assert.ok(fields.includes('birth_date'), `bad birth_date named: ${JSON.stringify(bad.errors)}`);

  const resident = await loginAs(server, 'resident');
  assertProblem(await call(server, 'POST', '/api/v1/persons', { session: resident, body }), 403, 'resident creating a person');
  assertProblem(await call(server, 'POST', '/api/v1/persons', { body }), 401, 'anonymous creating a person');

  const o = await call(server, 'POST', '/api/v1/persons', { session: admin, body: { name: '김다른', phone: phoneOther, dong_id: otherDong } });
  assert.equal(o.status, 201, `district_admin creates in another dong: ${o.status} ${o.text}`);
  otherPersonId = o.json.id;
});

test('reading a person needs X-Access-Reason and the right dong', async () => {
  assert.ok(personId !== undefined && otherPersonId !== undefined, 'persons were created');
  const r = await call(server, 'GET', `/api/v1/persons/${personId}`, { session: cw, headers: { 'X-Access-Reason': REASON } });
  assert.equal(r.status, 200, `read with reason: ${r.status} ${r.text}`);
  assert.equal(r.json.name, '홍길순', 'decrypted name');
  assert.equal(r.json.birth_date, '1948-05-17');

  assertProblem(await call(server, 'GET', `/api/v1/persons/${personId}`, { session: cw }), 422, 'read without X-Access-Reason');
  assertProblem(await call(server, 'GET', `/api/v1/persons/${personId}`, { session: cw, headers: { 'X-Access-Reason': '   ' } }), 422, 'blank X-Access-Reason');
  assertProblem(await call(server, 'GET', `/api/v1/persons/${otherPersonId}`, { session: cw, headers: { 'X-Access-Reason': REASON } }), 403, 'person of another dong');
  const resident = await loginAs(server, 'resident');
  assertProblem(await call(server, 'GET', `/api/v1/persons/${personId}`, { session: resident, headers: { 'X-Access-Reason': REASON } }), 403, 'resident reading a person');
  assertProblem(await call(server, 'GET', `/api/v1/persons/${personId}`, { headers: { 'X-Access-Reason': REASON } }), 401, 'anonymous read');
  assertProblem(await call(server, 'GET', '/api/v1/persons/987654321', { session: admin, headers: { 'X-Access-Reason': REASON } }), 404, 'unknown person');

  const a = await call(server, 'GET', `/api/v1/persons/${otherPersonId}`, { session: admin, headers: { 'X-Access-Reason': REASON } });
  assert.equal(a.status, 200, `district_admin reads any dong: ${a.status} ${a.text}`);
});

test('lookup by phone finds only persons the caller may see', async () => {
  const r = await call(server, 'POST', '/api/v1/persons/lookup', { session: cw, headers: { 'X-Access-Reason': REASON2 }, body: { phone: phoneMine } });
  assert.equal(r.status, 200, `lookup: ${r.status} ${r.text}`);
  assert.ok(JSON.stringify(r.json).includes(`"id":${JSON.stringify(personId)}`), `lookup finds the person: ${r.text}`);
  assertProblem(await call(server, 'POST', '/api/v1/persons/lookup', { session: cw, body: { phone: phoneMine } }), 422, 'lookup without X-Access-Reason');
  const o = await call(server, 'POST', '/api/v1/persons/lookup', { session: cw, headers: { 'X-Access-Reason': REASON2 }, body: { phone: phoneOther } });
  assert.ok(o.status === 403 || (o.status === 200 && !JSON.stringify(o.json).includes(`"id":${JSON.stringify(otherPersonId)}`)),
    `lookup must not reveal another dong's person: ${o.status} ${o.text}`);
});

test('the access log shows the reads, with who and why; district_admin and the privacy officer may read it, the council may not', async () => {
  const r = await call(server, 'GET', `/api/v1/admin/access-log?person_id=${personId}`, { session: admin });
  assert.equal(r.status, 200, `access log: ${r.status} ${r.text}`);
  const rows = rowsOf(r.json);
  const text = JSON.stringify(rows);
  assert.ok(rows.length >= 2, `at least the read and the lookup are logged: ${text.slice(0, 500)}`);
  assert.ok(text.includes(REASON), `the reason of the read is logged: ${text.slice(0, 500)}`);
  assert.ok(text.includes(REASON2), `the reason of the phone lookup is logged: ${text.slice(0, 500)}`);
  assert.ok(rows.some((row) => deepHas(row, /account|actor|staff|user|who|by/i, cwId)), `a row names the caseworker (id ${cwId}): ${text.slice(0, 500)}`);
  assert.ok(rows.every((row) => (row.subject_kind === 'person' && row.subject_id === personId) || deepHas(row, /person/i, personId)),
    `person_id filter applies: ${text.slice(0, 500)}`);

  const officer = await loginAs(server, 'privacy_officer');
  assert.equal((await call(server, 'GET', `/api/v1/admin/access-log?person_id=${personId}`, { session: officer })).status, 200, 'the privacy officer reads the access log');
  assertProblem(await call(server, 'GET', `/api/v1/persons/${personId}`, { session: officer, headers: { 'X-Access-Reason': 'privacy audit' } }), 403, 'the privacy officer never opens the record itself');
  const council = await loginAs(server, 'council');
  assertProblem(await call(server, 'GET', `/api/v1/admin/access-log?person_id=${personId}`, { session: council }), 403, 'the council does not read the access log');
  assertProblem(await call(server, 'GET', '/api/v1/admin/access-log', { session: cw }), 403, 'caseworker reading the access log');
});

test('an API token works as Authorization: Bearer without CSRF, only for its scopes, and stops working when deleted', async () => {
  const t = await call(server, 'POST', '/api/v1/admin/api-tokens', { session: admin, body: { name: 'partner-system', scopes: ['file_report'], expires_at: new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10) } });
  assert.equal(t.status, 201, `create token: ${t.status} ${t.text}`);
  assert.equal(t.json.name, 'partner-system');
  assert.equal(typeof t.json.token, 'string');
  const token = t.json.token;

  const me = await call(server, 'GET', '/api/v1/me', { bearer: token });
  assert.equal(me.status, 200, `/me with bearer: ${me.status} ${me.text}`);
  assert.equal(me.json.id, t.json.service_account_id, 'bearer acts as the partner service account');
  assert.notEqual(me.json.id, cwId);

  const rep = await call(server, 'POST', '/api/v1/outreach/partner/reports', { bearer: token, body: { address: '토큰길 1', concern: '요금 체납' } });
  assert.equal(rep.status, 201, `unsafe method with bearer needs no CSRF: ${rep.status} ${rep.text}`);
  // Scoped: filing reports is all it may do.
  assertProblem(await call(server, 'POST', '/api/v1/persons', { bearer: token, body: { name: '토큰생성', dong_id: myDong } }), 403, 'token creating a person');
  assertProblem(await call(server, 'GET', `/api/v1/persons/${personId}`, { bearer: token, headers: { 'X-Access-Reason': 'partner sync' } }), 403, 'token reading a person');

  const list = await call(server, 'GET', '/api/v1/admin/api-tokens', { session: admin });
  assert.equal(list.status, 200);
  assert.ok(JSON.stringify(list.json).includes('partner-system'), 'list shows the token');
  assert.ok(!list.text.includes(token), 'list never shows the secret');

  assertProblem(await call(server, 'GET', '/api/v1/me', { bearer: `${token}x` }), 401, 'altered bearer token');
  assertProblem(await call(server, 'GET', '/api/v1/me', { bearer: 'not-a-token' }), 401, 'bogus bearer token');

  const del = await call(server, 'DELETE', `/api/v1/admin/api-tokens/${t.json.id}`, { session: admin });
  assert.equal(del.status, 204, `delete token: ${del.status} ${del.text}`);
  assertProblem(await call(server, 'GET', '/api/v1/me', { bearer: token }), 401, 'deleted token');
});

test('the HTTP access log file never records query strings (they carry phone numbers)', async () => {
  const rid = `privacy-check-${stamp}`;
  const r = await call(server, 'POST', '/api/v1/persons/lookup', { session: cw, headers: { 'X-Access-Reason': REASON2, 'X-Request-Id': rid }, body: { phone: phoneMine } });
  assert.equal(r.status, 200);
  const file = path.join(server.dir, 'access.log');
  let log = '';
  for (let i = 0; i < 20 && !log.includes(rid); i++) {
    log = readFileSync(file, 'utf8');
    if (!log.includes(rid)) await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(log.includes(rid), 'the request is in the access log with its request id');
  assert.ok(!log.includes(phoneMine) && !log.includes(phoneOther), 'no phone number in the access log file');
  assert.ok(!log.includes('홍길순') && !log.includes(REASON2), 'no names or access reasons in the access log file');
});
