// `dure audit verify` checks the hash chain of the access log: 0 on the untouched database,
// non-zero naming the row when a row was edited (after dropping the append-only trigger) or
// removed. Uses the sqlite3 CLI on the server's database after a clean stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { startServer, dureBin } from '../lib/server.mjs';
import { call, loginAs } from './_client.mjs';

function sqlite(db, sql, json = false) {
  return execFileSync('sqlite3', [...(json ? ['-json'] : []), db, sql], { encoding: 'utf8' });
}

function verify(env, dbFile) {
  const r = spawnSync(dureBin, ['audit', 'verify'], { env: { ...env, DURE_DB: `sqlite:${dbFile}` }, encoding: 'utf8', timeout: 30000 });
  return { status: r.status, signal: r.signal, out: `${r.stdout}\n${r.stderr}` };
}

// Drops every trigger on `table` so the append-only guard cannot stop the tampering.
function dropTriggers(db, table) {
  const trig = sqlite(db, `SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='${table}';`).split('\n').filter(Boolean);
  for (const t of trig) sqlite(db, `DROP TRIGGER "${t}";`);
  return trig;
}

test('dure audit verify: exit 0 untouched, non-zero naming the row after tampering', async () => {
  const server = await startServer();
  let dbFile;
  try {
    const cw = await loginAs(server, 'caseworker');
    const p = await call(server, 'POST', '/api/v1/persons', { session: cw, body: { name: '감사대상', dong_id: cw.demo.scope_id } });
    assert.equal(p.status, 201, `create person: ${p.status} ${p.text}`);
    for (let i = 0; i < 5; i++) {
      const r = await call(server, 'GET', `/api/v1/persons/${p.json.id}`, { session: cw, headers: { 'X-Access-Reason': `audit test read ${i}` } });
      assert.equal(r.status, 200, `read ${i}: ${r.status} ${r.text}`);
    }
    server.proc.kill('SIGTERM');
    const exit = await server.exited;
    assert.equal(exit.code, 0, 'server stopped cleanly');

    dbFile = server.db.replace(/^sqlite:/, '');
    assert.ok(existsSync(dbFile), `database file ${dbFile}`);
    sqlite(dbFile, 'PRAGMA wal_checkpoint(TRUNCATE);');

    const clean = verify(server.env, dbFile);
    assert.equal(clean.status, 0, `verify on the untouched database exits 0:\n${clean.out}`);

    const tables = sqlite(dbFile, "SELECT name FROM sqlite_master WHERE type='table';").split('\n').filter(Boolean);
    const table = tables.includes('access_log') ? 'access_log' : tables.find((t) => /access/.test(t));
    assert.ok(table, `an access log table exists: ${tables.join(', ')}`);
    const cols = JSON.parse(sqlite(dbFile, `PRAGMA table_info("${table}");`, true));
    const idCol = cols.find((c) => c.pk === 1)?.name || 'rowid';
    const rows = JSON.parse(sqlite(dbFile, `SELECT ${idCol} AS rid, * FROM "${table}" ORDER BY ${idCol};`, true) || '[]');
    assert.ok(rows.length >= 5, `the five reads are in ${table}: ${rows.length} rows`);
    const victim = rows[Math.floor(rows.length / 2)];
    const lit = typeof victim.rid === 'number' ? victim.rid : `'${String(victim.rid).replace(/'/g, "''")}'`;
    const textCols = cols.filter((c) => /text|char|clob/i.test(c.type) && !/hash|mac|prev|sig|chain/i.test(c.name) && c.name !== idCol);
    const col = textCols.find((c) => c.name === 'reason')?.name || textCols[0]?.name;
    assert.ok(col, `a text column to tamper with in ${table}: ${cols.map((c) => `${c.name} ${c.type}`).join(', ')}`);

    // 1. Edit one row in a copy.
    const edited = path.join(server.dir, 'edited.db');
    copyFileSync(dbFile, edited);
    dropTriggers(edited, table);
    sqlite(edited, `UPDATE "${table}" SET "${col}" = 'nothing to see here' WHERE ${idCol} = ${lit};`);
    assert.equal(sqlite(edited, `SELECT "${col}" FROM "${table}" WHERE ${idCol} = ${lit};`).trim(), 'nothing to see here', 'the tampering took');
    const v1 = verify(server.env, edited);
    assert.notEqual(v1.status, 0, `verify must fail after editing row ${victim.rid}:\n${v1.out}`);
    assert.match(v1.out, new RegExp(`\\b${victim.rid}\\b`), `verify names the edited row ${victim.rid}:\n${v1.out}`);

    // 2. Delete one row in another copy.
    const deleted = path.join(server.dir, 'deleted.db');
    copyFileSync(dbFile, deleted);
    dropTriggers(deleted, table);
    sqlite(deleted, `DELETE FROM "${table}" WHERE ${idCol} = ${lit};`);
    const v2 = verify(server.env, deleted);
    assert.notEqual(v2.status, 0, `verify must fail after deleting row ${victim.rid}:\n${v2.out}`);

    // The untouched original still verifies.
    assert.equal(verify(server.env, dbFile).status, 0, 'original still verifies');
  } finally {
    await server.stop();
  }
});
