// The access log is tamper-evident at its tail too. The server writes signed checkpoints of the
// log's head outside the database; `dure audit verify` finds a cut tail, a wiped log, a dropped
// guard trigger and a forged checkpoint file, on SQLite and on PostgreSQL (DURE_HTTP_DB=postgresql),
// and never reports tampering on an untouched log while staff keep reading. A master key file
// that does not belong to the database stops the server before it writes anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync, execFile } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startServer, dureBin } from '../lib/server.mjs';
import { call, loginAs, sleep } from './_client.mjs';

// Header values travel as bytes: a Korean reason goes as its UTF-8 bytes.
const hv = (s) => Buffer.from(s, 'utf8').toString('latin1');

const PG = process.env.DURE_HTTP_DB === 'postgresql';
const sqlite = (db, sql) => execFileSync('sqlite3', [db, sql], { encoding: 'utf8' });
const psql = (url, sql) => spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { encoding: 'utf8' });

function verify(server, env = {}) {
  const r = spawnSync(dureBin, ['audit', 'verify'], { env: { ...server.env, ...env }, encoding: 'utf8', timeout: 30000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}
const checkpointFile = (server) => path.join(server.dir, 'audit-checkpoints.log');
const checkpoints = (server) => existsSync(checkpointFile(server))
  ? readFileSync(checkpointFile(server), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

// A server with a person read `reads` times, whose checkpoint has caught up with the log.
async function loggedServer(reads = 6) {
  const server = await startServer({ env: { DURE_AUDIT_CHECKPOINT_INTERVAL: '1' } });
  const cw = await loginAs(server, 'caseworker');
  const admin = await loginAs(server, 'district_admin');
  const p = await call(server, 'POST', '/api/v1/persons', { session: cw, body: { name: '감사대상', dong_id: cw.demo.scope_id } });
  assert.equal(p.status, 201, p.text);
  for (let i = 0; i < reads; i++) {
    const r = await call(server, 'GET', `/api/v1/persons/${p.json.id}`, { session: cw, headers: { 'X-Access-Reason': hv(`감사 시험 ${i}`) } });
    assert.equal(r.status, 200, r.text);
  }
  const total = (await call(server, 'GET', '/api/v1/admin/access-log', { session: admin })).json.total;
  assert.ok(total >= reads + 1, `rows: ${total}`);
  // The server checkpoints by itself, every DURE_AUDIT_CHECKPOINT_INTERVAL seconds.
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && (checkpoints(server).at(-1)?.last_id ?? 0) < total) await sleep(200);
  const last = checkpoints(server).at(-1);
  assert.ok(last && last.last_id >= total, `a checkpoint covering ${total} rows appeared in ${checkpointFile(server)}: ${JSON.stringify(last)}`);
  assert.match(last.sig, /^[0-9a-f]{32,}$/, 'the checkpoint is signed');
  return { server, cw, admin, person: p.json.id, total };
}

async function stopProcess(server) {
  server.proc.kill('SIGTERM');
  assert.equal((await server.exited).code, 0, 'server stopped cleanly');
}

test('a cut tail, a wiped log and a dropped guard are reported, not "intact"', async () => {
  const { server, total } = await loggedServer();
  try {
    await stopProcess(server);
    const clean = verify(server);
    assert.equal(clean.status, 0, `untouched log verifies:\n${clean.out}`);
    assert.match(clean.out, new RegExp(`intact: ${total} rows`));
    if (!PG) {
      const db = server.db.replace(/^sqlite:/, '');
      sqlite(db, 'PRAGMA wal_checkpoint(TRUNCATE);');
      const triggers = sqlite(db, "SELECT sql || ';' FROM sqlite_master WHERE type='trigger' AND tbl_name='access_log';");
      const copy = (name) => { const f = path.join(server.dir, name); copyFileSync(db, f); return f; };
      const dropAll = "DROP TRIGGER access_log_no_delete; DROP TRIGGER access_log_no_update;";
      // Cut the newest three rows, move the head back, and put the triggers back as they were.
      const cut = copy('cut.db');
      sqlite(cut, `${dropAll} DELETE FROM access_log WHERE id > (SELECT MAX(id) - 3 FROM access_log);
        UPDATE access_log_head SET last_id = (SELECT MAX(id) FROM access_log), last_mac = (SELECT mac FROM access_log ORDER BY id DESC LIMIT 1); ${triggers}`);
      let v = verify(server, { DURE_DB: `sqlite:${cut}` });
      assert.notEqual(v.status, 0, `a cut tail must not verify:\n${v.out}`);
      assert.match(v.out, /TAMPERED/);
      assert.match(v.out, /checkpoint/);
      // Wipe everything and reset the head.
      const wiped = copy('wiped.db');
      sqlite(wiped, `${dropAll} DELETE FROM access_log; UPDATE access_log_head SET last_id = 0, last_mac = 'genesis'; ${triggers}`);
      v = verify(server, { DURE_DB: `sqlite:${wiped}` });
      assert.notEqual(v.status, 0, `a wiped log must not verify:\n${v.out}`);
      assert.doesNotMatch(v.out, /intact/);
      // Drop a guard and change nothing else: the guard is gone, which verify reports.
      const dropped = copy('dropped.db');
      sqlite(dropped, 'DROP TRIGGER access_log_no_delete;');
      v = verify(server, { DURE_DB: `sqlite:${dropped}` });
      assert.notEqual(v.status, 0, `a dropped trigger must not verify:\n${v.out}`);
      assert.match(v.out, /trigger/);
    } else {
      const url = server.db;
      const refused = psql(url, 'TRUNCATE access_log');
      assert.notEqual(refused.status, 0, 'TRUNCATE access_log is refused');
      assert.match(refused.stderr, /append-only/);
      // Drop the trigger: verify notices the missing guard.
      assert.equal(psql(url, 'DROP TRIGGER access_log_no_truncate ON access_log').status, 0);
      let v = verify(server);
      assert.notEqual(v.status, 0, `a dropped trigger must not verify:\n${v.out}`);
      assert.match(v.out, /trigger/);
      // Truncate, reset the head, restore the trigger: the checkpoint still shows the loss.
      const r = psql(url, "TRUNCATE access_log; UPDATE access_log_head SET last_id = 0, last_mac = 'genesis'; "
        + 'CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()');
      assert.equal(r.status, 0, r.stderr);
      v = verify(server);
      assert.notEqual(v.status, 0, `a truncated log must not verify:\n${v.out}`);
      assert.doesNotMatch(v.out, /intact: 0 rows/);
      assert.match(v.out, /checkpoint/);
    }
  } finally {
    await server.stop();
  }
});

test('a forged, shortened or missing checkpoint file is reported', async () => {
  const { server } = await loggedServer(3);
  try {
    await stopProcess(server);
    const file = checkpointFile(server);
    const original = readFileSync(file, 'utf8');
    const lines = original.split('\n').filter(Boolean);
    assert.ok(lines.length >= 1);
    assert.equal(verify(server).status, 0, 'untouched');
    // Lower the last checkpoint's head (to hide a cut tail) without the key.
    const last = JSON.parse(lines.at(-1));
    writeFileSync(file, [...lines.slice(0, -1), JSON.stringify({ ...last, last_id: last.last_id - 1, rows: last.rows - 1 })].join('\n') + '\n');
    let v = verify(server);
    assert.notEqual(v.status, 0, `a forged checkpoint must not verify:\n${v.out}`);
    assert.match(v.out, /signature/);
    // Remove the file altogether.
    unlinkSync(file);
    v = verify(server);
    assert.notEqual(v.status, 0, `a missing checkpoint file must not verify:\n${v.out}`);
    assert.match(v.out, /no signed checkpoint/);
    // Drop a line in the middle.
    if (lines.length >= 3) {
      writeFileSync(file, [lines[0], ...lines.slice(2)].join('\n') + '\n');
      v = verify(server);
      assert.notEqual(v.status, 0, `a removed checkpoint line must not verify:\n${v.out}`);
    }
    writeFileSync(file, original);
    assert.equal(verify(server).status, 0, 'restored');
  } finally {
    await server.stop();
  }
});

test('verify beside live reads never reports tampering on an untouched log', async () => {
  const { server, cw, person } = await loggedServer(2);
  try {
    let reading = true, reads = 0;
    const loop = async (k) => {
      for (let i = 0; i < 150 && reading; i++) {
        const r = await call(server, 'GET', `/api/v1/persons/${person}`, { session: cw, headers: { 'X-Access-Reason': hv(`동시 열람 ${k}-${i}`) } });
        assert.equal(r.status, 200);
        reads++;
      }
    };
    const loops = [loop(1), loop(2), loop(3)];
    const runOnce = () => new Promise((resolve) => execFile(dureBin, ['audit', 'verify'], { env: server.env, timeout: 30000 },
      (err, stdout, stderr) => resolve({ status: err ? err.code ?? 1 : 0, out: `${stdout}${stderr}` })));
    const failures = [];
    let runs = 0;
    const started = Date.now();
    while (runs < 60 && Date.now() - started < 40000) {
      const v = await runOnce();
      runs++;
      if (v.status !== 0) failures.push(`run ${runs}: ${v.out.slice(0, 300)}`);
    }
    reading = false;
    await Promise.all(loops);
    assert.ok(reads > 20, `reads ran alongside: ${reads}`);
    assert.deepEqual(failures, [], `${failures.length} of ${runs} verify runs cried wolf`);
  } finally {
    await server.stop();
  }
});

test('a master key file that does not belong to the database stops the server with a clear message', async () => {
  const server = await startServer();
  try {
    await stopProcess(server);
    assert.equal(verify(server).status, 0);
    const right = readFileSync(server.keyFile, 'utf8');
    writeFileSync(server.keyFile, randomBytes(32).toString('hex') + '\n');
    const serve = spawnSync(dureBin, ['serve', '--listen', '127.0.0.1:0'], { env: server.env, encoding: 'utf8', timeout: 15000 });
    assert.notEqual(serve.status, 0, `serve must refuse (status ${serve.status}, signal ${serve.signal}):\n${serve.stderr}`);
    assert.equal(serve.signal, null, 'it stopped by itself, it did not have to be killed');
    assert.match(serve.stderr, /does not match this database/);
    assert.match(serve.stderr, new RegExp(server.keyFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const v = verify(server);
    assert.notEqual(v.status, 0);
    assert.match(v.out, /does not match this database/);
    writeFileSync(server.keyFile, right);
    assert.equal(verify(server).status, 0, 'the right key works again');
  } finally {
    await server.stop();
  }
});
