// Giving over HTTP (docs/giving.md): the public campaign page, thermometer and hash-chained ledger
// (recomputed here from the download); the access matrix (a donor sees only their own gifts, dong
// officials take gifts for their dong, the council approves distributions and alone sees
// households, the public sees the ledger); bad input answered with problem+json naming the field
// and nothing written; Idempotency-Key replay; a fund never overdrawn by concurrent requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

const CODE = '2023-hope-ondol';
let server, council, cw, donor, resident, admin, myDong, otherDong;

before(async () => {
  server = await startServer();
  council = await loginAs(server, 'council');
  cw = await loginAs(server, 'caseworker');
  donor = await loginAs(server, 'donor');
  resident = await loginAs(server, 'resident');
  admin = await loginAs(server, 'district_admin');
  myDong = cw.demo.scope_id;
  const camp = (await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}`)).json;
  otherDong = camp.by_dong.find((d) => d.dong_id !== myDong).dong_id;
});
after(async () => { if (server) await server.stop(); });

const key = () => crypto.randomUUID();
const gift = (session, body, k = key()) => call(server, 'POST', `/api/v1/giving/campaigns/${CODE}/gifts`,
  { session, body, headers: { 'Idempotency-Key': k } });
const distribute = (session, body, k = key()) => call(server, 'POST', `/api/v1/giving/campaigns/${CODE}/distributions`,
  { session, body, headers: { 'Idempotency-Key': k } });
const campaign = async () => (await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}`)).json;
const cashGift = (over = {}) => ({ dong_id: myDong, designation: 'general', amount_krw: 50000, given_on: '2023-12-05', ...over });
const dist = (over = {}) => ({ designation: 'general', amount_krw: 100000, purpose: 'medical', program: '긴급의료비',
  recipient_kind: 'household', household_ref: 'case:test-1', approval_ref: 'council-2023-12', given_on: '2023-12-20', ...over });

test('the public campaign: collector, thermometer (1 % = 1 degree), progress by dong, legal notes with sources', async () => {
  const r = await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}`);
  assert.equal(r.status, 200, r.text);
  const c = r.json;
  assert.equal(c.thermometer.target_krw, 1360000000);
  assert.equal(c.thermometer.degrees_tenths, Math.floor(c.thermometer.raised_krw * 1000 / 1360000000));
  assert.ok(c.thermometer.raised_krw > 1000000000, 'the demo raised over a billion');
  assert.equal(c.collector.name, '사회복지공동모금회 서울특별시지회');
  assert.ok(c.legal.every((n) => n.source && typeof n.verified === 'boolean'));
  assert.ok(c.by_dong.length >= 2 && c.by_dong.every((d) => d.target_krw > 0));
  assert.equal(c.balance_krw, c.thermometer.raised_krw - c.distributed_krw);
  assert.ok(!r.text.includes('demo-household'), 'no household reference in public');
  for (const w of c.donor_wall) assert.ok(!/^최나눔$/.test(w.name), 'masked donors are masked');
  const list = await call(server, 'GET', '/api/v1/giving/campaigns');
  assert.equal(list.json.items[0].code, CODE);
});

test('the public ledger: the chain recomputes to the published head; balance = gifts - reversals - distributions; households 1-4 banded', async () => {
  const r = await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}/ledger.json`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /attachment/);
  const l = r.json;
  let prev = 'genesis';
  let balance = 0;
  for (const e of l.entries) {
    const line = [e.seq, e.day, e.kind, e.source, e.purpose, e.designation, e.form, e.count, e.amount_krw].join('|');
    assert.equal(e.prev_hash, prev);
    const h = crypto.createHash('sha256').update(prev + '\n' + line).digest('hex');
    assert.equal(e.hash, h, `entry ${e.seq}`);
    prev = h;
    balance += e.kind === 'distribution' ? -e.amount_krw : e.amount_krw;
    if (e.kind === 'distribution' && typeof e.count === 'number') assert.ok(e.count === 0 || e.count >= 5, JSON.stringify(e));
  }
  assert.equal(prev, l.head_hash);
  assert.ok(l.entries.length > 100);
  for (const e of l.pending) balance += e.kind === 'distribution' ? -e.amount_krw : e.amount_krw;
  const t = l.totals;
  assert.equal(balance, t.balance_krw);
  assert.equal(t.balance_krw, t.gifts_krw - t.reversed_krw - t.distributed_krw);
  assert.ok(l.outflows.some((o) => o.households === '1-4'));
  assert.ok(!r.text.includes('demo-household'));
  const csv = await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}/ledger.csv`);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.equal(csv.headers.get('x-ledger-head'), l.head_hash);
  assert.equal(csv.text.trim().split('\r\n').length, l.entries.length + 1);
});

test('access: dong officials take gifts for their dong; the council approves; donors see their own gifts only', async () => {
  assertProblem(await gift(undefined, cashGift()), 401);
  assertProblem(await gift(resident, cashGift()), 403);
  assertProblem(await gift(donor, cashGift()), 403);
  assertProblem(await gift(council, cashGift()), 403);
  assertProblem(await gift(cw, cashGift({ dong_id: otherDong })), 403);
  const mine = await gift(cw, cashGift({ donor_kind: 'person', donor_name: '최나눔', donor_contact: donor.demo.login, display: 'masked' }));
  assert.equal(mine.status, 201, mine.text);
  const other = await gift(cw, cashGift({ donor_kind: 'person', donor_name: '남의돈', donor_contact: '01099998888', amount_krw: 70000 }));
  assert.equal(other.status, 201, other.text);

  assertProblem(await distribute(cw, dist()), 403);
  assertProblem(await distribute(admin, dist()), 403);
  assertProblem(await distribute(donor, dist()), 403);
  const d = await distribute(council, dist());
  assert.equal(d.status, 201, d.text);

  // Households: the council with a reason, nobody else.
  assertProblem(await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}/distributions`, { session: cw }), 403);
  assertProblem(await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}/distributions`, { session: council }), 422);
  const ds = await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}/distributions`, { session: council, headers: { 'X-Access-Reason': 'council meeting review' } });
  assert.equal(ds.status, 200);
  assert.ok(ds.json.items.some((x) => x.household_ref === 'case:test-1'));

  // A donor's own gifts: the three demo gifts and the one just taken, with their trace.
  assertProblem(await call(server, 'GET', '/api/v1/giving/mine'), 401);
  const m = await call(server, 'GET', '/api/v1/giving/mine', { session: donor });
  assert.equal(m.status, 200, m.text);
  assert.ok(m.json.items.some((g) => g.id === mine.json.id));
  assert.ok(!m.json.items.some((g) => g.id === other.json.id));
  assert.ok(m.json.items.length >= 4);
  assert.match(m.json.allocation_rule, /first in, first out/);
  for (const g of m.json.items) {
    assert.equal(g.used.reduce((s, u) => s + u.amount_krw, 0) + g.unused_krw, g.reversed ? 0 : g.amount_krw);
  }
  assert.ok(m.json.items.some((g) => g.used.length > 0), 'demo gifts were used by distributions');
  assert.ok(!m.text.includes('demo-household') && !m.text.includes('case:'));
  const rm = await call(server, 'GET', '/api/v1/giving/mine', { session: resident });
  assert.deepEqual(rm.json.items, []);

  // The counter list: own dong only; receipt identifiers never in it.
  const lst = await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}/gifts?dong=${myDong}`, { session: cw });
  assert.equal(lst.status, 200, lst.text);
  assert.ok(lst.json.items.some((g) => g.id === other.json.id && g.donor_name === '남의돈'));
  assertProblem(await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}/gifts?dong=${otherDong}`, { session: cw }), 403);
  assertProblem(await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}/gifts?dong=${myDong}`, { session: donor }), 403);
});

test('bad input: problem+json naming the field, nothing written', async () => {
  const before = await campaign();
  for (const amount of [0, -5, 10000000000001, 1.5, '1000']) {
    const p = assertProblem(await gift(cw, cashGift({ amount_krw: amount })), 422, `amount ${amount}`);
    assert.deepEqual(errorFields(p), ['amount_krw']);
  }
  assert.deepEqual(errorFields(assertProblem(await gift(cw, cashGift({ designation: 'nope' })), 422)), ['designation']);
  assert.deepEqual(errorFields(assertProblem(await gift(cw, cashGift({ given_on: '2025-01-01' })), 422)), ['given_on']);
  assert.deepEqual(errorFields(assertProblem(await gift(cw, cashGift({ form: 'in_kind' })), 422)).sort(), ['items', 'valuation_basis']);
  assert.deepEqual(errorFields(assertProblem(await gift(cw, cashGift({ donor_kind: 'person', donor_name: '홍길동', receipt_wanted: true, receipt_id: '9001011234567' })), 422)), ['receipt_consent']);
  assert.deepEqual(errorFields(assertProblem(await gift(cw, cashGift({ receipt_id: '9001011234567' })), 422)), ['receipt_id']);
  for (const amount of [0, -1, 10000000000001]) {
    assert.deepEqual(errorFields(assertProblem(await distribute(council, dist({ amount_krw: amount })), 422)), ['amount_krw']);
  }
  assert.deepEqual(errorFields(assertProblem(await distribute(council, dist({ designation: 'nope' })), 422)), ['designation']);
  const big = assertProblem(await distribute(council, dist({ amount_krw: before.balance_krw + 1 })), 422);
  assert.deepEqual(errorFields(big), ['amount_krw']);
  assert.equal(big.errors[0].code, 'exceeds_fund');
  const after = await campaign();
  assert.equal(after.gifts, before.gifts);
  assert.equal(after.balance_krw, before.balance_krw);
  assert.equal(after.distributed_krw, before.distributed_krw);
});

test('idempotency: a retried gift is written once; the same key with another body is refused; reversal once', async () => {
  const before = await campaign();
  const k = key();
  const a = await gift(cw, cashGift({ amount_krw: 12345 }), k);
  const b = await gift(cw, cashGift({ amount_krw: 12345 }), k);
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.equal(b.json.id, a.json.id);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assertProblem(await gift(cw, cashGift({ amount_krw: 54321 }), k), 409);
  const mid = await campaign();
  assert.equal(mid.gifts, before.gifts + 1);
  assert.equal(mid.thermometer.raised_krw, before.thermometer.raised_krw + 12345);
  // Reverse it: a correcting entry; only the dong's officials; once.
  const rev = (session) => call(server, 'POST', `/api/v1/giving/gifts/${a.json.id}/reversal`, { session, body: { reason: 'entered twice at the counter' }, headers: { 'Idempotency-Key': key() } });
  assertProblem(await rev(donor), 403);
  const r1 = await rev(cw);
  assert.equal(r1.status, 201, r1.text);
  assertProblem(await rev(cw), 409);
  const end = await campaign();
  assert.equal(end.thermometer.raised_krw, before.thermometer.raised_krw);
  assert.equal(end.gifts, before.gifts + 1, 'the gift stays; the reversal takes it back');
});

test('concurrent distributions never overdraw a fund: the sum stays exact', async () => {
  const c = await campaign();
  const fund = c.designations.find((d) => d.code === `scholarship`);
  const balance = fund.balance_krw.in_kind;
  assert.ok(balance > 0, JSON.stringify(fund));
  const amount = Math.floor(balance / 7) + 1;  // at most 6 fit
  const rs = await Promise.all(Array.from({ length: 40 }, () => distribute(council,
    dist({ designation: 'scholarship', form: 'in_kind', amount_krw: amount, recipient_kind: 'program', household_ref: undefined, households: 10, program: '겨울 물품' }))));
  const ok = rs.filter((r) => r.status === 201).length;
  for (const r of rs) if (r.status !== 201) assert.deepEqual(errorFields(assertProblem(r, 422)), ['amount_krw']);
  assert.equal(ok, 6);
  const after = (await campaign()).designations.find((d) => d.code === 'scholarship').balance_krw.in_kind;
  assert.equal(after, balance - ok * amount);
  assert.ok(after >= 0);
});

test("the collector's statement: bad rows named by line and nothing imported; matched, QR added, leftovers reported", async () => {
  const g1 = (await gift(cw, cashGift({ amount_krw: 40000 }))).json.id;
  const g2 = (await gift(cw, cashGift({ amount_krw: 41000 }))).json.id;
  const dongCode = (await call(server, 'GET', '/api/v1/districts')).json[0].dongs.find((d) => d.id === myDong).code;
  const send = (session, text, type = 'text/csv') => call(server, 'POST', `/api/v1/giving/campaigns/${CODE}/statements`,
    { session, body: text, headers: { 'Content-Type': type, 'Idempotency-Key': key() } });
  const head = 'date,reference,channel,amount_krw\n';
  const before = await campaign();
  // Format problems are reported first, every row of them; then, on a well-formed file, every row
  // that does not match.
  const form = assertProblem(await send(admin, head + `2023-12-06,G${g1},counter,0\n2023-12-06,G${g2},cash,41000\n`), 422);
  assert.deepEqual(errorFields(form).sort(), ['rows[2].amount_krw', 'rows[3].channel']);
  const bad = assertProblem(await send(admin, head + `2023-12-06,G${g1},counter,1\n2023-12-06,G99999999,counter,5000\n2023-12-06,QR-${dongCode},qr,25000\n2023-12-06,QR-nodong,qr,100\n`), 422);
  assert.deepEqual(errorFields(bad).sort(), ['rows[2].amount_krw', 'rows[3].reference', 'rows[5].reference']);
  const enc = assertProblem(await send(admin, Buffer.concat([Buffer.from(head + '2023-12-06,QR,qr,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')])), 422);
  assert.deepEqual(errorFields(enc), ['file']);
  assertProblem(await send(cw, head + `2023-12-06,G${g1},counter,40000\n`), 403);
  assertProblem(await send(admin, head + `2023-12-06,G${g1},counter,40000\n`, 'application/json'), 415);
  assert.equal((await campaign()).gifts, before.gifts, 'nothing imported');
  const file = head + `2023-12-06,G${g1},counter,40000\n2023-12-07,QR-${dongCode},qr,25000\n`;
  const ok = await send(admin, file);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.matched.count, 1);
  assert.equal(ok.json.qr_added.amount_krw, 25000);
  assert.ok(ok.json.unmatched_gifts.count > 0);
  const after = await campaign();
  assert.equal(after.thermometer.raised_krw, before.thermometer.raised_krw + 25000);
  assert.ok(after.by_channel.some((c) => c.channel === 'qr' && c.raised_krw >= 25000));
  assertProblem(await send(admin, file), 409);
  // A gift is matched once, also from another file.
  const again = assertProblem(await send(admin, head + `2023-12-08,G${g1},counter,40000\n`), 422);
  assert.deepEqual(errorFields(again), ['rows[2].reference']);
});

test('receipt data: identifiers only with a receipt wanted and consent; only the district admin exports them, with a reason, logged', async () => {
  const r = await gift(cw, cashGift({ donor_kind: 'person', donor_name: '영수증', receipt_wanted: true, receipt_consent: true, receipt_id: '9001011234567', receipt_address: '한빛구 은행로 1', amount_krw: 77000 }));
  assert.equal(r.status, 201, r.text);
  const url = `/api/v1/giving/campaigns/${CODE}/receipts.csv`;
  for (const s of [council, cw, donor, undefined]) assertProblem(await call(server, 'GET', url, { session: s }), s ? 403 : 401);
  assertProblem(await call(server, 'GET', url, { session: admin }), 422);
  const csv = await call(server, 'GET', url, { session: admin, headers: { 'X-Access-Reason': 'handing receipts to the collector' } });
  assert.equal(csv.status, 200, csv.text);
  const line = csv.text.split('\r\n').find((l) => l.startsWith(`G${r.json.id},`));
  assert.ok(line, csv.text.slice(0, 300));
  assert.match(line, /9001011234567/);
  // Never in lists: the counter list has no identifiers.
  const lst = await call(server, 'GET', `/api/v1/giving/campaigns/${CODE}/gifts?dong=${myDong}`, { session: cw });
  assert.ok(!lst.text.includes('9001011234567') && !lst.text.includes('은행로'));
});
