// Every demo role against the admin endpoints: only district_admin may manage accounts, roles and
// API tokens; district_admin and the privacy officer may read the access log (the welfare council
// no longer does: least privilege); anonymous callers get 401.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, login, districts } from './_client.mjs';

const ROLES = ['resident', 'volunteer', 'donor', 'gatekeeper', 'caregiver', 'care_team', 'caseworker', 'supervisor',
  'project_manager', 'council', 'facility_manager', 'district_admin', 'privacy_officer'];

let server;
let target; // a freshly signed-up account the admin calls act on
let grantBody;
let grantFor; // role -> a valid {role, scope_kind, scope_id} in the demo district

before(async () => {
  server = await startServer();
  const d = (await districts(server))[0];
  const su = await call(server, 'POST', '/api/v1/auth/signup', {
    body: { email: `target.${process.pid}@example.com`, password: 'target-account-pass-1', name: '대상자', district_id: d.id },
  });
  assert.equal(su.status, 201, `signup target: ${su.status} ${su.text}`);
  target = su.json.account;
  const roles = await call(server, 'GET', '/api/v1/roles');
  assert.equal(roles.status, 200, `/api/v1/roles: ${roles.text}`);
  grantFor = (role) => {
    const r = roles.json.find((x) => x.role === role);
    assert.ok(r, `/api/v1/roles lists ${role}: ${roles.text}`);
    return r.scope_kinds.includes('district')
      ? { role, scope_kind: 'district', scope_id: d.id }
      : { role, scope_kind: 'dong', scope_id: d.dongs[0].id };
  };
  grantBody = grantFor('volunteer');
});
after(async () => { if (server) await server.stop(); });

test('/api/v1/roles lists all twelve roles with names and scope kinds', async () => {
  const r = await call(server, 'GET', '/api/v1/roles');
  assert.deepEqual(r.json.map((x) => x.role).sort(), [...ROLES].sort());
  for (const x of r.json) {
    assert.ok(x.name_ko && x.name_en, `role names: ${JSON.stringify(x)}`);
    assert.ok(Array.isArray(x.scope_kinds) && x.scope_kinds.length > 0, `scope kinds: ${JSON.stringify(x)}`);
    for (const k of x.scope_kinds) assert.ok(['district', 'dong', 'organization'].includes(k), `scope kind ${k}`);
  }
});

test('the demo has one account per role, each holding its grant', async () => {
  assert.deepEqual([...new Set(server.accounts.map((a) => a.role))].sort(), [...ROLES].sort(), 'one demo account per role');
  for (const a of server.accounts) {
    for (const k of ['role', 'login', 'password', 'scope_kind', 'scope_id']) assert.ok(a[k] !== undefined, `demo account has ${k}: ${JSON.stringify(a)}`);
    const s = await login(server, a.login, a.password);
    const me = await call(server, 'GET', '/api/v1/me', { session: s });
    assert.equal(me.status, 200);
    assert.ok(me.json.roles.some((g) => g.role === a.role && g.scope_kind === a.scope_kind && g.scope_id === a.scope_id && typeof g.scope_name === 'string'),
      `${a.role}: /me roles hold {role, scope_kind, scope_id, scope_name}: ${JSON.stringify(me.json.roles)}`);
  }
});

const ENDPOINTS = [
  { name: 'GET accounts', method: 'GET', path: () => '/api/v1/admin/accounts', ok: 200, allowed: ['district_admin'] },
  { name: 'POST roles', method: 'POST', path: () => `/api/v1/admin/accounts/${target.id}/roles`, body: () => grantBody, ok: 201, allowed: ['district_admin'] },
  { name: 'GET access-log', method: 'GET', path: () => '/api/v1/admin/access-log', ok: 200, allowed: ['district_admin', 'privacy_officer'] },
  { name: 'GET privacy requests', method: 'GET', path: () => '/api/v1/admin/privacy/requests', ok: 200, allowed: ['district_admin', 'privacy_officer'] },
  { name: 'POST api-tokens', method: 'POST', path: () => '/api/v1/admin/api-tokens', body: () => ({ name: 'matrix-test', scopes: ['file_report'], expires_at: new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10) }), ok: 201, allowed: ['district_admin'] },
];

test('anonymous callers get 401 on every admin endpoint', async () => {
  for (const e of ENDPOINTS) {
    assertProblem(await call(server, e.method, e.path(), { body: e.body?.() }), 401, `anonymous ${e.name}`);
  }
});

test('every role against every admin endpoint: only district_admin (and the privacy officer for the access log and privacy requests) get 2xx', async () => {
  const failures = [];
  for (const a of server.accounts) {
    const s = await login(server, a.login, a.password);
    for (const e of ENDPOINTS) {
      const r = await call(server, e.method, e.path(), { session: s, body: e.body?.() });
      const want = e.allowed.includes(a.role) ? e.ok : 403;
      if (r.status !== want) failures.push(`${a.role} ${e.name}: want ${want}, got ${r.status} ${r.text.slice(0, 160)}`);
      else if (want === 403) {
        if (!/^application\/problem\+json/.test(r.headers.get('content-type') || '')) failures.push(`${a.role} ${e.name}: 403 is not problem+json`);
      } else if (e.name === 'GET accounts') {
        for (const k of ['items', 'total', 'page', 'page_size']) if (!(k in r.json)) failures.push(`accounts list lacks ${k}: ${r.text.slice(0, 200)}`);
      } else if (e.name === 'POST roles') {
        if (r.json?.role !== grantBody.role || r.json?.id === undefined) failures.push(`grant body: ${r.text}`);
      } else if (e.name === 'POST api-tokens') {
        if (typeof r.json?.token !== 'string' || r.json.token.length < 16) failures.push(`token body: ${r.text}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('a resident cannot grant itself district_admin', async () => {
  const a = server.accounts.find((x) => x.role === 'resident');
  const s = await login(server, a.login, a.password);
  const me = await call(server, 'GET', '/api/v1/me', { session: s });
  const d = (await districts(server))[0];
  const r = await call(server, 'POST', `/api/v1/admin/accounts/${me.json.id}/roles`, {
    session: s, body: { role: 'district_admin', scope_kind: 'district', scope_id: d.id },
  });
  assertProblem(r, 403, 'self-escalation');
  const after = await call(server, 'GET', '/api/v1/me', { session: s });
  assert.ok(!after.json.roles.some((g) => g.role === 'district_admin'), 'no district_admin grant appeared');
});

test('district_admin finds an account by exact e-mail, grants and revokes a role', async () => {
  const a = server.accounts.find((x) => x.role === 'district_admin');
  const s = await login(server, a.login, a.password);
  const search = (q) => call(server, 'POST', '/api/v1/admin/accounts/search', { session: s, body: { q } });
  const found = await search(target.email);
  assert.equal(found.status, 200);
  assert.ok(found.json.items.some((x) => x.id === target.id), `q=<email> finds the account: ${found.text.slice(0, 300)}`);
  const partial = await search(target.email.slice(0, 5));
  assert.ok(partial.status === 422 || (partial.status === 200 && !partial.json.items.some((x) => x.id === target.id)),
    `q matches an exact e-mail only, not a prefix: ${partial.status} ${partial.text.slice(0, 200)}`);

  const g = await call(server, 'POST', `/api/v1/admin/accounts/${target.id}/roles`, {
    session: s, body: grantFor('donor'),
  });
  assert.equal(g.status, 201, `grant donor: ${g.status} ${g.text}`);
  const bad = await call(server, 'POST', `/api/v1/admin/accounts/${target.id}/roles`, {
    session: s, body: { role: 'emperor', scope_kind: 'district', scope_id: grantBody.scope_id },
  });
  assertProblem(bad, 422, 'unknown role');
  const del = await call(server, 'DELETE', `/api/v1/admin/accounts/${target.id}/roles/${g.json.id}`, { session: s });
  assert.equal(del.status, 204, `revoke: ${del.status} ${del.text}`);
  const after = await search(target.email);
  const acc = after.json.items.find((x) => x.id === target.id);
  assert.ok(acc && !acc.roles.some((r) => r.id === g.json.id), `revoked grant is gone: ${JSON.stringify(acc)}`);
});

test('district_admin\'s unsafe admin calls need the CSRF token with a cookie session', async () => {
  const a = server.accounts.find((x) => x.role === 'district_admin');
  const s = await login(server, a.login, a.password);
  const cases = [
    ['POST', `/api/v1/admin/accounts/${target.id}/roles`, grantFor('donor')],
    ['POST', '/api/v1/admin/api-tokens', { name: 'csrf-test', scopes: ['file_report'], expires_at: new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10) }],
    ['DELETE', '/api/v1/admin/api-tokens/1', undefined],
  ];
  for (const [method, p, body] of cases) {
    const r = await call(server, method, p, { session: s, csrf: false, body });
    const prob = assertProblem(r, 403, `${method} ${p} without X-CSRF-Token`);
    assert.match(prob.type, /csrf/, `${method} ${p}: problem type is csrf`);
  }
  const list = await call(server, 'GET', '/api/v1/admin/api-tokens', { session: s });
  assert.ok(!JSON.stringify(list.json).includes('csrf-test'), 'no token was created without the CSRF token');
});
