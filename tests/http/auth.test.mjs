// Accounts and sessions over HTTP: request-body validation, signup, login by e-mail and phone,
// the session cookie, CSRF on logout, session expiry and login throttling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  call, assertProblem, errorFields, login, loginAs, sessionCookie, rawExchange, healthy, sleep, districts,
} from './_client.mjs';

let server;
let districtId;
const uniq = `${process.pid}${Date.now() % 100000}`;
// Valid-looking Korean mobile numbers unique to this run.
const phoneA = `0109${uniq.slice(-7).padStart(7, '0')}`;

before(async () => {
  server = await startServer();
  districtId = (await districts(server))[0].id;
});
after(async () => { if (server) await server.stop(); });

const LOGIN = '/api/v1/auth/login';
const SIGNUP = '/api/v1/auth/signup';

test('malformed JSON is a 400 problem with errors[]', async () => {
  for (const body of ['{"login": "a@b.kr", "password": ', '{login: 1}', '{"login":"x","password":"y"} trailing', '']) {
    const r = await call(server, 'POST', LOGIN, { body, headers: { 'Content-Type': 'application/json' } });
    const p = assertProblem(r, 400, `syntax error ${JSON.stringify(body)}`);
    errorFields(p, `syntax error ${JSON.stringify(body)}`);
  }
  // Deep nesting must be refused, not crash the parser.
  const deep = '['.repeat(100000) + ']'.repeat(100000);
  const r = await call(server, 'POST', LOGIN, { body: deep, headers: { 'Content-Type': 'application/json' } });
  assertProblem(r, [400, 413, 422], 'deeply nested JSON');
  // Invalid UTF-8 inside a string.
  const badUtf8 = Buffer.concat([Buffer.from('{"login":"'), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('","password":"whatever-long"}')]);
  assertProblem(await call(server, 'POST', LOGIN, { body: badUtf8, headers: { 'Content-Type': 'application/json' } }), [400, 422], 'invalid UTF-8');
  await healthy(server);
});

test('JSON that is not an object is rejected with a 400/422 problem', async () => {
  for (const body of ['[1,2,3]', '"just a string"', '42', 'null', 'true']) {
    const r = await call(server, 'POST', LOGIN, { body, headers: { 'Content-Type': 'application/json' } });
    const p = assertProblem(r, [400, 422], `non-object ${body}`);
    errorFields(p, `non-object ${body}`);
  }
});

test('wrong member types are a 422 naming each field', async () => {
  let p = assertProblem(await call(server, 'POST', LOGIN, { body: { login: 5, password: true } }), 422, 'login types');
  let fields = errorFields(p);
  assert.ok(fields.includes('login') && fields.includes('password'), `fields named: ${JSON.stringify(p.errors)}`);

  p = assertProblem(await call(server, 'POST', SIGNUP, { body: { email: 42, password: ['x'], name: { a: 1 } } }), 422, 'signup types');
  fields = errorFields(p);
  for (const f of ['email', 'password', 'name']) assert.ok(fields.includes(f), `signup wrong types names ${f}: ${JSON.stringify(p.errors)}`);
});

test('a body that is not JSON gets 415', async () => {
  const body = JSON.stringify({ login: 'a@b.kr', password: 'whatever-long' });
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
    assertProblem(await call(server, 'POST', LOGIN, { body, headers: { 'Content-Type': ct } }), 415, `Content-Type ${ct}`);
  }
  // No Content-Type at all (fetch always adds one, so use a raw socket).
  const raw = `POST ${LOGIN} HTTP/1.1\r\nHost: a\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  const r = await rawExchange(server.port, raw);
  assert.equal(r.responses[0]?.status, 415, `no Content-Type: ${r.data.toString().slice(0, 300)}`);
  assert.match(r.responses[0].headers['content-type'] || '', /^application\/problem\+json/);
  // JSON with a charset parameter is still JSON.
  const ok = await call(server, 'POST', LOGIN, { body, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
  assertProblem(ok, 401, 'application/json; charset=utf-8 is accepted (wrong credentials → 401)');
});

test('signup with an empty body names every missing field', async () => {
  const p = assertProblem(await call(server, 'POST', SIGNUP, { body: {} }), 422, 'empty signup');
  const fields = errorFields(p);
  assert.ok(fields.includes('password'), `missing password named: ${JSON.stringify(p.errors)}`);
  assert.ok(fields.includes('name'), `missing name named: ${JSON.stringify(p.errors)}`);
  assert.ok(fields.some((f) => ['email', 'phone', 'login'].includes(f)), `missing email/phone named: ${JSON.stringify(p.errors)}`);
});

const validBase = { email: `valid.${uniq}@example.com`, name: '김하나', password: 'correct-horse-battery-9' };
const signupCases = [
  [{ name: validBase.name, password: validBase.password }, 'email', 'no e-mail or phone'],
  [{ ...validBase, password: 'short12' }, 'password', 'password < 10 chars'],
  [{ ...validBase, password: 'password1234' }, 'password', 'common password password1234'],
  [{ ...validBase, password: 'qwertyuiop' }, 'password', 'common password qwertyuiop'],
  [{ ...validBase, email: 'not-an-email' }, 'email', 'bad email not-an-email'],
  [{ ...validBase, email: 'a@' }, 'email', 'bad email a@'],
  [{ name: validBase.name, password: validBase.password, phone: '12345' }, 'phone', 'bad phone 12345'],
  [{ name: validBase.name, password: validBase.password, phone: 'call-me-maybe' }, 'phone', 'bad phone letters'],
  [{ ...validBase, name: '' }, 'name', 'empty name'],
  [{ ...validBase, district_id: 987654321 }, 'district_id', 'unknown district'],
];
for (const [body, field, label] of signupCases) {
  test(`signup validation: ${label} → 422 naming ${field}`, async () => {
    const p = assertProblem(await call(server, 'POST', SIGNUP, { body }), 422, label);
    const fields = errorFields(p, label);
    const ok = field === 'email' ? fields.some((f) => ['email', 'phone', 'login'].includes(f)) : fields.includes(field);
    assert.ok(ok, `${label}: errors name "${field}": ${JSON.stringify(p.errors)}`);
    if (field !== 'password') assert.ok(!fields.includes('password'), `${label}: the good password is not flagged: ${JSON.stringify(p.errors)}`);
    // The rejected signup created no account.
    if (body.email) {
      const r = await call(server, 'POST', LOGIN, { body: { login: body.email, password: body.password } });
      assertProblem(r, [401, 422], `${label}: no account was created`);
    }
  });
}

test('signup, duplicate, login by e-mail and phone, /me, cookie attributes, CSRF on logout', async () => {
  const email = `resident.${uniq}@example.com`;
  const password = 'gangnam-river-walk-42';
  const s = await call(server, 'POST', SIGNUP, { body: { email, password, name: '이두레', district_id: districtId } });
  assert.equal(s.status, 201, `signup: ${s.status} ${s.text}`);
  assert.equal(s.json.account?.email, email);
  assert.equal(typeof s.json.csrf_token, 'string');
  assert.ok(!/argon2|password_hash|"password"/i.test(s.text), `signup response leaks no password data: ${s.text}`);
  const sc = sessionCookie(s.setCookies);
  assert.ok(sc, `signup sets dure_session: ${JSON.stringify(s.setCookies)}`);
  const meAfterSignup = await call(server, 'GET', '/api/v1/me', { session: { cookie: sc.split(';')[0] } });
  assert.equal(meAfterSignup.status, 200, 'signup session works');

  const dup = await call(server, 'POST', SIGNUP, { body: { email, password: 'another-pass-777', name: '다른사람' } });
  assertProblem(dup, 409, 'duplicate e-mail');

  const ph = await call(server, 'POST', SIGNUP, { body: { phone: phoneA, password, name: '박전화', district_id: districtId } });
  assert.equal(ph.status, 201, `phone signup: ${ph.status} ${ph.text}`);
  assertProblem(await call(server, 'POST', SIGNUP, { body: { phone: phoneA, password, name: '박전화' } }), 409, 'duplicate phone');

  assertProblem(await call(server, 'POST', LOGIN, { body: { login: email, password: 'wrong-password-1' } }), 401, 'wrong password');
  assertProblem(await call(server, 'POST', LOGIN, { body: { login: `nobody.${uniq}@example.com`, password } }), 401, 'unknown login');

  const byPhone = await login(server, phoneA, password);
  const mePhone = await call(server, 'GET', '/api/v1/me', { session: byPhone });
  assert.equal(mePhone.status, 200);
  assert.equal(mePhone.json.name, '박전화');

  const sess = await login(server, email, password);
  const raw = sess.raw.setCookies.find((c) => c.startsWith('dure_session='));
  assert.match(raw, /;\s*HttpOnly/i, `HttpOnly: ${raw}`);
  assert.match(raw, /;\s*SameSite=Strict/i, `SameSite=Strict: ${raw}`);
  assert.match(raw, /;\s*Path=\//i, `Path=/: ${raw}`);
  // The readable marker the web UI checks before asking /me: no secret, same lifetime, not HttpOnly.
  const marker = sess.raw.setCookies.find((c) => c.startsWith('dure_signed_in='));
  assert.match(marker || '', /^dure_signed_in=1;/, `marker set: ${JSON.stringify(sess.raw.setCookies)}`);
  assert.doesNotMatch(marker, /HttpOnly/i, 'the marker is readable by the page');
  assert.equal(/Max-Age=(\d+)/.exec(marker)[1], /Max-Age=(\d+)/.exec(raw)[1], 'marker lives as long as the session');

  const me = await call(server, 'GET', '/api/v1/me', { session: sess });
  assert.equal(me.status, 200, `/me: ${me.status} ${me.text}`);
  for (const k of ['id', 'name', 'email', 'phone', 'district_id', 'roles', 'csrf_token']) assert.ok(k in me.json, `/me has ${k}: ${me.text}`);
  assert.equal(me.json.email, email);
  assert.equal(me.json.name, '이두레');
  assert.equal(me.json.district_id, districtId);
  assert.ok(Array.isArray(me.json.roles));
  assert.equal(me.json.csrf_token, sess.csrf, '/me returns the session CSRF token');

  assertProblem(await call(server, 'GET', '/api/v1/me'), 401, 'anonymous /me');
  assertProblem(await call(server, 'GET', '/api/v1/me', { headers: { Cookie: 'dure_session=forged-session-id' } }), 401, 'forged cookie');

  const noCsrf = await call(server, 'POST', '/api/v1/auth/logout', { session: sess, csrf: false });
  const p = assertProblem(noCsrf, 403, 'logout without X-CSRF-Token');
  assert.match(p.type, /csrf/, `problem type names csrf: ${p.type}`);
  assertProblem(await call(server, 'POST', '/api/v1/auth/logout', { session: sess, csrf: false, headers: { 'X-CSRF-Token': 'not-the-token' } }), 403, 'logout with a wrong token');
  assertProblem(await call(server, 'POST', '/api/v1/auth/logout', { session: sess, csrf: false, headers: { 'X-CSRF-Token': byPhone.csrf } }), 403, 'logout with another session\'s token');
  assert.equal((await call(server, 'GET', '/api/v1/me', { session: sess })).status, 200, 'session survives refused logouts');

  const out = await call(server, 'POST', '/api/v1/auth/logout', { session: sess });
  assert.equal(out.status, 204, `logout: ${out.status} ${out.text}`);
  const cleared = out.setCookies.find((c) => c.startsWith('dure_session='));
  assert.ok(cleared && (/Max-Age=0/i.test(cleared) || /Expires=Thu, 01 Jan 1970/i.test(cleared) || /^dure_session=;/.test(cleared)), `logout clears the cookie: ${cleared}`);
  assert.match(out.setCookies.find((c) => c.startsWith('dure_signed_in=')) || '', /^dure_signed_in=;.*Max-Age=0/, 'logout clears the marker');
  assertProblem(await call(server, 'GET', '/api/v1/me', { session: sess }), 401, '/me after logout');
  assert.equal((await call(server, 'GET', '/api/v1/me', { session: byPhone })).status, 200, 'other sessions stay valid');
});

test('a session expires after --session-ttl', async () => {
  // Five seconds: a login on a loaded machine (argon2id) can take most of a shorter TTL.
  const s2 = await startServer({ extraArgs: ['--session-ttl', '5'] });
  try {
    const sess = await loginAs(s2, 'resident');
    assert.equal((await call(s2, 'GET', '/api/v1/me', { session: sess })).status, 200, 'fresh session works');
    await sleep(6000);
    assertProblem(await call(s2, 'GET', '/api/v1/me', { session: sess }), 401, '/me after the session TTL');
  } finally {
    await s2.stop();
  }
});

test('repeated wrong passwords get 429 + Retry-After at that address, even for the right password; another address logs in', async () => {
  // Strict limits of its own (tests/lib/server.mjs starts the others with generous ones).
  const s3 = await startServer({ extraArgs: ['--trust-proxy', '--limit-login', '5/300'] });
  try {
    const email = `locked.${uniq}@example.com`;
    const password = 'pohang-sea-breeze-88';
    const su = await call(s3, 'POST', SIGNUP, { body: { email, password, name: '최잠금' } });
    assert.equal(su.status, 201, `signup: ${su.status} ${su.text}`);
    const headers = { 'X-Forwarded-For': '203.0.113.40' };
    let locked = null;
    let attempts = 0;
    for (; attempts < 40 && !locked; attempts++) {
      const r = await call(s3, 'POST', LOGIN, { headers, body: { login: email, password: `wrong-guess-${attempts}-x` } });
      if (r.status === 429) locked = r;
      else assertProblem(r, 401, `wrong password #${attempts + 1}`);
    }
    assert.ok(locked, `no 429 after ${attempts} wrong passwords`);
    assert.equal(attempts, 6, 'the sixth attempt is refused');
    assertProblem(locked, 429, 'throttled');
    const ra = locked.headers.get('retry-after');
    assert.match(ra || '', /^\d+$/, `Retry-After is delay-seconds: ${ra}`);
    assert.ok(Number(ra) >= 1, `Retry-After ≥ 1: ${ra}`);
    const right = await call(s3, 'POST', LOGIN, { headers, body: { login: email, password } });
    assertProblem(right, 429, 'the right password is refused at the throttled address');
    assert.ok(!sessionCookie(right.setCookies), 'no session while throttled');
    const elsewhere = await call(s3, 'POST', LOGIN, { headers: { 'X-Forwarded-For': '198.51.100.40' }, body: { login: email, password } });
    assert.equal(elsewhere.status, 200, `no lockout: another address logs in (${elsewhere.status} ${elsewhere.text.slice(0, 200)})`);
  } finally {
    await s3.stop();
  }
});

test('over https the session cookie carries the __Host- prefix and the plain name is ignored (review: a sibling subdomain could plant the cookie)', async () => {
  const s4 = await startServer({ extraArgs: ['--trust-proxy'] });
  try {
    const email = `host.${uniq}@example.com`;
    const password = 'gangneung-coffee-street-7';
    const https = { 'X-Forwarded-Proto': 'https' };
    const su = await call(s4, 'POST', SIGNUP, { body: { email, password, name: '한호스트' }, headers: https });
    assert.equal(su.status, 201, `signup: ${su.status} ${su.text}`);
    const r = await call(s4, 'POST', LOGIN, { headers: https, body: { login: email, password } });
    assert.equal(r.status, 200, `login over https: ${r.status} ${r.text}`);
    const set = r.setCookies.find((c) => c.startsWith('__Host-dure_session='));
    assert.ok(set, `__Host-dure_session is set: ${JSON.stringify(r.setCookies)}`);
    assert.match(set, /; Secure/, 'Secure');
    assert.match(set, /; Path=\/(;|$)/, 'Path=/');
    assert.doesNotMatch(set, /Domain=/i, 'no Domain attribute');
    assert.ok(!r.setCookies.some((c) => c.startsWith('dure_session=')), 'no unprefixed session cookie over https');
    const token = set.split(';')[0].split('=')[1];
    const ok = await call(s4, 'GET', '/api/v1/me', { headers: { ...https, Cookie: `__Host-dure_session=${token}` } });
    assert.equal(ok.status, 200, `the prefixed cookie authenticates: ${ok.status}`);
    const planted = await call(s4, 'GET', '/api/v1/me', { headers: { ...https, Cookie: `dure_session=${token}` } });
    assertProblem(planted, 401, 'the plain cookie name is not read over https');
    const out = await call(s4, 'POST', '/api/v1/auth/logout', { headers: { ...https, Cookie: `__Host-dure_session=${token}`, 'X-CSRF-Token': r.json.csrf_token } });
    assert.equal(out.status, 204, `logout: ${out.status} ${out.text}`);
    assert.ok(out.setCookies.some((c) => /^__Host-dure_session=;.*Max-Age=0/.test(c) && /; Secure/.test(c)), `logout clears the prefixed cookie: ${JSON.stringify(out.setCookies)}`);
    const after = await call(s4, 'GET', '/api/v1/me', { headers: { ...https, Cookie: `__Host-dure_session=${token}` } });
    assertProblem(after, 401, 'the session ended');
  } finally {
    await s4.stop();
  }
});
