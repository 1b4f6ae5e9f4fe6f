// Reports never overwrite what staff verified (issue 11, item 5), and an Idempotency-Key is bound
// to its request (item 10 of the security review), against a real server. An anonymous web
// report or a KakaoTalk report that carries a household's known phone or address adds a signal to
// its timeline; the name, address, phone, priority or status it implies wait as suggestions an
// official accepts or rejects; a closed household is never reopened by one: a new household
// follows it. Node standard library only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

const SECRET = 'skill-secret-for-trust-tests-0123';
let server; let cw; let gk; let resident; let myDong;
const stamp = String(Date.now() % 1000000).padStart(6, '0');
const REASON = 'checking a new report';
let ip = 0;
const anon = () => ({ 'X-Forwarded-For': `203.0.113.${(ip++ % 250) + 1}` });
const report = (body, opts = {}) => call(server, 'POST', '/api/v1/outreach/reports', { body, headers: anon(), ...opts });
const intake = (body) => call(server, 'POST', '/api/v1/outreach/intake', { session: cw, body: { channel: 'hotline', dong_id: myDong, ...body } });
const open = (id) => call(server, 'GET', `/api/v1/outreach/households/${id}`, { session: cw, headers: { 'X-Access-Reason': REASON } });
const decide = (session, hh, sid, verb) => call(server, 'POST', `/api/v1/outreach/households/${hh}/suggestions/${sid}/${verb}`, { session, body: {} });
const phone = (n) => `010${String(5550000 + n).slice(-4)}${stamp.slice(-4)}`;

before(async () => {
  server = await startServer({ extraArgs: ['--trust-proxy'], env: { DURE_KAKAO_SKILL_SECRET: SECRET } });
  cw = await loginAs(server, 'caseworker');
  gk = await loginAs(server, 'gatekeeper');
  resident = await loginAs(server, 'resident');
  myDong = cw.demo.scope_id;
});
after(async () => { if (server) await server.stop(); });

test('an anonymous report with a known phone adds a signal and suggestions; the verified record stays', async () => {
  const PHONE = phone(1);
  const h = await intake({ address: `한빛구 은행로 ${stamp}-1`, concern: '끼니를 거름', subject_name: '홍길동', subject_phone: PHONE });
  assert.equal(h.status, 201, h.text);
  const hh = h.json.household_id;
  const before = await open(hh);
  assert.equal(before.json.priority, 'normal');

  const r = await report({ concern: 'x', address: '엉뚱한 주소 99', subject_name: '가짜', subject_phone: PHONE, urgency: 'urgent' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['message', 'receipt_no', 'received_at', 'status'], 'nothing about the household');

  const after = await open(hh);
  assert.equal(after.status, 200, after.text);
  assert.equal(after.json.name, '홍길동', 'name kept');
  assert.equal(after.json.address, `한빛구 은행로 ${stamp}-1`, 'address kept');
  assert.equal(after.json.phone, PHONE);
  assert.equal(after.json.priority, 'normal', 'priority kept');
  assert.equal(after.json.report_count, 2, 'the report is a signal on the timeline');
  assert.equal(after.json.timeline.filter((e) => e.kind === 'report').length, 2);
  // Life safety: the urgent signal brings the deadline forward to the urgent window (24 h).
  const due = Date.parse(after.json.deadline.due_at);
  assert.ok(due - Date.now() <= 24 * 3600e3 + 60e3, `deadline within 24 h: ${after.json.deadline.due_at}`);
  const byField = Object.fromEntries(after.json.suggestions.map((s) => [s.field, s]));
  assert.deepEqual(Object.keys(byField).sort(), ['address', 'name', 'priority'], JSON.stringify(after.json.suggestions));
  assert.equal(byField.name.value, '가짜');
  assert.equal(byField.name.current, '홍길동');
  assert.equal(byField.priority.value, 'urgent');
  assert.ok(byField.name.report_id, 'the suggestion names its report');
  assert.equal(after.json.pending_suggestions, 3);
  const q = await call(server, 'GET', `/api/v1/outreach/queue?dong_id=${myDong}&status=all`, { session: cw });
  assert.equal(q.json.items.find((x) => x.id === hh).pending_suggestions, 3, 'the queue shows pending suggestions');

  // Only officials of the dong decide; anyone else is refused and nothing changes.
  for (const s of [gk, resident]) assertProblem(await decide(s, hh, byField.name.id, 'accept'), 403, s.demo.role);
  assertProblem(await decide(undefined, hh, byField.name.id, 'accept'), 401, 'anonymous');
  assertProblem(await decide(cw, hh, 987654321, 'accept'), 404, 'no such suggestion');

  const rej = await decide(cw, hh, byField.name.id, 'reject');
  assert.equal(rej.status, 200, rej.text);
  assertProblem(await decide(cw, hh, byField.name.id, 'accept'), 409, 'decided already');
  const acc = await decide(cw, hh, byField.priority.id, 'accept');
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.json.priority, 'urgent', 'an official raised it');
  assert.equal((await decide(cw, hh, byField.address.id, 'accept')).status, 200);
  const done = await open(hh);
  assert.equal(done.json.name, '홍길동', 'rejected: unchanged');
  assert.equal(done.json.address, '엉뚱한 주소 99', 'accepted: changed');
  assert.equal(done.json.suggestions.length, 0);
  const kinds = done.json.timeline.map((e) => [e.kind, e.detail]).filter(([k]) => k.startsWith('suggestion'));
  assert.deepEqual(kinds, [['suggestion_rejected', 'field:name'], ['suggestion_accepted', 'field:priority'], ['suggestion_accepted', 'field:address']]);
  assert.ok(done.json.timeline.filter((e) => e.kind.startsWith('suggestion')).every((e) => e.actor_account_id === cw.account.id));
});

test('an anonymous report never reopens a closed household: a new one follows it at once', async () => {
  const PHONE = phone(2);
  const h = await intake({ address: `한빛구 은행로 ${stamp}-2`, concern: '상담 완료', subject_name: '김닫힘', subject_phone: PHONE });
  const hh = h.json.household_id;
  assert.equal((await call(server, 'POST', `/api/v1/outreach/households/${hh}/close`, { session: cw, body: { outcome: 'public_benefit' } })).status, 200);

  const r = await report({ concern: 'y', place: '역 2번 출구 벤치', subject_phone: PHONE.replace(/^(\d{3})(\d{4})/, '$1-$2-'), urgency: 'urgent', dong_id: myDong });
  assert.equal(r.status, 201, r.text);
  const old = await open(hh);
  assert.equal(old.json.status, 'closed', 'still closed');
  assert.equal(old.json.outcome, 'public_benefit');
  assert.equal(old.json.report_count, 1);
  const followed = old.json.timeline.find((e) => e.kind === 'followed_by');
  assert.ok(followed, JSON.stringify(old.json.timeline));
  const newId = Number(followed.detail.split(':')[1]);
  const fresh = await open(newId);
  assert.equal(fresh.json.status, 'new');
  assert.equal(fresh.json.priority, 'urgent', 'the urgency reaches the queue of the new household');
  assert.equal(fresh.json.timeline.find((e) => e.kind === 'follows').detail, `household:${hh}`);
  const q = await call(server, 'GET', `/api/v1/outreach/queue?dong_id=${myDong}`, { session: cw });
  assert.ok(q.json.items.some((x) => x.id === newId), 'in the open queue');
  // Officials can still fold it into the old one.
  const m = await call(server, 'POST', `/api/v1/outreach/households/${hh}/merge`, { session: cw, body: { household_id: newId } });
  assert.equal(m.status, 200, m.text);
});

test('a report about a contacted household suggests contacting again instead of changing its status', async () => {
  const PHONE = phone(3);
  const h = await intake({ address: `한빛구 은행로 ${stamp}-3`, concern: '방문 예정', subject_name: '이연락', subject_phone: PHONE });
  const hh = h.json.household_id;
  assert.equal((await call(server, 'POST', `/api/v1/outreach/households/${hh}/contact`, { session: cw, body: { note: '통화함' } })).status, 200);
  assert.equal((await report({ concern: 'z', address: `한빛구 은행로 ${stamp}-3`, subject_phone: PHONE })).status, 201);
  const a = await open(hh);
  assert.equal(a.json.status, 'contacted');
  const s = a.json.suggestions.find((x) => x.field === 'status');
  assert.ok(s, JSON.stringify(a.json.suggestions));
  assert.equal(s.value, 'new');
  const acc = await decide(cw, hh, s.id, 'accept');
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.json.status, 'new');
  assert.equal(acc.json.contacted_at, null);
});

test('a KakaoTalk report about a closed household opens a new one and leaves the old as staff closed it', async () => {
  const address = `한빛구 느티나무길 ${stamp}-4`;
  const h = await intake({ address, concern: '지원 연계 완료', subject_name: '박카톡' });
  const hh = h.json.household_id;
  assert.equal((await call(server, 'POST', `/api/v1/outreach/households/${hh}/close`, { session: cw, body: { outcome: 'public_benefit' } })).status, 200);
  const user = `trust-${stamp}`;
  const r = await call(server, 'POST', '/channels/kakao/skill', {
    headers: { 'X-Skill-Secret': SECRET },
    body: {
      intent: { id: 'b', name: '블록' },
      userRequest: { timezone: 'Asia/Seoul', params: {}, block: { id: 'b', name: '블록' }, utterance: '신고', lang: null, user: { id: user, type: 'botUserKey', properties: {} } },
      bot: { id: 'bot', name: '두레' },
      action: { name: 'dure', clientExtra: null, params: { address, concern: '다시 위험해 보여요', urgency: 'urgent' }, id: 'a', detailParams: {} },
    },
  });
  assert.equal(r.status, 200, r.text);
  const old = await open(hh);
  assert.equal(old.json.status, 'closed');
  assert.equal(old.json.name, '박카톡');
  assert.ok(old.json.timeline.some((e) => e.kind === 'followed_by'), JSON.stringify(old.json.timeline.map((e) => e.kind)));
});

test('staff intake is verified: it still updates the household it joins', async () => {
  const PHONE = phone(5);
  const h = await intake({ address: `한빛구 은행로 ${stamp}-5`, concern: '첫 상담', subject_name: '최확인', subject_phone: PHONE });
  const again = await intake({ address: `한빛구 은행로 ${stamp}-5 2층`, concern: '주소 정정', subject_phone: PHONE, urgency: 'high' });
  assert.equal(again.json.household_id, h.json.household_id);
  const a = await open(h.json.household_id);
  assert.equal(a.json.address, `한빛구 은행로 ${stamp}-5 2층`);
  assert.equal(a.json.priority, 'high');
  assert.equal(a.json.suggestions.length, 0);
});

test('an Idempotency-Key is bound to its body: another body is a 422; anonymous callers never share a key', async () => {
  const key = `shared-${stamp}`;
  // Two strangers pick the same key: each gets their own receipt.
  const a = await report({ place: '시장 입구', concern: `첫째 사람 ${stamp}` }, { headers: { ...anon(), 'Idempotency-Key': key } });
  const b = await report({ place: '공원', concern: `둘째 사람 ${stamp}` }, { headers: { ...anon(), 'Idempotency-Key': key } });
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, `another caller's report is filed, not answered with the first receipt: ${b.text}`);
  assert.notEqual(b.json.receipt_no, a.json.receipt_no);
  // A true retry still answers the same way.
  const retry = await report({ place: '시장 입구', concern: `첫째 사람 ${stamp}` }, { headers: { ...anon(), 'Idempotency-Key': key } });
  assert.equal(retry.status, 200, retry.text);
  assert.equal(retry.json.receipt_no, a.json.receipt_no);

  // One caller reusing a key for another body: refused, nothing filed.
  const mineKey = `mine-${stamp}`;
  const first = await report({ place: '놀이터', concern: '하나' }, { session: resident, headers: { 'Idempotency-Key': mineKey } });
  assert.equal(first.status, 201, first.text);
  const before = (await call(server, 'GET', '/api/v1/outreach/my-reports', { session: resident })).json.total;
  const other = assertProblem(await report({ place: '놀이터', concern: '둘' }, { session: resident, headers: { 'Idempotency-Key': mineKey } }), 422, 'key reused');
  assert.deepEqual(errorFields(other), ['Idempotency-Key']);
  assert.equal((await call(server, 'GET', '/api/v1/outreach/my-reports', { session: resident })).json.total, before, 'nothing filed');
  const same = await report({ place: '놀이터', concern: '하나' }, { session: resident, headers: { 'Idempotency-Key': mineKey } });
  assert.equal(same.status, 200);
  assert.equal(same.json.receipt_no, first.json.receipt_no);
  // Staff intake too.
  const k2 = `intake-${stamp}`;
  const i1 = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, headers: { 'Idempotency-Key': k2 }, body: { channel: 'hotline', dong_id: myDong, place: '경로당', concern: '하나' } });
  assert.equal(i1.status, 201, i1.text);
  assertProblem(await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, headers: { 'Idempotency-Key': k2 }, body: { channel: 'hotline', dong_id: myDong, place: '경로당', concern: '둘' } }), 422, 'intake key reused');
});
