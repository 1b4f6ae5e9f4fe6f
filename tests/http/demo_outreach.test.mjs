// The demo district's outreach data (what `dure demo` loads for people trying dure): gatekeepers
// in the registry, reports from every channel in the triage queue — two about the same household
// merged into one — and running the demo again adds nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../lib/server.mjs';
import { call, loginAs } from './_client.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let server, admin, cw, gk;
before(async () => {
  server = await startServer({ outreachDemo: true });
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
  gk = await loginAs(server, 'gatekeeper');
});
after(async () => { if (server) await server.stop(); });

test('the demo queue has reports from every channel, merged per household', async () => {
  const all = await call(server, 'GET', '/api/v1/outreach/queue', { session: admin });
  assert.equal(all.status, 200, all.text);
  assert.equal(all.json.total, 4, `five reports, two about one household: ${all.text}`);
  const merged = all.json.items.find((h) => h.report_count === 2);
  assert.ok(merged, all.text);
  assert.equal(merged.priority, 'urgent', 'the gas cut-off raised the household to urgent');
  assert.ok(all.json.items.some((h) => h.dong === null), 'the KakaoTalk report has no dong yet');
  const opened = await call(server, 'GET', `/api/v1/outreach/households/${merged.id}`, { session: admin, headers: { 'X-Access-Reason': 'demo check' } });
  const channels = opened.json.timeline.filter((e) => e.report).map((e) => e.report.channel).sort();
  assert.deepEqual(channels, ['partner', 'web']);

  // The dong caseworker sees their dong's households only.
  const mine = await call(server, 'GET', '/api/v1/outreach/queue', { session: cw });
  assert.ok(mine.json.total >= 1 && mine.json.items.every((h) => h.dong?.id === cw.demo.scope_id), mine.text);
});

test('the demo registry lists the gatekeepers, and the postal worker sees their own report', async () => {
  const g = await call(server, 'GET', '/api/v1/outreach/gatekeepers', { session: admin });
  assert.equal(g.status, 200, g.text);
  assert.ok(g.json.total >= 4, g.text);
  const own = await call(server, 'GET', '/api/v1/outreach/my-reports', { session: gk });
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.items.length, 1, own.text);
});

test('running the demo again adds no reports', async () => {
  const dureBin = process.env.DURE_BIN || path.join(repoRoot, 'build', 'dure');
  const out = execFileSync(dureBin, ['demo'], { env: { ...process.env, DURE_DB: server.db, DURE_KEY_FILE: server.keyFile }, encoding: 'utf8' });
  assert.match(out, /Demo district 한빛구/);
  assert.doesNotMatch(out, /reports in its triage queue/, out);
  const all = await call(server, 'GET', '/api/v1/outreach/queue', { session: admin });
  assert.equal(all.json.total, 4);
});
