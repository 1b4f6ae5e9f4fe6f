// Acknowledged writes survive a crash (issue 12, "Durable writes"): a bounded loop of idempotent
// writes (POST /api/v1/persons with an Idempotency-Key) against a real `dure serve`, `kill -9`
// mid-way, a restart on the same database and key file, then: every write answered 2xx is in the
// database, and replaying every key gives exactly one person per key (the acknowledged ones
// replay their first answer). On SQLite the server runs with synchronous=FULL (the production
// mode, checked in its start-up line), not the test servers' NORMAL. Runs on PostgreSQL too
// (DURE_HTTP_DB=postgresql).
//
// What kill -9 cannot show: a power cut also loses what the OS had not yet written. That part
// rests on synchronous=FULL (tests/unit/durability_storage_test.cpp) and PostgreSQL's fsync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import path from 'node:path';
import { startServer, dureBin, repoRoot } from '../lib/server.mjs';
import { call, loginAs } from './_client.mjs';

const TOTAL = 300;
const IN_FLIGHT = 6;
const KILL_AFTER = 120; // acknowledged writes before the kill

function serve(env, dir) {
  const proc = spawn(dureBin, ['serve', '--listen', '127.0.0.1:0', '--web-root', path.join(repoRoot, 'web', 'dist'),
    '--access-log', path.join(dir, 'access2.log')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('restart did not listen in 20 s:\n' + stderr)), 20000);
    proc.stderr.on('data', (c) => {
      stderr += c;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) { clearTimeout(timer); resolve({ proc, url: `http://127.0.0.1:${m[1]}`, stderr: () => stderr }); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`restart exited ${code}:\n${stderr}`)); });
    proc.stdout.resume();
  });
}

function query(db, sql) {
  if (db.startsWith('sqlite:')) return execFileSync('sqlite3', [db.slice(7), sql], { encoding: 'utf8' });
  return execFileSync('psql', [db, '-qAt', '-c', sql], { encoding: 'utf8' });
}

test('kill -9 mid-way through 300 writes: every acknowledged write is there after the restart', async () => {
  const tBoot = Date.now();
  // The production commit mode for the server (anything but "normal" is FULL); the demo seeding
  // before it keeps the test servers' NORMAL.
  const server = await startServer({ serveEnv: { DURE_SQLITE_SYNCHRONOUS: 'full' } });
  let second = null;
  const tStart = Date.now();
  console.log(`# demo and start ${tStart - tBoot} ms`);
  try {
    if (server.db.startsWith('sqlite:')) assert.match(server.stderr(), /\(synchronous=FULL\)/, server.stderr());
    const cw = await loginAs(server, 'caseworker');
    const dong = cw.demo.scope_id;
    const before = Number(query(server.db, 'SELECT count(*) FROM persons').trim());
    const run = `${process.pid}-${Date.now()}`;
    const body = (i) => ({ name: `내구성${i}`, birth_date: '1950-01-01', phone: `010-7${String(i).padStart(3, '0')}-${String(i).padStart(4, '0')}`, dong_id: dong });
    const write = (base, i) => call(base, 'POST', '/api/v1/persons', { session: cw, headers: { 'Idempotency-Key': `kill-${run}-${i}` }, body: body(i) });

    const acked = new Map(); // i -> id
    const failed = [];
    let next = 0;
    let killed = false;
    let killedAt = -1;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        try {
          const r = await write(server, i);
          if (r.status >= 200 && r.status < 300) acked.set(i, r.json.id);
          else failed.push(`${i}: ${r.status}`);
        } catch (e) {
          failed.push(`${i}: ${e.cause?.code || e.message}`);
        }
        if (!killed && acked.size >= KILL_AFTER) {
          killed = true;
          killedAt = next;
          server.proc.kill('SIGKILL');
        }
      }
    };
    const t0 = Date.now();
    console.log(`# started and logged in ${t0 - tStart} ms`);
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const loopMs = Date.now() - t0;
    const exit = await server.exited;
    assert.equal(exit.signal, 'SIGKILL', 'the server was killed, not stopped');
    assert.ok(acked.size >= KILL_AFTER && acked.size < TOTAL, `killed mid-way: ${acked.size} acknowledged of ${TOTAL}`);
    assert.ok(failed.length > 0, 'writes after the kill failed (otherwise the kill came too late)');

    // Every acknowledged id is in the database, read straight from it.
    const ids = new Set(query(server.db, 'SELECT id FROM persons').trim().split('\n').filter(Boolean).map(Number));
    const lost = [...acked].filter(([, id]) => !ids.has(id));
    assert.deepEqual(lost, [], `acknowledged writes lost after kill -9 (killed after request ${killedAt})`);

    // Restart on the same database and key; replay every key.
    const t1 = Date.now();
    second = await serve(server.env, server.dir);
    if (server.db.startsWith('sqlite:')) assert.match(second.stderr(), /\(synchronous=FULL\)/);
    // A key whose request was in flight at the kill may be left 'pending' (the route wrapper of
    // src/app/idempotent.cpp claims the key, writes, then stores the answer: three commits), and
    // answers 409 idempotency_key_in_progress; acknowledged keys always replay.
    let created = 0;
    const interrupted = [];
    for (let i = 0; i < TOTAL; i++) {
      const r = await write(second.url, i);
      if (acked.has(i)) {
        assert.equal(r.status, 201, `replay ${i}: ${r.status} ${r.text.slice(0, 200)}`);
        assert.equal(r.headers.get('idempotent-replayed'), 'true', `acknowledged write ${i} replays its answer`);
        assert.equal(r.json.id, acked.get(i));
      } else if (r.status === 201) {
        if (r.headers.get('idempotent-replayed') !== 'true') created++;
      } else {
        assert.equal(r.status, 409, `replay ${i}: ${r.status} ${r.text.slice(0, 200)}`);
        assert.equal(r.json.errors?.[0]?.code, 'idempotency_key_in_progress', r.text);
        interrupted.push(i);
      }
    }
    assert.ok(interrupted.length <= IN_FLIGHT, `at most the requests in flight at the kill were interrupted: ${interrupted}`);
    const after = Number(query(server.db, 'SELECT count(*) FROM persons').trim());
    // No key wrote twice; every key but the interrupted ones wrote exactly once.
    assert.ok(after - before <= TOTAL && after - before >= TOTAL - interrupted.length,
      `persons written ${after - before} for ${TOTAL} keys (${interrupted.length} interrupted)`);
    console.log(`# write loop ${loopMs} ms, restart and replay ${Date.now() - t1} ms`);
    console.log(`# ${acked.size} acknowledged before kill -9, 0 lost; ${failed.length} failed in flight or after; replay gave ${after - before} persons for ${TOTAL} keys (${created} written on replay, ${interrupted.length} interrupted)`);
  } finally {
    if (second) {
      second.proc.kill('SIGKILL');
      await new Promise((r) => second.proc.on('exit', r));
    }
    const tStop = Date.now();
    await server.stop();
    console.log(`# cleanup ${Date.now() - tStop} ms`);
  }
});
