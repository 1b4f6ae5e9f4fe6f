// The KakaoTalk channel skill (POST /channels/kakao/skill, Kakao i Open Builder skill format 2.0):
// the shared-secret guard (401, and 404 while DURE_KAKAO_SKILL_SECRET is unset), service search
// by keyword from the catalogue, reports with a receipt number that officials then find in the
// triage queue, and a valid skill reply for every malformed, oversized or hostile payload.
// Node standard library only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, loginAs, healthy } from './_client.mjs';

const SECRET = 'skill-secret-for-tests-0123456789';
let server;
const stamp = String(Date.now() % 1000000).padStart(6, '0');

const skill = (body, headers = { 'X-Skill-Secret': SECRET }) =>
  call(server, 'POST', '/channels/kakao/skill', { body, headers: { 'Content-Type': 'application/json', ...headers } });

// A payload as the bot system sends it.
function payload({ utterance = '', params = {}, user = `user-${stamp}` } = {}) {
  return {
    intent: { id: 'block-1', name: '블록' },
    userRequest: { timezone: 'Asia/Seoul', params: { ignoreMe: 'true' }, block: { id: 'block-1', name: '블록' }, utterance, lang: null, user: { id: user, type: 'botUserKey', properties: { botUserKey: user } } },
    bot: { id: 'bot-1', name: '두레' },
    action: { name: 'dure', clientExtra: null, params, id: 'action-1', detailParams: {} },
  };
}

// Asserts a valid skill reply (HTTP 200, version 2.0, one simpleText within limits, quick
// replies within limits) and returns its text.
function skillText(r, what) {
  assert.equal(r.status, 200, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, what);
  assert.equal(r.json.version, '2.0', what);
  const outputs = r.json.template.outputs;
  assert.ok(outputs.length >= 1 && outputs.length <= 3, what);
  const text = outputs[0].simpleText.text;
  assert.equal(typeof text, 'string', what);
  assert.ok(text.length > 0 && [...text].length <= 1000, `${what}: text within 1000 characters`);
  for (const q of r.json.template.quickReplies || []) {
    assert.ok([...q.label].length <= 14, `${what}: label ${q.label}`);
    assert.equal(q.action, 'message');
  }
  assert.ok((r.json.template.quickReplies || []).length <= 10, what);
  return text;
}

before(async () => { server = await startServer({ env: { DURE_KAKAO_SKILL_SECRET: SECRET } }); });
after(async () => { if (server) await server.stop(); });

test('a wrong or missing X-Skill-Secret gets 401', async () => {
  assertProblem(await skill(payload({ utterance: '기초연금' }), {}), 401, 'missing');
  assertProblem(await skill(payload({ utterance: '기초연금' }), { 'X-Skill-Secret': `${SECRET}x` }), 401, 'longer');
  assertProblem(await skill(payload({ utterance: '기초연금' }), { 'X-Skill-Secret': SECRET.replace(/.$/, 'X') }), 401, 'same length');
  assertProblem(await skill(payload({ utterance: '기초연금' }), { 'X-Skill-Secret': '' }), 401, 'empty');
});

test('a keyword finds services in the catalogue', async () => {
  const text = skillText(await skill(payload({ utterance: '기초연금' })), 'search');
  assert.match(text, /기초연금/);
  assert.match(text, /1\. /);
  const param = skillText(await skill(payload({ utterance: '아무 말', params: { keyword: '기초연금' } })), 'keyword param');
  assert.match(param, /기초연금/);
  const none = skillText(await skill(payload({ utterance: `없는서비스${stamp}` })), 'nothing found');
  assert.match(none, /129/);
  assert.match(skillText(await skill(payload()), 'empty utterance'), /복지서비스/);
});

test('address and concern make a report; officials find it in the queue', async () => {
  const address = `한빛구 느티나무길 ${stamp} (느티동)`;
  const text = skillText(await skill(payload({ utterance: '신고', params: { address, concern: `할머니가 며칠째 안 보이세요 ${stamp}`, contact: '010-1111-2222', urgency: 'urgent' } })), 'report');
  const m = /접수번호: (\d{6}-[2-9A-HJ-NP-Z]{7})/.exec(text);
  assert.ok(m, `receipt number in: ${text}`);
  const admin = await loginAs(server, 'district_admin');
  const q = await call(server, 'GET', '/api/v1/outreach/queue', { session: admin });
  const row = q.json.items.find((x) => x.dong?.name_ko === '느티동' && x.priority === 'urgent');
  assert.ok(row, `the report is in 느티동's queue (dong read from the address): ${q.text.slice(0, 400)}`);
  const h = await call(server, 'GET', `/api/v1/outreach/households/${row.id}`, { session: admin, headers: { 'X-Access-Reason': 'kakao report check' } });
  const rep = h.json.timeline.find((e) => e.report?.receipt_no === m[1]).report;
  assert.equal(rep.channel, 'kakao');
  assert.equal(rep.reporter_kind, 'anonymous');
  assert.equal(rep.contact, '010-1111-2222');
  assert.ok(!h.text.includes(`user-${stamp}`), 'the chat user key is kept only as a blind index');
  // Only one of the two: ask for the other, file nothing.
  assert.match(skillText(await skill(payload({ params: { address: '느티로 1' } })), 'address only'), /주소.*상황/);
});

test('malformed, oversized and hostile payloads get a valid skill reply, never a crash', async () => {
  const raw = (body, ct = 'application/json') => call(server, 'POST', '/channels/kakao/skill', { body, headers: { 'X-Skill-Secret': SECRET, 'Content-Type': ct } });
  const cases = [
    ['empty body', raw('')],
    ['not JSON', raw('hello')],
    ['truncated JSON', raw('{"userRequest": {"utterance": "기초')],
    ['a JSON array', raw('[1,2,3]')],
    ['no userRequest', raw('{"action": {"params": {}}}')],
    ['userRequest not an object', raw('{"userRequest": "x"}')],
    ['deep nesting', raw(`{"userRequest": ${'['.repeat(50000)}`)],
    ['invalid UTF-8', raw(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))],
    ['form encoded', raw('userRequest=1', 'application/x-www-form-urlencoded')],
    ['over 64 KB', raw(JSON.stringify(payload({ utterance: '가'.repeat(30000) })))],
    ['params not strings', skill(payload({ params: { address: ['x'], concern: { a: 1 } } }))],
    ['concern too long', skill(payload({ params: { address: '느티로 2', concern: '가'.repeat(2500) } }))],
    ['control characters', skill(payload({ params: { address: '느티로\u0000 3', concern: '도움\u0007' } }))],
    ['a very long utterance', skill(payload({ utterance: 'a'.repeat(5000) }))],
  ];
  for (const [what, p] of cases) {
    const text = skillText(await p, what);
    assert.ok(!/기초연금/.test(text) || what === 'params not strings', `${what}: an error or help text, not results: ${text}`);
  }
  assert.match(skillText(await cases[11][1], 'again'), /2000/);
  // Over the server's 1 MB body limit the request never reaches the skill: 413 problem+json.
  assertProblem(await raw(JSON.stringify(payload({ utterance: 'x'.repeat(1100000) }))), 413, 'over 1 MB');
  await healthy(server);
});

test('one chat user cannot flood the queue', async () => {
  const user = `flooder-${stamp}`;
  for (let i = 0; i < 10; i++) {
    const t = skillText(await skill(payload({ user, params: { address: `느티로 ${stamp}-${i}`, concern: '확인 부탁' } })), `report ${i}`);
    assert.match(t, /접수번호/);
  }
  assert.doesNotMatch(skillText(await skill(payload({ user, params: { address: '느티로 99', concern: '또' } })), 'eleventh'), /접수번호/);
  assert.match(skillText(await skill(payload({ user: `other-${stamp}`, params: { address: '느티로 98', concern: '다른 사람' } })), 'another user'), /접수번호/);
});

test('without DURE_KAKAO_SKILL_SECRET the endpoint is off', async () => {
  const off = await startServer({ env: { DURE_KAKAO_SKILL_SECRET: '' } });
  try {
    const r = await call(off, 'POST', '/channels/kakao/skill', { body: payload({ utterance: '기초연금' }), headers: { 'X-Skill-Secret': '' } });
    assertProblem(r, 404, 'skill off');
  } finally {
    await off.stop();
  }
});
