// Giving campaigns over HTTP (docs/giving.md "Campaigns"): the council or a district administrator
// creates a campaign with per-dong targets and purposes, all or nothing and idempotent; bad and
// hostile input is a problem+json naming the field (dong_targets[i].dong_id, designations[i].code …)
// with nothing written; donation days (모금의 날) attach to a campaign within its period.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

let server, council, cw, admin, resident, dongs;

before(async () => {
  server = await startServer();
  council = await loginAs(server, 'council');
  cw = await loginAs(server, 'caseworker');
  admin = await loginAs(server, 'district_admin');
  resident = await loginAs(server, 'resident');
  dongs = (await call(server, 'GET', '/api/v1/giving/campaigns/2023-hope-ondol')).json.by_dong.map((d) => d.dong_id);
});
after(async () => { if (server) await server.stop(); });

const key = () => crypto.randomUUID();
const create = (session, body, k = key()) => call(server, 'POST', '/api/v1/giving/campaigns', { session, body, headers: { 'Idempotency-Key': k } });
const addDay = (session, code, body, k = key()) => call(server, 'POST', `/api/v1/giving/campaigns/${code}/days`, { session, body, headers: { 'Idempotency-Key': k } });
const base = (over = {}) => ({
  code: 'winter-2024', title_ko: '2024 희망온돌', title_en: '2024 Hope Ondol', target_krw: 1000000000,
  starts_on: '2024-11-15', ends_on: '2025-02-14', collector_name: '사회복지공동모금회 서울특별시지회',
  collector_registration: '000-82-00000', collector_legal_basis: '사회복지공동모금회법', collector_account_holder: '사회복지공동모금회 서울특별시지회',
  collector_url: 'https://seoul.chest.or.kr', dong_targets: [{ dong_id: dongs[0], target_krw: 60000000 }, { dong_id: dongs[1], target_krw: 40000000 }],
  designations: [{ code: 'scholarship', kind: 'purpose', label_ko: '장학금', label_en: 'Scholarships' }, { code: 'warm-meals', kind: 'program', label_ko: '따뜻한 밥상' }],
  ...over,
});
const exists = async (code) => (await call(server, 'GET', `/api/v1/giving/campaigns/${code}`)).status === 200;

test('the council creates a campaign: general, dong and purpose designations with empty funds; a retry replays; the code is unique', async () => {
  const k = key();
  const r = await create(council, base(), k);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.designations.slice(0, 1), ['general']);
  assert.ok(r.json.designations.includes('scholarship') && r.json.designations.includes('warm-meals'));
  assert.equal(r.json.designations.filter((d) => d.startsWith('dong-')).length, 2);
  const again = await create(council, base(), k);
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.id, r.json.id);
  const c = (await call(server, 'GET', '/api/v1/giving/campaigns/winter-2024')).json;
  assert.equal(c.thermometer.target_krw, 1000000000);
  assert.equal(c.thermometer.raised_krw, 0);
  assert.deepEqual(c.by_dong.map((d) => [d.dong_id, d.target_krw]), [[dongs[0], 60000000], [dongs[1], 40000000]].sort((a, b) => a[0] - b[0]));
  assert.ok(c.designations.every((d) => d.balance_krw.cash === 0 && d.balance_krw.in_kind === 0));
  const taken = await create(council, base({ title_ko: '다른 이름' }));
  assert.deepEqual(errorFields(assertProblem(taken, 409)), ['code']);
  const list = (await call(server, 'GET', '/api/v1/giving/campaigns')).json.items.map((x) => x.code);
  assert.ok(list.includes('winter-2024'));
  // The district administrator may too.
  assert.equal((await create(admin, base({ code: 'admin-made', dong_targets: [], designations: [] }))).status, 201);
});

test('who may create: not a caseworker, a resident or the public', async () => {
  assertProblem(await create(cw, base({ code: 'by-cw' })), 403);
  assertProblem(await create(resident, base({ code: 'by-resident' })), 403);
  assertProblem(await call(server, 'POST', '/api/v1/giving/campaigns', { body: base({ code: 'by-anon' }), headers: { 'Idempotency-Key': key() } }), [401, 403]);
  for (const c of ['by-cw', 'by-resident', 'by-anon']) assert.equal(await exists(c), false);
});

test('bad input names the field and writes nothing', async () => {
  const cases = [
    [{ code: 'Bad Code' }, 'code'],
    [{ code: 'ab' }, 'code'],
    [{ target_krw: 0 }, 'target_krw'],
    [{ target_krw: 10000000000001 }, 'target_krw'],
    [{ target_krw: '1000' }, 'target_krw'],
    [{ ends_on: '2026-02-14' }, 'ends_on'],
    [{ ends_on: '2024-11-01' }, 'ends_on'],
    [{ starts_on: '2024-02-30' }, 'starts_on'],
    [{ collector_url: 'http://plain.example' }, 'collector_url'],
    [{ collector_url: 'javascript:alert(1)' }, 'collector_url'],
    [{ title_ko: '=HYPERLINK("x")' }, 'title_ko'],
    [{ collector_name: '' }, 'collector_name'],
    [{ dong_targets: [{ dong_id: 999999, target_krw: 1 }] }, 'dong_targets[0].dong_id'],
    [{ dong_targets: [{ dong_id: dongs[0], target_krw: 1 }, { dong_id: dongs[0], target_krw: 1 }] }, 'dong_targets[1].dong_id'],
    [{ dong_targets: [{ dong_id: dongs[0], target_krw: -5 }] }, 'dong_targets[0].target_krw'],
    [{ dong_targets: [{ dong_id: dongs[0], target_krw: 900000000 }, { dong_id: dongs[1], target_krw: 200000000 }] }, 'dong_targets'],
    [{ dong_targets: 'all' }, 'dong_targets'],
    [{ dong_targets: [7] }, 'dong_targets[0]'],
    [{ dong_targets: [{ dong_id: dongs[0], target_krw: 1, extra: 1 }] }, 'dong_targets[0].extra'],
    [{ designations: [{ code: 'general', kind: 'purpose', label_ko: 'x' }] }, 'designations[0].code'],
    [{ designations: [{ code: 'dong-1', kind: 'purpose', label_ko: 'x' }] }, 'designations[0].code'],
    [{ designations: [{ code: 'aa', kind: 'household', label_ko: 'x' }] }, 'designations[0].kind'],
    [{ designations: [{ code: 'aa', kind: 'purpose', label_ko: 'a|b' }] }, 'designations[0].label_ko'],
    [{ designations: [{ code: 'aa', kind: 'purpose', label_ko: 'x' }, { code: 'aa', kind: 'program', label_ko: 'y' }] }, 'designations[1].code'],
    [{ surprise: 1 }, 'surprise'],
  ];
  for (const [over, field] of cases) {
    const r = await create(council, base({ code: 'bad-one', ...over }));
    const fields = errorFields(assertProblem(r, 422, JSON.stringify(over)), JSON.stringify(over));
    assert.ok(fields.includes(field), `${JSON.stringify(over)} → ${fields}`);
  }
  assert.equal(await exists('bad-one'), false, 'nothing half-written');
  // Not JSON, not an object, huge.
  assertProblem(await call(server, 'POST', '/api/v1/giving/campaigns', { session: council, body: '{"code":', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key() } }), 400);
  assertProblem(await call(server, 'POST', '/api/v1/giving/campaigns', { session: council, body: '[1,2]', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key() } }), [400, 422]);
  const many = Array.from({ length: 300 }, (_, i) => ({ dong_id: i + 1, target_krw: 1 }));
  assert.ok(errorFields(assertProblem(await create(council, base({ code: 'bad-one', dong_targets: many })), 422)).includes('dong_targets'));
  assert.equal(await exists('bad-one'), false);
});

test('donation days: within the period, once per title and day, shown on the public page; only the council or an admin', async () => {
  assert.equal((await create(council, base({ code: 'days-2024', dong_targets: [], designations: [] }))).status, 201);
  const k = key();
  const r = await addDay(council, 'days-2024', { day: '2024-12-10', title_ko: '모금의 날 (광장)', place: '구청 앞 광장', dong_id: dongs[0] }, k);
  assert.equal(r.status, 201, r.text);
  const again = await addDay(council, 'days-2024', { day: '2024-12-10', title_ko: '모금의 날 (광장)', place: '구청 앞 광장', dong_id: dongs[0] }, k);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(errorFields(assertProblem(await addDay(council, 'days-2024', { day: '2024-12-10', title_ko: '모금의 날 (광장)' }), 409)), ['title_ko']);
  assert.deepEqual(errorFields(assertProblem(await addDay(council, 'days-2024', { day: '2025-03-01', title_ko: '늦은 날' }), 422)), ['day']);
  assert.deepEqual(errorFields(assertProblem(await addDay(council, 'days-2024', { day: 'tomorrow', title_ko: 'x' }), 422)), ['day']);
  assert.deepEqual(errorFields(assertProblem(await addDay(council, 'days-2024', { day: '2024-12-11', title_ko: 'x', dong_id: 999999 }), 422)), ['dong_id']);
  assertProblem(await addDay(cw, 'days-2024', { day: '2024-12-12', title_ko: 'x' }), 403);
  assertProblem(await addDay(council, 'no-such-campaign', { day: '2024-12-12', title_ko: 'x' }), 404);
  const c = (await call(server, 'GET', '/api/v1/giving/campaigns/days-2024')).json;
  assert.deepEqual(c.days.map((d) => [d.day, d.title_ko, d.place]), [['2024-12-10', '모금의 날 (광장)', '구청 앞 광장']]);
});

test('QR posters: an SVG linking to the collector page with the campaign and dong codes; structure checked', async () => {
  const districts = (await call(server, 'GET', '/api/v1/districts')).json;
  const dong = districts.flatMap((d) => d.dongs).find((g) => Number(g.id) === dongs[0]);
  const r = await call(server, 'GET', '/api/v1/giving/campaigns/2023-hope-ondol/qr.svg');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^image\/svg\+xml/);
  assert.equal(r.headers.get('x-qr-link'), 'https://seoul.chest.or.kr?campaign=2023-hope-ondol');
  const version = Number(r.headers.get('x-qr-version'));
  assert.ok(version >= 1 && version <= 40);
  const size = 17 + 4 * version + 8;
  assert.ok(r.text.startsWith('<svg') && r.text.includes(`viewBox="0 0 ${size} ${size}"`), r.text.slice(0, 200));
  assert.ok((r.text.match(/h1v1h-1z/g) || []).length > 100, 'dark modules drawn');
  const d = await call(server, 'GET', `/api/v1/giving/campaigns/2023-hope-ondol/qr.svg?dong=${encodeURIComponent(dong.code)}`);
  assert.equal(d.status, 200);
  assert.equal(d.headers.get('x-qr-link'), `https://seoul.chest.or.kr?campaign=2023-hope-ondol&dong=${dong.code}`);
  assert.notEqual(d.text, r.text);
  assert.deepEqual(errorFields(assertProblem(await call(server, 'GET', '/api/v1/giving/campaigns/2023-hope-ondol/qr.svg?dong=%3Cscript%3E'), 422)), ['dong']);
  assert.equal((await create(council, base({ code: 'no-page', collector_url: undefined, dong_targets: [], designations: [] }))).status, 201);
  assertProblem(await call(server, 'GET', '/api/v1/giving/campaigns/no-page/qr.svg'), 404);
  assertProblem(await call(server, 'GET', '/api/v1/giving/campaigns/nope/qr.svg'), 404);
});

test('stock of goods: officials count goods in, the council takes them out, never below zero', async () => {
  const myDong = cw.demo.scope_id;
  const move = (session, body, k = key()) => call(server, 'POST', '/api/v1/giving/campaigns/2023-hope-ondol/stock/moves', { session, body, headers: { 'Idempotency-Key': k } });
  const k = key();
  const inn = await move(cw, { direction: 'in', item: '쌀 10kg (테스트)', unit: '포', quantity: 5, dong_id: myDong }, k);
  assert.equal(inn.status, 201, inn.text);
  assert.equal((await move(cw, { direction: 'in', item: '쌀 10kg (테스트)', unit: '포', quantity: 5, dong_id: myDong }, k)).headers.get('idempotent-replayed'), 'true');
  const stock = async () => (await call(server, 'GET', '/api/v1/giving/campaigns/2023-hope-ondol/stock')).json.items.find((i) => i.item === '쌀 10kg (테스트)');
  assert.equal((await stock()).quantity, 5);
  assert.deepEqual(errorFields(assertProblem(await move(cw, { direction: 'in', item: '쌀 10kg (테스트)', unit: 'kg', quantity: 1, dong_id: myDong }), 422)), ['unit']);
  const other = dongs.find((d) => d !== myDong);
  assertProblem(await move(cw, { direction: 'in', item: 'x', unit: '개', quantity: 1, dong_id: other }), 403);
  assertProblem(await move(cw, { direction: 'out', item: '쌀 10kg (테스트)', quantity: 1, approval_ref: 'a', purpose: 'living' }), 403);
  const out = { direction: 'out', item: '쌀 10kg (테스트)', quantity: 3, approval_ref: '협의체 2023-12 제2차', purpose: 'living', households: 3 };
  assert.equal((await move(council, out)).status, 201);
  assert.deepEqual(errorFields(assertProblem(await move(council, out), 422)), ['quantity']);
  assert.equal((await stock()).quantity, 2);
  for (const [body, field] of [
    [{ direction: 'out', item: '없는 물품', quantity: 1, approval_ref: 'a', purpose: 'living' }, 'item'],
    [{ direction: 'out', item: '쌀 10kg (테스트)', quantity: 1, purpose: 'living' }, 'approval_ref'],
    [{ direction: 'out', item: '쌀 10kg (테스트)', quantity: 0, approval_ref: 'a', purpose: 'living' }, 'quantity'],
    [{ direction: 'out', item: '쌀 10kg (테스트)', quantity: -1, approval_ref: 'a', purpose: 'living' }, 'quantity'],
    [{ direction: 'sideways', item: 'x', quantity: 1 }, 'direction'],
    [{ direction: 'out', item: '=SUM(A1)', quantity: 1, approval_ref: 'a', purpose: 'living' }, 'item'],
  ]) assert.ok(errorFields(assertProblem(await move(council, body), 422, JSON.stringify(body))).includes(field), JSON.stringify(body));
  assert.equal((await stock()).quantity, 2, 'nothing half-written');
  assertProblem(await move(undefined, out), [401, 403]);
});

test('receipts: numbered per year, void and reissue with a reason, the year-end export (admin only, formula-guarded, logged)', async () => {
  const myDong = cw.demo.scope_id;
  const g = await call(server, 'POST', '/api/v1/giving/campaigns/2023-hope-ondol/gifts', { session: cw, headers: { 'Idempotency-Key': key() },
    body: { dong_id: myDong, designation: 'general', amount_krw: 70000, given_on: '2023-12-06', donor_kind: 'person', donor_name: '=HYPERLINK("x")',
      receipt_wanted: true, receipt_consent: true, receipt_id: '9001011234567', receipt_address: '서울 광진구 능동로 1' } });
  assert.equal(g.status, 201, g.text);
  const issue = (session, k = key()) => call(server, 'POST', '/api/v1/giving/campaigns/2023-hope-ondol/receipts', { session, headers: { 'Idempotency-Key': k } });
  assertProblem(await issue(cw), 403);
  assertProblem(await issue(council), 403);
  const k = key();
  const r = await issue(admin, k);
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.issued >= 1);
  const mine = r.json.items.find((x) => x.gift_id === g.json.id);
  assert.match(mine.number, /^2023-\d{6}$/);
  const numbers = r.json.items.map((x) => x.number);
  assert.equal(new Set(numbers).size, numbers.length, 'unique numbers');
  assert.equal((await issue(admin, k)).headers.get('idempotent-replayed'), 'true');
  assert.equal((await issue(admin)).json.issued, 0, 'a gift is numbered once');
  const voidIt = (id, body, session = admin) => call(server, 'POST', `/api/v1/giving/receipts/${id}/void`, { session, body, headers: { 'Idempotency-Key': key() } });
  assert.deepEqual(errorFields(assertProblem(await voidIt(mine.id, { reason: '' }), 422)), ['reason']);
  assertProblem(await voidIt(mine.id, { reason: 'wrong address' }, cw), 403);
  assertProblem(await voidIt(99999999, { reason: 'wrong address' }), 404);
  const v = await voidIt(mine.id, { reason: 'wrong address', reissue: true });
  assert.equal(v.status, 201, v.text);
  assert.equal(v.json.reissued.replaces_id, mine.id);
  assert.notEqual(v.json.reissued.number, mine.number);
  assert.deepEqual(errorFields(assertProblem(await voidIt(mine.id, { reason: 'again' }), 409)), ['receipt_id']);
  const list = (await call(server, 'GET', '/api/v1/giving/campaigns/2023-hope-ondol/receipts', { session: admin })).json.items;
  assert.equal(list.find((x) => x.id === mine.id).voided, true);
  assert.equal(list.find((x) => x.id === mine.id).void_reason, 'wrong address');
  assert.ok(!JSON.stringify(list).includes('9001011234567'), 'no identifiers in the list');
  const csvAt = (q, session = admin) => call(server, 'GET', `/api/v1/giving/receipts/year-end.csv${q}`, { session, headers: { 'X-Access-Reason': 'year-end submission' } });
  assertProblem(await csvAt('?year=2023', cw), 403);
  assert.deepEqual(errorFields(assertProblem(await csvAt('?year=23'), 422)), ['year']);
  const csv = await csvAt('?year=2023');
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.match(lines[0], /^영수증번호,재발급_원영수증번호,/);
  const row = lines.find((l) => l.startsWith(v.json.reissued.number + ','));
  assert.ok(row, 'the reissued receipt is exported');
  assert.ok(row.startsWith(`${v.json.reissued.number},${mine.number},개인,"'=HYPERLINK(""x"")",9001011234567,`), row);
  assert.ok(!lines.some((l) => l.startsWith(mine.number + ',')), 'the void receipt is not exported');
});

test('the council report: weeks add up to what was raised, small counts suppressed, statutory checks carry sources', async () => {
  const at = (session) => call(server, 'GET', '/api/v1/giving/campaigns/2023-hope-ondol/report', { session });
  assertProblem(await at(cw), 403);
  assertProblem(await at(admin), 403);
  assertProblem(await at(undefined), [401, 403]);
  const r = await at(council);
  assert.equal(r.status, 200, r.text);
  const rep = r.json;
  assert.equal(rep.target_krw, 1360000000);
  assert.equal(rep.by_week[0].from, '2023-11-15');
  assert.equal(rep.by_week.reduce((a, w) => a + w.amount_krw, 0), rep.raised_krw);
  assert.equal(rep.by_week.reduce((a, w) => a + w.cash_krw + w.in_kind_krw, 0), rep.raised_krw);
  assert.ok(rep.by_week.length >= 13 && rep.by_week.length <= 14, `${rep.by_week.length} weeks`);
  const counts = [...rep.by_week.map((w) => w.gifts), ...rep.distributions_by_purpose.flatMap((p) => [p.distributions, p.households])];
  for (const n of counts) assert.ok(n === '1-4' || n === 0 || n >= 5, `count ${n}`);
  assert.equal(rep.balance_krw, rep.raised_krw - rep.distributed_krw);
  assert.equal(rep.distributions_by_purpose.reduce((a, p) => a + p.amount_krw, 0), rep.distributed_krw);
  assert.ok(rep.statutory_checks.length >= 3);
  for (const c of rep.statutory_checks) assert.ok(c.source && typeof c.verified === 'boolean' && c.status, JSON.stringify(c));
  assert.equal(rep.statutory_checks[0].status, 'registration_needed');
  assert.equal(rep.statutory_checks[1].status, 'ok');
  assert.ok(!r.text.includes('demo-household') && !r.text.includes('case:'), 'no household in the report');
});
