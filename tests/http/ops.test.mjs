// Operational endpoints: health, readiness, Prometheus metrics and the OpenAPI document, which
// must describe every endpoint listed in docs/api.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, repoRoot } from '../lib/server.mjs';
import { call } from './_client.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server) await server.stop(); });

test('/healthz and /readyz', async () => {
  const h = await call(server, 'GET', '/healthz');
  assert.equal(h.status, 200);
  assert.match(h.headers.get('content-type') || '', /^application\/json/);
  assert.deepEqual(h.json, { status: 'ok' });
  const r = await call(server, 'GET', '/readyz');
  assert.equal(r.status, 200, `/readyz: ${r.status} ${r.text}`);
  assert.deepEqual(r.json, { status: 'ready', db: 'ok', escalation: 'ok' });
  assert.ok(h.headers.get('x-request-id'));
});

// Sum of all samples of metric `name` (with or without labels).
function sumMetric(text, name) {
  let sum = 0;
  const re = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)`, 'gm');
  for (const m of text.matchAll(re)) sum += Number(m[1]);
  return sum;
}

test('/metrics is Prometheus text with a request counter that counts', async () => {
  const m1 = await call(server, 'GET', '/metrics');
  assert.equal(m1.status, 200);
  assert.match(m1.headers.get('content-type') || '', /^text\/plain/, 'Prometheus text exposition');
  const counters = [...m1.text.matchAll(/^# TYPE (\S*request\S*) counter$/gm)].map((m) => m[1]);
  assert.ok(counters.length > 0, `a request counter is declared: ${m1.text.slice(0, 800)}`);
  for (const line of m1.text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?\s+([-+0-9.eE]+|NaN|[+-]Inf)(\s+-?\d+)?$/, `valid sample line: ${line}`);
  }
  const name = counters[0];
  const before = sumMetric(m1.text, name);
  for (let i = 0; i < 7; i++) assert.equal((await call(server, 'GET', '/healthz')).status, 200);
  const m2 = await call(server, 'GET', '/metrics');
  const after = sumMetric(m2.text, name);
  assert.ok(after - before >= 7, `${name} grew by ≥ 7 after 7 requests: ${before} → ${after}`);
});

// [method, path] pairs from the endpoint table of docs/api.md.
function documentedEndpoints() {
  const md = readFileSync(path.join(repoRoot, 'docs', 'api.md'), 'utf8');
  const out = [];
  for (const m of md.matchAll(/^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`/gm)) out.push([m[1], m[2].split('?')[0]]);
  return out;
}

test('/api/openapi.json is OpenAPI 3.1 and lists every endpoint of docs/api.md', async () => {
  const r = await call(server, 'GET', '/api/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') || '', /^application\/json/);
  const spec = r.json;
  assert.match(String(spec.openapi), /^3\.1\.\d+$/, `openapi version: ${spec.openapi}`);
  assert.ok(spec.info?.title && spec.info?.version, 'info.title and info.version');
  const docs = documentedEndpoints();
  assert.ok(docs.length >= 20, `parsed the docs table (${docs.length} rows)`);
  const missing = [];
  for (const [method, p] of docs) {
    const item = spec.paths?.[p];
    if (!item) missing.push(`${method} ${p} (path missing)`);
    else if (!item[method.toLowerCase()]) missing.push(`${method} ${p} (method missing)`);
    else if (!item[method.toLowerCase()].responses) missing.push(`${method} ${p} (no responses)`);
  }
  assert.deepEqual(missing, [], `OpenAPI paths: ${Object.keys(spec.paths || {}).join(' ')}`);
});
