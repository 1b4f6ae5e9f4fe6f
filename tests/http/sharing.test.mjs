// Help matching over HTTP (issue 13, src/sharing): residents offer and ask, a manager vets and
// connects, both accept, contact is released (and logged) only then, hours go into the ledger.
// The access matrix across roles, bad input naming the field, idempotent retries, and two
// managers connecting one need at the same moment (the database keeps one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs, districts, sessionCookie } from './_client.mjs';

let server, manager, caseworker, admin, districtId, cwDong, otherDong;
let helper, recipient, stranger;  // signed-up residents
const uniq = Date.now() % 1000000;
const today = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);

async function signup(name, n) {
  const email = `sharing.${uniq}.${n}@example.com`;
  const r = await call(server, 'POST', '/api/v1/auth/signup',
    { body: { email, password: 'gangnam-river-walk-42', name, district_id: districtId } });
  assert.equal(r.status, 201, r.text);
  return { cookie: sessionCookie(r.setCookies).split(';')[0], csrf: r.json.csrf_token, account: r.json.account, name };
}

const post = (session, path, body, headers = {}) => call(server, 'POST', path, { session, body, headers });
const get = (session, path, headers = {}) => call(server, 'GET', path, { session, headers });

const offerBody = (dong, extra = {}) => ({ subfields: ['R02'], dong_id: dong, days: ['mon', 'wed'], hour_from: 10, hour_to: 18,
  mode: 'remote', languages: ['ko'], note: '저녁 통화 가능', ...extra });
const needBody = (dong, extra = {}) => ({ subfield: 'R02', dong_id: dong, window_from: today, window_to: today,
  days: ['mon'], hour_from: 14, hour_to: 16, urgency: 'normal', detail: '혼자 사시는 어르신, 101호', ...extra });

before(async () => {
  server = await startServer();
  const ds = await districts(server);
  districtId = ds[0].id;
  manager = await loginAs(server, 'project_manager');
  caseworker = await loginAs(server, 'caseworker');
  admin = await loginAs(server, 'district_admin');
  cwDong = caseworker.demo.scope_id;
  otherDong = ds[0].dongs.find((g) => g.id !== cwDong).id;
  helper = await signup('나도움', 1);
  recipient = await signup('이필요', 2);
  stranger = await signup('박상관', 3);
});
after(async () => { if (server) await server.stop(); });

test('fields: five fields, 73 sub-fields, vetting levels with their rules (public)', async () => {
  const r = await get(null, '/api/v1/sharing/fields');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.fields.length, 5);
  assert.equal(r.json.fields.reduce((n, f) => n + f.subfields.length, 0), 73);
  assert.match(r.json.vetting_levels.find((l) => l.level === 'criminal_record').basis_ko, /제56조/);
  assert.equal(r.json.hour_rules.daily_max_hours, 8);
});

test('bad input is refused with a problem naming the field, and nothing is written', async () => {
  const cases = [
    [offerBody(otherDong, { subfields: ['Z99'] }), 'subfields'],
    [offerBody(otherDong, { hour_from: 18, hour_to: 9 }), 'hour_to'],
    [offerBody(otherDong, { days: ['someday'] }), 'days'],
    [offerBody(987654), 'dong_id'],
    [offerBody(otherDong, { mode: 'telepathy' }), 'mode'],
    [offerBody(otherDong, { colour: 'red' }), 'colour'],
  ];
  for (const [body, field] of cases) {
    const p = assertProblem(await post(stranger, '/api/v1/sharing/offers', body), 422, field);
    assert.ok(errorFields(p).includes(field), `${field}: ${JSON.stringify(p.errors)}`);
  }
  const needCases = [
    [needBody(otherDong, { subfield: 'nope' }), 'subfield'],
    [needBody(otherDong, { window_from: '2026-02-30' }), 'window_from'],
    [needBody(otherDong, { window_from: today, window_to: '2020-01-01' }), 'window_to'],
    [needBody(otherDong, { urgency: 'yesterday' }), 'urgency'],
    [needBody(otherDong, { on_behalf: { person_id: 1, consent_method: 'telepathy' } }), 'consent_method'],
  ];
  for (const [body, field] of needCases) {
    const p = assertProblem(await post(stranger, '/api/v1/sharing/needs', body), 422, field);
    assert.ok(errorFields(p).includes(field), `${field}: ${JSON.stringify(p.errors)}`);
  }
  const mine = await get(stranger, '/api/v1/sharing/mine');
  assert.equal(mine.json.offers.length + mine.json.needs.length, 0, 'nothing half-written');
  assertProblem(await post(null, '/api/v1/sharing/offers', offerBody(otherDong)), 401, 'anonymous');
  // A resident cannot post on someone else's behalf.
  assertProblem(await post(stranger, '/api/v1/sharing/needs', needBody(otherDong, { on_behalf: { person_id: 1, consent_method: 'phone' } })), 403, 'on behalf');
});

let offerId, needId;
test('resident flow: offer and need (idempotent), vetting, suggestions, connection, acceptance, contact, hours', async () => {
  // An offer, sent twice with one Idempotency-Key: one offer.
  const key = { 'Idempotency-Key': `offer-${uniq}` };
  const o1 = await post(helper, '/api/v1/sharing/offers', offerBody(otherDong), key);
  assert.equal(o1.status, 201, o1.text);
  const o2 = await post(helper, '/api/v1/sharing/offers', offerBody(otherDong), key);
  assert.equal(o2.status, 201);
  assert.equal(o2.json.id, o1.json.id);
  assert.equal(o2.headers.get('idempotent-replayed'), 'true');
  assertProblem(await post(helper, '/api/v1/sharing/offers', offerBody(otherDong, { note: 'other' }), key), 409, 'key reused');
  offerId = o1.json.id;
  assert.equal(o1.json.required_level, 'training');
  assert.equal((await get(helper, '/api/v1/sharing/mine')).json.offers.length, 1);

  const n = await post(recipient, '/api/v1/sharing/needs', needBody(otherDong));
  assert.equal(n.status, 201, n.text);
  needId = n.json.id;
  // Pending needs are not public; the public list never names anyone.
  let pub = await get(null, '/api/v1/sharing/needs');
  assert.ok(!pub.json.items.some((x) => x.id === needId), 'pending need not listed');

  // Vetting: residents cannot; the check must reach the sub-field's level; a refusal needs a reason.
  assertProblem(await post(helper, `/api/v1/sharing/offers/${offerId}/vetting`, { decision: 'approve', checked: 'training' }), [403, 404], 'resident vets');
  let p = assertProblem(await post(manager, `/api/v1/sharing/offers/${offerId}/vetting`, { decision: 'approve', checked: 'identity' }), 422, 'below level');
  assert.ok(errorFields(p).includes('checked'));
  p = assertProblem(await post(manager, `/api/v1/sharing/needs/${needId}/vetting`, { decision: 'refuse' }), 422, 'refuse without reason');
  assert.ok(errorFields(p).includes('reason'));
  const queue = await get(manager, '/api/v1/sharing/staff/queue');
  assert.equal(queue.status, 200, queue.text);
  assert.ok(queue.json.offers.some((x) => x.id === offerId && x.name === '나도움'), 'manager sees the offer to vet');
  assert.equal((await post(manager, `/api/v1/sharing/offers/${offerId}/vetting`, { decision: 'approve', checked: 'training' })).status, 200);
  assert.equal((await post(manager, `/api/v1/sharing/needs/${needId}/vetting`, { decision: 'approve' })).status, 200);
  assertProblem(await post(manager, `/api/v1/sharing/needs/${needId}/vetting`, { decision: 'approve' }), 409, 'decided twice');

  pub = await get(null, '/api/v1/sharing/needs');
  const listed = pub.json.items.find((x) => x.id === needId);
  assert.ok(listed, 'open need listed');
  assert.equal(listed.subfield, 'R02');
  assert.ok(!/이필요|101호|detail|account|person/.test(JSON.stringify(listed)), `de-identified: ${JSON.stringify(listed)}`);

  // Suggestions with a reason for each; the manager decides.
  const desk = await get(manager, '/api/v1/sharing/staff/needs');
  const item = desk.json.items.find((x) => x.id === needId);
  const sug = item.suggestions.find((s) => s.offer_id === offerId);
  assert.ok(sug, `our offer is suggested: ${JSON.stringify(item.suggestions)}`);
  assert.deepEqual(sug.reasons.map((r) => r.code).slice(0, 3), ['subfield', 'distance', 'hours']);

  // Self-match refused: the helper's own need.
  const own = await post(helper, '/api/v1/sharing/needs', needBody(otherDong));
  await post(manager, `/api/v1/sharing/needs/${own.json.id}/vetting`, { decision: 'approve' });
  p = assertProblem(await post(manager, '/api/v1/sharing/connections', { need_id: own.json.id, offer_id: offerId }), 422, 'self match');
  assert.ok(errorFields(p).includes('offer_id'));
  assert.equal(p.errors[0].code, 'self_match');

  const c = await post(manager, '/api/v1/sharing/connections', { need_id: needId, offer_id: offerId }, { 'Idempotency-Key': `conn-${uniq}` });
  assert.equal(c.status, 201, c.text);
  const again = await post(manager, '/api/v1/sharing/connections', { need_id: needId, offer_id: offerId }, { 'Idempotency-Key': `conn-${uniq}` });
  assert.equal(again.json.id, c.json.id, 'replayed');
  p = assertProblem(await post(manager, '/api/v1/sharing/connections', { need_id: needId, offer_id: offerId }), 409, 'second connection');
  assert.ok(errorFields(p).includes('need_id'));
  const cid = c.json.id;

  // Before both accept: the helper sees a de-identified summary only; strangers see nothing.
  let view = await get(helper, `/api/v1/sharing/connections/${cid}`);
  assert.equal(view.status, 200, view.text);
  assert.equal(view.json.recipient, undefined);
  assert.equal(view.json.need.detail, undefined);
  assert.ok(!/이필요|101호/.test(view.text), 'no identity before acceptance');
  assertProblem(await get(stranger, `/api/v1/sharing/connections/${cid}`), [403, 404], 'stranger');
  assertProblem(await post(stranger, `/api/v1/sharing/connections/${cid}/accept`, {}), [403, 404], 'stranger accepts');
  assert.equal((await post(helper, `/api/v1/sharing/connections/${cid}/accept`, {})).json.status, 'proposed');
  view = await get(helper, `/api/v1/sharing/connections/${cid}`);
  assert.equal(view.json.recipient, undefined, 'one acceptance is not enough');
  const acc = await post(recipient, `/api/v1/sharing/connections/${cid}/accept`, {});
  assert.equal(acc.json.status, 'accepted', acc.text);

  // Both accepted: contact released to each side, logged.
  view = await get(helper, `/api/v1/sharing/connections/${cid}`);
  assert.equal(view.json.recipient.name, '이필요');
  assert.equal(view.json.need.detail, '혼자 사시는 어르신, 101호');
  const rview = await get(recipient, `/api/v1/sharing/connections/${cid}`);
  assert.equal(rview.json.helper.name, '나도움');
  const log = await get(admin, '/api/v1/admin/access-log');
  assert.ok(log.json.items.some((e) => e.subject_id === recipient.account.id && e.actor_account_id === helper.account.id),
    `release logged: ${JSON.stringify(log.json.items.slice(0, 3))}`);
  const inbox = await get(recipient, '/api/v1/me/inbox');
  assert.ok(inbox.json.items.some((m) => /연결/.test(m.title)), `recipient told: ${inbox.text.slice(0, 300)}`);

  // Hours: ≤ 8 h a day; never confirmed by who recorded it; reversed, never edited.
  const h1 = await post(helper, `/api/v1/sharing/connections/${cid}/hours`, { day: today, start_minute: 600, minutes: 300 });
  assert.equal(h1.status, 201, h1.text);
  p = assertProblem(await post(helper, `/api/v1/sharing/connections/${cid}/hours`, { day: today, start_minute: 960, minutes: 200 }), 422, 'cap');
  assert.ok(errorFields(p).includes('minutes'));
  p = assertProblem(await post(helper, `/api/v1/sharing/connections/${cid}/hours`, { day: '2099-01-01', start_minute: 0, minutes: 60 }), 422, 'future');
  assert.ok(errorFields(p).includes('day'));
  assertProblem(await post(helper, `/api/v1/sharing/hours/${h1.json.id}/confirm`, {}), 403, 'self confirm');
  assertProblem(await post(stranger, `/api/v1/sharing/hours/${h1.json.id}/confirm`, {}), [403, 404], 'stranger confirm');
  assert.equal((await post(recipient, `/api/v1/sharing/hours/${h1.json.id}/confirm`, {})).status, 200);
  assertProblem(await post(recipient, `/api/v1/sharing/hours/${h1.json.id}/confirm`, {}), 409, 'confirm twice');
  const mine = await get(helper, '/api/v1/sharing/mine');
  assert.deepEqual(mine.json.hours, [{ month: today.slice(0, 7), minutes: 300 }]);
  assertProblem(await post(manager, `/api/v1/sharing/hours/${h1.json.id}/reverse`, {}), 422, 'reverse without reason');
  assert.equal((await post(manager, `/api/v1/sharing/hours/${h1.json.id}/reverse`, { reason: 'entered twice' })).status, 200);
  assert.deepEqual((await get(helper, '/api/v1/sharing/mine')).json.hours, []);
  const ledger = await get(manager, '/api/v1/sharing/staff/ledger');
  assert.equal(ledger.json.chain_ok, true, ledger.text.slice(0, 300));
  assert.ok(ledger.json.items.some((r) => r.kind === 'reverse' && r.ref_id === h1.json.id));

  // Complete: contact expires.
  assertProblem(await post(helper, `/api/v1/sharing/connections/${cid}/cancel`, {}), 422, 'cancel without reason');
  assert.equal((await post(helper, `/api/v1/sharing/connections/${cid}/complete`, { feedback: '좋았어요' })).json.status, 'completed');
  view = await get(helper, `/api/v1/sharing/connections/${cid}`);
  assert.equal(view.json.recipient, undefined, 'contact expires when the connection ends');
  assertProblem(await post(helper, `/api/v1/sharing/connections/${cid}/start`, {}), 409, 'start after completion');
});

test('access: residents see only their own; a dong caseworker only their dong; a manager the district', async () => {
  const mine = await get(stranger, '/api/v1/sharing/mine');
  assert.equal(mine.json.connections.length, 0);
  assert.ok(!/이필요|나도움/.test(mine.text));
  assertProblem(await get(stranger, '/api/v1/sharing/staff/queue'), 403, 'resident queue');
  assertProblem(await get(stranger, '/api/v1/sharing/staff/needs'), 403, 'resident desk');
  assertProblem(await get(stranger, '/api/v1/sharing/staff/ledger'), 403, 'resident ledger');
  assertProblem(await get(caseworker, '/api/v1/sharing/staff/ledger'), 403, 'dong caseworker: the ledger is district-wide');
  // One pending offer in the caseworker's dong, one in another.
  const inDong = await post(stranger, '/api/v1/sharing/offers', offerBody(cwDong));
  const outDong = await post(stranger, '/api/v1/sharing/offers', offerBody(otherDong));
  const q = await get(caseworker, '/api/v1/sharing/staff/queue');
  assert.equal(q.status, 200, q.text);
  assert.ok(q.json.offers.some((o) => o.id === inDong.json.id));
  assert.ok(!q.json.offers.some((o) => o.id === outDong.json.id), 'another dong is out of scope');
  assert.ok(q.json.offers.every((o) => o.dong_id === cwDong));
  assertProblem(await post(caseworker, `/api/v1/sharing/offers/${outDong.json.id}/vetting`, { decision: 'approve', checked: 'training' }), 403, 'other dong');
  assert.equal((await post(caseworker, `/api/v1/sharing/offers/${inDong.json.id}/vetting`, { decision: 'refuse', reason: '연락 불가' })).status, 200);
  const own = (await get(stranger, '/api/v1/sharing/mine')).json.offers.find((o) => o.id === inDong.json.id);
  assert.equal(own.status, 'refused');
  assert.equal(own.refusal_reason, '연락 불가', 'the resident sees the reason');
  const mq = await get(manager, '/api/v1/sharing/staff/queue');
  assert.ok(mq.json.offers.some((o) => o.id === outDong.json.id), 'a district manager sees every dong');
});

test('the council reads the aggregate report with small cells withheld; residents and dong caseworkers do not', async () => {
  const council = await loginAs(server, 'council');
  const r = await get(council, '/api/v1/sharing/report');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length > 0);
  for (const it of r.json.items)
    for (const k of ['offers', 'needs', 'unmet', 'connections'])
      assert.ok(it[k] === null || it[k] === 0 || it[k] >= 5, `${k} of ${JSON.stringify(it)} is withheld or at least 5`);
  assert.ok(!/이필요|나도움|person|account/.test(r.text));
  assertProblem(await get(stranger, '/api/v1/sharing/report'), 403, 'resident');
  assertProblem(await get(caseworker, '/api/v1/sharing/report'), 403, 'dong caseworker');
  assertProblem(await get(council, '/api/v1/sharing/staff/queue'), 403, 'the council never sees the queue');
});

test('two managers connecting one need at once: exactly one connection', async () => {
  const n = await post(stranger, '/api/v1/sharing/needs', needBody(otherDong));
  await post(manager, `/api/v1/sharing/needs/${n.json.id}/vetting`, { decision: 'approve' });
  const results = await Promise.all([1, 2, 3, 4].map((i) =>
    post(i % 2 ? manager : admin, '/api/v1/sharing/connections', { need_id: n.json.id, offer_id: offerId }, { 'Idempotency-Key': `race-${uniq}-${i}` })));
  const codes = results.map((r) => r.status).sort();
  assert.deepEqual(codes, [201, 409, 409, 409], results.map((r) => r.text).join('\n'));
  for (const r of results.filter((x) => x.status === 409)) assert.ok(errorFields(r.json).includes('need_id'));
});

test('staff enter a need on behalf of an offline resident, with consent recorded', async () => {
  const person = (await post(caseworker, '/api/v1/persons', { name: '오프라인', phone: '01055512345', dong_id: cwDong })).json;
  assert.ok(person?.id, 'person registered');
  const r = await post(caseworker, '/api/v1/sharing/needs',
    needBody(cwDong, { on_behalf: { person_id: person.id, consent_method: 'phone' } }));
  assert.equal(r.status, 201, r.text);
  const q = await get(caseworker, '/api/v1/sharing/staff/queue');
  const it = q.json.needs.find((x) => x.id === r.json.id);
  assert.equal(it.on_behalf, true);
  assertProblem(await post(manager, '/api/v1/sharing/needs', needBody(otherDong, { on_behalf: { person_id: 999999, consent_method: 'paper' } })), 422, 'unknown person');
});
