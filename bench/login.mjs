#!/usr/bin/env node
// Login cost and its effect on everyone else: prints the time of a login request (argon2id
// hashing) done sequentially, then /healthz latency p50/p99 alone and while a storm of
// concurrent logins runs. Prints figures, never fails on them. Loopback only; the server (and its
// temp DB) is stopped at exit.
//
// Env: DURE_BIN, LOGIN_SEQ (5), STORM_CONC (32), STORM_SECS (10), PROBE_SECS (5).
import { startServer } from '../tests/lib/server.mjs';
import { stopOnSignal, now, pct, fmt } from './_lib.mjs';

const SEQ = Number(process.env.LOGIN_SEQ || 5);
const CONC = Number(process.env.STORM_CONC || 32);
const STORM_MS = Number(process.env.STORM_SECS || 10) * 1000;
const PROBE_MS = Number(process.env.PROBE_SECS || 5) * 1000;

const server = await startServer();
const stop = stopOnSignal(server);

async function loginOnce(acc) {
  const t = now();
  const r = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: acc.login, password: acc.password }),
  });
  await r.arrayBuffer();
  return { ms: now() - t, status: r.status };
}

// Sequential /healthz requests for `ms` milliseconds; returns latencies.
async function probe(ms) {
  const lat = [];
  const end = now() + ms;
  while (now() < end) {
    const t = now();
    const r = await fetch(`${server.url}/healthz`);
    await r.arrayBuffer();
    if (r.status === 200) lat.push(now() - t);
  }
  return lat;
}

try {
  const accounts = server.accounts;
  console.log(`dure login bench: ${accounts.length} demo accounts, ${(await import('node:os')).cpus().length} CPUs`);

  // 1. Sequential logins: the cost of one argon2id verification plus the request.
  await loginOnce(accounts[0]); // warm-up
  const seq = [];
  for (let i = 0; i < SEQ; i++) {
    const r = await loginOnce(accounts[i % accounts.length]);
    seq.push(r.ms);
    console.log(`  login ${i + 1}: ${fmt(r.ms)} ms (HTTP ${r.status})`);
  }
  console.log(`login (argon2id) cost, sequential: mean ${fmt(seq.reduce((a, b) => a + b, 0) / seq.length)} ms, min ${fmt(Math.min(...seq))} ms, max ${fmt(Math.max(...seq))} ms`);

  // 2. /healthz latency without load.
  const quiet = await probe(PROBE_MS);
  console.log(`/healthz without storm: n=${quiet.length} p50 ${fmt(pct(quiet, 50))} ms p99 ${fmt(pct(quiet, 99))} ms`);

  // 3. /healthz latency during a login storm.
  const statuses = {};
  const loginLat = [];
  const stormEnd = now() + STORM_MS;
  const workers = Array.from({ length: CONC }, async (_, w) => {
    let i = w;
    while (now() < stormEnd) {
      try {
        const r = await loginOnce(accounts[i++ % accounts.length]);
        statuses[r.status] = (statuses[r.status] || 0) + 1;
        if (r.status === 200) loginLat.push(r.ms);
      } catch (e) {
        statuses[e.cause?.code || 'error'] = (statuses[e.cause?.code || 'error'] || 0) + 1;
      }
    }
  });
  const stormProbe = await probe(STORM_MS);
  await Promise.all(workers);
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  console.log(`login storm: ${CONC} concurrent for ${STORM_MS / 1000} s: ${total} logins (${fmt(total / (STORM_MS / 1000))}/s), statuses ${JSON.stringify(statuses)}, login p50 ${fmt(pct(loginLat, 50))} ms p99 ${fmt(pct(loginLat, 99))} ms`);
  console.log(`/healthz during storm:  n=${stormProbe.length} p50 ${fmt(pct(stormProbe, 50))} ms p99 ${fmt(pct(stormProbe, 99))} ms`);
  console.log(`p99 ratio storm/quiet: ${fmt(pct(stormProbe, 99) / pct(quiet, 99))} (hashing must not block io threads: /healthz p99 should stay in single-digit ms)`);
} finally {
  await stop();
}
