// Community staff work over HTTP: creation of events, spaces and draws (refusals naming the field,
// Idempotency-Key replays instead of a second row), attendance at the event (staff mark, the
// resident sees their own history, nobody marks another desk's or a waitlisted person), and
// weekly series of space bookings (every conflict listed per date before saving, all or nothing,
// never a double booking under concurrency).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs, login, districts } from './_client.mjs';

let server, cw, cwOther, resident, district, myDong;
const members = [];
const now = () => Math.floor(Date.now() / 1000);
const seoulDay = (days) => new Date(Date.now() + 9 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

before(async () => {
  server = await startServer();
  cw = await loginAs(server, 'caseworker');
  resident = await loginAs(server, 'resident');
  district = (await districts(server))[0];
  myDong = cw.demo.scope_id;
  for (let i = 0; i < 4; i++) {
    const email = `staffcase${i}.${process.pid}@example.com`;
    const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { email, password: 'community-test-pass-1', name: `주민${i}`, district_id: district.id } });
    assert.equal(su.status, 201, su.text);
    members.push(await login(server, email, 'community-test-pass-1'));
  }
});
after(async () => { if (server) await server.stop(); });

test('creating an event: bad input names the field; a retried create with the same key makes one event', async () => {
  const t = now();
  const bad = await call(server, 'POST', '/api/v1/community/events', { session: cw, body: {
    title: '', mode: 'boat', starts_at: t + 7200, ends_at: t + 3600, closes_at: t + 9000, capacity: 0, dong_id: myDong } });
  const fields = errorFields(assertProblem(bad, 422)).sort();
  for (const f of ['title', 'mode', 'capacity', 'ends_at', 'closes_at']) assert.ok(fields.includes(f), `${f} in ${fields}`);
  const body = { title: '동네 산책 모임', mode: 'offline', starts_at: t + 86400, ends_at: t + 90000, closes_at: t + 80000, capacity: 5, dong_id: myDong };
  const headers = { 'Idempotency-Key': `ev-create-${process.pid}` };
  const a = await call(server, 'POST', '/api/v1/community/events', { session: cw, body, headers });
  assert.equal(a.status, 201, a.text);
  const b = await call(server, 'POST', '/api/v1/community/events', { session: cw, body, headers });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal(b.json.id, a.json.id, 'the retry replays the first answer');
  const list = (await call(server, 'GET', '/api/v1/community/events', { session: cw })).json.items;
  assert.equal(list.filter((e) => e.title === '동네 산책 모임').length, 1);
  // A resident cannot create one.
  assertProblem(await call(server, 'POST', '/api/v1/community/events', { session: resident, body: { ...body, title: '주민 행사' } }), 403);
  // Spaces and draws: the same field naming.
  assert.deepEqual(errorFields(assertProblem(await call(server, 'POST', '/api/v1/community/spaces', { session: cw, body: { name: '방', capacity: 5, opens_hour: 20, closes_hour: 10, dong_id: myDong } }), 422)), ['closes_hour']);
  const d = await call(server, 'POST', '/api/v1/community/draws', { session: cw, body: { title: '경품', rule: '무작위', legal_basis: '조례', seed_source: '공개 추첨', winner_count: 3, entrants: [{ code: 'A-1', name: '김하나' }], dong_id: myDong } });
  assert.deepEqual(errorFields(assertProblem(d, 422)), ['winner_count']);
});

test('attendance: staff mark confirmed participants at the event; the resident sees it; waitlisted and others refused', async () => {
  const t = now();
  const ev = await call(server, 'POST', '/api/v1/community/events', { session: cw, body: {
    title: '출석 확인 모임', mode: 'offline', starts_at: t + 1800, ends_at: t + 5400, closes_at: t + 1700, capacity: 2, dong_id: myDong } });
  assert.equal(ev.status, 201, ev.text);
  const regs = [];
  for (const m of members.slice(0, 3)) regs.push((await call(server, 'POST', `/api/v1/community/events/${ev.json.id}/registrations`, { session: m, body: {} })).json);
  assert.deepEqual(regs.map((r) => r.status), ['confirmed', 'confirmed', 'waitlisted']);
  const mark = (session, registration_id, status, headers) => call(server, 'POST', `/api/v1/community/events/${ev.json.id}/attendance`, { session, body: { registration_id, status }, headers });
  // A resident cannot mark, not even their own.
  assertProblem(await mark(members[0], regs[0].id, 'attended'), [403, 404]);
  assert.deepEqual(errorFields(assertProblem(await mark(cw, regs[2].id, 'attended'), 422)), ['registration_id'], 'waitlisted people do not attend');
  assert.deepEqual(errorFields(assertProblem(await mark(cw, regs[0].id, 'maybe'), 422)), ['status']);
  const ok = await mark(cw, regs[0].id, 'attended', { 'Idempotency-Key': `att-${process.pid}` });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.attendance, 'attended');
  const ns = await mark(cw, regs[1].id, 'no_show');
  assert.equal(ns.json.attendance, 'no_show');
  // Another event's registration is not this desk's.
  const other = await call(server, 'POST', '/api/v1/community/events', { session: cw, body: {
    title: '다른 모임', mode: 'offline', starts_at: t + 1800, ends_at: t + 5400, closes_at: t + 1700, capacity: 2, dong_id: myDong } });
  const r4 = (await call(server, 'POST', `/api/v1/community/events/${other.json.id}/registrations`, { session: members[3], body: {} })).json;
  assert.deepEqual(errorFields(assertProblem(await mark(cw, r4.id, 'attended'), 422)), ['registration_id']);
  // An event a week away: not yet.
  const later = await call(server, 'POST', '/api/v1/community/events', { session: cw, body: {
    title: '다음 주 모임', mode: 'offline', starts_at: t + 7 * 86400, ends_at: t + 7 * 86400 + 3600, closes_at: t + 86400, capacity: 2, dong_id: myDong } });
  const r5 = (await call(server, 'POST', `/api/v1/community/events/${later.json.id}/registrations`, { session: members[3], body: {} })).json;
  assert.deepEqual(errorFields(assertProblem(await call(server, 'POST', `/api/v1/community/events/${later.json.id}/attendance`, { session: cw, body: { registration_id: r5.id, status: 'attended' } }), 422)), ['event_id']);
  // The resident's own history shows their attendance, and nobody else's.
  const mine0 = (await call(server, 'GET', '/api/v1/community/registrations/mine', { session: members[0] })).json.items;
  assert.equal(mine0.find((r) => r.event_id === ev.json.id).attendance, 'attended');
  assert.ok(mine0.every((r) => r.id !== regs[1].id));
  const mine1 = (await call(server, 'GET', '/api/v1/community/registrations/mine', { session: members[1] })).json.items;
  assert.equal(mine1.find((r) => r.event_id === ev.json.id).attendance, 'no_show');
  const desk = (await call(server, 'GET', `/api/v1/community/events/${ev.json.id}/registrations`, { session: cw })).json;
  assert.deepEqual(desk.attendees.map((a) => a.attendance).sort(), ['attended', 'no_show']);
});

test('weekly series: conflicts listed per date before saving; all or nothing; never a double booking', async () => {
  const sp = await call(server, 'POST', '/api/v1/community/spaces', { session: cw, body: { name: '반복 예약 시험실', capacity: 10, opens_hour: 9, closes_hour: 22, dong_id: myDong } });
  assert.equal(sp.status, 201, sp.text);
  const first = seoulDay(3);
  const third = new Date(Date.parse(first) + 14 * 86400e3).toISOString().slice(0, 10);
  const single = await call(server, 'POST', `/api/v1/community/spaces/${sp.json.id}/bookings`, { session: members[0], body: { day: third, start_hour: 11, end_hour: 12, purpose: '모임', attendees: 3, no_forbidden_use: true } });
  assert.equal(single.status, 201, single.text);
  const series = (s, over = {}) => call(server, 'POST', `/api/v1/community/spaces/${sp.json.id}/bookings/series`, { session: s, body: { day: first, weeks: 4, start_hour: 10, end_hour: 12, purpose: '주간 독서 모임', attendees: 6, no_forbidden_use: true, ...over } });
  assert.deepEqual(errorFields(assertProblem(await series(members[1], { weeks: 40 }), 422)), ['weeks']);
  assert.deepEqual(errorFields(assertProblem(await series(members[1], { start_hour: 21, end_hour: 23 }), 422)), ['end_hour']);
  const check = await series(members[1], { check_only: true });
  assert.equal(check.status, 200, check.text);
  assert.deepEqual(check.json.days.map((d) => d.free), [true, true, false, true]);
  assert.deepEqual(check.json.days[2], { day: third, free: false, taken_hours: [11] });
  const refused = assertProblem(await series(members[1]), 409);
  assert.deepEqual(errorFields(refused), ['day']);
  assert.ok(refused.errors[0].message.startsWith(third), refused.errors[0].message);
  const mine = (await call(server, 'GET', '/api/v1/community/bookings/mine', { session: members[1] })).json.items;
  assert.equal(mine.length, 0, 'nothing half-written');
  // Another hour: every week booked in one go, one series.
  const ok = await series(members[1], { start_hour: 14, end_hour: 16 }, {});
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.items.length, 4);
  assert.equal(new Set(ok.json.items.map((b) => b.series_id)).size, 1);
  // Concurrent overlapping series (and single bookings) on PostgreSQL or SQLite: one wins.
  const rs = await Promise.all([
    series(members[2], { start_hour: 17, end_hour: 19 }),
    series(members[3], { start_hour: 18, end_hour: 20 }),
    series(members[0], { start_hour: 16, end_hour: 19, weeks: 2 }),
    call(server, 'POST', `/api/v1/community/spaces/${sp.json.id}/bookings`, { session: resident, body: { day: first, start_hour: 18, end_hour: 19, purpose: '모임', attendees: 2, no_forbidden_use: true } }),
  ]);
  assert.equal(rs.filter((r) => r.status === 201).length, 1, rs.map((r) => `${r.status} ${r.text.slice(0, 120)}`).join('\n'));
  for (const r of rs.filter((x) => x.status !== 201)) assertProblem(r, 409);
  const detail = (await call(server, 'GET', `/api/v1/community/spaces/${sp.json.id}`)).json.bookings;
  const hours = new Map();
  for (const b of detail) for (let h = b.start_hour; h < b.end_hour; h++) {
    const k = `${b.day} ${h}`;
    assert.ok(!hours.has(k), `double booking at ${k}`);
    hours.set(k, b.id);
  }
});

test('what an event gives away is an in-kind gift in the giving ledger, recorded once, organizers only', async () => {
  const t = now();
  const ev = await call(server, 'POST', '/api/v1/community/events', { session: cw, body: {
    title: '김장 나눔 시험', mode: 'online', starts_at: t + 86400, ends_at: t + 90000, closes_at: t + 80000, capacity: 20, dong_id: myDong } });
  assert.equal(ev.status, 201, ev.text);
  const campaign = '2023-hope-ondol';
  const before = (await call(server, 'GET', `/api/v1/giving/campaigns/${campaign}`)).json;
  const inKind = (c) => (c.by_form || c.forms || []).find((f) => f.form === 'in_kind')?.raised_krw ?? 0;
  const body = { campaign_code: campaign, items: '김장김치 10kg x 20', recipient: '한빛구 가족센터', amount_krw: 1200000, valuation_basis: '재료 구입 영수증 합계' };
  const path = `/api/v1/community/events/${ev.json.id}/gifts`;
  assertProblem(await call(server, 'POST', path, { session: members[0], body }), [403, 404]);
  assert.deepEqual(errorFields(assertProblem(await call(server, 'POST', path, { session: cw, body: { ...body, campaign_code: 'no-such' } }), 422)), ['campaign_code']);
  assert.deepEqual(errorFields(assertProblem(await call(server, 'POST', path, { session: cw, body: { ...body, valuation_basis: '' } }), 422)), ['valuation_basis']);
  const headers = { 'Idempotency-Key': `gift-${process.pid}` };
  const a = await call(server, 'POST', path, { session: cw, body, headers });
  assert.equal(a.status, 201, a.text);
  const b = await call(server, 'POST', path, { session: cw, body, headers });
  assert.equal(b.json.gift_id, a.json.gift_id, 'a retry records it once');
  const after = (await call(server, 'GET', `/api/v1/giving/campaigns/${campaign}`)).json;
  assert.equal(inKind(after) - inKind(before), 1200000, `the ledger's in-kind total grew by the valuation: ${JSON.stringify(after.by_form || after.forms)}`);
  const listed = (await call(server, 'GET', path)).json.items;
  assert.equal(listed.length, 1);
  assert.equal(listed[0].gift_id, a.json.gift_id);
  assert.equal(listed[0].recipient, '한빛구 가족센터');
});
