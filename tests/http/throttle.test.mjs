// Overload and abuse (issue 11, items 6 and 7): a sign-up flood must not slow staff down
// (password hashing has its own bounded pool), every public endpoint that costs something is
// throttled per client address or account with 429 + Retry-After, full queues answer 503 +
// Retry-After, and login answers alike whether or not the account exists, without any lockout
// an outsider could trigger. Each server here passes its own strict limits (tests/lib/server.mjs
// starts the others with generous ones). `--trust-proxy` + X-Forwarded-For stand for clients at
// different addresses.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, loginAs, healthy } from './_client.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });
async function start(opts) {
  const s = await startServer(opts);
  servers.push(s);
  return s;
}
// One server with strict limits for the throttle tests; each test uses its own client addresses
// (and logins), so they do not share allowances.
const KAKAO_SECRET = 'skill-secret-for-throttle-0123456789';
let strictServer;
const strict = async () => strictServer ||= await start({
  extraArgs: ['--trust-proxy', '--limit-signup', '3/3600', '--limit-login', '5/300', '--limit-login-address', '12/300',
    '--limit-simulations', '3/60', '--limit-reports-account', '2/3600', '--limit-kakao-address', '3/60'],
  env: { DURE_KAKAO_SKILL_SECRET: KAKAO_SECRET },
});
// One server with tiny queues: one worker, one hashing thread, one waiting place each.
let tinyServer;
const tiny = async () => tinyServer ||= await start({ extraArgs: ['--workers', '1', '--queue-limit', '1', '--hash-threads', '1', '--hash-queue', '1'] });

const uniq = `${process.pid}${Date.now() % 100000}`;
const from = (addr) => ({ 'X-Forwarded-For': addr });
const SIGNUP = '/api/v1/auth/signup';
const LOGIN = '/api/v1/auth/login';

// Asserts a throttle or overload answer: the status, problem+json and a Retry-After in seconds.
function assertBackOff(r, status, what) {
  const p = assertProblem(r, status, what);
  const ra = r.headers.get('retry-after');
  assert.match(ra || '', /^\d+$/, `${what}: Retry-After is delay-seconds: ${ra}`);
  assert.ok(Number(ra) >= 1, `${what}: Retry-After ≥ 1: ${ra}`);
  return p;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (xs) => quantile(xs, 0.5);

async function timed(fn) {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return { r, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

test('staff keep their latency during 300 parallel sign-ups (hashing has its own bounded pool)', async (t) => {
  // No sign-up limit here: the flood stands for many addresses; the queue is the production one.
  const server = await start({ extraArgs: ['--limit-signup', 'off', '--hash-queue', '64'] });
  const staff = await loginAs(server, 'caseworker');
  const me = () => timed(() => call(server, 'GET', '/api/v1/me', { session: staff }));
  const idle = [];
  for (let i = 0; i < 30; i++) idle.push((await me()).ms);

  const flood = Array.from({ length: 300 }, (_, i) => call(server, 'POST', SIGNUP, {
    body: { email: `flood.${uniq}.${i}@example.com`, password: `Zq8-long-pass-${i}-x`, name: '홍수' },
  }));
  let done = false;
  const all = Promise.all(flood).finally(() => { done = true; });
  const busy = [];
  const started = Date.now();
  await new Promise((res) => setTimeout(res, 20));
  while (!done && busy.length < 200 && Date.now() - started < 60000) {
    const { r, ms } = await me();
    assert.equal(r.status, 200, `/me during the flood: ${r.status} ${r.text.slice(0, 200)}`);
    busy.push(ms);
  }
  const answers = await all;
  const counts = {};
  for (const r of answers) counts[r.status] = (counts[r.status] || 0) + 1;
  for (const r of answers) {
    assert.ok([201, 503].includes(r.status), `sign-up answered ${r.status}: ${r.text.slice(0, 200)}`);
    if (r.status === 503) assertBackOff(r, 503, 'hashing queue full');
  }
  assert.ok(counts[201] >= 1, `some sign-ups went through: ${JSON.stringify(counts)}`);
  const idleP95 = quantile(idle, 0.95), busyP95 = quantile(busy, 0.95);
  const bound = Math.max(400, 20 * idleP95);
  t.diagnostic(`/me p95 idle ${idleP95.toFixed(1)} ms, during the flood ${busyP95.toFixed(1)} ms (${busy.length} samples); sign-ups ${JSON.stringify(counts)}`);
  assert.ok(busyP95 < bound,
    `/me p95 during the flood ${busyP95.toFixed(1)} ms stays under ${bound.toFixed(0)} ms (idle p95 ${idleP95.toFixed(1)} ms; ` +
    `${busy.length} samples; sign-ups ${JSON.stringify(counts)})`);
  assert.ok(busy.length >= 3, `measured /me during the flood (${busy.length} samples)`);
  await healthy(server);
});

test('sign-ups are throttled per address with 429 + Retry-After; other addresses are not held up', async () => {
  const server = await strict();
  const signup = (i, addr) => call(server, 'POST', SIGNUP, {
    headers: from(addr), body: { email: `one.${uniq}.${i}@example.com`, password: `Zq8-long-pass-${i}-y`, name: '한곳' },
  });
  for (let i = 0; i < 3; i++) assert.equal((await signup(i, '203.0.113.5')).status, 201, `sign-up #${i + 1}`);
  const p = assertBackOff(await signup(3, '203.0.113.5'), 429, 'fourth sign-up from one address');
  assert.match(p.type, /too-many/);
  // An attacker cannot spray sign-ups from one address even when each would fail validation.
  assertBackOff(await signup(4, '203.0.113.5'), 429, 'still throttled');
  assert.equal((await signup(5, '198.51.100.5')).status, 201, 'another address signs up');
});

test('the hashing queue is bounded: when full, sign-up and login answer 503 + Retry-After', async () => {
  const server = await tiny();
  const a = server.account('resident');
  const answers = await Promise.all(Array.from({ length: 12 }, () =>
    call(server, 'POST', LOGIN, { body: { login: a.login, password: a.password } })));
  const statuses = answers.map((r) => r.status);
  assert.ok(statuses.includes(200), `some logins went through: ${statuses}`);
  assert.ok(statuses.includes(503), `a full hashing queue answers 503: ${statuses}`);
  for (const r of answers) if (r.status === 503) assertBackOff(r, 503, 'login while the hashing queue is full');
  await healthy(server);
});

test('the work queue is bounded: when full, requests answer 503 + Retry-After instead of waiting without end', async () => {
  const server = await tiny();
  const members = Array.from({ length: 8 }, (_, i) => ({ age: 30 + i }));
  const answers = await Promise.all(Array.from({ length: 150 }, () =>
    call(server, 'POST', '/api/v1/simulations?trace=1', { body: { date: '2025-06-01', household: { members } } })));
  const statuses = answers.map((r) => r.status);
  assert.ok(statuses.includes(200), `some simulations were served: ${[...new Set(statuses)]}`);
  assert.ok(statuses.includes(503), `a full work queue answers 503: ${[...new Set(statuses)]}`);
  for (const r of answers) {
    assert.ok([200, 503].includes(r.status), `answered ${r.status}`);
    if (r.status === 503) assertBackOff(r, 503, 'work queue full');
  }
  await healthy(server);
});

test('login answers alike, in alike time, for a real account and an unknown login; no lockout from another address', async () => {
  const server = await strict();
  const real = server.account('caseworker');
  const unknown = `nobody.${uniq}@demo.dure.kr`;
  const attempt = (loginName, addr, password = 'wrong-guess-12345') =>
    timed(() => call(server, 'POST', LOGIN, { headers: from(addr), body: { login: loginName, password } }));
  const shape = (r) => JSON.stringify({ status: r.status, type: r.json?.type, title: r.json?.title, detail: r.json?.detail });

  // Five wrong passwords for each from one address: the same answers, in the same order.
  const attacker = '203.0.113.66';
  for (let i = 0; i < 5; i++) {
    const a = await attempt(real.login, attacker), b = await attempt(unknown, attacker);
    assert.equal(shape(a.r), shape(b.r), `wrong password #${i + 1}: real and unknown answer alike`);
    assertProblem(a.r, 401, `wrong password #${i + 1}`);
  }
  // Beyond the limit both are throttled alike, and in alike time (the real account used to
  // answer 429 in 2 ms while an unknown one answered 401 after a hash).
  const tReal = [], tUnknown = [];
  for (let i = 0; i < 7; i++) {
    const a = await attempt(real.login, attacker), b = await attempt(unknown, attacker);
    assert.equal(shape(a.r), shape(b.r), `throttled attempt #${i + 1}: real and unknown answer alike`);
    assertBackOff(a.r, 429, `attempt #${i + 6} from the attacker's address`);
    tReal.push(a.ms);
    tUnknown.push(b.ms);
  }
  const [mr, mu] = [median(tReal), median(tUnknown)];
  assert.ok(Math.abs(mr - mu) <= Math.max(25, 0.5 * Math.max(mr, mu)),
    `medians alike when throttled: real ${mr.toFixed(1)} ms, unknown ${mu.toFixed(1)} ms`);

  // The official, from their own address, is not locked out: the right password works.
  const office = '198.51.100.20';
  const ok = await attempt(real.login, office, real.password);
  assert.equal(ok.r.status, 200, `right password from another address: ${ok.r.status} ${ok.r.text.slice(0, 200)}`);

  // Wrong passwords from a fresh address: one hash either way, so alike answers and timing.
  const fresh = '198.51.100.21';
  const wReal = [], wUnknown = [];
  for (let i = 0; i < 4; i++) {
    const a = await attempt(real.login, fresh), b = await attempt(unknown, fresh);
    assert.equal(shape(a.r), shape(b.r), `fresh address, wrong password #${i + 1}`);
    assertProblem(a.r, 401, 'wrong password from a fresh address');
    wReal.push(a.ms);
    wUnknown.push(b.ms);
  }
  const [fr, fu] = [median(wReal), median(wUnknown)];
  assert.ok(Math.max(fr, fu) <= 2 * Math.min(fr, fu) + 25,
    `medians alike for a wrong password: real ${fr.toFixed(1)} ms, unknown ${fu.toFixed(1)} ms`);

  // Sign-up with an existing login costs a hash like any other (no cheap oracle) and is throttled.
  const dup = await call(server, 'POST', SIGNUP, { headers: from(office), body: { email: real.login, password: 'Zq8-long-pass-dup', name: '중복' } });
  assertProblem(dup, 409, 'sign-up with an existing login');
});

test('failed logins are throttled per address whatever login is typed; other addresses still log in', async () => {
  const server = await strict();
  const guesser = '203.0.113.70';
  // 12 failures per address (--limit-login-address 12/300), each with another login.
  for (let i = 0; i < 12; i++) {
    const r = await call(server, 'POST', LOGIN, { headers: from(guesser), body: { login: `guess${i}.${uniq}@demo.dure.kr`, password: 'wrong-guess-12345' } });
    assertProblem(r, 401, `guess #${i + 1}`);
  }
  assertBackOff(await call(server, 'POST', LOGIN, { headers: from(guesser), body: { login: `guess99.${uniq}@demo.dure.kr`, password: 'wrong-guess-12345' } }),
    429, 'thirteenth failure from one address');
  const a = server.account('caseworker');
  assert.equal((await call(server, 'POST', LOGIN, { headers: from('198.51.100.30'), body: { login: a.login, password: a.password } })).status, 200,
    'another address logs in');
  // Right passwords do not use the allowance up: an office behind one address keeps logging in.
  const officeAddr = '198.51.100.31';
  for (let i = 0; i < 8; i++)
    assert.equal((await call(server, 'POST', LOGIN, { headers: from(officeAddr), body: { login: a.login, password: a.password } })).status, 200,
      `successful login #${i + 1} from one address`);
});

test('simulations are throttled per address (per account when logged in) with 429 + Retry-After', async () => {
  const server = await strict();
  const sim = (addr, session) => call(server, 'POST', '/api/v1/simulations', {
    headers: from(addr), session, body: { date: '2025-06-01', household: { members: [{ age: 70 }] } },
  });
  for (let i = 0; i < 3; i++) assert.equal((await sim('203.0.113.80')).status, 200, `simulation #${i + 1}`);
  const p = assertBackOff(await sim('203.0.113.80'), 429, 'fourth simulation from one address');
  assert.match(p.type, /too-many/);
  assert.equal((await sim('198.51.100.80')).status, 200, 'another address simulates');
  const resident = await loginAs(server, 'resident');
  for (let i = 0; i < 3; i++) assert.equal((await sim('203.0.113.80', resident)).status, 200, `member simulation #${i + 1}`);
  assertBackOff(await sim('198.51.100.81', resident), 429, 'a member is counted per account, whatever the address');
});

test('reports by a logged-in account are throttled too (free accounts no longer bypass the limit)', async () => {
  const server = await strict();
  const resident = await loginAs(server, 'resident');
  const report = (i) => call(server, 'POST', '/api/v1/outreach/reports', {
    session: resident, headers: from('203.0.113.90'), body: { place: `놀이터 ${i}`, concern: '며칠째 끼니를 거르는 것 같습니다' },
  });
  for (let i = 0; i < 2; i++) assert.equal((await report(i)).status, 201, `report #${i + 1}`);
  assertBackOff(await report(2), 429, 'third report from one account');
});

test('the KakaoTalk skill is throttled per calling address with 429 + Retry-After, before the secret is checked', async () => {
  const SECRET = KAKAO_SECRET;
  const server = await strict();
  const skill = (addr, secret = SECRET) => call(server, 'POST', '/channels/kakao/skill', {
    headers: { ...from(addr), 'X-Skill-Secret': secret },
    body: { userRequest: { utterance: '기초연금', user: { id: 'u1' } }, action: { params: {} } },
  });
  for (let i = 0; i < 3; i++) assert.equal((await skill('203.0.113.99', i === 0 ? SECRET : 'wrong')).status, i === 0 ? 200 : 401, `call #${i + 1}`);
  assertBackOff(await skill('203.0.113.99'), 429, 'fourth call from one address');
  assert.equal((await skill('198.51.100.99')).status, 200, 'another address is served');
});
