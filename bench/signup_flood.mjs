#!/usr/bin/env node
// A sign-up flood and a staff request: prints /api/v1/me latency (p50/p99) of a logged-in
// caseworker with the server idle, then while FLOOD (300) sign-ups arrive at once, and the p99
// ratio. Sign-ups hash a password with argon2id; they run on their own bounded pool, so staff
// latency should stay near idle (before that pool, the p99 went from 2 ms to 5.5 s). The
// sign-up limit is off here (the flood stands for many addresses); answers are counted by
// status (503: hashing queue full). Prints figures, never fails on them. Loopback only; the
// server and its temp DB are removed at exit.
//
// Env: DURE_BIN, FLOOD (300), ROUNDS (3), IDLE_N (200).
import { startServer } from '../tests/lib/server.mjs';
import { stopOnSignal, now, pct, fmt } from './_lib.mjs';

const FLOOD = Number(process.env.FLOOD || 300);
const ROUNDS = Number(process.env.ROUNDS || 3);
const IDLE_N = Number(process.env.IDLE_N || 200);

const server = await startServer({ extraArgs: ['--limit-signup', 'off', '--hash-queue', '64', '--queue-limit', '512'] });
const stop = stopOnSignal(server);

async function post(path, body, headers = {}) {
  const r = await fetch(server.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text };
}

try {
  const cw = server.account('caseworker');
  const li = await post('/api/v1/auth/login', { login: cw.login, password: cw.password });
  if (li.status !== 200) throw new Error(`caseworker login: ${li.status} ${li.text}`);
  const cookie = li.headers.getSetCookie().find((c) => c.startsWith('dure_session=')).split(';')[0];
  const me = async () => {
    const t = now();
    const r = await fetch(`${server.url}/api/v1/me`, { headers: { Cookie: cookie } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`/me answered ${r.status}`);
    return now() - t;
  };
  console.log(`dure sign-up flood bench: ${FLOOD} parallel sign-ups × ${ROUNDS} rounds, ${(await import('node:os')).cpus().length} CPUs`);

  for (let i = 0; i < 20; i++) await me(); // warm-up
  const idle = [];
  for (let i = 0; i < IDLE_N; i++) idle.push(await me());
  console.log(`/api/v1/me idle:        n=${idle.length} p50 ${fmt(pct(idle, 50))} ms p99 ${fmt(pct(idle, 99))} ms`);

  const busy = [];
  const statuses = {};
  const stamp = Date.now();
  let floodMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = now();
    let done = false;
    const flood = Promise.all(Array.from({ length: FLOOD }, (_, i) =>
      post('/api/v1/auth/signup', { email: `flood.${stamp}.${round}.${i}@example.com`, password: `Zq8-long-pass-${i}-x`, name: '홍수' })
        .then((r) => { statuses[r.status] = (statuses[r.status] || 0) + 1; })
        .catch((e) => { const k = e.cause?.code || 'error'; statuses[k] = (statuses[k] || 0) + 1; })))
      .finally(() => { done = true; });
    while (!done && now() - t0 < 120000) busy.push(await me());
    await flood;
    floodMs += now() - t0;
  }
  console.log(`sign-up flood:          ${FLOOD * ROUNDS} sign-ups in ${fmt(floodMs / 1000)} s, statuses ${JSON.stringify(statuses)}`);
  console.log(`/api/v1/me under flood: n=${busy.length} p50 ${fmt(pct(busy, 50))} ms p99 ${fmt(pct(busy, 99))} ms`);
  console.log(`p99 ratio flood/idle: ${fmt(pct(busy, 99) / pct(idle, 99))} (staff latency should stay within a small multiple of idle; it was ~2,700× before the hashing pool)`);
} finally {
  await stop();
}
