// Starts a real `dure serve` on an ephemeral loopback port with its own temporary database,
// key file and demo district, for HTTP and browser tests. Node standard library only.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dureBin = process.env.DURE_BIN || path.join(repoRoot, 'build', 'dure');

// Every test signs up and logs in from 127.0.0.1, so servers start with throttles and queues far
// above what any test does; a test of the throttles passes its own (flags in extraArgs override
// these environment variables; so does opts.env).
export const GENEROUS_LIMITS = {
  DURE_LIMIT_SIGNUP: '100000/1',
  DURE_LIMIT_LOGIN_ADDRESS: '100000/1',
  DURE_LIMIT_LOGIN: '100000/1',
  DURE_LIMIT_REPORTS_ACCOUNT: '100000/1',
  DURE_LIMIT_SIMULATIONS: '100000/1',
  DURE_LIMIT_KAKAO_ADDRESS: '100000/1',
  DURE_QUEUE_LIMIT: '100000',
  DURE_HASH_QUEUE: '100000',
  // Throw-away databases: commits need not survive a power loss (production default is FULL).
  DURE_SQLITE_SYNCHRONOUS: 'normal',
};

// Options: { db, extraArgs, env, serveEnv (for `dure serve` only, not the demo seeding), demo (default true), outreachDemo (default false: the demo's
// gatekeepers and reports are left out so outreach tests count from an empty queue),
// secondDistrict (default false: also a second district, 누리구, whose accounts follow the first
// district's in `accounts`, each with its district_id) }.
// Resolves to { url, port, accounts, proc, dir, db, keyFile, stop() }.
let serverCount = 0;
export async function startServer(opts = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dure-test-'));
  // DURE_HTTP_DB=postgresql runs the server on a fresh database of the private PostgreSQL
  // that scripts/with-postgres.sh started (DURE_TEST_PG); otherwise on a temp SQLite file.
  let db = opts.db || `sqlite:${path.join(dir, 'dure.db')}`;
  let pgDatabase = null;
  if (!opts.db && process.env.DURE_HTTP_DB === 'postgresql') {
    const base = process.env.DURE_TEST_PG;
    if (!base) throw new Error('DURE_HTTP_DB=postgresql needs DURE_TEST_PG');
    // Test files run side by side (scripts/test.sh): the name is unique across processes (pid), within
    // one (a counter) and against leftovers (random); the temp dir's name is not, once lower-cased.
    pgDatabase = `dure_http_${process.pid}_${++serverCount}_${randomBytes(4).toString('hex')}`;
    execFileSync('psql', [base, '-q', '-c', `CREATE DATABASE ${pgDatabase}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    db = base.replace(/\/[^/?]+(\?|$)/, `/${pgDatabase}$1`);
  }
  const keyFile = path.join(dir, 'dure.key');
  const accountsFile = path.join(dir, 'accounts.json');
  const env = { ...process.env, DURE_DB: db, DURE_KEY_FILE: keyFile, ...GENEROUS_LIMITS, ...(opts.env || {}) };
  let accounts = [];
  if (opts.demo !== false) {
    execFileSync(dureBin, ['demo', '--accounts-out', accountsFile, ...(opts.outreachDemo ? [] : ['--no-outreach']),
      ...(opts.secondDistrict ? ['--second-district'] : [])], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
  }
  const args = ['serve', '--listen', '127.0.0.1:0', '--web-root', path.join(repoRoot, 'web', 'dist'),
    '--access-log', path.join(dir, 'access.log'), ...(opts.extraArgs || [])];
  const proc = spawn(dureBin, args, { env: { ...env, ...(opts.serveEnv || {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 20 s:\n' + stderr)), 20000);
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${stderr}`)); });
  });
  proc.stdout.resume();
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url: `http://127.0.0.1:${port}`, port, accounts, proc, dir, db, keyFile, env: { ...env, ...(opts.serveEnv || {}) }, exited,
    stderr: () => stderr,
    account(role) { return accounts.find((a) => a.role === role); },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const r = await Promise.race([exited, new Promise((res) => setTimeout(() => res(null), 15000))]);
      if (r === null) proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      if (pgDatabase) {
        execFileSync('psql', [process.env.DURE_TEST_PG, '-q', '-c', `DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`],
          { stdio: ['ignore', 'ignore', 'inherit'] });
      }
      return r;
    },
  };
}
