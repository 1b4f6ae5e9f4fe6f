// The API fuzzer (tests/fuzz/api_fuzz.mjs) with a fixed seed and a small budget, so it runs in
// every `make test`: seeded random mutations of every operation in /api/openapi.json as an
// anonymous visitor, a resident and staff (with the CSRF token). No 5xx, the server stays up,
// every 4xx is problem+json (a 422 names its fields), and a refused request changes no data.
// Longer runs: `node tests/fuzz/api_fuzz.mjs --seed N --iterations M` (docs/security-testing.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, loginAs, healthy, assertProblem } from './_client.mjs';
import { runFuzz, Fingerprinter, diffFingerprints, DEFAULT_ROLES } from '../fuzz/api_fuzz.mjs';

const SEED = 20261207;
const ITERATIONS = 200;  // per role, after one learning pass over every body operation
const BUDGET_MS = 30000;

let server;
before(async () => {
  // No outbox delivery during the run: only requests write.
  server = await startServer({ env: { DURE_ALERT_INTERVAL: '86400' } });
});
after(async () => { if (server) await server.stop(); });

test('the database fingerprint notices a write (so the fuzz can notice one)', async () => {
  const fpr = new Fingerprinter(server.db.replace(/^sqlite:/, ''));
  try {
    await fpr.init();
    const before = await fpr.take();
    const admin = await loginAs(server, 'district_admin');
    const dong = (await call(server, 'GET', '/api/v1/districts')).json[0].dongs[0].id;
    const r = await call(server, 'POST', '/api/v1/persons', { session: admin, body: { name: '지문', dong_id: dong } });
    assert.equal(r.status, 201, r.text);
    assert.notEqual(await fpr.dataVersion(), fpr.version, 'data_version moves on a commit');
    assert.deepEqual(diffFingerprints(before, await fpr.take()).map((c) => c.split(' ')[0]), ['persons']);
  } finally {
    fpr.close();
  }
});

// Found by the fuzzer's odd path ids: `1e3`, `12abc` or ` 12` were read as id 1 or 12 (std::stoll
// stops at the first non-digit), so a member's DELETE of /me/simulations/12abc deleted number 12.
test('a saved simulation id with trailing characters is 404 and deletes nothing', async () => {
  const me = await loginAs(server, 'resident');
  const household = { members: [{ relation: 'self', birth_date: '1953-05-10' }], residence: { tenure: 'monthly_rent', rent: 250000 } };
  const saved = await call(server, 'POST', '/api/v1/simulations', { session: me, body: { date: '2025-06-01', household, save: true } });
  assert.equal(saved.status, 200, saved.text);
  const id = saved.json.saved_id;
  for (const odd of [`${id}abc`, `${id}e3`, `${id}.5`, `+${id}`, `%20${id}`])
    assertProblem(await call(server, 'DELETE', `/api/v1/me/simulations/${odd}`, { session: me }), 404, odd);
  const list = await call(server, 'GET', '/api/v1/me/simulations', { session: me });
  assert.ok(list.json.items.some((x) => x.id === id), `still saved: ${list.text}`);
  assert.equal((await call(server, 'DELETE', `/api/v1/me/simulations/${id}`, { session: me })).status, 204);
});

test('fuzz every operation as anonymous, resident and staff: no 5xx, problem+json, no write from a refused request', async (t) => {
  const report = await runFuzz(server, { seed: SEED, iterations: ITERATIONS, budgetMs: BUDGET_MS });
  const total = Object.values(report.sent).reduce((a, b) => a + b, 0);
  t.diagnostic(`seed ${SEED}: ${total} requests ${JSON.stringify(report.sent)} in ${report.elapsedMs} ms` +
    `${report.outOfTime ? ' (budget reached)' : ''}; ${report.withoutSchema.length} of ${report.bodyOperations} body operations without a schema`);
  assert.deepEqual(report.failures, []);
  // The budget bounds the time, so on a loaded machine fewer requests go out; some always do.
  for (const role of DEFAULT_ROLES) assert.ok(report.sent[role] >= 30, `${role} sent ${report.sent[role]}`);
  assert.ok(report.operations >= 100, `operations in the document: ${report.operations}`);
  await healthy(server);
});
