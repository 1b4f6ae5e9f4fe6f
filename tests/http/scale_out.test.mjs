// Scale-out on PostgreSQL (issue 12): two `dure serve` processes on one database behind Debian's
// nginx (round robin, a config written to a temp dir, 127.0.0.1 only), checked through the proxy:
// a service created on one process is found by search on the other within a second; every outbox
// message reaches the gateway once (a local webhook receiver counts message ids); 20 parallel
// "not reached" check-ins open one escalation, and its ladder climbs once per step; each job runs
// once per period (read from the scheduled_jobs table). Needs DURE_HTTP_DB=postgresql and DURE_TEST_PG
// (scripts/with-postgres.sh; scripts/test.sh runs it in its PostgreSQL part) and
// nginx (scripts/install-deps.sh test); skips with a message otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { call, login, sessionCookie } from './_client.mjs';

const PG = process.env.DURE_TEST_PG;
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const skip = !PG || process.env.DURE_HTTP_DB !== 'postgresql'
  ? 'the scale-out suite runs on PostgreSQL only: DURE_HTTP_DB=postgresql scripts/with-postgres.sh node --test tests/http/scale_out.test.mjs'
  : !NGINX ? 'nginx is not installed (scripts/install-deps.sh test installs nginx-light)' : false;

const SECRET = 'scale-out-webhook-secret-0123';
let a, b, nginx, dir, dbName, dbUrl, proxy, hook, hookPort;
const log = (m) => process.stderr.write(`scale_out: ${m}\n`);
const received = [];  // message_id of every webhook call, in order

const psql = (sql) => execFileSync('psql', [dbUrl, '-tA', '-c', sql], { encoding: 'utf8' }).trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
async function until(what, fn, ms = 10000) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'dure-scale-'));
  dbName = 'dure_scale_' + path.basename(dir).replace(/[^a-zA-Z0-9]/g, '_').toLowerCase();
  execFileSync('psql', [PG, '-q', '-c', `CREATE DATABASE ${dbName}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  dbUrl = PG.replace(/\/[^/?]+(\?|$)/, `/${dbName}$1`);
  // A slow SMS gateway (0.3 s per message), so two senders would overlap if nothing claimed rows.
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      try { received.push(JSON.parse(body).message_id); } catch { received.push('bad'); }
      setTimeout(() => { res.writeHead(200); res.end('ok'); }, 300);
    });
  });
  hookPort = await new Promise((resolve) => hook.listen(0, '127.0.0.1', () => resolve(hook.address().port)));
  const env = { DURE_ALERT_INTERVAL: '1', DURE_ALERT_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/sms`, DURE_ALERT_WEBHOOK_SECRET: SECRET };
  log('starting A');
  a = await startServer({ db: dbUrl, env });
  log('starting B');
  b = await startServer({ db: dbUrl, demo: false, env: { ...env, DURE_KEY_FILE: a.keyFile } });
  log('starting nginx');
  const port = await freePort();
  writeFileSync(path.join(dir, 'nginx.conf'), `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  upstream dure { server 127.0.0.1:${a.port}; server 127.0.0.1:${b.port}; }
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://dure; proxy_set_header Host $host; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`);
  nginx = spawn(NGINX, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let nginxErr = '';
  nginx.stderr.on('data', (c) => { nginxErr += c; });
  proxy = { url: `http://127.0.0.1:${port}`, accounts: a.accounts, account: (role) => a.account(role) };
  await until('nginx to answer', async () => {
    try { return (await call(proxy, 'GET', '/healthz')).status === 200; } catch { return false; }
  }, 10000).catch((e) => { throw new Error(e.message + '\n' + nginxErr); });
}, { timeout: 60000 });

after(async () => {
  if (skip) return;
  if (nginx && nginx.exitCode === null && nginx.signalCode === null) {
    const gone = new Promise((r) => nginx.on('exit', r));
    nginx.kill('SIGTERM');
    await Promise.race([gone, sleep(5000)]);
  }
  if (b) await b.stop();
  if (a) await a.stop();  // after b: b reads a's key file
  if (hook) hook.close();
  execFileSync('psql', [PG, '-q', '-c', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (dir) rmSync(dir, { recursive: true, force: true });
}, { timeout: 60000 });

const as = async (role) => {
  const acc = a.account(role);
  return { ...(await login(proxy, acc.login, acc.password)), demo: acc };
};

test('the proxy spreads requests over both processes', { skip }, async () => {
  // nginx alternates: of two requests in a row, one lands on each process. Both answer.
  for (const s of [a, b]) assert.equal((await call(s, 'GET', '/readyz')).status, 200);
  assert.equal((await call(proxy, 'GET', '/readyz')).json.escalation, 'ok');
});

test('a service created on one process is found by search on the other within a second', { skip }, async () => {
  const admin = await as('district_admin');
  const word = '두레규모시험' + Date.now().toString(36);
  const found = async (base) => ((await call(base, 'GET', `/api/v1/services?q=${encodeURIComponent(word)}`)).json || {}).total === 1;
  // Warm both answer caches with the miss first (review E2: B kept answering from them).
  assert.equal(await found(a), false);
  assert.equal(await found(b), false);
  const r = await call(proxy, 'POST', '/api/v1/services', { session: admin, body: { name: `${word} 긴급식료품 지원`, description: 'scale-out test', provider_level: 'district', topics: ['livelihood'], keywords: [word] } });
  assert.equal(r.status, 201, r.text);
  // Each process is polled on its own; the slower one counts.
  const t0 = Date.now();
  const took = await Promise.all([a, b].map(async (s) => { await until('the service to be found', () => found(s), 5000); return Date.now() - t0; }));
  const rebuilt = (s) => (s.stderr().match(/search index refreshed in \d+ ms/g) || []).join(', ');
  assert.ok(Math.max(...took) < 1000, `found on A after ${took[0]} ms (${rebuilt(a)}), on B after ${took[1]} ms (${rebuilt(b)})`);
  for (let i = 0; i < 4; i++) assert.ok(await found(proxy), `search ${i} through the proxy finds it`);
});

test('20 parallel "not reached" check-ins open one escalation; its ladder climbs once per step; every SMS is sent once', { skip }, async () => {
  const admin = await as('district_admin');
  const cw = await as('caseworker');
  const carer = await as('caregiver');
  const dong = cw.demo.scope_id;
  // A care-team member with a phone: escalation steps reach them by SMS through the webhook.
  const phone = '0105557' + String(Date.now() % 10000).padStart(4, '0');
  const su = await call(proxy, 'POST', '/api/v1/auth/signup', { body: { phone, password: 'scale-out-lantern-77', name: '문돌봄' } });
  assert.equal(su.status, 201, su.text);
  const me = await call(proxy, 'GET', '/api/v1/me', { session: { cookie: sessionCookie(su.setCookies).split(';')[0] } });
  const g = await call(proxy, 'POST', `/api/v1/admin/accounts/${me.json.id}/roles`, { session: admin, body: { role: 'care_team', scope_kind: 'dong', scope_id: dong } });
  assert.equal(g.status, 201, g.text);

  const assignments = [];
  for (let i = 0; i < 3; i++) {
    const p = await call(proxy, 'POST', '/api/v1/persons', { session: admin, body: { name: `규모${i}`, phone: `0105558${1000 + i}`, birth_date: '1940-02-03', address: '한빛구 은행로 1', dong_id: dong } });
    assert.equal(p.status, 201, p.text);
    const r = await call(proxy, 'POST', '/api/v1/checkins/assignments', { session: cw, body: { person_id: p.json.id, caregiver_account_id: carer.demo.account_id, cadence: 'daily' } });
    assert.equal(r.status, 201, r.text);
    assignments.push(r.json.id);
  }
  for (const id of assignments) {
    const rs = await Promise.all(Array.from({ length: 20 }, () =>
      call(proxy, 'POST', `/api/v1/checkins/assignments/${id}/checkins`, { session: carer, body: { result: 'not_reached' } })));
    for (const r of rs) assert.equal(r.status, 201, r.text);
    assert.equal(psql(`SELECT COUNT(*) FROM escalations WHERE assignment_id = ${id} AND closed_at = 0`), '1', `one open escalation for assignment ${id}`);
  }
  const list = await call(proxy, 'GET', `/api/v1/checkins/escalations?dong=${dong}`, { session: cw });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.filter((e) => assignments.includes(e.assignment_id)).length, 3, 'staff see every open one');

  // Time passes (both processes tick every second): each step is taken once, not once per process.
  const ids = `(${assignments.join(',')})`;
  for (let step = 2; step <= 4; step++) {
    psql(`UPDATE escalations SET next_at = 0 WHERE assignment_id IN ${ids} AND closed_at = 0`);
    await until(`step ${step}`, async () => psql(`SELECT COUNT(*) FROM escalations WHERE assignment_id IN ${ids} AND closed_at = 0 AND step = ${step}`) === '3', 8000);
  }
  await sleep(1500);  // a second process's duplicate step would land now
  assert.equal(psql(`SELECT COUNT(*) FROM (SELECT escalation_id, step FROM escalation_steps GROUP BY escalation_id, step HAVING COUNT(*) > 1) d`), '0', 'no step taken twice');
  assert.equal(psql(`SELECT COUNT(*) FROM escalations WHERE assignment_id IN ${ids} AND step > 4`), '0');

  // Every SMS the ladder queued reaches the gateway exactly once.
  const sms = Number(psql(`SELECT COUNT(*) FROM outbox WHERE channel = 'sms'`));
  assert.ok(sms >= 3, `SMS were queued: ${sms}`);
  await until('the outbox to drain', async () => psql(`SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND status <> 'sent'`) === '0', 20000);
  await sleep(500);
  const counts = new Map();
  for (const id of received) counts.set(id, (counts.get(id) || 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'no message id reached the gateway twice');
  assert.equal(counts.size, sms, 'every queued SMS reached the gateway');
});

test('each job runs once per period across both processes', { skip }, async () => {
  const runs = () => Object.fromEntries(psql('SELECT name, runs FROM scheduled_jobs').split('\n').map((l) => l.split('|')).map(([n, r]) => [n, Number(r)]));
  const r0 = runs();
  const t0 = Date.now();
  await sleep(4000);
  const r1 = runs();
  const secs = (Date.now() - t0) / 1000;
  for (const job of ['checkin_escalation', 'outbox_delivery']) {
    const n = r1[job] - r0[job];
    assert.ok(n >= 2, `${job} runs: ${n} in ${secs} s`);
    assert.ok(n <= Math.ceil(secs) + 1, `${job} ran ${n} times in ${secs} s with a 1 s period (twice per period means both processes ran it)`);
  }
  // The daily jobs: one row each, their first run a minute after the first start, not one per process.
  assert.equal(psql("SELECT COUNT(*) FROM scheduled_jobs WHERE name IN ('rescreen', 'screening_rounds') AND runs <= 1"), '2');
  const admin = await as('district_admin');
  const j = await call(proxy, 'GET', '/api/v1/admin/jobs', { session: admin });
  assert.equal(j.status, 200, j.text);
  const esc = j.json.items.find((x) => x.name === 'checkin_escalation');
  assert.ok(esc && esc.last_success_at > 0 && esc.next_run_at >= esc.last_run_at, JSON.stringify(esc));
});
