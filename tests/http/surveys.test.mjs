// Field surveys over HTTP: the living-conditions survey of single-person households aged 50+ —
// interviews checked against the questionnaire, answers that raise flags, dong-scoped lists without
// personal data, logged reads, follow-up, and the published report with small counts suppressed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

const SURVEY = 'living_conditions_50plus';
let server, careteam, cw, admin, myDong, otherDong;
before(async () => {
  server = await startServer();
  careteam = await loginAs(server, 'care_team');
  cw = await loginAs(server, 'caseworker');
  admin = await loginAs(server, 'district_admin');
  myDong = cw.demo.scope_id;
  otherDong = (await call(server, 'GET', '/api/v1/districts')).json[0].dongs.find((d) => d.id !== myDong).id;
});
after(async () => { if (server) await server.stop(); });

const fine = { meals: 'three', health: 'good', chronic_untreated: false, contact_frequency: 'weekly', emergency_contact: true, heating: true, mood: 'no', wants_help: false };
const interview = (session, answers, dong = myDong, born = 1960) => call(server, 'POST', `/api/v1/surveys/${SURVEY}/responses`, {
  session, body: { dong_id: dong, respondent: { name: '박혼자', address: '은행로 77 2층', phone: '010-5550-7777', birth_year: born }, answers } });

test('the questionnaire is published for field entry', async () => {
  const r = await call(server, 'GET', '/api/v1/surveys');
  const q = r.json.items.find((x) => x.code === SURVEY);
  assert.ok(q.questions.length >= 8);
  assert.ok(q.questions.find((x) => x.code === 'meals').options.some((o) => o.code === 'one_or_less'));
});

test('interviews are checked, raise flags, and only field staff of the dong enter them', async () => {
  const bad = assertProblem(await interview(careteam, { meals: 'five', heating: 'yes', arrears_months: -1, color: 'blue' }, myDong, 1990), 422);
  const fields = errorFields(bad);
  for (const f of ['answers.meals', 'answers.heating', 'answers.arrears_months', 'answers.color', 'answers.health', 'respondent.birth_year']) assert.ok(fields.includes(f), `${f} in ${fields}`);
  assertProblem(await interview(await loginAs(server, 'gatekeeper'), fine), 403);
  assertProblem(await interview(careteam, fine, otherDong), 403);
  const ok = await interview(careteam, fine);
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual(ok.json.flags, []);
  const worried = await interview(careteam, { ...fine, meals: 'one_or_less', emergency_contact: false, arrears_months: 3, mood: 'most_days', wants_help: true, note: '냉장고 비어 있음' });
  assert.equal(worried.status, 201, worried.text);
  assert.deepEqual(worried.json.flags, ['food', 'isolation', 'arrears', 'mental_health', 'wants_help']);
  assert.equal(worried.json.urgent, true);
  // Lists: flags only, urgent first, no names; the full interview is for officials and is logged.
  const list = (await call(server, 'GET', `/api/v1/surveys/${SURVEY}/responses?flagged=1`, { session: cw })).json.items;
  assert.equal(list.length, 1);
  assert.ok(!JSON.stringify(list).includes('박혼자'));
  assertProblem(await call(server, 'GET', `/api/v1/surveys/responses/${worried.json.id}`, { session: careteam }), 403);
  const one = await call(server, 'GET', `/api/v1/surveys/responses/${worried.json.id}`, { session: cw, headers: { 'X-Access-Reason': 'survey follow-up' } });
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.respondent.name, '박혼자');
  assert.equal(one.json.answers.note, '냉장고 비어 있음');
  if (server.db.startsWith('sqlite:')) {
    const raw = execFileSync('sqlite3', [server.db.slice(7), 'SELECT respondent_enc || answers_enc FROM survey_responses'], { encoding: 'utf8' });
    assert.ok(!raw.includes('박혼자') && !raw.includes('냉장고'), 'encrypted at rest');
  }
  const bad2 = assertProblem(await call(server, 'PUT', `/api/v1/surveys/responses/${worried.json.id}/follow_up`, { session: cw, body: { follow_up: 'maybe' } }), 422);
  assert.deepEqual(errorFields(bad2), ['follow_up']);
  assert.equal((await call(server, 'PUT', `/api/v1/surveys/responses/${worried.json.id}/follow_up`, { session: cw, body: { follow_up: 'supported' } })).status, 200);
});

test('the published report counts surveyed, newly discovered and supported, hiding small counts', async () => {
  for (let i = 0; i < 4; i++) assert.equal((await interview(careteam, { ...fine, heating: false })).status, 201);
  // The public report is what an official published (see survey_snapshots.test.mjs).
  const pub = await call(server, 'POST', `/api/v1/surveys/${SURVEY}/report/snapshots`, { session: admin, body: {} });
  assert.equal(pub.status, 201, pub.text);
  const r = await call(server, 'GET', `/api/v1/surveys/${SURVEY}/report`);
  assert.equal(r.status, 200);
  assert.equal(r.json.surveyed, 6);
  assert.equal(r.json.newly_discovered, null, '5 of 6: the one without a flag would be known');
  assert.equal(r.json.supported, null, '1 supported: suppressed, and the total with it');
  assert.equal(r.json.by_flag.energy, null, '4 respondents: suppressed');
  const d = r.json.by_dong.find((x) => x.dong_id === myDong);
  assert.equal(d.surveyed, 6);
  assert.equal(d.newly_discovered, null, 'the one respondent without a flag is a small complement');
  assert.equal(d.supported, null, '1 supported: suppressed');
  assertProblem(await call(server, 'GET', '/api/v1/surveys/no_such/report'), 404);
});

test('a flagged interview joins the dong\'s triage queue; the same person twice is one household', async () => {
  const none = await interview(careteam, fine);
  assert.equal(none.json.household, null, 'nothing to follow up: no household');
  const who = { name: '이홀로', address: '은행로 88 1층', phone: '010-5550-8888', birth_year: 1958 };
  const enter = (answers) => call(server, 'POST', `/api/v1/surveys/${SURVEY}/responses`, { session: careteam, body: { dong_id: myDong, respondent: who, answers } });
  const first = await enter({ ...fine, heating: false, contact_frequency: 'rarely' });
  assert.equal(first.status, 201, first.text);
  assert.ok(first.json.household?.id && first.json.household.receipt_no, first.text);
  assert.equal(first.json.household.merged, false);
  const q = await call(server, 'GET', `/api/v1/outreach/queue?dong_id=${myDong}`, { session: cw });
  const row = q.json.items.find((x) => x.id === first.json.household.id);
  assert.ok(row, `in the caseworker's queue: ${q.text}`);
  assert.equal(row.priority, 'high');
  assert.deepEqual([...row.signs].sort(), ['housing', 'isolation']);
  // The same person surveyed again with an urgent answer: the same household, now urgent.
  const again = await enter({ ...fine, mood: 'most_days' });
  assert.equal(again.json.household.id, first.json.household.id, again.text);
  assert.equal(again.json.household.merged, true);
  const opened = await call(server, 'GET', `/api/v1/outreach/households/${first.json.household.id}`, { session: cw, headers: { 'X-Access-Reason': 'survey follow-up' } });
  assert.equal(opened.json.priority, 'urgent', opened.text);
  const reports = opened.json.timeline.filter((e) => e.report).map((e) => e.report);
  assert.equal(reports.length, 2);
  assert.ok(reports.every((r) => r.channel === 'survey' && r.reporter_kind === 'staff'), JSON.stringify(reports));
  assert.match(reports[0].concern, /생활실태조사 결과: /);
  assert.equal(opened.json.name, '이홀로');
  const list = (await call(server, 'GET', `/api/v1/surveys/${SURVEY}/responses?flagged=1`, { session: cw })).json.items;
  assert.equal(list.find((x) => x.id === again.json.id).household_id, first.json.household.id);
});
