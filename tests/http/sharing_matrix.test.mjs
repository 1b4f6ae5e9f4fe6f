// Every help-matching route × every role (issue 13): anonymous, the resident (a need of theirs
// is connected with the volunteer's offer), another resident, the volunteer, a district-wide
// project manager, a dong caseworker, the district administrator. Writes are probed so that an
// allowed caller meets a check that changes nothing (an unknown field, an unknown id, a second
// live connection), and a refused one is stopped before it: the status says which. The dong
// caseworker is allowed where the connection is in their dong, refused elsewhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, loginAs, districts, sessionCookie } from './_client.mjs';

let server, S = {}, ids = {}, cwIn = false;
const ROLES = ['anonymous', 'resident', 'other', 'volunteer', 'manager', 'caseworker', 'admin'];
const bad = { colour: 'red' };

before(async () => {
  server = await startServer();
  const ds = await districts(server);
  S.anonymous = null;
  S.resident = await loginAs(server, 'resident');
  S.volunteer = await loginAs(server, 'volunteer');
  S.manager = await loginAs(server, 'project_manager');
  S.caseworker = await loginAs(server, 'caseworker');
  S.admin = await loginAs(server, 'district_admin');
  const r = await call(server, 'POST', '/api/v1/auth/signup', { body: { email: `matrix.${Date.now() % 1e6}@example.com`,
    password: 'gangnam-river-walk-42', name: '남이웃', district_id: ds[0].id } });
  S.other = { cookie: sessionCookie(r.setCookies).split(';')[0], csrf: r.json.csrf_token };
  const need = (await call(server, 'GET', '/api/v1/sharing/mine', { session: S.resident })).json.needs[0];
  const offer = (await call(server, 'GET', '/api/v1/sharing/mine', { session: S.volunteer })).json.offers[0];
  assert.ok(need && offer, 'the demo resident has a need and the volunteer an offer');
  const c = await call(server, 'POST', '/api/v1/sharing/connections', { session: S.manager, body: { need_id: need.id, offer_id: offer.id } });
  assert.equal(c.status, 201, c.text);
  const p = await call(server, 'POST', '/api/v1/sharing/projects', { session: S.manager, body: { title: '행렬', subfield: 'H03',
    organization: 'district', dtstart: new Date(Date.now() + 9 * 3600e3 + 86400e3).toISOString().slice(0, 10), start_minute: 600, minutes: 60, slots: 2 } });
  assert.equal(p.status, 201, p.text);
  ids = { need: need.id, offer: offer.id, conn: c.json.id, project: p.json.id };
  cwIn = need.dong_id === S.caseworker.demo.scope_id;
});
after(async () => { if (server) await server.stop(); });

// Expected status per role, in ROLES order.
const cw = (inScope, out = 403) => (cwIn ? inScope : out);
const rows = () => [
  ['GET', '/api/v1/sharing/fields', null, [200, 200, 200, 200, 200, 200, 200]],
  ['GET', '/api/v1/sharing/needs', null, [200, 200, 200, 200, 200, 200, 200]],
  ['GET', '/api/v1/sharing/projects', null, [200, 200, 200, 200, 200, 200, 200]],
  ['GET', `/api/v1/sharing/projects/${ids.project}`, null, [200, 200, 200, 200, 200, 200, 200]],
  ['GET', '/api/v1/sharing/mine', null, [401, 200, 200, 200, 200, 200, 200]],
  ['GET', '/api/v1/sharing/staff/queue', null, [401, 403, 403, 403, 200, 200, 200]],
  ['GET', '/api/v1/sharing/staff/needs', null, [401, 403, 403, 403, 200, 200, 200]],
  ['GET', '/api/v1/sharing/staff/ledger', null, [401, 403, 403, 403, 200, 403, 200]],
  ['GET', '/api/v1/sharing/report', null, [401, 403, 403, 403, 200, 403, 200]],
  // Anyone signed in may offer or ask (422: the unknown field).
  ['POST', '/api/v1/sharing/offers', bad, [401, 422, 422, 422, 422, 422, 422]],
  ['POST', '/api/v1/sharing/needs', bad, [401, 422, 422, 422, 422, 422, 422]],
  // Only the owner edits or withdraws (a manager only for a person entered on their behalf).
  ['PATCH', `/api/v1/sharing/needs/${ids.need}`, bad, [401, 422, 403, 403, 403, 403, 403]],
  ['PATCH', `/api/v1/sharing/offers/${ids.offer}`, bad, [401, 403, 403, 422, 403, 403, 403]],
  ['POST', `/api/v1/sharing/needs/${ids.need}/withdraw`, bad, [401, 422, 403, 403, 403, 403, 403]],
  ['POST', `/api/v1/sharing/offers/${ids.offer}/withdraw`, bad, [401, 403, 403, 422, 403, 403, 403]],
  // Vetting: managers of the scope.
  ['POST', `/api/v1/sharing/needs/${ids.need}/vetting`, { decision: 'maybe' }, [401, 403, 403, 403, 422, cw(422), 422]],
  ['POST', `/api/v1/sharing/offers/${ids.offer}/vetting`, { decision: 'maybe' }, [401, 403, 403, 403, 422, cw(422), 422]],
  // Connecting: managers of the scope (409: the need already has a live connection).
  ['POST', '/api/v1/sharing/connections', { need_id: ids.need, offer_id: ids.offer }, [401, 403, 403, 403, 409, cw(409), 409]],
  // A connection: its two sides and managers of its scope.
  ['GET', `/api/v1/sharing/connections/${ids.conn}`, null, [401, 200, 403, 200, 200, cw(200), 200]],
  ...['accept', 'complete', 'cancel', 'feedback'].map((w) =>
    ['POST', `/api/v1/sharing/connections/${ids.conn}/${w}`, bad, [401, 422, 403, 422, 422, cw(422), 422]]),
  // The helper or a manager starts it; the recipient does not.
  ['POST', `/api/v1/sharing/connections/${ids.conn}/start`, bad, [401, 403, 403, 422, 422, cw(422), 422]],
  // Feedback is read by managers only; hours are recorded by the helper or a manager.
  ['GET', `/api/v1/sharing/connections/${ids.conn}/feedback`, null, [401, 403, 403, 403, 200, cw(200), 200]],
  // (409: the connection is only proposed; hours come once both accepted.)
  ['POST', `/api/v1/sharing/connections/${ids.conn}/hours`, bad, [401, 403, 403, 409, 409, cw(409), 409]],
  // Ledger steps on an unknown entry: managers learn it does not exist, others are refused.
  ['POST', '/api/v1/sharing/hours/987654/confirm', {}, [401, 403, 403, 403, 404, 403, 404]],
  ['POST', '/api/v1/sharing/hours/987654/reverse', { reason: 'x' }, [401, 403, 403, 403, 404, 403, 404]],
  // Projects are opened by managers (422: the unknown field); shifts joined by anyone signed in.
  ['POST', '/api/v1/sharing/projects', bad, [401, 403, 403, 403, 422, 422, 422]],
  ['POST', '/api/v1/sharing/shifts/987654/join', {}, [401, 404, 404, 404, 404, 404, 404]],
  ['POST', '/api/v1/sharing/shifts/987654/leave', {}, [401, 404, 404, 404, 404, 404, 404]],
  // A case plan to a need: the case's caseworker; an unknown case is refused like another's.
  ['POST', '/api/v1/sharing/needs/from-case', { case_id: 987654, goal: 0, on_behalf: { person_id: 1, consent_method: 'phone' } },
    [401, 403, 403, 403, 403, 403, 404]],
];

test('every sharing route answers each role as the access rules say', async () => {
  const wrong = [];
  let n = 0;
  for (const [method, path, body, expected] of rows()) {
    for (let i = 0; i < ROLES.length; i++) {
      const r = await call(server, method, path, { session: S[ROLES[i]], body: body ?? undefined });
      n++;
      if (r.status !== expected[i]) wrong.push(`${method} ${path} as ${ROLES[i]}: ${r.status}, expected ${expected[i]} ${r.text.slice(0, 160)}`);
      if (r.status >= 400) assert.match(r.headers.get('content-type') || '', /problem\+json/, `${method} ${path} as ${ROLES[i]}`);
    }
  }
  assert.deepEqual(wrong, [], `${wrong.length} of ${n} answers differ`);
  // Every route of the OpenAPI document under /api/v1/sharing is in the matrix.
  const doc = (await call(server, 'GET', '/api/openapi.json')).json;
  const covered = new Set(rows().map(([m, p]) => `${m} ${p.replace(/\/\d+(?=\/|$)/g, '/{id}')}`));
  const missing = [];
  let routes = 0;
  for (const [p, ops] of Object.entries(doc.paths)) {
    if (!p.startsWith('/api/v1/sharing')) continue;
    for (const m of Object.keys(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
      routes++;
      if (!covered.has(`${m.toUpperCase()} ${p}`)) missing.push(`${m.toUpperCase()} ${p}`);
    }
  }
  assert.deepEqual(missing, [], 'routes without a row in the matrix');
  assert.ok(routes >= 30, `the document lists the sharing routes (${routes})`);
});
