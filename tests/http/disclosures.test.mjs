// Facility disclosures, welfare news and the jobs list (docs/api.md "Disclosures, news and
// jobs", issue 3) against a real server with the demo district: the facility manager drafts
// and submits, officials approve or return, the public sees approved versions only, CSV and
// XLSX downloads, news permissions, the jobs list and `dure import jobs`. Node standard library
// plus Debian's unzip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, dureBin } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

let server;
let admin, manager, resident, caseworker;
let hanbit; // the demo manager's facility
let other; // another facility
const year = Number(new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 4));
const todaySeoul = () => new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
const enc = encodeURIComponent;

const get = (p, session) => call(server, 'GET', p, { session });
const post = (p, body, session) => call(server, 'POST', p, { body, session });

// A settlement that passes every rule: revenue 1,000,000,000; expenditure 950,000,000;
// cash donations equal the 후원금 revenue.
function settlement(overrides = {}) {
  return {
    fiscal_year: year,
    kind: 'settlement',
    lines: [
      { side: 'revenue', category: '보조금', item: '구비 보조금', amount: 900_000_000 },
      { side: 'revenue', category: '후원금', item: '', amount: 100_000_000 },
      { side: 'expenditure', category: '인건비', item: '급여', amount: 700_000_000 },
      { side: 'expenditure', category: '사업비', item: '프로그램', amount: 250_000_000 },
    ],
    donations: [
      { received_from_type: 'individual', amount: 40_000_000, kind: 'cash', used_for: '밑반찬 지원', used_amount: 40_000_000 },
      { received_from_type: 'organization', amount: 60_000_000, kind: 'cash', used_for: '난방비 지원', used_amount: 55_000_000 },
      { received_from_type: 'anonymous', amount: 3_000_000, kind: 'in_kind', used_for: '쌀 지원', used_amount: 3_000_000 },
    ],
    ...overrides,
  };
}

before(async () => {
  server = await startServer();
  [admin, manager, resident, caseworker] = await Promise.all(
    ['district_admin', 'facility_manager', 'resident', 'caseworker'].map((r) => loginAs(server, r)));
  const r = await get(`/api/v1/facilities?q=${enc('한빛노인종합복지관')}`);
  assert.equal(r.status, 200, r.text);
  hanbit = r.json.items.find((f) => f.name === '한빛노인종합복지관');
  assert.ok(hanbit, `the demo facility exists: ${r.text.slice(0, 300)}`);
  const all = await get('/api/v1/facilities?page=2');
  other = all.json.items.find((f) => f.id !== hanbit.id);
  assert.ok(other);
});
after(async () => { if (server) await server.stop(); });

const base = () => `/api/v1/facilities/${hanbit.id}/disclosures`;

// --- demo data and visibility -------------------------------------------------------------

test('the public sees the approved demo budget and settlement, staff also see the submitted one', async () => {
  const pub = await get(base());
  assert.equal(pub.status, 200, pub.text);
  assert.equal(pub.json.facility.name, '한빛노인종합복지관');
  const demo = pub.json.items.filter((d) => d.fiscal_year === year - 1);
  assert.deepEqual(demo.map((d) => d.kind).sort(), ['budget', 'settlement']);
  for (const d of pub.json.items) assert.equal(d.status, 'approved', JSON.stringify(d));

  const staff = await get(base(), admin);
  const submitted = staff.json.items.find((d) => d.fiscal_year === year && d.kind === 'budget');
  assert.ok(submitted, `current-year budget listed for staff: ${staff.text.slice(0, 400)}`);
  assert.equal(submitted.status, 'submitted');
  assert.ok(!pub.json.items.some((d) => d.id === submitted.id), 'not public');
  assertProblem(await get(`/api/v1/disclosures/${submitted.id}`), 404, 'a submitted disclosure is not public');
  assert.equal((await get(`/api/v1/disclosures/${submitted.id}`, manager)).status, 200, 'its manager reads it');
  assertProblem(await get(`/api/v1/disclosures/${submitted.id}`, resident), 404, 'a resident does not');
});

test('an approved disclosure carries totals by category for charts', async () => {
  const pub = await get(base());
  const s = pub.json.items.find((d) => d.kind === 'settlement' && d.fiscal_year === year - 1);
  const r = await get(`/api/v1/disclosures/${s.id}`);
  assert.equal(r.status, 200, r.text);
  const d = r.json;
  assert.equal(d.status, 'approved');
  assert.ok(d.lines.length > 5);
  assert.ok(d.donations.length > 0);
  const t = d.totals;
  assert.equal(t.revenue_total, d.lines.filter((l) => l.side === 'revenue').reduce((a, l) => a + l.amount, 0));
  assert.equal(t.revenue.reduce((a, c) => a + c.amount, 0), t.revenue_total);
  assert.equal(t.balance, t.revenue_total - t.expenditure_total);
  assert.ok(t.balance >= 0, 'a settlement carries over, never a deficit');
  assert.ok(t.revenue.some((c) => c.category === '보조금'));
  assert.equal(t.donations.received, d.donations.reduce((a, g) => a + g.amount, 0));
  assert.equal(d.submitted_by, undefined, 'the public does not see who acted');
  assert.ok(d.approved_at);
});

// --- the workflow ---------------------------------------------------------------------------

test('manager drafts, submits; an official returns with a reason; manager fixes; official approves', async () => {
  let r = await post(base(), settlement(), manager);
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.version, 1);
  assert.equal(r.json.totals.balance, 50_000_000);

  r = await post(base(), settlement(), manager);
  assert.equal(r.status, 201, 'the same draft again answers as the first time did');
  assert.equal(r.json.id, id);
  assert.equal(r.json.version, 1, 'a retried save changes nothing');

  assertProblem(await post(`${base()}/${id}/approve`, {}, admin), 409, 'a draft cannot be approved');
  r = await post(`${base()}/${id}/submit`, {}, manager);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'submitted');
  const again = await post(`${base()}/${id}/submit`, {}, manager);
  assert.equal(again.status, 200, 'a repeated submit is harmless');
  assert.equal(again.json.version, r.json.version);
  assertProblem(await post(base(), settlement(), manager), 409, 'no edits while under review');
  assertProblem(await post(`${base()}/${id}/approve`, {}, manager), 403, 'the manager cannot approve');
  assertProblem(await post(`${base()}/${id}/approve`, {}, caseworker), 403, 'a dong caseworker cannot approve');
  assert.ok(!(await get(base())).json.items.some((d) => d.id === id), 'not public while submitted');

  const noReason = assertProblem(await post(`${base()}/${id}/return`, {}, admin), 422, 'return needs a reason');
  assert.deepEqual(errorFields(noReason), ['reason']);
  r = await post(`${base()}/${id}/return`, { reason: '인건비 내역을 급여와 사회보험으로 나눠 주세요' }, admin);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'returned');
  assert.equal(r.json.return_reason, '인건비 내역을 급여와 사회보험으로 나눠 주세요');

  const fixed = settlement();
  fixed.lines.splice(2, 1,
    { side: 'expenditure', category: '인건비', item: '급여', amount: 600_000_000 },
    { side: 'expenditure', category: '인건비', item: '사회보험부담금', amount: 100_000_000 });
  r = await post(base(), fixed, manager);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'draft');
  r = await post(`${base()}/${id}/submit`, {}, manager);
  r = await post(`${base()}/${id}/approve`, {}, admin);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');

  const pub = await get(base());
  assert.ok(pub.json.items.some((d) => d.id === id && d.status === 'approved'), 'public once approved');
  const hist = await get(`/api/v1/disclosures/${id}/versions`, manager);
  assert.equal(hist.status, 200, hist.text);
  assert.deepEqual(hist.json.items.map((v) => v.status), ['draft', 'submitted', 'returned', 'draft', 'submitted', 'approved']);
  assertProblem(await get(`/api/v1/disclosures/${id}/versions`, resident), 403, 'history is for staff');

  // A correction starts a new draft; the public keeps the approved numbers meanwhile.
  r = await post(base(), settlement(), manager);
  assert.equal(r.json.status, 'draft');
  const seen = await get(`/api/v1/disclosures/${id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.json.status, 'approved');
  assert.equal(seen.json.lines.length, 5, 'the approved version, not the correction');
});

test('another facility, a resident and an anonymous caller may not write', async () => {
  const otherBase = `/api/v1/facilities/${other.id}/disclosures`;
  assertProblem(await post(otherBase, settlement({ fiscal_year: year - 1 }), manager), 403, "another facility's disclosures");
  assertProblem(await post(base(), settlement(), resident), 403, 'resident');
  assertProblem(await call(server, 'POST', base(), { body: settlement() }), 401, 'anonymous');
  const staff = await get(base(), admin);
  const submitted = staff.json.items.find((d) => d.status === 'submitted');
  assertProblem(await post(`${otherBase}/${submitted.id}/approve`, {}, admin), 404, 'a disclosure of another facility');
  assertProblem(await post(`${base()}/${submitted.id}/submit`, {}, resident), 403, 'resident submitting');
  // An official may draft for any facility of the district.
  const r = await post(otherBase, settlement({ fiscal_year: year - 1 }), admin);
  assert.equal(r.status, 201, r.text);
});

test('bad disclosures are refused with 422 naming every field', async () => {
  const bad = settlement({ fiscal_year: 1990 });
  bad.lines[0].amount = -1;
  bad.lines[1].category = '기부금';
  bad.donations[1].used_amount = 70_000_000;
  let p = assertProblem(await post(base(), bad, manager), 422, 'several problems');
  const f = errorFields(p);
  for (const x of ['fiscal_year', 'lines[0].amount', 'lines[1].category', 'donations[1].used_amount'])
    assert.ok(f.includes(x), `${x} in ${JSON.stringify(f)}`);
  assert.ok(p.errors.some((e) => e.code === 'used_more_than_received'));

  const deficit = settlement();
  deficit.lines[3].amount = 400_000_000;
  p = assertProblem(await post(base(), deficit, manager), 422, 'deficit settlement');
  assert.ok(p.errors.some((e) => e.field === 'lines' && e.code === 'expenditure_exceeds_revenue'), JSON.stringify(p.errors));

  const budget = { fiscal_year: year + 1, kind: 'budget', lines: [
    { side: 'revenue', category: '보조금', amount: 100 }, { side: 'expenditure', category: '사업비', amount: 90 }] };
  p = assertProblem(await post(base(), budget, manager), 422, 'unbalanced budget');
  assert.ok(p.errors.some((e) => e.code === 'unbalanced_budget'));

  p = assertProblem(await post(base(), { fiscal_year: year, kind: 'plan', lines: 'x', colour: 1 }, manager), 422, 'shape');
  assert.deepEqual(errorFields(p).sort(), ['colour', 'kind', 'lines']);
  assertProblem(await post(base(), { fiscal_year: year, kind: 'settlement', lines: [{ side: 'revenue', category: '보조금', amount: 1.5 }] }, manager),
    422, 'fractional won');
  assertProblem(await call(server, 'POST', base(), { body: '{"fiscal_year":', session: manager, headers: { 'Content-Type': 'application/json' } }),
    400, 'not JSON');
});

// --- downloads -----------------------------------------------------------------------------

test('CSV and XLSX downloads carry a Korean file name and the numbers', async () => {
  const pub = await get(base());
  const s = pub.json.items.find((d) => d.kind === 'settlement' && d.fiscal_year === year - 1);
  const csv = await fetch(`${server.url}/api/v1/disclosures/${s.id}.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const cd = csv.headers.get('content-disposition');
  assert.match(cd, /^attachment; filename="[\x20-\x7e]+\.csv"; filename\*=UTF-8''/);
  const name = decodeURIComponent(cd.split("UTF-8''")[1]);
  assert.equal(name, `한빛노인종합복지관_${year - 1}_결산.csv`);
  const bytes = Buffer.from(await csv.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for spreadsheet programs');
  const text = bytes.toString('utf8').slice(1);
  const rows = text.trim().split('\r\n');
  assert.match(rows[0], /^시설,회계연도,구분,항목,관/);
  const detail = (await get(`/api/v1/disclosures/${s.id}`)).json;
  assert.equal(rows.length, 1 + detail.lines.length + detail.donations.length);
  assert.ok(rows.some((r) => r.includes('보조금')));

  const xlsx = await fetch(`${server.url}/api/v1/disclosures/${s.id}.xlsx`);
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(xlsx.headers.get('content-disposition'), /filename\*=UTF-8''.*\.xlsx$/);
  const book = Buffer.from(await xlsx.arrayBuffer());
  assert.equal(book.subarray(0, 2).toString('latin1'), 'PK', 'a zip');
  const file = path.join(server.dir, 'd.xlsx');
  writeFileSync(file, book);
  const listing = execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
  for (const part of ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet4.xml', 'xl/styles.xml'])
    assert.ok(listing.includes(part), `${part} in\n${listing}`);
  const styles = execFileSync('unzip', ['-p', file, 'xl/styles.xml'], { encoding: 'utf8' });
  assert.ok(styles.includes('#,##0'), 'the won number format');
  const sheet2 = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet2.xml'], { encoding: 'utf8' });
  assert.ok(sheet2.includes('<v>1150000000</v>'), 'amounts are numbers, not text');

  const staff = await get(base(), admin);
  const submitted = staff.json.items.find((d) => d.status === 'submitted');
  assert.equal((await fetch(`${server.url}/api/v1/disclosures/${submitted.id}.xlsx`)).status, 404, 'not public yet');
  assert.equal((await get('/api/v1/disclosures/nope.csv')).status, 404);
});

// --- news ------------------------------------------------------------------------------------

test('news: the public reads pages; officials post, edit and delete; others may not', async () => {
  const list = await get('/api/v1/news');
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.total >= 10, `demo news: ${list.json.total}`);
  const times = list.json.items.map((n) => n.published_at);
  assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  assert.equal((await get('/api/v1/news?page=2')).json.page, 2);
  assertProblem(await get('/api/v1/news?page=0'), 422, 'page 0');

  const item = { title: '무료 법률 상담의 날', body: '매월 첫째 주 수요일\n구청 1층에서 상담합니다.' };
  assertProblem(await post('/api/v1/news', item, resident), 403, 'resident');
  assertProblem(await post('/api/v1/news', item, manager), 403, 'facility manager');
  assertProblem(await call(server, 'POST', '/api/v1/news', { body: item }), 401, 'anonymous');

  let r = await post('/api/v1/news', item, admin);
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(r.json.body, item.body, 'line breaks kept');
  assert.equal((await get('/api/v1/news')).json.items[0].id, id, 'newest first');

  const p = assertProblem(await post('/api/v1/news', { title: '', body: '가'.repeat(20001), published_at: 'tomorrow' }, admin), 422);
  assert.deepEqual(errorFields(p).sort(), ['body', 'published_at', 'title']);

  r = await call(server, 'PUT', `/api/v1/news/${id}`, { body: { title: '무료 법률 상담의 날 (장소 변경)' }, session: admin });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.title, '무료 법률 상담의 날 (장소 변경)');
  assert.equal(r.json.body, item.body);
  assertProblem(await call(server, 'PUT', `/api/v1/news/${id}`, { body: { title: 'x' }, session: resident }), 403);

  // Scheduled news stays hidden from the public until its time.
  const later = new Date(Date.now() + 3 * 86400 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  r = await post('/api/v1/news', { ...item, title: '예정된 소식', published_at: later }, admin);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.published_at, later);
  assert.ok(!(await get('/api/v1/news')).json.items.some((n) => n.id === r.json.id));
  assertProblem(await get(`/api/v1/news/${r.json.id}`), 404, 'scheduled item hidden');
  assert.equal((await get(`/api/v1/news/${r.json.id}`, admin)).status, 200, 'officials see it');

  assertProblem(await call(server, 'DELETE', `/api/v1/news/${id}`, { session: manager }), 403);
  r = await call(server, 'DELETE', `/api/v1/news/${id}`, { session: admin });
  assert.equal(r.status, 204);
  assertProblem(await get(`/api/v1/news/${id}`), 404);
  assertProblem(await call(server, 'DELETE', `/api/v1/news/${id}`, { session: admin }), 404);
});

// --- jobs ------------------------------------------------------------------------------------

test('jobs: open ones only, soonest closing first, searchable and paginated', async () => {
  const r = await get('/api/v1/jobs');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.total >= 50 && r.json.total < 62, `demo jobs less the expired ones: ${r.json.total}`);
  const today = todaySeoul();
  for (const j of r.json.items) {
    for (const k of ['title', 'employer', 'place', 'wage', 'period', 'contact', 'source', 'valid_until'])
      assert.equal(typeof j[k], 'string', `${k} of ${JSON.stringify(j)}`);
    assert.ok(j.valid_until >= today, `expired job listed: ${j.valid_until}`);
  }
  const until = r.json.items.map((j) => j.valid_until);
  assert.deepEqual(until, [...until].sort());
  const p2 = await get('/api/v1/jobs?page=2');
  assert.equal(p2.json.page, 2);
  assert.ok(!p2.json.items.some((j) => r.json.items.some((x) => x.id === j.id)), 'pages do not overlap');

  const q = await get(`/api/v1/jobs?q=${enc('바리스타')}`);
  assert.ok(q.json.total >= 1);
  for (const j of q.json.items) assert.match(j.title + j.description, /바리스타/);
  assert.equal((await get(`/api/v1/jobs?q=${enc('존재하지않는일자리')}`)).json.total, 0);
  assertProblem(await get(`/api/v1/jobs?q=${'가'.repeat(201)}`), 422, 'very long query');
  assertProblem(await get('/api/v1/jobs?page=x'), 422, 'bad page');
});

test('dure import jobs: all or nothing, with the line and field of every bad row', () => {
  const run = (file) => spawnSync(dureBin, ['import', 'jobs', file], { env: server.env, encoding: 'utf8' });
  const bad = path.join(server.dir, 'bad-jobs.csv');
  writeFileSync(bad, 'title,employer,place,wage,period,contact,source,valid_until\n'
    + '새 일자리,한빛구청,은행동,시급 10320원,상시,02-555-0000,테스트 출처,2099-12-31\n'
    + ',한빛구청,은행동,,,,테스트 출처,2099-12-31\n'
    + '또 다른 일자리,한빛구청,은행동,,,,테스트 출처,2099-13-01\n');
  let r = run(bad);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /nothing was written/);
  assert.match(r.stderr, /bad-jobs\.csv:3: title: required/);
  assert.match(r.stderr, /bad-jobs\.csv:4: valid_until:/);

  const good = path.join(server.dir, 'jobs.json');
  writeFileSync(good, JSON.stringify({ source: '테스트 출처', jobs: [
    { title: '테스트 급식 도우미', employer: '한빛구청', place: '은행동', valid_until: '2099-12-31' }] }));
  r = run(good);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /imported 1 jobs/);
  return (async () => {
    const found = await get(`/api/v1/jobs?q=${enc('테스트 급식')}`);
    assert.equal(found.json.total, 1);
    assert.equal(found.json.items[0].source, '테스트 출처');
    assert.equal((await get(`/api/v1/jobs?q=${enc('새 일자리')}`)).json.total, 0, 'the refused file wrote nothing');
  })();
});

test('dure import jobs fetches a partner feed over HTTP (libcurl) and refuses a failing one', async () => {
  // A partner feed on loopback: the real transport, not a fake.
  const feed = JSON.stringify({ source: '협력기관 피드', jobs: [
    { title: '피드로 온 경로당 도우미', employer: '한빛구 노인일자리센터', place: '버들동', valid_until: '2099-12-31' }] });
  const http = await import('node:http');
  const srv = http.createServer((req, res) => {
    if (req.url === '/jobs.json') { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(feed); }
    else { res.writeHead(503); res.end('down'); }
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${srv.address().port}`;
  const run = (url) => new Promise((resolve) => {
    const child = spawn(dureBin, ['import', 'jobs', url], { env: server.env });
    let stdout = '', stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
  try {
    let r = await run(`${base}/jobs.json`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /imported 1 jobs/);
    const found = await get(`/api/v1/jobs?q=${enc('피드로 온')}`);
    assert.equal(found.json.total, 1);
    r = await run(`${base}/down.json`);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /HTTP 503/);
  } finally {
    srv.close();
  }
});

test('the routes are in the OpenAPI document', async () => {
  const r = await get('/api/openapi.json');
  const paths = Object.keys(r.json.paths);
  for (const p of ['/api/v1/facilities/{id}/disclosures', '/api/v1/disclosures/{did}', '/api/v1/news', '/api/v1/jobs'])
    assert.ok(paths.includes(p), p);
});
