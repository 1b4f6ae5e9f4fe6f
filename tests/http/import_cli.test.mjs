// `dure import indicators FILE` against hostile files: a 1 GB file that is one endless line (read
// in bounded memory: the process runs under a 700 MB address-space limit), more rows than the
// limit, a CP949 file, a file with bad rows — each gets a clear report, exit 1 and nothing
// imported; a good file imports and importing it again changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, truncateSync, createWriteStream, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../lib/server.mjs';
import { call, loginAs } from './_client.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dureBin = process.env.DURE_BIN || path.join(repoRoot, 'build', 'dure');
const HEADER = 'household_key,dong,indicator,value,period\n';
const month = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 7);
let server, dong;

before(async () => {
  server = await startServer();
  dong = (await call(server, 'GET', '/api/v1/districts')).json[0].dongs[0].code;
});
after(async () => { if (server) await server.stop(); });

function importFile(file, limit = true) {
  const args = limit ? ['--as=700000000', dureBin, 'import', 'indicators', file] : [dureBin, 'import', 'indicators', file];
  const r = spawnSync(limit ? 'prlimit' : args.shift(), args, { env: server.env, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}
async function householdsScreened() {
  const admin = await loginAs(server, 'district_admin');
  const r = await call(server, 'POST', '/api/v1/screening/rounds', { session: admin, body: { min_score: 0, per_dong: 1 } });
  assert.equal(r.status, 201, r.text);
  return r.json.households;
}

test('a 1 GB file of one endless line is refused in bounded memory', () => {
  const file = path.join(server.dir, 'endless.csv');
  writeFileSync(file, HEADER);
  truncateSync(file, 1024 ** 3);  // sparse: the rest is one line of NUL bytes
  try {
    const r = importFile(file);
    assert.equal(r.signal, null, `not killed: ${r.err}`);
    assert.equal(r.status, 1, r.err);
    assert.match(r.err, /line 2: the line is longer than 4,096 bytes/);
    assert.match(r.err, /nothing was imported/);
  } finally { rmSync(file, { force: true }); }
});

test('more rows than the limit, CP949 and bad rows: a report per problem, nothing imported', async () => {
  const before = await householdsScreened();
  const many = path.join(server.dir, 'many.csv');
  await new Promise((resolve, reject) => {
    const out = createWriteStream(many);
    out.on('error', reject);
    out.write(HEADER);
    let i = 0;
    const pump = () => {
      let ok = true;
      while (i <= 2000000 && ok) { ok = out.write(`M${i},${dong},gas_cutoff,1,${month}\n`); i++; }
      if (i <= 2000000) out.once('drain', pump); else out.end(resolve);
    };
    pump();
  });
  try {
    const r = importFile(many);
    assert.equal(r.status, 1, r.err);
    assert.match(r.err, /more than 2,000,000 rows: split the file/);
  } finally { rmSync(many, { force: true }); }

  const cp949 = path.join(server.dir, 'cp949.csv');
  writeFileSync(cp949, Buffer.concat([Buffer.from(HEADER), Buffer.from([0xb0, 0xa1, 0x2c]), Buffer.from(`${dong},gas_cutoff,1,${month}\n`)]));
  const c = importFile(cp949);
  assert.equal(c.status, 1, c.err);
  assert.match(c.err, /line 2: not UTF-8 \(this looks like CP949\/EUC-KR\)/);

  const bad = path.join(server.dir, 'bad.csv');
  writeFileSync(bad, HEADER + `B1,${dong},gas_cutoff,1,${month}\nB2,nowhere,gas_cutoff,1,${month}\nB1,${dong},gas_cutoff,2,${month}\n`);
  const b = importFile(bad);
  assert.equal(b.status, 1, b.err);
  assert.match(b.err, /line 3 \(dong\)/);
  assert.match(b.err, /line 4: the same household, indicator and period as line 2/);
  assert.equal(await householdsScreened(), before, 'nothing from the refused files was imported');
});

test('a good file imports, and importing it again changes nothing', async () => {
  const before = await householdsScreened();
  const good = path.join(server.dir, 'good.csv');
  writeFileSync(good, '\ufeff' + HEADER + [`G1,${dong},gas_cutoff,1,${month}`, `G1,${dong},job_loss,1,${month}`, `G2,${dong},water_cutoff,3,${month}`].join('\r\n') + '\r\n');
  const r = importFile(good);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /imported 3 rows for 2 households/);
  assert.equal(await householdsScreened(), before + 2);
  assert.equal(importFile(good).status, 0);
  assert.equal(await householdsScreened(), before + 2);
});
