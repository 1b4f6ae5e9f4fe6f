// The sharing market (나눔장터) over HTTP: listing without prices (refusals naming the field),
// public listings that never name who listed or asked, asking (not one's own, once), the giver
// picking one request (one reservation even when two picks race), hand-over and a loan's return,
// other residents unable to move someone's item, reports hiding an item until staff review it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs, login, districts } from './_client.mjs';

let server, cw, district, myDong;
const members = [];

before(async () => {
  server = await startServer();
  cw = await loginAs(server, 'caseworker');
  district = (await districts(server))[0];
  myDong = cw.demo.scope_id;
  for (let i = 0; i < 4; i++) {
    const email = `market${i}.${process.pid}@example.com`;
    const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { email, password: 'community-test-pass-1', name: `박나눔${i}`, district_id: district.id } });
    assert.equal(su.status, 201, su.text);
    members.push(await login(server, email, 'community-test-pass-1'));
  }
});
after(async () => { if (server) await server.stop(); });

const list = (s, body) => call(server, 'POST', '/api/v1/community/market', { session: s, body: { kind: 'give', dong_id: myDong, handover_place: '느티동 주민센터', ...body } });

test('give away: no prices, ask, pick one (racing picks reserve once), hand over; nobody else moves it', async () => {
  assertProblem(await call(server, 'POST', '/api/v1/community/market', { body: { kind: 'give', title: 'x', dong_id: myDong, handover_place: 'y' } }), 401);
  assert.deepEqual(errorFields(assertProblem(await list(members[0], { title: '유모차 5,000원' }), 422)), ['title']);
  assert.deepEqual(errorFields(assertProblem(await list(members[0], { title: '유모차', description: '3만원에 드려요' }), 422)), ['description']);
  assert.deepEqual(errorFields(assertProblem(await list(members[0], { title: '유모차', kind: 'sell' }), 422)), ['kind']);
  assert.deepEqual(errorFields(assertProblem(await list(members[0], { title: '유모차', price: 1000 }), 422)), ['price']);
  const item = await list(members[0], { title: '아기 유모차', description: '깨끗하게 썼어요' });
  assert.equal(item.status, 201, item.text);
  const pub = await call(server, 'GET', '/api/v1/community/market');
  assert.ok(pub.json.items.some((x) => x.id === item.json.id));
  assert.ok(!pub.text.includes('박나눔') && !pub.text.includes('owner'), 'never who listed');
  const ask = (s, m) => call(server, 'POST', `/api/v1/community/market/${item.json.id}/requests`, { session: s, body: { message: m } });
  assert.deepEqual(errorFields(assertProblem(await ask(members[0], '내 것'), 422)), ['item_id'], 'not one\'s own');
  const a1 = await ask(members[1], '아이가 곧 태어나요');
  const a2 = await ask(members[2], '필요해요');
  assert.equal(a1.status, 201, a1.text);
  assert.equal(a2.status, 201, a2.text);
  assert.deepEqual(errorFields(assertProblem(await ask(members[1], '또'), 422)), ['item_id'], 'once');
  const mine = (await call(server, 'GET', '/api/v1/community/market/mine', { session: members[0] })).json;
  const reqs = mine.items.find((x) => x.id === item.json.id).requests;
  assert.equal(reqs.length, 2);
  for (const r of reqs) assert.match(r.name, /^박\*+\d$/, 'masked');
  // Another resident cannot pick or move it.
  assertProblem(await call(server, 'POST', `/api/v1/community/market/${item.json.id}/choose`, { session: members[1], body: { request_id: a1.json.id } }), 404);
  assertProblem(await call(server, 'POST', `/api/v1/community/market/${item.json.id}/state`, { session: members[1], body: { status: 'withdrawn' } }), 404);
  // Two picks at once: one reservation.
  const picks = await Promise.all([a1, a2].map((a) => call(server, 'POST', `/api/v1/community/market/${item.json.id}/choose`, { session: members[0], body: { request_id: a.json.id } })));
  assert.deepEqual(picks.map((p) => p.status).sort(), [200, 409], picks.map((p) => p.text).join('\n'));
  const chosen = picks.find((p) => p.status === 200);
  assert.equal(chosen.json.status, 'reserved');
  const winner = picks[0].status === 200 ? members[1] : members[2];
  const theirs = (await call(server, 'GET', '/api/v1/community/market/mine', { session: winner })).json.requests;
  assert.equal(theirs[0].status, 'chosen');
  assert.equal(theirs[0].handover_place, '느티동 주민센터');
  assertProblem(await call(server, 'POST', `/api/v1/community/market/${item.json.id}/state`, { session: members[0], body: { status: 'sold' } }), 422);
  const done = await call(server, 'POST', `/api/v1/community/market/${item.json.id}/state`, { session: members[0], body: { status: 'handed_over' } });
  assert.equal(done.json.status, 'handed_over', done.text);
  assertProblem(await call(server, 'POST', `/api/v1/community/market/${item.json.id}/state`, { session: members[0], body: { status: 'listed' } }), 409, 'a gift does not come back');
  assert.ok(!(await call(server, 'GET', '/api/v1/community/market')).json.items.some((x) => x.id === item.json.id), 'handed over leaves the list');
});

test('a loan comes back; a reported item is hidden until staff restore or remove it', async () => {
  const loan = await list(members[3], { kind: 'lend', title: '전동 드릴 빌려드려요' });
  assert.equal(loan.status, 201, loan.text);
  const r = await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/requests`, { session: members[0], body: {} });
  await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/choose`, { session: members[3], body: { request_id: r.json.id } });
  await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/state`, { session: members[3], body: { status: 'handed_over' } });
  const back = await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/state`, { session: members[3], body: { status: 'listed' } });
  assert.equal(back.json.status, 'listed', back.text);
  // Reported: hidden at once, out of the public list, in the staff queue.
  assert.deepEqual(errorFields(assertProblem(await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/report`, { session: members[1], body: {} }), 422)), ['reason']);
  const rep = await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/report`, { session: members[1], body: { reason: 'spam' } });
  assert.equal(rep.status, 200, rep.text);
  assert.ok(!(await call(server, 'GET', '/api/v1/community/market')).json.items.some((x) => x.id === loan.json.id));
  assert.deepEqual(errorFields(assertProblem(await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/requests`, { session: members[2], body: {} }), 422)), ['item_id'], 'no asking while under review');
  assertProblem(await call(server, 'GET', '/api/v1/community/market/review', { session: members[1] }), 403);
  assertProblem(await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/review`, { session: members[1], body: { decision: 'restore' } }), [403, 404]);
  const queue = await call(server, 'GET', '/api/v1/community/market/review', { session: cw });
  assert.equal(queue.status, 200, queue.text);
  assert.ok(queue.json.items.some((x) => x.id === loan.json.id && x.reports === 1));
  assert.deepEqual(errorFields(assertProblem(await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/review`, { session: cw, body: { decision: 'remove' } }), 422)), ['note']);
  const ok = await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/review`, { session: cw, body: { decision: 'restore' } });
  assert.equal(ok.status, 200, ok.text);
  assert.ok((await call(server, 'GET', '/api/v1/community/market')).json.items.some((x) => x.id === loan.json.id), 'restored');
  const again = await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/report`, { session: members[2], body: { reason: 'rude' } });
  assert.equal(again.status, 200);
  const removed = await call(server, 'POST', `/api/v1/community/market/${loan.json.id}/review`, { session: cw, body: { decision: 'remove', note: 'not a loan' } });
  assert.equal(removed.json.status, 'removed', removed.text);
  const own = (await call(server, 'GET', '/api/v1/community/market/mine', { session: members[3] })).json.items.find((x) => x.id === loan.json.id);
  assert.equal(own.moderation_note, 'not a loan');
});
