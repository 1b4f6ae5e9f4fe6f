// API tokens belong to partner service accounts, never to people: nobody can mint one that acts
// as another account (an administrator included); each is scoped, expires (within a year), can be
// rotated (at once or after a grace period) and is listed with its last use. Node standard
// library only (sqlite3 CLI for the expiry check on SQLite).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import { call, loginAs, assertProblem, errorFields } from './_client.mjs';

let server, admin, cw;
const day = (n) => new Date(Date.now() + 9 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);  // Korea date
const mint = (body, session = admin) => call(server, 'POST', '/api/v1/admin/api-tokens', { session, body });
const report = (token) => call(server, 'POST', '/api/v1/outreach/partner/reports', { bearer: token, body: { address: `가스길 ${Date.now()}`, concern: '요금 체납' } });

before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
});
after(async () => { if (server) await server.stop(); });

test('nobody can mint a token that acts as a person, an administrator included', async () => {
  for (const who of [cw.demo.account_id, admin.demo.account_id]) {
    const r = assertProblem(await mint({ name: 'impersonation', account_id: who, scopes: ['file_report'], expires_at: day(30) }), 422, `a token for account ${who}`);
    assert.deepEqual(errorFields(r), ['account_id']);
  }
  // The old form (a token for any account, no scope, no expiry) is refused too.
  assertProblem(await mint({ name: 'old form', account_id: cw.demo.account_id }), 422);
  const list = await call(server, 'GET', '/api/v1/admin/api-tokens', { session: admin });
  assert.ok(!list.text.includes('impersonation'));
  assertProblem(await mint({ name: 'x', scopes: ['file_report'], expires_at: day(30) }, cw), 403, 'a caseworker minting');
});

test('a token is scoped and expiring: clear 422s naming the field', async () => {
  const cases = [
    [{ name: 'a', expires_at: day(30) }, 'scopes'],
    [{ name: 'a', scopes: [], expires_at: day(30) }, 'scopes'],
    [{ name: 'a', scopes: ['read_person'], expires_at: day(30) }, 'scopes'],
    [{ name: 'a', scopes: ['file_report'] }, 'expires_at'],
    [{ name: 'a', scopes: ['file_report'], expires_at: day(400) }, 'expires_at'],
    [{ name: 'a', scopes: ['file_report'], expires_at: day(-1) }, 'expires_at'],
    [{ name: 'a', scopes: ['file_report'], expires_at: '2026-02-30' }, 'expires_at'],
    [{ scopes: ['file_report'], expires_at: day(30) }, 'name'],
  ];
  for (const [body, field] of cases)
    assert.deepEqual(errorFields(assertProblem(await mint(body), 422, JSON.stringify(body))), [field], JSON.stringify(body));
});

test('a partner token acts as its own service account, only within its scopes, and its use is listed', async () => {
  const t = await mint({ name: '한빛도시가스 체납 연계', scopes: ['file_report'], expires_at: day(90) });
  assert.equal(t.status, 201, t.text);
  assert.deepEqual(t.json.scopes, ['file_report']);
  const people = new Set(server.accounts.map((a) => a.account_id));
  assert.ok(!people.has(t.json.service_account_id), 'the service account is nobody\'s account');
  const now = Date.now() / 1000;
  assert.ok(t.json.expires_at > now + 89 * 86400 && t.json.expires_at < now + 92 * 86400, `expires_at ${t.json.expires_at}`);
  assert.equal(t.json.last_used_at, null);

  assert.equal((await report(t.json.token)).status, 201);
  const me = await call(server, 'GET', '/api/v1/me', { bearer: t.json.token });
  assert.equal(me.json.id, t.json.service_account_id);
  assert.deepEqual(me.json.roles, [], 'a service account holds no person\'s roles');
  // Scoped: nothing but filing reports.
  const p = await call(server, 'POST', '/api/v1/persons', { session: admin, body: { name: '범위밖', dong_id: cw.demo.scope_id } });
  assertProblem(await call(server, 'GET', `/api/v1/persons/${p.json.id}`, { bearer: t.json.token, headers: { 'X-Access-Reason': 'sync' } }), 403, 'reading a person');
  assertProblem(await call(server, 'GET', '/api/v1/outreach/queue', { bearer: t.json.token }), 403, 'the triage queue');
  assertProblem(await call(server, 'GET', '/api/v1/admin/api-tokens', { bearer: t.json.token }), 403, 'the token list');

  const list = (await call(server, 'GET', '/api/v1/admin/api-tokens', { session: admin })).json.items;
  const row = list.find((x) => x.id === t.json.id);
  assert.ok(row, 'listed');
  assert.ok(row.last_used_at >= now - 5, `last use is recorded: ${JSON.stringify(row)}`);
  assert.deepEqual(row.scopes, ['file_report']);
  assert.equal(row.service_account_id, t.json.service_account_id);
  assert.ok(!JSON.stringify(list).includes(t.json.token), 'never the secret');
});

test('rotation: a new secret for the same service account; the old one stops at once or after its grace', async () => {
  const t = await mint({ name: 'rotate me', scopes: ['file_report'], expires_at: day(60) });
  assert.equal((await report(t.json.token)).status, 201);
  const r1 = await call(server, 'POST', `/api/v1/admin/api-tokens/${t.json.id}/rotate`, { session: admin, body: {} });
  assert.equal(r1.status, 201, r1.text);
  assert.notEqual(r1.json.token, t.json.token);
  assert.equal(r1.json.service_account_id, t.json.service_account_id);
  assert.equal(r1.json.expires_at, t.json.expires_at);
  assertProblem(await report(t.json.token), 401, 'the rotated-out token');
  assert.equal((await report(r1.json.token)).status, 201);
  // With a grace period both work until it ends.
  const r2 = await call(server, 'POST', `/api/v1/admin/api-tokens/${r1.json.id}/rotate`, { session: admin, body: { grace_seconds: 3600 } });
  assert.equal(r2.status, 201, r2.text);
  assert.equal((await report(r1.json.token)).status, 201, 'old token inside its grace');
  assert.equal((await report(r2.json.token)).status, 201, 'new token');
  assertProblem(await call(server, 'POST', `/api/v1/admin/api-tokens/${r2.json.id}/rotate`, { session: admin, body: { grace_seconds: 30 * 86400 } }), 422, 'grace over 7 days');
  assertProblem(await call(server, 'POST', `/api/v1/admin/api-tokens/${t.json.id}/rotate`, { session: admin, body: {} }), 404, 'rotating a revoked token');
  assert.equal((await call(server, 'DELETE', `/api/v1/admin/api-tokens/${r1.json.id}`, { session: admin })).status, 204);
  assertProblem(await report(r1.json.token), 401, 'revoked during its grace');
});

test('an expired token stops working', async () => {
  const t = await mint({ name: 'short lived', scopes: ['file_report'], expires_at: day(1) });
  assert.equal((await report(t.json.token)).status, 201);
  const expire = `UPDATE api_tokens SET expires_at = ${Math.floor(Date.now() / 1000) - 1} WHERE id = ${t.json.id};`;
  if (server.db.startsWith('sqlite:')) execFileSync('sqlite3', [server.db.slice(7), expire]);
  else execFileSync('psql', [server.db, '-q', '-c', expire]);
  assertProblem(await report(t.json.token), 401, 'expired');
  const list = (await call(server, 'GET', '/api/v1/admin/api-tokens', { session: admin })).json.items;
  assert.ok(!list.some((x) => x.id === t.json.id), 'expired tokens leave the list');
});
