// Membership alerts end to end: a consenting member with a stored household is re-screened,
// told once (inbox with reasons, e-mail through a real SMTP server — Debian's aiosmtpd — and an
// HMAC-signed webhook for the SMS gateway), quiet hours defer delivery, a failing gateway is
// retried with backoff, one-click unsubscribe stops everything; recommendations learn from feedback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import crypto from 'node:crypto';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, dureBin } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs, sessionCookie } from './_client.mjs';

const SECRET = 'webhook-secret-for-tests-0123456789';
let server, smtp, maildir, hook, hookUrl;
const hooks = [];
let hookStatus = 200;

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}
async function waitFor(fn, what, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const mails = () => {
  try { return readdirSync(path.join(maildir, 'box', 'new')).map((f) => readFileSync(path.join(maildir, 'box', 'new', f), 'utf8')); } catch { return []; }
};

before(async () => {
  maildir = mkdtempSync(path.join(tmpdir(), 'dure-mail-'));
  const smtpPort = await freePort();
  smtp = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', path.join(maildir, 'box')],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(() => new Promise((r) => { const c = net.connect(smtpPort, '127.0.0.1', () => { c.end(); r(true); }); c.on('error', () => r(false)); }), 'SMTP sink');
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { hooks.push({ headers: req.headers, body }); res.writeHead(hookStatus); res.end('ok'); });
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${hook.address().port}/sms`;
  server = await startServer({ env: {
    DURE_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, DURE_SMTP_FROM: 'alerts@dure.test',
    DURE_ALERT_WEBHOOK_URL: hookUrl, DURE_ALERT_WEBHOOK_SECRET: SECRET, DURE_ALERT_INTERVAL: '1',
    DURE_PUBLIC_URL: 'https://dure.example' } });
});
after(async () => {
  if (server) await server.stop();
  if (smtp) smtp.kill();
  if (hook) hook.close();
  rmSync(maildir, { recursive: true, force: true });
});

const household = { members: [{ relation: 'self', birth_date: '1950-02-01' }],
  residence: { tenure: 'monthly_rent', rent: 200000, region: 'seoul' }, incomes: { public_transfer: 150000 }, assets: {} };

async function rescreen(body = {}) {
  const admin = await loginAs(server, 'district_admin');
  const r = await call(server, 'POST', '/api/v1/admin/alerts/rescreen', { session: admin, body });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('a consenting member is told once, in the inbox, by e-mail and through the signed SMS webhook', async () => {
  const me = await loginAs(server, 'resident');
  // A phone-only member too, for the SMS channel.
  const phone = '01055501234';
  const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { phone, password: 'river-stone-lantern-77', name: '김두레' } });
  assert.equal(su.status, 201, su.text);
  const ph = { cookie: sessionCookie(su.setCookies).split(';')[0], csrf: su.json.csrf_token };
  for (const [s, ch] of [[me, { email: true }], [ph, { sms: true }]]) {
    assert.equal((await call(server, 'PUT', '/api/v1/me/eligibility', { session: s, body: { household, alerts_consent: true } })).status, 200);
    const put = await call(server, 'PUT', '/api/v1/me/alerts', { session: s, body: { ...ch, quiet_start: 0, quiet_end: 0 } });
    assert.equal(put.status, 200, put.text);
  }
  const settings = (await call(server, 'GET', '/api/v1/me/alerts', { session: me })).json;
  assert.equal(settings.email, true);
  assert.equal(settings.email_available, true);
  // Officials only may trigger a re-screening.
  assertProblem(await call(server, 'POST', '/api/v1/admin/alerts/rescreen', { session: me, body: {} }), 403);
  assertProblem(await call(server, 'POST', '/api/v1/admin/alerts/rescreen', { body: {} }), 401);
  const first = await rescreen({ date: '2025-06-01' });
  assert.ok(first.members >= 2 && first.notified >= 2, JSON.stringify(first));
  // The inbox message names the program with its reason.
  const inbox = (await call(server, 'GET', '/api/v1/me/inbox', { session: me })).json;
  assert.equal(inbox.items.length, 1);
  assert.equal(inbox.unread, 1);
  assert.match(inbox.items[0].body, /생계급여/);
  assert.match(inbox.items[0].body, /✔/);
  // Delivered by the background worker: an e-mail with one-click unsubscribe, a signed webhook.
  const mail = await waitFor(() => mails()[0], 'the e-mail');
  assert.match(mail, /^To: resident@demo\.dure\.kr/m);
  assert.match(mail, /^List-Unsubscribe: <https:\/\/dure\.example\/unsubscribe\?token=/m);
  assert.match(mail, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
  const text = Buffer.from(mail.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, ''), 'base64').toString('utf8');
  assert.match(text, /생계급여/);
  const hit = await waitFor(() => hooks.find((h) => JSON.parse(h.body).to === phone), 'the SMS webhook');
  const expected = 'sha256=' + crypto.createHmac('sha256', SECRET).update(`${hit.headers['x-dure-timestamp']}.${hit.body}`).digest('hex');
  assert.equal(hit.headers['x-dure-signature'], expected);
  assert.match(JSON.parse(hit.body).text, /두레/);
  // Once: a second run with nothing new sends nothing.
  const again = await rescreen({ date: '2025-06-01' });
  assert.equal(again.notified, 0, JSON.stringify(again));
  // A new year's parameters change the amount: told again, about the change.
  const next = await rescreen({ date: '2026-06-01' });
  assert.ok(next.notified >= 1, JSON.stringify(next));
  const inbox2 = (await call(server, 'GET', '/api/v1/me/inbox', { session: me })).json;
  assert.equal(inbox2.items.length, 2);
  assert.match(inbox2.items[0].body, /금액이 바뀌었어요/);
  // Mark read; another member cannot.
  const id = inbox2.items[0].id;
  assertProblem(await call(server, 'POST', `/api/v1/me/inbox/${id}/read`, { session: ph }), 404);
  assert.equal((await call(server, 'POST', `/api/v1/me/inbox/${id}/read`, { session: me })).status, 200);
  assert.equal((await call(server, 'GET', '/api/v1/me/inbox', { session: me })).json.unread, 1);
  // One-click unsubscribe from the e-mail's link turns alerts off.
  const token = /token=([0-9]+\.[0-9a-f]+)/.exec(mail)[1];
  // A forged token (last digit changed, whatever it was) is refused.
  const forged = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
  assert.equal((await call(server, 'POST', `/unsubscribe?token=${forged}`)).status, 404);
  const page = await call(server, 'GET', `/unsubscribe?token=${token}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<form method="post"/);
  const un = await call(server, 'POST', `/unsubscribe?token=${token}`, { body: 'List-Unsubscribe=One-Click', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(un.status, 200, un.text);
  const off = (await call(server, 'GET', '/api/v1/me/alerts', { session: me })).json;
  assert.equal(off.email, false);
  assert.equal(off.alerts_consent, false);
});

test('an undecodable outbox row becomes a dead letter administrators see, and the queue goes on; e-mails carry the outbox id', async () => {
  // Review T4: one undecodable row stopped every delivery pass (and check-in escalation with it).
  const admin = await loginAs(server, 'district_admin');
  const acct = admin.demo.account_id;
  execFileSync('sqlite3', [server.db.slice(7), `INSERT INTO outbox (account_id, channel, payload_enc, status, next_attempt_at, created_at) VALUES (${acct}, 'email', 'v1.AAAA', 'pending', 0, 0)`]);
  const dead = await waitFor(async () => {
    const r = await call(server, 'GET', '/api/v1/admin/outbox/dead', { session: admin });
    return r.status === 200 && r.json.items.some((i) => i.account_id === acct && /undecodable/.test(i.last_error)) ? r : null;
  }, 'the dead letter');
  assert.ok(dead.json.total >= 1, dead.text);
  assert.ok(!dead.text.includes('v1.AAAA'), 'the listing never carries the message');
  assertProblem(await call(server, 'GET', '/api/v1/admin/outbox/dead', { session: await loginAs(server, 'caseworker') }), 403);
  assertProblem(await call(server, 'GET', '/api/v1/admin/outbox/dead'), 401);
  // A stable Message-ID per outbox row, so a resend can be recognised by the receiving side.
  assert.match(mails()[0], /^Message-ID: <outbox-\d+@dure\.test>/m);
});

test('quiet hours defer delivery; a failing gateway is retried with backoff', async () => {
  // Reuse the database through the CLI: a member in quiet hours all day (0–23 wraps to 23 hours).
  const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { phone: '01055509876', password: 'quiet-night-owl-1234', name: '박두레' } });
  const s = { cookie: sessionCookie(su.setCookies).split(';')[0], csrf: su.json.csrf_token };
  await call(server, 'PUT', '/api/v1/me/eligibility', { session: s, body: { household, alerts_consent: true } });
  const hour = (new Date().getUTCHours() + 9) % 24;
  await call(server, 'PUT', '/api/v1/me/alerts', { session: s, body: { sms: true, quiet_start: hour, quiet_end: (hour + 2) % 24 } });
  const before = hooks.length;
  await rescreen({ date: '2025-06-01' });
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(hooks.filter((h) => JSON.parse(h.body).to === '01055509876').length, 0, 'nothing sent in quiet hours');
  const row = () => execFileSync('sqlite3', [server.db.slice(7), "SELECT status, attempts, next_attempt_at, last_error FROM outbox WHERE channel = 'sms' ORDER BY id DESC LIMIT 1"], { encoding: 'utf8' }).trim().split('|');
  if (server.db.startsWith('sqlite:')) {
    const [status, attempts, next] = row();
    assert.equal(status, 'pending');
    assert.equal(attempts, '0');
    assert.ok(Number(next) > Date.now() / 1000 + 3000, 'deferred to the end of the quiet hours');
    // Now out of quiet hours, but the gateway fails: retried later, not lost.
    hookStatus = 503;
    await call(server, 'PUT', '/api/v1/me/alerts', { session: s, body: { quiet_start: 0, quiet_end: 0 } });
    execFileSync('sqlite3', [server.db.slice(7), "UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'"]);
    await waitFor(() => row()[1] === '1', 'a failed attempt');
    const [st2, at2, next2, err2] = row();
    assert.equal(st2, 'pending');
    assert.equal(at2, '1');
    assert.ok(Number(next2) >= Date.now() / 1000 + 50, 'backoff of about a minute');
    assert.match(err2, /503/);
    hookStatus = 200;
    execFileSync('sqlite3', [server.db.slice(7), "UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'"]);
    await waitFor(() => row()[0] === 'sent', 'the retry to succeed');
    assert.ok(hooks.length > before);
  }
  // Bad settings name the field.
  const bad = assertProblem(await call(server, 'PUT', '/api/v1/me/alerts', { session: s, body: { quiet_start: 25, email: 'yes', fax: true } }), 422);
  assert.deepEqual(errorFields(bad).sort(), ['email', 'fax', 'quiet_start']);
});

test('recommendations say why, and feedback moves the model', async () => {
  const me = await loginAs(server, 'volunteer');
  await call(server, 'PUT', '/api/v1/me/eligibility', { session: me, body: { household, interests: { topics: ['housing'] } } });
  const r = await call(server, 'GET', '/api/v1/me/recommendations', { session: me });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length > 0);
  for (const it of r.json.items) assert.ok(it.why_ko.length > 0, `a reason for ${it.name}`);
  const top = r.json.items[0];
  assert.ok(top.why_ko.includes('모의계산 결과 받을 수 있어요'), JSON.stringify(top));
  const w0 = r.json.model;
  const fb = await call(server, 'POST', '/api/v1/me/recommendations/feedback', { session: me, body: { service_id: top.service_id, action: 'dismissed' } });
  assert.equal(fb.status, 200, fb.text);
  assert.equal(fb.json.learned, true);
  // Recorded once: the same feedback again does not move the model again.
  assert.equal((await call(server, 'POST', '/api/v1/me/recommendations/feedback', { session: me, body: { service_id: top.service_id, action: 'dismissed' } })).json.learned, false);
  const r2 = (await call(server, 'GET', '/api/v1/me/recommendations', { session: me })).json;
  assert.ok(!r2.items.some((x) => x.service_id === top.service_id), 'a dismissed service is not shown again');
  assert.ok(r2.model.eligible < w0.eligible, 'dismissing an eligible service lowers that weight');
  const bad = assertProblem(await call(server, 'POST', '/api/v1/me/recommendations/feedback', { session: me, body: { service_id: 'nope', action: 'loved' } }), 422);
  assert.deepEqual(errorFields(bad).sort(), ['action']);
  const bad2 = assertProblem(await call(server, 'POST', '/api/v1/me/recommendations/feedback', { session: me, body: { service_id: 'nope', action: 'viewed' } }), 422);
  assert.deepEqual(errorFields(bad2), ['service_id']);
  assertProblem(await call(server, 'GET', '/api/v1/me/recommendations'), 401);
});
