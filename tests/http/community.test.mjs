// Community over HTTP: events (capacity under concurrent registrations, waitlist and offers,
// idempotent registration, refusals naming the field, cancellation), draws (public without
// identities, no silent rerun, reproduced by `dure lottery verify`), meeting spaces (never a
// double booking, opening hours, iCalendar), the demo, and who sees what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, dureBin } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs, login, districts } from './_client.mjs';

let server, admin, cw, facility, resident, district, myDong, otherDong;
const members = [];
const now = () => Math.floor(Date.now() / 1000);

before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
  facility = await loginAs(server, 'facility_manager');
  resident = await loginAs(server, 'resident');
  district = (await districts(server))[0];
  myDong = cw.demo.scope_id;
  otherDong = district.dongs.find((g) => g.id !== myDong).id;
  for (let i = 0; i < 6; i++) {
    const email = `member${i}.${process.pid}@example.com`;
    const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { email, password: 'community-test-pass-1', name: `주민${i}`, district_id: district.id } });
    assert.equal(su.status, 201, su.text);
    members.push(await login(server, email, 'community-test-pass-1'));
  }
});
after(async () => { if (server) await server.stop(); });

const newEvent = async (session, over = {}) => {
  const t = now();
  const r = await call(server, 'POST', '/api/v1/community/events', { session, body: {
    title: '반찬 나눔 모임', mode: 'offline', place: '느티동 주민센터', starts_at: t + 7 * 86400, ends_at: t + 7 * 86400 + 7200,
    closes_at: t + 86400, capacity: 3, dong_id: myDong, ...over } });
  return r;
};
const register = (session, id, body, headers) => call(server, 'POST', `/api/v1/community/events/${id}/registrations`, { session, body: body ?? {}, headers });

test('the demo: the kimchi-making day was drawn in public; winners masked, identities never shown', async () => {
  const list = await call(server, 'GET', '/api/v1/community/events');
  assert.equal(list.status, 200, list.text);
  const kimchi = list.json.items.find((e) => e.title === '1인 가구 김장하는 날');
  assert.ok(kimchi, list.text);
  assert.equal(kimchi.capacity, 20);
  assert.equal(kimchi.places_taken, 20);
  assert.equal(kimchi.waitlisted, 40);
  assert.equal(list.json.items.filter((e) => e.title.startsWith('동행 아카데미')).length, 4);
  const draws = (await call(server, 'GET', '/api/v1/community/draws')).json.items;
  const kd = draws.find((d) => d.title.includes('김장'));
  const sd = draws.find((d) => d.winner_count === 50);
  assert.ok(kd && sd, JSON.stringify(draws));
  const d = await call(server, 'GET', `/api/v1/community/draws/${kd.id}`);
  assert.equal(d.json.entrant_count, 60);
  assert.equal(d.json.runs.length, 1);
  assert.equal(d.json.runs[0].winners.length, 20);
  for (const w of d.json.runs[0].winners) assert.match(w.name, /\*/, 'winners are masked');
  assert.ok(d.json.legal_basis && d.json.seed_source && d.json.rule);
  assert.ok(!/@demo\.dure\.kr|account_id|registration_id/.test(d.text), 'no identities in the public draw');
  const spaces = (await call(server, 'GET', '/api/v1/community/spaces')).json.items;
  assert.equal(spaces.length, 10);
});

test('concurrent registrations never exceed capacity; the waitlist is in arrival order and never shown as attendees', async () => {
  const ev = await newEvent(cw);
  assert.equal(ev.status, 201, ev.text);
  const rs = await Promise.all(members.map((m) => register(m, ev.json.id)));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  const confirmed = rs.filter((r) => r.json.status === 'confirmed');
  const waiting = rs.filter((r) => r.json.status === 'waitlisted');
  assert.equal(confirmed.length, 3);
  assert.equal(waiting.length, 3);
  assert.deepEqual(rs.map((r) => r.json.position).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
  for (const r of confirmed) assert.ok(r.json.position <= 3);
  const pub = await call(server, 'GET', `/api/v1/community/events/${ev.json.id}`);
  assert.equal(pub.json.places_left, 0);
  assert.equal(pub.json.waitlisted, 3);
  assert.ok(!/주민\d/.test(pub.text), 'no names on the public event');
  const desk = await call(server, 'GET', `/api/v1/community/events/${ev.json.id}/registrations`, { session: cw });
  assert.equal(desk.status, 200, desk.text);
  assert.equal(desk.json.attendees.length, 3);
  assert.equal(desk.json.waitlist.length, 3);
  for (const w of desk.json.waitlist) assert.deepEqual(Object.keys(w).sort(), ['id', 'position', 'status']);

  // A confirmed participant cancels: the first waitlisted gets a time-limited offer, and gives
  // the form's details only now.
  const leaving = confirmed[0];
  const who = members[rs.indexOf(leaving)];
  const c = await call(server, 'POST', `/api/v1/community/registrations/${leaving.json.id}/cancel`, { session: who });
  assert.equal(c.status, 200, c.text);
  const first = waiting.sort((a, b) => a.json.position - b.json.position)[0];
  const firstWho = members[rs.indexOf(first)];
  const mine = (await call(server, 'GET', '/api/v1/community/registrations/mine', { session: firstWho })).json.items;
  const offer = mine.find((r) => r.id === first.json.id);
  assert.equal(offer.status, 'offered');
  assert.ok(offer.offer_expires_at > now() + 47 * 3600 && offer.offer_expires_at <= now() + 48 * 3600 + 5);
  const noDetails = assertProblem(await call(server, 'POST', `/api/v1/community/registrations/${first.json.id}/accept`, { session: firstWho, body: {} }), 422);
  assert.deepEqual(errorFields(noDetails).sort(), ['name', 'phone']);
  const ok = await call(server, 'POST', `/api/v1/community/registrations/${first.json.id}/accept`, { session: firstWho, body: { name: '김대기', phone: '010-2222-3333' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'confirmed');
  assert.equal(ok.json.details_given, true);
  // Someone else cannot take it.
  assertProblem(await call(server, 'POST', `/api/v1/community/registrations/${first.json.id}/accept`, { session: members[0] === firstWho ? members[1] : members[0], body: { name: '가짜', phone: '01000000000' } }), 404);

  // The organizer cancels the event: everyone still registered is told.
  const bad = assertProblem(await call(server, 'POST', `/api/v1/community/events/${ev.json.id}/cancel`, { session: cw, body: {} }), 422);
  assert.deepEqual(errorFields(bad), ['reason']);
  const cx = await call(server, 'POST', `/api/v1/community/events/${ev.json.id}/cancel`, { session: cw, body: { reason: 'venue closed' } });
  assert.equal(cx.status, 200, cx.text);
  assert.equal(cx.json.told, 5);
  assert.equal(cx.json.event.status, 'cancelled');
});

test('registration is idempotent; refusals name the field and write nothing', async () => {
  const ev = (await newEvent(cw, { capacity: 1, waitlist: false })).json;
  const key = { 'Idempotency-Key': `reg-${process.pid}` };
  const a = await register(members[0], ev.id, {}, key);
  const b = await register(members[0], ev.id, {}, key);
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.id, a.json.id);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(errorFields(assertProblem(await register(members[0], ev.id), 422)), ['account_id']);
  assert.deepEqual(errorFields(assertProblem(await register(members[1], ev.id), 422)), ['capacity']);
  const closed = (await newEvent(cw, { closes_at: now() - 10, starts_at: now() + 3600, ends_at: now() + 7200 })).json;
  assert.deepEqual(errorFields(assertProblem(await register(members[1], closed.id), 422)), ['closes_at']);
  assert.equal((await call(server, 'GET', `/api/v1/community/events/${ev.id}`)).json.places_taken, 1);
  const badEvent = assertProblem(await newEvent(cw, { mode: 'zoom', offer_hours: 100, capacity: 0 }), 422);
  assert.deepEqual(errorFields(badEvent).sort(), ['capacity', 'mode', 'offer_hours']);
  assertProblem(await register(null, ev.id), 401);
});

test('access matrix: participants see only their own; organizers manage only their dong or organization', async () => {
  const ev = (await newEvent(cw)).json;
  await register(members[2], ev.id, { name: '박참가', phone: '010-5555-6666' });
  const desk = (s) => call(server, 'GET', `/api/v1/community/events/${ev.id}/registrations`, { session: s });
  assert.equal((await desk(cw)).status, 200);
  assert.equal((await desk(admin)).status, 200);
  assertProblem(await desk(resident), [403, 404]);
  assertProblem(await desk(members[2]), [403, 404]);
  assertProblem(await desk(facility), [403, 404]);
  assertProblem(await call(server, 'GET', `/api/v1/community/events/${ev.id}/registrations`), 401);
  // The desk read of a participant's details is in the access log.
  const log = await call(server, 'GET', '/api/v1/admin/access-log', { session: admin });
  assert.equal(log.status, 200, log.text);
  assert.ok(log.json.items.some((e) => e.subject_kind === 'community_registration' && e.actor_account_id === cw.demo.account_id), log.text.slice(0, 500));
  // Another dong's event: the dong caseworker may not create or manage it.
  assertProblem(await newEvent(cw, { dong_id: otherDong }), 403);
  const other = (await newEvent(admin, { dong_id: otherDong })).json;
  assertProblem(await call(server, 'GET', `/api/v1/community/events/${other.id}/registrations`, { session: cw }), [403, 404]);
  // The facility manager runs their organization's events.
  const org = facility.demo.scope_id;
  const fe = await newEvent(facility, { dong_id: 0, organization_id: org });
  assert.equal(fe.status, 201, fe.text);
  // Own registrations only, never another's; nobody cancels another's.
  const mine = (await call(server, 'GET', '/api/v1/community/registrations/mine', { session: members[3] })).json.items;
  assert.ok(mine.every((r) => r.event_id !== ev.id));
  const theirs = (await call(server, 'GET', '/api/v1/community/registrations/mine', { session: members[2] })).json.items.find((r) => r.event_id === ev.id);
  assertProblem(await call(server, 'POST', `/api/v1/community/registrations/${theirs.id}/cancel`, { session: members[3] }), [403, 404]);
  // Draws: creating and running them is for organizers.
  assertProblem(await call(server, 'POST', '/api/v1/community/draws', { session: members[3], body: { title: 't', rule: 'r', legal_basis: 'l', seed_source: 's', winner_count: 1, entrants: [{ code: 'A1' }] } }), 403);
});

test('draws: more winners than entrants refused; no silent rerun; `dure lottery verify` reproduces the published result', async () => {
  const body = { title: '경품 추첨', rule: '10명 중 3명', legal_basis: '조례 제7조 (예시)', seed_source: '참관인 번호', dong_id: myDong,
    entrants: Array.from({ length: 10 }, (_, i) => ({ code: `P-${i + 1}`, name: `홍길동${i}` })) };
  const tooMany = assertProblem(await call(server, 'POST', '/api/v1/community/draws', { session: cw, body: { ...body, winner_count: 11 } }), 422);
  assert.deepEqual(errorFields(tooMany), ['winner_count']);
  const d = await call(server, 'POST', '/api/v1/community/draws', { session: cw, body: { ...body, winner_count: 3 } });
  assert.equal(d.status, 201, d.text);
  assert.match(d.json.list_hash, /^[0-9a-f]{64}$/);
  assert.ok(!d.text.includes('홍길동'), 'names are never published in full');
  const run1 = await call(server, 'POST', `/api/v1/community/draws/${d.json.id}/runs`, { session: cw, body: { seed: '12 34 56' } });
  assert.equal(run1.status, 201, run1.text);
  assert.equal(run1.json.runs[0].winners.length, 3);
  assert.match(run1.json.runs[0].winners[0].name, /^홍\*+\d$/);
  assert.deepEqual(errorFields(assertProblem(await call(server, 'POST', `/api/v1/community/draws/${d.json.id}/runs`, { session: cw, body: { seed: '99' } }), 422)), ['reason']);
  const run2 = await call(server, 'POST', `/api/v1/community/draws/${d.json.id}/runs`, { session: cw, body: { seed: '99', reason: 'observer misread the first ball' } });
  assert.equal(run2.status, 201, run2.text);
  assert.equal(run2.json.runs.length, 2, 'the rerun stands beside the first');
  assert.equal(run2.json.runs[1].reason, 'observer misread the first ball');
  const pub = await call(server, 'GET', `/api/v1/community/draws/${d.json.id}/published`);
  const file = path.join(server.dir, 'draw.json');
  writeFileSync(file, pub.text);
  const v = spawnSync(dureBin, ['lottery', 'verify', file, '12 34 56'], { encoding: 'utf8', timeout: 10000 });
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /published list hash: matches/);
  assert.match(v.stdout, /published run 1 with this seed: matches/);
  assert.ok(v.stdout.includes(run1.json.runs[0].winners.map((w) => w.code).join(' ')), v.stdout);
  const forged = JSON.parse(pub.text);
  forged.runs[0].winners = ['P-1', 'P-2', 'P-3'].filter((c) => c !== forged.runs[0].winners[0]).concat(forged.runs[0].winners[0]).slice(0, 3);
  writeFileSync(file, JSON.stringify(forged));
  const bad = spawnSync(dureBin, ['lottery', 'verify', file, '12 34 56'], { encoding: 'utf8', timeout: 10000 });
  assert.equal(bad.status, 1, bad.stdout);
});

test('spaces: never a double booking under concurrency; midnight and opening hours refused; approval; iCalendar', async () => {
  const sp = await call(server, 'POST', '/api/v1/community/spaces', { session: cw, body: { name: '시험 사랑방', capacity: 12, opens_hour: 9, closes_hour: 22, dong_id: myDong, fee_note: '무료', fee_source: '조례 (예시)' } });
  assert.equal(sp.status, 201, sp.text);
  const day = new Date(Date.now() + 9 * 3600e3 + 5 * 86400e3).toISOString().slice(0, 10);
  const book = (s, b) => call(server, 'POST', `/api/v1/community/spaces/${sp.json.id}/bookings`, { session: s, body: { day, purpose: '독서 모임', attendees: 6, no_forbidden_use: true, ...b } });
  assert.deepEqual(errorFields(assertProblem(await book(members[0], { start_hour: 21, end_hour: 2 }), 422)), ['end_hour']);
  assert.deepEqual(errorFields(assertProblem(await book(members[0], { start_hour: 7, end_hour: 9 }), 422)), ['start_hour']);
  assert.deepEqual(errorFields(assertProblem(await book(members[0], { start_hour: 10, end_hour: 12, no_forbidden_use: false }), 422)), ['no_forbidden_use']);
  const rs = await Promise.all(members.map((m, i) => book(m, { start_hour: 13 + (i % 2), end_hour: 15 + (i % 2) })));
  assert.equal(rs.filter((r) => r.status === 201).length, 1, rs.map((r) => r.status).join());
  for (const r of rs.filter((x) => x.status !== 201)) assert.deepEqual(errorFields(assertProblem(r, 409)), ['start_hour']);
  const won = rs.find((r) => r.status === 201).json;
  assertProblem(await call(server, 'POST', `/api/v1/community/bookings/${won.id}/decision`, { session: members[0], body: { decision: 'approve' } }), [403, 404]);
  const ap = await call(server, 'POST', `/api/v1/community/bookings/${won.id}/decision`, { session: cw, body: { decision: 'approve' } });
  assert.equal(ap.status, 200, ap.text);
  const ics = await call(server, 'GET', `/api/v1/community/spaces/${sp.json.id}/calendar.ics`);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);
  assert.match(ics.text, /BEGIN:VEVENT\r\n/);
  assert.match(ics.text, /STATUS:CONFIRMED/);
  assert.ok(!ics.text.includes('독서'), 'no purposes in the public feed');
  const pub = await call(server, 'GET', `/api/v1/community/spaces/${sp.json.id}`);
  assert.ok(!pub.text.includes('독서') && !pub.text.includes('account'), pub.text);
});

test('the meeting link: confirmed participants only, from an hour before the start; never public', async () => {
  assert.deepEqual(errorFields(assertProblem(await newEvent(cw, { mode: 'online', meeting_link: 'http://zoom.example/j/1' }), 422)), ['meeting_link']);
  const t = now();
  const soon = await newEvent(cw, { mode: 'online', capacity: 1, meeting_link: 'https://zoom.example/j/777', closes_at: t + 600, starts_at: t + 1800, ends_at: t + 5400 });
  assert.equal(soon.status, 201, soon.text);
  assert.equal(soon.json.has_meeting_link, true);
  assert.ok(!soon.text.includes('zoom.example'), 'not in the event answer');
  const later = (await newEvent(cw, { mode: 'online', capacity: 1, meeting_link: 'https://zoom.example/j/888' })).json;
  const a = await register(members[4], soon.json.id);
  const b = await register(members[5], soon.json.id);
  assert.equal(a.json.status, 'confirmed');
  assert.equal(a.json.meeting_link, 'https://zoom.example/j/777');
  assert.equal(b.json.status, 'waitlisted');
  assert.equal(b.json.meeting_link, null);
  const c = await register(members[4], later.id);
  assert.equal(c.json.status, 'confirmed');
  assert.equal(c.json.meeting_link, null, 'not yet: the start is a week away');
  assert.equal(c.json.meeting_link_from, later.starts_at - 3600);
  const pub = await call(server, 'GET', `/api/v1/community/events/${soon.json.id}`);
  assert.ok(!pub.text.includes('zoom.example'), 'never on the public event');
});
