// Help matching, after the first post (issue 13, src/sharing): the owner edits (a vetted field
// sends it back to vetting) and withdraws offers and needs, never while a connection is under
// way; feedback from both sides after completion, read by managers only; erasure of a person
// (self-service account deletion) is refused while they have a live connection. SQLite and
// (DURE_HTTP_DB=postgresql) PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs, districts, sessionCookie } from './_client.mjs';

let server, manager, districtId, dong;
let helper, recipient, stranger;
const uniq = Date.now() % 1000000;
const today = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);
const password = 'gangnam-river-walk-42';

async function signup(name, n) {
  const email = `sharing.chg.${uniq}.${n}@example.com`;
  const r = await call(server, 'POST', '/api/v1/auth/signup', { body: { email, password, name, district_id: districtId } });
  assert.equal(r.status, 201, r.text);
  return { cookie: sessionCookie(r.setCookies).split(';')[0], csrf: r.json.csrf_token, account: r.json.account, name };
}
const post = (session, path, body, headers = {}) => call(server, 'POST', path, { session, body, headers });
const patch = (session, path, body) => call(server, 'PATCH', path, { session, body });
const get = (session, path) => call(server, 'GET', path, { session });
const offerBody = (extra = {}) => ({ subfields: ['R02'], dong_id: dong, days: ['mon', 'wed'], hour_from: 10, hour_to: 18,
  mode: 'remote', note: '저녁 통화 가능', ...extra });
const needBody = (extra = {}) => ({ subfield: 'R02', dong_id: dong, window_from: today, window_to: today,
  days: ['mon'], hour_from: 14, hour_to: 16, detail: '말벗이 필요합니다', ...extra });
const mineOffer = async (s, id) => (await get(s, '/api/v1/sharing/mine')).json.offers.find((o) => o.id === id);
const mineNeed = async (s, id) => (await get(s, '/api/v1/sharing/mine')).json.needs.find((o) => o.id === id);

before(async () => {
  server = await startServer();
  const ds = await districts(server);
  districtId = ds[0].id;
  dong = ds[0].dongs[0].id;
  manager = await loginAs(server, 'project_manager');
  helper = await signup('고쳐요', 1);
  recipient = await signup('받아요', 2);
  stranger = await signup('남이요', 3);
});
after(async () => { if (server) await server.stop(); });

test('the owner edits: hours stay vetted, a vetted field goes back to vetting; others cannot; bad input names the field', async () => {
  const o = await post(helper, '/api/v1/sharing/offers', offerBody());
  assert.equal(o.status, 201, o.text);
  const id = o.json.id;
  assert.equal((await post(manager, `/api/v1/sharing/offers/${id}/vetting`, { decision: 'approve', checked: 'training' })).status, 200);
  // Hours only: still approved.
  let r = await patch(helper, `/api/v1/sharing/offers/${id}`, { hour_from: 9, days: ['tue'] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.status, r.json.revetting], ['approved', false]);
  let mine = await mineOffer(helper, id);
  assert.deepEqual([mine.status, mine.hour_from, mine.days, mine.vetted_level], ['approved', 9, ['tue'], 'training']);
  // A sub-field: back to vetting, the check cleared.
  r = await patch(helper, `/api/v1/sharing/offers/${id}`, { subfields: ['R02', 'R04'] });
  assert.deepEqual([r.status, r.json.status, r.json.revetting], [200, 'pending', true]);
  mine = await mineOffer(helper, id);
  assert.deepEqual([mine.status, mine.vetted_level, mine.subfields], ['pending', 'none', ['R02', 'R04']]);
  assert.ok((await get(manager, '/api/v1/sharing/staff/queue')).json.offers.some((x) => x.id === id), 'in the vetting queue again');
  // Bad input: a problem naming the field, nothing changed.
  for (const [body, field] of [[{ subfields: ['Z99'] }, 'subfields'], [{ hour_from: 20 }, 'hour_to'], [{ colour: 'red' }, 'colour'], [{}, 'body']]) {
    const p = assertProblem(await patch(helper, `/api/v1/sharing/offers/${id}`, body), 422, field);
    assert.ok(errorFields(p).includes(field), `${field}: ${JSON.stringify(p.errors)}`);
  }
  assert.deepEqual((await mineOffer(helper, id)).subfields, ['R02', 'R04']);
  // Someone else: refused (residents 403; a manager cannot rewrite a resident's own offer).
  assertProblem(await patch(stranger, `/api/v1/sharing/offers/${id}`, { hour_from: 8 }), [403, 404], 'stranger edits');
  assertProblem(await patch(manager, `/api/v1/sharing/offers/${id}`, { hour_from: 8 }), 403, 'manager edits a resident offer');
  assertProblem(await patch(null, `/api/v1/sharing/offers/${id}`, { hour_from: 8 }), 401, 'anonymous');

  // A need: the detail is vetted; urgency is not.
  const n = await post(recipient, '/api/v1/sharing/needs', needBody());
  await post(manager, `/api/v1/sharing/needs/${n.json.id}/vetting`, { decision: 'approve' });
  r = await patch(recipient, `/api/v1/sharing/needs/${n.json.id}`, { urgency: 'urgent' });
  assert.deepEqual([r.status, r.json.status], [200, 'open'], r.text);
  r = await patch(recipient, `/api/v1/sharing/needs/${n.json.id}`, { detail: '병원 동행도 필요해요' });
  assert.deepEqual([r.status, r.json.status], [200, 'pending'], r.text);
  const need = await mineNeed(recipient, n.json.id);
  assert.deepEqual([need.urgency, need.detail, need.status], ['urgent', '병원 동행도 필요해요', 'pending']);
  const p = assertProblem(await patch(recipient, `/api/v1/sharing/needs/${n.json.id}`, { window_to: '2020-01-01' }), 422, 'past window');
  assert.ok(errorFields(p).includes('window_to'));
});

let cid, offerId, needId;
test('no edit or withdrawal while a connection is under way; withdrawal afterwards; feedback after completion, managers only', async () => {
  const o = await post(helper, '/api/v1/sharing/offers', offerBody());
  offerId = o.json.id;
  await post(manager, `/api/v1/sharing/offers/${offerId}/vetting`, { decision: 'approve', checked: 'training' });
  const n = await post(recipient, '/api/v1/sharing/needs', needBody());
  needId = n.json.id;
  await post(manager, `/api/v1/sharing/needs/${needId}/vetting`, { decision: 'approve' });
  const c = await post(manager, '/api/v1/sharing/connections', { need_id: needId, offer_id: offerId });
  assert.equal(c.status, 201, c.text);
  cid = c.json.id;
  assertProblem(await patch(helper, `/api/v1/sharing/offers/${offerId}`, { hour_from: 11 }), 409, 'edit under way');
  assertProblem(await post(helper, `/api/v1/sharing/offers/${offerId}/withdraw`, {}), 409, 'withdraw under way');
  assertProblem(await post(recipient, `/api/v1/sharing/needs/${needId}/withdraw`, {}), 409, 'withdraw need under way');

  // Feedback only after completion.
  assertProblem(await post(helper, `/api/v1/sharing/connections/${cid}/feedback`, { outcome: 'helped' }), 409, 'feedback before completion');
  await post(helper, `/api/v1/sharing/connections/${cid}/accept`, {});
  await post(recipient, `/api/v1/sharing/connections/${cid}/accept`, {});
  // Erasure is refused while the connection is live: a clear problem naming why.
  const del = assertProblem(await call(server, 'DELETE', '/api/v1/me', { session: recipient, body: { password } }), 409, 'erasure under way');
  assert.ok(errorFields(del).includes('account'), JSON.stringify(del));
  assert.match(del.detail, /도움 연결/);
  assert.equal((await get(recipient, '/api/v1/sharing/mine')).status, 200, 'the account is intact');
  assert.equal((await post(helper, `/api/v1/sharing/connections/${cid}/complete`, {})).json.status, 'completed');

  let p = assertProblem(await post(helper, `/api/v1/sharing/connections/${cid}/feedback`, { outcome: 'concern' }), 422, 'concern without reason');
  assert.ok(errorFields(p).includes('reason'));
  p = assertProblem(await post(helper, `/api/v1/sharing/connections/${cid}/feedback`, { outcome: 'five stars' }), 422, 'unknown outcome');
  assert.ok(errorFields(p).includes('outcome'));
  assertProblem(await post(stranger, `/api/v1/sharing/connections/${cid}/feedback`, { outcome: 'helped' }), [403, 404], 'stranger feedback');
  const f1 = await post(helper, `/api/v1/sharing/connections/${cid}/feedback`, { outcome: 'helped', reason: 'good talk' });
  assert.equal(f1.status, 201, f1.text);
  p = assertProblem(await post(helper, `/api/v1/sharing/connections/${cid}/feedback`, { outcome: 'partly', reason: 'again' }), 409, 'twice');
  assert.ok(errorFields(p).includes('outcome'));
  assert.equal((await post(recipient, `/api/v1/sharing/connections/${cid}/feedback`, { outcome: 'partly', reason: 'came late twice' })).status, 201);
  // Private to managers: the sides cannot read it, nor does it show on the connection.
  assertProblem(await get(helper, `/api/v1/sharing/connections/${cid}/feedback`), 403, 'helper reads feedback');
  assertProblem(await get(recipient, `/api/v1/sharing/connections/${cid}/feedback`), 403, 'recipient reads feedback');
  assert.ok(!/came late/.test((await get(helper, `/api/v1/sharing/connections/${cid}`)).text));
  const fb = await get(manager, `/api/v1/sharing/connections/${cid}/feedback`);
  assert.equal(fb.status, 200, fb.text);
  assert.deepEqual(fb.json.items.map((x) => [x.side, x.outcome, x.reason]),
    [['helper', 'helped', 'good talk'], ['recipient', 'partly', 'came late twice']]);
  assert.ok(!('rating' in fb.json.items[0]) && !('stars' in fb.json.items[0]));

  // Ended: the offer can be withdrawn now, and the account erased.
  const w = await post(helper, `/api/v1/sharing/offers/${offerId}/withdraw`, {});
  assert.deepEqual([w.status, w.json.status], [200, 'withdrawn'], w.text);
  assert.equal((await mineOffer(helper, offerId)).status, 'withdrawn');
  assertProblem(await post(helper, `/api/v1/sharing/offers/${offerId}/withdraw`, {}), 409, 'withdrawn twice');
  assertProblem(await post(manager, '/api/v1/sharing/connections', { need_id: needId, offer_id: offerId }), 422, 'a withdrawn offer is not connected');
  assert.equal((await call(server, 'DELETE', '/api/v1/me', { session: recipient, body: { password } })).status, 204);
});

test('a resident withdraws their own need; it leaves the public list; strangers cannot', async () => {
  const n = await post(stranger, '/api/v1/sharing/needs', needBody());
  await post(manager, `/api/v1/sharing/needs/${n.json.id}/vetting`, { decision: 'approve' });
  assert.ok((await get(null, '/api/v1/sharing/needs')).json.items.some((x) => x.id === n.json.id));
  assertProblem(await post(helper, `/api/v1/sharing/needs/${n.json.id}/withdraw`, {}), [403, 404], 'not mine');
  const w = await post(stranger, `/api/v1/sharing/needs/${n.json.id}/withdraw`, {}, { 'Idempotency-Key': `wd-${uniq}` });
  assert.deepEqual([w.status, w.json.status], [200, 'closed'], w.text);
  const again = await post(stranger, `/api/v1/sharing/needs/${n.json.id}/withdraw`, {}, { 'Idempotency-Key': `wd-${uniq}` });
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.ok(!(await get(null, '/api/v1/sharing/needs')).json.items.some((x) => x.id === n.json.id));
});
