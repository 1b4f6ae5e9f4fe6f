// Prometheus metrics for operators (issue 12, "Seeing it run"): requests per route template
// (status and latency histogram), database pool waits, the outbox backlog and the age of its
// oldest message, dead letters, open escalations by step, seconds since each job's last success;
// and the example alert rules (docs/prometheus/dure-rules.yml) pass `promtool check rules` and
// name only metrics that /metrics exposes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, repoRoot } from '../lib/server.mjs';
import { call } from './_client.mjs';

const RULES = path.join(repoRoot, 'docs', 'prometheus', 'dure-rules.yml');
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server) await server.stop(); });

// The value of the sample `name{labels}` (labels given as an object; all must match), or undefined.
function sample(text, name, labels = {}) {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === String(v))) return Number(m[3]);
  }
  return undefined;
}
const scrape = async () => {
  const r = await call(server, 'GET', '/metrics');
  assert.equal(r.status, 200);
  return r.text;
};
function sql(q) {
  if (server.db.startsWith('sqlite:')) return execFileSync('sqlite3', [server.db.slice(7), q], { encoding: 'utf8' });
  return execFileSync('psql', [server.db, '-qAt', '-c', q], { encoding: 'utf8' });
}

test('requests are counted per route template and status, with a latency histogram', async () => {
  const route = { method: 'GET', route: '/api/v1/services/{id}' };
  const m0 = await scrape();
  const ok0 = sample(m0, 'dure_http_route_requests_total', { ...route, code: 404 }) || 0;
  const n0 = sample(m0, 'dure_http_route_duration_seconds_count', route) || 0;
  for (const id of [999991, 999992, 999993]) assert.equal((await call(server, 'GET', `/api/v1/services/${id}`)).status, 404);
  const m1 = await scrape();
  assert.equal(sample(m1, 'dure_http_route_requests_total', { ...route, code: 404 }), ok0 + 3,
    'three 404s counted under the template, not under three paths');
  assert.equal(sample(m1, 'dure_http_route_duration_seconds_count', route), n0 + 3);
  assert.equal(sample(m1, 'dure_http_route_duration_seconds_bucket', { ...route, le: '+Inf' }), n0 + 3);
  assert.ok(!m1.includes('/api/v1/services/999991'), 'no raw paths in labels');
});

test('database pool, outbox backlog and age, dead letters, escalations by step, job freshness', async () => {
  const m0 = await scrape();
  for (const name of ['dure_db_pool_waits_total', 'dure_db_pool_wait_seconds_total', 'dure_outbox_backlog',
    'dure_outbox_oldest_pending_age_seconds', 'dure_outbox_dead_letters']) {
    assert.notEqual(sample(m0, name), undefined, `${name} exposed`);
  }
  for (const step of [1, 2, 3, 4]) assert.notEqual(sample(m0, 'dure_escalations_open', { step }), undefined);
  assert.notEqual(sample(m0, 'dure_job_period_seconds', { job: 'checkin_escalation' }), undefined);

  // A message waiting ten minutes (not due for a day, so no sender takes it) and a dead letter.
  const now = Math.floor(Date.now() / 1000);
  const account = sql('SELECT min(id) FROM accounts').trim();
  sql(`INSERT INTO outbox (account_id, channel, payload_enc, status, next_attempt_at, created_at) VALUES (${account}, 'sms', 'x', 'pending', ${now + 86400}, ${now - 600})`);
  sql(`INSERT INTO outbox (account_id, channel, payload_enc, status, next_attempt_at, created_at) VALUES (${account}, 'sms', 'x', 'dead', 0, ${now})`);
  const m1 = await scrape();
  assert.equal(sample(m1, 'dure_outbox_backlog'), sample(m0, 'dure_outbox_backlog') + 1);
  assert.ok(sample(m1, 'dure_outbox_oldest_pending_age_seconds') >= 600, 'age of the oldest pending message');
  assert.equal(sample(m1, 'dure_outbox_dead_letters'), sample(m0, 'dure_outbox_dead_letters') + 1);

  // The escalation job runs at start: its last success is recent (within a few periods).
  let since;
  for (let i = 0; i < 40; i++) {
    since = sample(await scrape(), 'dure_job_seconds_since_success', { job: 'checkin_escalation' });
    if (since !== undefined && since >= 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(since >= 0 && since < 120, `checkin_escalation succeeded recently: ${since}`);
});

test('the example alert rules pass promtool and name only metrics /metrics exposes', { skip: !hasPromtool && 'promtool not installed (scripts/install-deps.sh test installs prometheus)' }, async () => {
  const out = execFileSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
  assert.match(out, /SUCCESS: \d+ rules found/);
  const exposed = new Set([...(await scrape()).matchAll(/^# TYPE (\S+) (\w+)/gm)].flatMap((m) =>
    m[2] === 'histogram' ? [`${m[1]}_bucket`, `${m[1]}_sum`, `${m[1]}_count`] : [m[1]]));
  const named = new Set([...readFileSync(RULES, 'utf8').matchAll(/\b(dure_[a-z_]+)/g)].map((m) => m[1]));
  assert.ok(named.size >= 5);
  for (const n of named) assert.ok(exposed.has(n), `rule metric ${n} is exposed by /metrics`);
});
