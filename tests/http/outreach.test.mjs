// Outreach, first part (issue 5), against a real server: reports from the public form, staff
// intake, the partner API and CSV all land in one household record per household (merged by
// phone, address and name) with a timeline; the triage queue per dong with deadlines and breaches;
// gatekeepers follow their own reports and nothing more; every staff read is in the access log;
// personal fields are ciphertext on disk; bad and hostile input gets problem+json.
// Node standard library only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, login, loginAs, districts, healthy } from './_client.mjs';

let server;
let admin; let cw; let gk; let resident;
let myDong; let otherDong; let cwId; let gkAccountId;
const stamp = String(Date.now() % 1000000).padStart(6, '0');
const REASON = 'triage of a new report';
// Addresses and names unique to this run, so the on-disk check below can look for them.
const ADDRESS = `한빛구 은행로 ${stamp}, 201호`;
const SUBJECT = `홍길순${stamp}`;
const PHONE = `0107${stamp.slice(0, 3)}${stamp.slice(3)}1`.slice(0, 11);
const CONCERN = `우편물이 2주째 쌓여 있어요 표식${stamp}`;

let ip = 0;
// Anonymous callers are throttled per address; each gets its own unless a test says otherwise.
const anon = () => ({ 'X-Forwarded-For': `198.51.100.${(ip++ % 250) + 1}` });
const report = (body, opts = {}) => call(server, 'POST', '/api/v1/outreach/reports', { body, headers: anon(), ...opts });
const intake = (session, body, headers = {}) => call(server, 'POST', '/api/v1/outreach/intake', { session, body, headers });
const open = (session, id, reason = REASON) =>
  call(server, 'GET', `/api/v1/outreach/households/${id}`, { session, headers: reason ? { 'X-Access-Reason': reason } : {} });
const queue = (session, q = '') => call(server, 'GET', `/api/v1/outreach/queue${q}`, { session });
const hoursAgo = (h) => new Date(Date.now() - h * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');

before(async () => {
  server = await startServer({ extraArgs: ['--trust-proxy'] });
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
  gk = await loginAs(server, 'gatekeeper');
  resident = await loginAs(server, 'resident');
  myDong = cw.demo.scope_id;
  const d = (await districts(server)).find((x) => x.dongs.some((g) => g.id === myDong));
  otherDong = d.dongs.find((g) => g.id !== myDong).id;
  cwId = cw.account.id;
  gkAccountId = gk.account.id;
});
after(async () => { if (server) await server.stop(); });

test('the vocabulary lists urgencies with their deadlines, and the sign, occupation and outcome codes', async () => {
  const r = await call(server, 'GET', '/api/v1/outreach/vocabulary');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.urgencies.map((u) => [u.code, u.contact_within_hours]), [['urgent', 24], ['high', 72], ['normal', 168]]);
  for (const k of ['signs', 'occupations', 'outcomes']) {
    assert.ok(r.json[k].length > 3, k);
    for (const c of r.json[k]) assert.ok(c.code && c.ko && c.en, JSON.stringify(c));
  }
});

test('anyone reports on the public form and gets a receipt number, never anything about the household', async () => {
  const first = await report({ address: ADDRESS, concern: CONCERN, urgency: 'high', signs: ['mail_piling_up'], contact: '이웃 010-0000-0000' });
  assert.equal(first.status, 201, first.text);
  assert.match(first.json.receipt_no, /^\d{6}-[2-9A-HJ-NP-Z]{7}$/);
  assert.equal(first.json.status, 'received');
  assert.deepEqual(Object.keys(first.json).sort(), ['message', 'receipt_no', 'received_at', 'status']);
  // The same household again: the answer looks exactly the same (no "merged", no household id).
  const second = await report({ address: ADDRESS.replace(', ', ' '), concern: '인기척이 없습니다' });
  assert.equal(second.status, 201, second.text);
  assert.deepEqual(Object.keys(second.json).sort(), Object.keys(first.json).sort());
  assert.notEqual(second.json.receipt_no, first.json.receipt_no);
  // A place instead of an address is enough.
  const place = await report({ place: '솔내역 2번 출구 앞 벤치', concern: '며칠째 같은 분이 주무십니다' });
  assert.equal(place.status, 201, place.text);
});

test('bad input: problem+json naming every invalid field; hostile bodies change nothing', async () => {
  const p = assertProblem(await report({ concern: '', urgency: 'asap', signs: 'mail', dong_id: 999999, subject_phone: '12', bogus: 1 }), 422, 'many bad fields');
  const fields = errorFields(p);
  for (const f of ['address', 'concern', 'urgency', 'signs', 'dong_id', 'subject_phone', 'bogus']) assert.ok(fields.includes(f), `${f} named: ${JSON.stringify(p.errors)}`);
  const long = assertProblem(await report({ address: 'x'.repeat(201), concern: '가'.repeat(2001) }), 422, 'too long');
  assert.deepEqual(long.errors.map((e) => `${e.field}/${e.code}`).sort(), ['address/too_long', 'concern/too_long']);
  const ctrl = assertProblem(await report({ address: 'a\u0007b', concern: 'x\u0000y' }), 422, 'control characters');
  assert.ok(ctrl.errors.every((e) => e.code === 'control_characters'), JSON.stringify(ctrl.errors));
  assertProblem(await report('{"address": "x", "concern": ', { headers: { ...anon(), 'Content-Type': 'application/json' } }), 400, 'broken JSON');
  assertProblem(await report('address=x', { headers: { ...anon(), 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, 'not JSON');
  assertProblem(await report([1, 2]), 422, 'not an object');
  assertProblem(await report('['.repeat(100000), { headers: { ...anon(), 'Content-Type': 'application/json' } }), 400, 'deep nesting');
  assertProblem(await report({ address: 'x', concern: 'y'.repeat(1100000) }), 413, 'over the body limit');
  assertProblem(await report({ district_id: 424242, address: 'x', concern: 'y' }), 422, 'unknown district');
  await healthy(server);
});

test('anonymous reports from one address are throttled with Retry-After; others are not held up', async () => {
  const headers = { 'X-Forwarded-For': '203.0.113.77' };
  for (let i = 0; i < 10; i++) {
    const r = await report({ place: `놀이터 ${i}`, concern: '확인 부탁' }, { headers });
    assert.equal(r.status, 201, `report ${i}: ${r.text}`);
  }
  const limited = assertProblem(await report({ place: '놀이터', concern: '확인' }, { headers }), 429, 'eleventh');
  assert.ok(Number(limited.status) === 429);
  const again = await report({ place: '놀이터', concern: '확인' }, { headers });
  assert.ok(Number(again.headers.get('retry-after')) > 0, 'Retry-After');
  assert.equal((await report({ place: '놀이터', concern: '확인' })).status, 201, 'another address');
  assert.equal((await report({ place: '놀이터', concern: '확인' }, { headers, session: resident })).status, 201, 'logged in: not throttled');
});

test('an Idempotency-Key files a retried report once and answers it the same way', async () => {
  const headers = { ...anon(), 'Idempotency-Key': `retry-${stamp}` };
  const body = { place: '시장 입구', concern: '재시도 테스트' };
  const a = await report(body, { headers });
  const b = await report(body, { headers });
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 200, `replay: ${b.text}`);
  assert.equal(b.json.receipt_no, a.json.receipt_no);
  assertProblem(await report(body, { headers: { ...anon(), 'Idempotency-Key': 'x'.repeat(101) } }), 422, 'key too long');
});

let hh; // the household of ADDRESS, learnt through staff intake

test('staff intake merges reports about one household and answers with it; the timeline keeps every signal', async () => {
  const a = await intake(cw, { channel: 'hotline', dong_id: myDong, address: `은행로${stamp} 201호`, concern: '전화 제보: 끼니를 거르심', subject_name: SUBJECT, subject_phone: PHONE, urgency: 'urgent', signs: ['no_food'] });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.merged, true, `the public reports of the same address: ${a.text}`);
  assert.equal(a.json.household_reports, 3);
  hh = a.json.household_id;
  // The phone alone finds it again, whatever address the counter wrote down.
  const b = await intake(cw, { channel: 'counter', dong_id: myDong, address: '잘 모르는 주소', concern: '창구 방문 상담', subject_phone: PHONE.replace(/^(\d{3})(\d{4})/, '$1-$2-') });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.household_id, hh);

  const r = await open(cw, hh);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, SUBJECT);
  assert.equal(r.json.phone, PHONE);
  assert.equal(r.json.report_count, 4);
  assert.equal(r.json.priority, 'urgent');
  const reports = r.json.timeline.filter((e) => e.kind === 'report').map((e) => e.report);
  assert.deepEqual(reports.map((x) => x.channel), ['web', 'web', 'hotline', 'counter']);
  assert.equal(reports[0].address, ADDRESS, 'each report keeps what it said');
  assert.equal(reports[0].concern, CONCERN);
  assert.equal(reports[0].reporter_kind, 'anonymous');
  assert.deepEqual(r.json.signs.sort(), ['mail_piling_up', 'no_food']);
});

test('opening a household needs a reason and lands in the access log; other dongs and non-officials are refused', async () => {
  assertProblem(await open(cw, hh, ''), 422, 'no X-Access-Reason');
  const reason = `visit planning ${stamp}`;
  assert.equal((await open(admin, hh, reason)).status, 200);
  const log = await call(server, 'GET', '/api/v1/admin/access-log', { session: admin });
  assert.equal(log.status, 200);
  const row = log.json.items.find((x) => x.subject_kind === 'household' && x.subject_id === hh && x.reason === reason);
  assert.ok(row, `access log has the read: ${JSON.stringify(log.json.items.slice(0, 3))}`);
  assert.equal(row.action, 'read');
  assert.match(row.fields, /address/);
  assert.equal(row.actor_account_id, admin.account.id);

  const other = await intake(admin, { channel: 'counter', dong_id: otherDong, address: `솔내로 ${stamp}`, concern: '다른 동' });
  assert.equal(other.status, 201, other.text);
  assertProblem(await open(cw, other.json.household_id), 403, 'caseworker opening another dong\'s household');
  assertProblem(await open(cw, 987654321), 403, 'unknown household looks like not-yours to a dong caseworker');
  assertProblem(await open(admin, 987654321), 404, 'unknown household');
  for (const s of [gk, resident]) assertProblem(await open(s, hh), 403, `${s.demo.role} opening a household`);
  assertProblem(await open(undefined, hh), 401, 'anonymous');
  assertProblem(await intake(cw, { channel: 'hotline', dong_id: otherDong, address: '솔내로 1', concern: 'x' }), 403, 'intake for another dong');
  const bad = assertProblem(await intake(cw, { channel: 'fax', address: '은행로 1', concern: 'x', received_at: 'tomorrow', gatekeeper_id: 99999 }), 422, 'bad intake');
  for (const f of ['channel', 'dong_id', 'received_at', 'gatekeeper_id']) assert.ok(errorFields(bad).includes(f), `${f}: ${JSON.stringify(bad.errors)}`);
});

test('a gatekeeper files reports under their name and follows their status, never the household', async () => {
  const reg = await call(server, 'POST', '/api/v1/outreach/gatekeepers', {
    session: cw,
    body: { kind: 'honorary_officer', occupation: 'postal', organization: '한빛우체국', name: '정우체', phone: '010-5552-1001', dong_id: myDong, training_date: '2025-03-10', agreement_date: '2025-03-12', account_id: gkAccountId },
  });
  assert.equal(reg.status, 201, reg.text);
  const gkId = reg.json.id;

  const f = await report({ address: `은행로 ${stamp}-9`, concern: '검침 때 보니 난방이 꺼져 있어요', urgency: 'urgent' }, { session: gk, headers: {} });
  assert.equal(f.status, 201, f.text);
  const mine = await call(server, 'GET', '/api/v1/outreach/my-reports', { session: gk });
  assert.equal(mine.status, 200);
  assert.equal(mine.json.total, 1);
  const item = mine.json.items[0];
  assert.equal(item.receipt_no, f.json.receipt_no);
  assert.equal(item.status, 'received');
  assert.deepEqual(Object.keys(item).sort(), ['channel', 'dong_id', 'receipt_no', 'received_at', 'status', 'urgency'],
    'no address, concern, household or outcome in a reporter\'s list');
  assertProblem(await queue(gk), 403, 'gatekeeper reading the queue');

  // Staff pick it up: the gatekeeper sees "under review", then "closed" — and still nothing more.
  const same = await intake(cw, { channel: 'hotline', dong_id: myDong, address: `은행로 ${stamp}-9`, concern: '같은 집' });
  assert.equal(same.json.merged, true, same.text);
  const id = same.json.household_id;
  assert.equal((await call(server, 'POST', `/api/v1/outreach/households/${id}/assign`, { session: cw, body: { account_id: cwId } })).status, 200);
  assert.equal((await call(server, 'GET', '/api/v1/outreach/my-reports', { session: gk })).json.items[0].status, 'under_review');
  assert.equal((await call(server, 'POST', `/api/v1/outreach/households/${id}/close`, { session: cw, body: { outcome: 'public_benefit', note: '긴급복지 생계지원 연계' } })).status, 200);
  const closed = await call(server, 'GET', '/api/v1/outreach/my-reports', { session: gk });
  assert.equal(closed.json.items[0].status, 'closed');
  assert.ok(!closed.text.includes('public_benefit') && !closed.text.includes('긴급복지'), 'no outcome or note for the reporter');

  const staffView = await open(cw, id);
  const theirs = staffView.json.timeline.find((e) => e.report?.receipt_no === f.json.receipt_no).report;
  assert.equal(theirs.reporter_kind, 'gatekeeper');
  assert.equal(theirs.gatekeeper.organization, '한빛우체국');
  const one = await call(server, 'GET', `/api/v1/outreach/gatekeepers/${gkId}`, { session: cw });
  assert.deepEqual(one.json.reports, { received: 0, under_review: 0, closed: 1 });
});

test('the triage queue per dong: deadlines, breaches, assignment, contact, closing', async () => {
  const late = await intake(cw, { channel: 'hotline', dong_id: myDong, address: `은행로 ${stamp}-30`, concern: '가스 끊김', urgency: 'urgent', received_at: hoursAgo(30) });
  assert.equal(late.status, 201, late.text);
  const id = late.json.household_id;
  const q = await queue(cw, '?breached=1');
  assert.equal(q.status, 200, q.text);
  const row = q.json.items.find((x) => x.id === id);
  assert.ok(row, `breached household listed: ${q.text.slice(0, 400)}`);
  assert.equal(row.deadline.status, 'breached');
  assert.equal(row.deadline.breached, true);
  assert.ok(row.deadline.overdue_hours >= 5 && row.deadline.overdue_hours <= 6, JSON.stringify(row.deadline));
  assert.equal(q.json.items[0].deadline.breached, true, 'breaches on top');
  assert.ok(q.json.counts.breached >= 1);
  for (const k of ['address', 'name', 'phone', 'timeline']) assert.ok(!(k in row), `queue rows carry no ${k}`);
  const all = await queue(cw);
  assert.ok(all.json.items.every((x) => x.dong?.id === myDong), 'a dong caseworker sees their dong only');
  assertProblem(await queue(cw, `?dong_id=${otherDong}`), 403, 'another dong\'s queue');
  assertProblem(await queue(cw, '?dong_id=0'), 403, 'the district-wide queue needs a district grant');
  assertProblem(await queue(cw, '?status=bogus&breached=maybe&dong_id=x'), 422, 'bad filters');

  const notOfficial = assertProblem(await call(server, 'POST', `/api/v1/outreach/households/${id}/assign`, { session: cw, body: { account_id: gkAccountId } }), 422, 'assigning a gatekeeper');
  assert.equal(notOfficial.errors[0].code, 'cannot_be_assigned');
  const assigned = await call(server, 'POST', `/api/v1/outreach/households/${id}/assign`, { session: cw, body: { account_id: cwId } });
  assert.equal(assigned.json.status, 'assigned');
  assert.equal(assigned.json.assigned_to, cwId);
  const mineQ = await queue(cw, '?assigned_to=me');
  assert.ok(mineQ.json.items.some((x) => x.id === id));
  const contacted = await call(server, 'POST', `/api/v1/outreach/households/${id}/contact`, { session: cw, body: { note: '통화함, 내일 방문' } });
  assert.equal(contacted.status, 200, contacted.text);
  assert.equal(contacted.json.deadline.status, 'met_late');
  assertProblem(await call(server, 'POST', `/api/v1/outreach/households/${id}/close`, { session: cw, body: { outcome: 'solved!' } }), 422, 'unknown outcome');
  const closed = await call(server, 'POST', `/api/v1/outreach/households/${id}/close`, { session: cw, body: { outcome: 'case_management' } });
  assert.equal(closed.json.status, 'closed');
  assertProblem(await call(server, 'POST', `/api/v1/outreach/households/${id}/close`, { session: cw, body: { outcome: 'refused' } }), 409, 'closing twice');
  const timeline = (await open(cw, id)).json.timeline.map((e) => e.kind);
  assert.deepEqual(timeline, ['report', 'assigned', 'contacted', 'closed']);
});

test('district officials see households with no dong yet, move them to their dong and merge duplicates', async () => {
  const a = await report({ place: `가람천 다리 밑 ${stamp}`, concern: '노숙하시는 분' });
  assert.equal(a.status, 201);
  const q = await queue(admin, '?dong_id=0');
  assert.equal(q.status, 200, q.text);
  const row = q.json.items.find((x) => x.dong === null);
  assert.ok(row, `a household with no dong: ${q.text.slice(0, 300)}`);
  assertProblem(await call(server, 'PATCH', `/api/v1/outreach/households/${row.id}`, { session: cw, body: { dong_id: myDong } }), 403, 'dong caseworker moving a district-wide household');
  const moved = await call(server, 'PATCH', `/api/v1/outreach/households/${row.id}`, { session: admin, body: { dong_id: myDong } });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.dong.id, myDong);
  // Now it is in the caseworker's queue; merge it with another report about the same person.
  const b = await intake(cw, { channel: 'counter', dong_id: myDong, place: '가람천 산책로', concern: '같은 분으로 보임', subject_name: '이모씨' });
  const merged = await call(server, 'POST', `/api/v1/outreach/households/${row.id}/merge`, { session: cw, body: { household_id: b.json.household_id } });
  assert.equal(merged.status, 200, merged.text);
  assert.equal(merged.json.report_count, 2);
  const gone = await open(cw, b.json.household_id);
  assert.equal(gone.json.status, 'merged');
  assert.equal(gone.json.merged_into, row.id);
  assertProblem(await call(server, 'POST', `/api/v1/outreach/households/${row.id}/merge`, { session: cw, body: { household_id: row.id } }), 409, 'merging into itself');
});

test('partner API: an institution\'s token files reports idempotently; sessions and other roles cannot', async () => {
  const partner = server.accounts.find((a) => a.login.startsWith('partner@'));
  assert.ok(partner, 'the demo has a partner-institution gatekeeper');
  assert.equal(partner.scope_kind, 'organization');
  const t = await call(server, 'POST', '/api/v1/admin/api-tokens', { session: admin, body: { name: 'gas company', scopes: ['file_report'], expires_at: new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10) } });
  assert.equal(t.status, 201, t.text);
  const token = t.json.token;
  const body = { address: `버들길 ${stamp}`, concern: '가스요금 3개월 체납, 공급 중단 예정', urgency: 'high', signs: ['arrears', 'utility_cutoff'], external_ref: `GAS-${stamp}` };
  const a = await call(server, 'POST', '/api/v1/outreach/partner/reports', { bearer: token, body, headers: { 'Idempotency-Key': `gas-${stamp}` } });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.external_ref, `GAS-${stamp}`);
  assert.ok(!('household_id' in a.json));
  const b = await call(server, 'POST', '/api/v1/outreach/partner/reports', { bearer: token, body, headers: { 'Idempotency-Key': `gas-${stamp}` } });
  assert.equal(b.status, 200);
  assert.equal(b.json.receipt_no, a.json.receipt_no);
  const p = await login(server, partner.login, partner.password);
  assertProblem(await call(server, 'POST', '/api/v1/outreach/partner/reports', { session: p, body }), 403, 'a session, not a token');
  assertProblem(await call(server, 'POST', '/api/v1/outreach/partner/reports', { body }), 401, 'anonymous');
  assertProblem(await call(server, 'POST', '/api/v1/outreach/partner/reports', { bearer: token, body: { ...body, concern: '' } }), 422, 'invalid');
  // Tokens belong to partner service accounts: none can be minted to act as a person.
  assertProblem(await call(server, 'POST', '/api/v1/admin/api-tokens', { session: admin, body: { name: 'resident', account_id: resident.account.id, scopes: ['file_report'], expires_at: new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10) } }), 422, 'a token acting as a resident');
});

test('CSV upload: every row checked, all or nothing, CP949 and other dongs refused', async () => {
  const csvHeaders = { 'Content-Type': 'text/csv; charset=utf-8' };
  const upload = (session, text, headers = csvHeaders) => call(server, 'POST', '/api/v1/outreach/intake/import', { session, body: text, headers });
  const before = (await queue(admin, '?status=all')).json.total;
  const bad = assertProblem(await upload(admin,
    '동,주소,내용,긴급도\n은행동,은행로 1,ok,긴급\n없는동,은행로 2,ok,일반\n은행동,,,\n'), 422, 'bad rows');
  assert.deepEqual(bad.errors.map((e) => `${e.field}/${e.code}`).sort(),
    ['line 3: dong/unknown_dong', 'line 4: address/address_or_place', 'line 4: concern/required'].sort());
  assert.match(bad.detail, /nothing was imported/);
  assert.equal((await queue(admin, '?status=all')).json.total, before, 'nothing was filed');
  const cp949 = Buffer.concat([Buffer.from('dong,address,concern\n'), Buffer.from([0xc0, 0xba, 0xc7, 0xe0, 0xb5, 0xbf]), Buffer.from(',x,y\n')]);
  assert.equal(assertProblem(await upload(admin, cp949), 422, 'cp949').errors[0].code, 'cp949_encoding');
  assertProblem(await upload(admin, 'dong,address,concern\n', { 'Content-Type': 'application/json' }), 415, 'not text/csv');
  const other = (await districts(server))[0].dongs.find((g) => g.id === otherDong).code;
  const notMine = assertProblem(await upload(cw, `dong,address,concern\n${other},솔내로 1,x\n`), 422, 'another dong\'s row');
  assert.deepEqual(notMine.errors.map((e) => e.code), ['not_your_dong']);
  assertProblem(await upload(gk, 'dong,address,concern\n'), 403, 'gatekeeper uploading');

  const good = await upload(cw, `dong,address,concern,urgency,signs,received_at\n은행동,은행로 ${stamp}-50,첫 줄,high,arrears;isolation,\n은행동,"은행로 ${stamp}-50",같은 집,normal,,\n은행동,은행로 ${stamp}-51,"여러 줄\n내용",,,\n`);
  assert.equal(good.status, 201, good.text);
  assert.equal(good.json.rows, 3);
  assert.equal(good.json.households_new, 2);
  assert.equal(good.json.merged, 1);
  assert.deepEqual(good.json.reports.map((x) => x.line), [2, 3, 4]);
  assert.equal(good.json.reports[1].household_id, good.json.reports[0].household_id);
});

test('gatekeeper registry: officials of the dong manage it, bad input is named, listings are logged', async () => {
  const body = { kind: 'partner_worker', occupation: 'water', organization: '한빛수도사업소', name: '박검침', phone: '02-123-4567', dong_id: myDong };
  const created = await call(server, 'POST', '/api/v1/outreach/gatekeepers', { session: cw, body });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.phone, '021234567');
  assertProblem(await call(server, 'POST', '/api/v1/outreach/gatekeepers', { session: cw, body: { ...body, dong_id: otherDong } }), 403, 'another dong');
  const bad = assertProblem(await call(server, 'POST', '/api/v1/outreach/gatekeepers', { session: cw, body: { kind: 'spy', occupation: 'x', name: '', training_date: '2025-13-01', phone: '123', account_id: 999999 } }), 422, 'bad registry entry');
  for (const f of ['kind', 'occupation', 'organization', 'name', 'training_date', 'phone', 'account_id']) assert.ok(errorFields(bad).includes(f), `${f}: ${JSON.stringify(bad.errors)}`);
  const patched = await call(server, 'PATCH', `/api/v1/outreach/gatekeepers/${created.json.id}`, { session: cw, body: { agreement_date: '2025-04-01', active: false } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.agreement_date, '2025-04-01');
  assert.equal(patched.json.active, false);
  const list = await call(server, 'GET', '/api/v1/outreach/gatekeepers', { session: cw });
  assert.ok(list.json.items.every((g) => g.dong_id === myDong), 'a dong caseworker lists their dong\'s gatekeepers');
  const log = await call(server, 'GET', '/api/v1/admin/access-log', { session: admin });
  assert.ok(log.json.items.some((x) => x.subject_kind === 'gatekeeper' && x.action === 'list'), 'registry listing logged');
});

test('personal fields are ciphertext in the database file', async (t) => {
  if (!server.db.startsWith('sqlite:')) return t.skip('SQLite only');
  const file = server.db.slice(7);
  const bytes = Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
  for (const plain of [ADDRESS, SUBJECT, PHONE, CONCERN, `은행로${stamp}`]) {
    assert.equal(bytes.indexOf(Buffer.from(plain)), -1, `"${plain}" is not on disk in the clear`);
  }
  assert.ok(bytes.indexOf(Buffer.from('outreach_reports')) >= 0, 'the check reads the right file');
});
