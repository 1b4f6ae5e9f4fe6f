// The welfare-service catalogue API (docs/api.md "Catalogue", issue 3) against a real server with
// the demo district: 56 real national programs plus a seeded remainder (3,000 services) and
// 3,000 facilities. Korean search (n-grams, initial consonants, synonyms, typos), filters and
// disjunctive facets, bad input, the service page, officials' editing with versions, retiring,
// verifying and the freshness queue, facilities (type, dong, distance, manager scope), the
// vocabulary and the OpenAPI listing. Node standard library only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs, rawExchange, districts } from './_client.mjs';

let server;
let admin; // district_admin session {cookie, csrf}
let resident;
let all; // GET /api/v1/services with no parameters

const enc = encodeURIComponent;
const get = (p, opts) => call(server, 'GET', p, opts);
const search = async (qs, what = qs) => {
  const r = await get(`/api/v1/services?${qs}`);
  assert.equal(r.status, 200, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
};
const codes = (list) => list.map((x) => x.code);
const facet = (f, code) => (f.find((x) => x.code === code) || { count: 0 }).count;
const ids = (res) => res.items.map((i) => i.id);
// Today in Asia/Seoul (UTC+9, no daylight saving), as YYYY-MM-DD.
const todaySeoul = () => new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
// A lowercase word of `n` letters that no demo service contains, and far (in edits) from any other.
const word = (n = 14) => Array.from(randomBytes(n), (b) => String.fromCharCode(97 + (b % 26))).join('');

function haversine(lat1, lon1, lat2, lon2) {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(a));
}

before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  resident = await loginAs(server, 'resident');
  all = await search('', 'all services');
});
after(async () => { if (server) await server.stop(); });

// --- search ------------------------------------------------------------------------------------

test('the demo catalogue holds at least 3,000 services and the answer has the documented shape', () => {
  assert.ok(all.total >= 3000, `total ≥ 3000: ${all.total}`);
  assert.equal(all.page, 1);
  assert.equal(typeof all.page_size, 'number');
  assert.equal(all.items.length, all.page_size, 'a full first page');
  assert.deepEqual(Object.keys(all.query).sort(), ['normalized', 'notes']);
  for (const k of ['life_stage', 'situation', 'topic', 'provider']) {
    assert.ok(Array.isArray(all.facets[k]) && all.facets[k].length > 0, `facet ${k}: ${JSON.stringify(all.facets[k])}`);
    for (const f of all.facets[k]) {
      assert.ok(f.code && f.ko && f.en && Number.isInteger(f.count), `facet entry {code,ko,en,count}: ${JSON.stringify(f)}`);
    }
  }
  const s = all.items[0];
  for (const k of ['id', 'name', 'alternate_name', 'description', 'status', 'program_code', 'provider_level',
    'organization_id', 'life_stages', 'situations', 'topics', 'dong_ids', 'last_verified', 'version', 'why']) {
    assert.ok(k in s, `summary has ${k}: ${JSON.stringify(s).slice(0, 400)}`);
  }
  assert.ok(s.provider_level.code && s.provider_level.ko && s.provider_level.en, 'provider_level is {code,ko,en}');
});

test('q=기초연금 ranks the program named 기초연금 (basic_pension) first', async () => {
  const r = await search(`q=${enc('기초연금')}`);
  assert.ok(r.total >= 1, `found: ${r.total}`);
  assert.equal(r.items[0].name, '기초연금', `first item: ${JSON.stringify(r.items.slice(0, 3).map((i) => i.name))}`);
  assert.equal(r.items[0].program_code, 'basic_pension');
  assert.equal(r.items[0].provider_level.code, 'national');
  assert.equal(typeof r.items[0].why, 'string');
  assert.ok(r.items[0].why.length > 0, 'why explains the match');
  assert.equal(r.query.normalized, '기초연금');
});

test('initial consonants ㄱㅊㅇㄱ find 기초연금, first', async () => {
  const r = await search(`q=${enc('ㄱㅊㅇㄱ')}`);
  assert.ok(r.total >= 1, `found: ${r.total}`);
  assert.equal(r.items[0].program_code, 'basic_pension', `first: ${JSON.stringify(r.items.slice(0, 3).map((i) => [i.name, i.why]))}`);
  assert.match(r.items[0].why, /초성/, `why mentions the initials match: ${r.items[0].why}`);
  // Every result's name (or why) must be an initials match, not everything.
  assert.ok(r.total < all.total / 10, `initials are selective: ${r.total} of ${all.total}`);
});

test('synonyms: 어르신 finds services that say 노인 and 노인 finds those that say 어르신', async () => {
  const elder = await search(`q=${enc('어르신')}`);
  const old = await search(`q=${enc('노인')}`);
  assert.ok(elder.total > 0 && old.total > 0, `both find something: 어르신 ${elder.total}, 노인 ${old.total}`);
  // One synonym group, matched symmetrically: both words find the same services.
  assert.equal(elder.total, old.total, 'the synonym group is symmetric');

  // Among the national programs a search for 어르신 finds those named 노인… through the synonym.
  const elderNational = await search(`q=${enc('어르신')}&provider=national`);
  const viaSyn = elderNational.items.filter((i) => /동의어 어르신→노인/.test(i.why));
  assert.ok(viaSyn.length > 0, `some 어르신 hits come through 노인: ${JSON.stringify(elderNational.items.map((i) => [i.name, i.why]))}`);
  assert.ok(viaSyn.some((i) => i.name.includes('노인') && !i.name.includes('어르신')),
    `e.g. a service named with 노인: ${JSON.stringify(viaSyn.map((i) => i.name))}`);
  assert.ok(elderNational.items.some((i) => i.program_code === 'basic_pension' || i.name.startsWith('노인')),
    'national programs for older people are found');

  // And the reverse: a search for 노인 finds services named 어르신… with the synonym in why.
  const reverse = old.items.filter((i) => /동의어 노인→어르신/.test(i.why));
  assert.ok(reverse.length > 0, `some 노인 hits come through 어르신: ${JSON.stringify(old.items.map((i) => [i.name, i.why]))}`);
  assert.ok(reverse.every((i) => !i.name.includes('노인')), 'those hits do not themselves say 노인 in the name');
});

test('a typo, 기초연굼, still finds 기초연금 first, with a note in query.notes', async () => {
  const r = await search(`q=${enc('기초연굼')}`);
  assert.ok(r.total >= 1, `found: ${JSON.stringify(r.query)}`);
  assert.equal(r.items[0].program_code, 'basic_pension', `first: ${JSON.stringify(r.items.slice(0, 3).map((i) => i.name))}`);
  assert.ok(r.query.notes.some((n) => n.includes('기초연금')), `a note names the correction: ${JSON.stringify(r.query.notes)}`);
  assert.match(r.items[0].why, /오타/, `why tells it was a typo match: ${r.items[0].why}`);
});

test('life_stage=senior narrows the total and every item is for older adults', async () => {
  const r = await search('life_stage=senior');
  assert.ok(r.total > 0 && r.total < all.total, `narrower: ${r.total} of ${all.total}`);
  assert.equal(r.total, facet(all.facets.life_stage, 'senior'), 'total equals the unfiltered senior facet count');
  for (const i of r.items) assert.ok(codes(i.life_stages).includes('senior'), `${i.name}: ${JSON.stringify(i.life_stages)}`);
  const page3 = await search('life_stage=senior&page=3');
  for (const i of page3.items) assert.ok(codes(i.life_stages).includes('senior'), `page 3 ${i.name}`);
});

test('two topics are OR-ed, in either spelling (comma or repeated)', async () => {
  const housing = await search('topic=housing');
  const energy = await search('topic=energy');
  const both = await search('topic=housing,energy');
  const repeated = await search('topic=housing&topic=energy');
  assert.ok(housing.total > 0 && energy.total > 0, `each topic has services: ${housing.total}, ${energy.total}`);
  assert.ok(both.total >= Math.max(housing.total, energy.total), `OR is at least each: ${both.total}`);
  assert.ok(both.total <= housing.total + energy.total, `OR is at most the sum: ${both.total}`);
  assert.ok(both.total > Math.min(housing.total, energy.total), 'OR is wider than the smaller topic');
  assert.equal(repeated.total, both.total, 'topic=a&topic=b equals topic=a,b');
  assert.deepEqual(ids(repeated), ids(both));
  for (const i of both.items) {
    assert.ok(codes(i.topics).some((c) => c === 'housing' || c === 'energy'), `${i.name}: ${JSON.stringify(codes(i.topics))}`);
  }
});

test('life_stage AND topic: every item has both, and the total is at most either alone', async () => {
  const ls = await search('life_stage=senior');
  const tp = await search('topic=care');
  const r = await search('life_stage=senior&topic=care');
  assert.ok(r.total > 0, 'there are senior care services');
  assert.ok(r.total < ls.total && r.total < tp.total, `AND narrows: ${r.total} vs ${ls.total}, ${tp.total}`);
  for (const i of r.items) {
    assert.ok(codes(i.life_stages).includes('senior') && codes(i.topics).includes('care'), `${i.name}`);
  }
  assert.equal(r.total, facet(tp.facets.life_stage, 'senior'), 'AND total equals the senior count in the care search\'s facet');
});

test('facets are disjunctive: each ignores its own filter but applies the others', async () => {
  const r = await search('topic=housing');
  const otherTopics = r.facets.topic.filter((f) => f.code !== 'housing' && f.count > 0);
  assert.ok(otherTopics.length >= 3, `with topic=housing the topic facet still lists other topics: ${JSON.stringify(r.facets.topic)}`);
  // The topic facet ignores topic=housing: it is the unfiltered topic facet.
  for (const f of all.facets.topic) assert.equal(facet(r.facets.topic, f.code), f.count, `topic facet ${f.code}`);
  assert.equal(facet(r.facets.topic, 'housing'), r.total, 'the selected topic counts the returned total');
  // The other facets apply topic=housing.
  const lsSum = r.facets.life_stage.reduce((a, f) => a + f.count, 0);
  assert.ok(lsSum >= r.total, `life_stage counts sum ≥ total: ${lsSum} < ${r.total}`);
  assert.ok(lsSum < all.total, `life_stage facet is restricted to housing: ${lsSum}`);
  const seniorHousing = await search('topic=housing&life_stage=senior');
  assert.equal(facet(r.facets.life_stage, 'senior'), seniorHousing.total, 'life_stage facet count = the total when chosen');
  const natHousing = await search('topic=housing&provider=national');
  assert.equal(facet(r.facets.provider, 'national'), natHousing.total, 'provider facet count = the total when chosen');
  // And with two filters, each facet ignores only its own.
  const lsFacetUnderBoth = natHousing.facets.life_stage.reduce((a, f) => a + f.count, 0);
  assert.ok(lsFacetUnderBoth <= lsSum, 'life_stage facet narrows further with provider=national');
  const natAny = await search('provider=national');
  for (const f of natAny.facets.topic) {
    assert.equal(facet(natHousing.facets.topic, f.code), f.count, `topic facet under provider=national&topic=housing: ${f.code}`);
  }
});

test('dong= narrows: every item serves that dong or is not tied to dongs', async () => {
  const d = (await districts(server))[0];
  const dong = d.dongs[1].id;
  const r = await search(`dong=${dong}`);
  assert.ok(r.total > 0 && r.total < all.total, `narrower: ${r.total} of ${all.total}`);
  for (let page = 1; page <= 3; page++) {
    const p = page === 1 ? r : await search(`dong=${dong}&page=${page}`);
    for (const i of p.items) {
      assert.ok(i.dong_ids.length === 0 || i.dong_ids.includes(dong), `${i.name} dong_ids ${JSON.stringify(i.dong_ids)} vs ${dong}`);
    }
  }
  // Services tied to other dongs only are the ones left out.
  const other = d.dongs[2].id;
  const r2 = await search(`dong=${other}`);
  assert.notDeepEqual([r.total, ids(r)], [r2.total, ids(r2)], 'two dongs give different answers');
});

test('provider=national returns at least 40 real programs, all national', async () => {
  const r = await search('provider=national');
  assert.ok(r.total >= 40, `national programs: ${r.total}`);
  for (const i of r.items) assert.equal(i.provider_level.code, 'national', i.name);
  assert.ok(r.items.some((i) => i.program_code), 'national programs carry program codes');
});

test('pagination: page 2 differs from page 1, total is stable, no item repeats', async () => {
  const p1 = await search(`q=${enc('지원')}`);
  const p2 = await search(`q=${enc('지원')}&page=2`);
  assert.ok(p1.total > 2 * p1.page_size, `enough results to page: ${p1.total}`);
  assert.equal(p2.total, p1.total);
  assert.equal(p2.page, 2);
  assert.equal(p2.items.length, p1.page_size);
  const overlap = ids(p2).filter((id) => ids(p1).includes(id));
  assert.deepEqual(overlap, [], 'pages do not overlap');
  const again = await search(`q=${enc('지원')}`);
  assert.deepEqual(ids(again), ids(p1), 'the order is deterministic');
  const beyond = await search(`q=${enc('지원')}&page=${Math.ceil(p1.total / p1.page_size) + 1}`);
  assert.equal(beyond.items.length, 0, 'past the last page: no items');
  assert.equal(beyond.total, p1.total);
});

test('unknown codes and bad pages are 422 problems naming the parameter', async () => {
  const cases = [
    ['topic=nope', 'topic'],
    ['topic=housing,nope', 'topic'],
    ['life_stage=old', 'life_stage'],
    ['situation=rich', 'situation'],
    ['provider=federal', 'provider'],
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['dong=x', 'dong'],
  ];
  for (const [qs, field] of cases) {
    const p = assertProblem(await get(`/api/v1/services?${qs}`), 422, qs);
    assert.ok(errorFields(p, qs).includes(field), `${qs}: errors name ${field}: ${JSON.stringify(p.errors)}`);
  }
  const p = assertProblem(await get('/api/v1/services?topic=nope&life_stage=old'), 422, 'two bad');
  assert.deepEqual(errorFields(p).sort(), ['life_stage', 'topic']);
});

test('POST /api/v1/services/search gives the same answer as GET', async () => {
  const body = { q: '노인', life_stage: ['senior'], topic: ['care', 'livelihood'], provider: ['national', 'district'] };
  const viaPost = await call(server, 'POST', '/api/v1/services/search', { body });
  assert.equal(viaPost.status, 200, viaPost.text.slice(0, 300));
  const viaGet = await search(`q=${enc('노인')}&life_stage=senior&topic=care,livelihood&provider=national,district`);
  assert.equal(viaPost.json.total, viaGet.total);
  assert.deepEqual(ids(viaPost.json), ids(viaGet));
  assert.deepEqual(viaPost.json.facets, viaGet.facets);
  const bad = assertProblem(await call(server, 'POST', '/api/v1/services/search', { body: { q: 'x', topic: ['nope'] } }), 422, 'POST unknown topic');
  assert.ok(errorFields(bad).includes('topic'), JSON.stringify(bad.errors));
});

// --- bad input -----------------------------------------------------------------------------------

test('a 10,000-character ASCII q by GET answers 200 quickly and says it was shortened', async () => {
  const q = 'a'.repeat(10000);
  const t0 = Date.now();
  const r = await get(`/api/v1/services?q=${q}`);
  const ms = Date.now() - t0;
  assert.equal(r.status, 200, `${r.status} ${r.text.slice(0, 300)}`);
  assert.ok(ms < 2000, `answered in ${ms} ms`);
  assert.ok(r.json.query.normalized.length <= 1000, `normalized query is bounded: ${r.json.query.normalized.length}`);
  assert.ok(r.json.query.notes.some((n) => /길어|짧|자만|shorten|truncat/i.test(n)),
    `a note says the query was shortened: ${JSON.stringify(r.json.query.notes)}`);
  // Many short words in mixed scripts, kept under the 16 KiB request-head limit once encoded.
  const mixed = 'ab 기초 ㄱㅊ '.repeat(120);
  const t1 = Date.now();
  const r2 = await get(`/api/v1/services?q=${enc(mixed)}`);
  assert.equal(r2.status, 200, `many words: ${r2.status} ${r2.text.slice(0, 200)}`);
  assert.ok(Date.now() - t1 < 2000, 'many words answered quickly');
});

test('a 10,000-character Korean q by POST /api/v1/services/search answers 200 with a note', async () => {
  const q = '기초연금'.repeat(2500);
  assert.equal(q.length, 10000);
  const t0 = Date.now();
  const r = await call(server, 'POST', '/api/v1/services/search', { body: { q } });
  const ms = Date.now() - t0;
  assert.equal(r.status, 200, `${r.status} ${r.text.slice(0, 300)}`);
  assert.ok(ms < 2000, `answered in ${ms} ms`);
  assert.ok(Array.isArray(r.json.items) && Number.isInteger(r.json.total));
  assert.ok(r.json.query.notes.length > 0, `notes explain the shortening: ${JSON.stringify(r.json.query.notes)}`);
  // Distinct words: a query of 10,000 different syllables, spaced.
  const syllables = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(0xac00 + ((i * 37) % 11172))).join(' ');
  const r2 = await call(server, 'POST', '/api/v1/services/search', { body: { q: syllables } });
  assert.equal(r2.status, 200, `${r2.status} ${r2.text.slice(0, 300)}`);
});

test('control characters and mixed scripts give a sane 200', async () => {
  const r = await get(`/api/v1/services?q=${enc('basic 연금\u0007')}`);
  assert.equal(r.status, 200, `${r.status} ${r.text.slice(0, 300)}`);
  assert.ok(!/[\u0000-\u001f\u007f]/.test(r.json.query.normalized), `no control characters survive: ${JSON.stringify(r.json.query.normalized)}`);
  assert.ok(r.json.items.some((i) => i.program_code === 'basic_pension'), `basic 연금 finds Basic Pension / 기초연금: ${JSON.stringify(r.json.items.map((i) => i.name))}`);
  for (const q of ['\u0000', '\u001b[31m기초\u001b[0m', '기초\r\n연금', 'Ｂａｓｉｃ 年金 базовая пенсия 🧓', '\u202e금연초기', '\t\t\t']) {
    const x = await get(`/api/v1/services?q=${enc(q)}`);
    assert.equal(x.status, 200, `${JSON.stringify(q)}: ${x.status} ${x.text.slice(0, 200)}`);
    assert.ok(Array.isArray(x.json.items) && Number.isInteger(x.json.total), `${JSON.stringify(q)}: a search answer`);
    assert.ok(!/[\u0000-\u001f\u007f]/.test(x.json.query.normalized), `${JSON.stringify(q)}: normalized ${JSON.stringify(x.json.query.normalized)}`);
  }
  // Bytes that are not UTF-8 at all: still an answer (200) or a clean problem, never a crash.
  const bad = await get('/api/v1/services?q=%FF%FE%C0%80');
  assert.ok(bad.status === 200 || (bad.status === 400 || bad.status === 422), `invalid UTF-8: ${bad.status} ${bad.text.slice(0, 200)}`);
  if (bad.status === 200) JSON.parse(bad.text);
  assert.equal((await get('/healthz')).status, 200, 'server still up');
});

test('unencoded UTF-8 in the raw request target works (GET /api/v1/services?q=기초연금)', async () => {
  const req = Buffer.from('GET /api/v1/services?q=기초연금 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 'utf8');
  const out = await rawExchange(server.port, req);
  const res = out.responses[0];
  assert.ok(res, `a response: ${out.data.toString('latin1').slice(0, 300)}`);
  assert.equal(res.status, 200, `raw UTF-8 target: ${res.status} ${res.text.slice(0, 400)}`);
  const body = JSON.parse(res.text);
  assert.equal(body.items[0]?.program_code, 'basic_pension', `first item: ${res.text.slice(0, 300)}`);
  assert.equal(body.query.normalized, '기초연금');
  // Raw UTF-8 in a path that does not exist: a clean 404 whose instance is the path as sent.
  const out2 = await rawExchange(server.port, Buffer.from('GET /api/v1/없는길 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 'utf8'));
  const res2 = out2.responses[0];
  assert.ok(res2, 'a response for the unknown UTF-8 path');
  assert.equal(res2.status, 404, `unknown UTF-8 path: ${res2.status} ${res2.text.slice(0, 300)}`);
  assert.ok(!/[\u0000-\u0008]/.test(res2.text), `no stray bytes in the problem: ${JSON.stringify(res2.text.slice(0, 300))}`);
});

test('invalid JSON to POST /api/v1/services/search → 400 problem; a non-string q → 422', async () => {
  const r = await call(server, 'POST', '/api/v1/services/search', { body: '{"q": "기초', headers: { 'Content-Type': 'application/json' } });
  const p = assertProblem(r, 400, 'invalid JSON');
  assert.ok(Array.isArray(p.errors), `400 carries errors[]: ${r.text}`);
  const p2 = assertProblem(await call(server, 'POST', '/api/v1/services/search', { body: { q: 42 } }), 422, 'q: 42');
  assert.ok(errorFields(p2).includes('q'), JSON.stringify(p2.errors));
  const p3 = assertProblem(await call(server, 'POST', '/api/v1/services/search', { body: { q: 'x', sort: 'name' } }), 422, 'unknown member');
  assert.ok(errorFields(p3).includes('sort'), JSON.stringify(p3.errors));
  const p4 = assertProblem(await call(server, 'POST', '/api/v1/services/search', { body: { topic: 'care' } }), 422, 'topic not a list');
  assert.ok(errorFields(p4).includes('topic'), JSON.stringify(p4.errors));
});

// --- the service page ------------------------------------------------------------------------

test('GET /api/v1/services/{id} of 기초연금 tells who it is for, how to apply, who runs it, and the source', async () => {
  const hit = (await search(`q=${enc('기초연금')}`)).items[0];
  const r = await get(`/api/v1/services/${hit.id}`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const s = r.json;
  assert.equal(s.id, hit.id);
  assert.equal(s.name, '기초연금');
  assert.equal(s.program_code, 'basic_pension');
  assert.equal(s.status, 'active');
  for (const k of ['eligibility_description', 'application_process', 'source']) {
    assert.equal(typeof s[k], 'string', k);
    assert.ok(s[k].length > 10, `${k} is filled: ${JSON.stringify(s[k])}`);
  }
  assert.match(s.eligibility_description, /65세/, 'eligibility mentions the age');
  assert.ok(s.organization && typeof s.organization.name === 'string' && s.organization.name.length > 0,
    `organization {id, name, website}: ${JSON.stringify(s.organization)}`);
  assert.equal(s.organization.id, s.organization_id);
  assert.match(s.source, /https?:\/\//, `source cites where the text comes from: ${s.source}`);
  for (const k of ['application_period', 'fees_description', 'minimum_age', 'maximum_age', 'channels', 'keywords', 'url', 'facilities']) {
    assert.ok(k in s, `detail has ${k}`);
  }
  assert.ok(Array.isArray(s.channels) && s.channels.every((c) => c.code && c.ko && c.en), `channels labelled: ${JSON.stringify(s.channels)}`);
  assert.ok(Array.isArray(s.facilities));
});

test('an unknown service id is a 404 problem', async () => {
  for (const id of ['00000000-0000-4000-8000-000000000000', 'nope', '%E2%80%AE']) {
    assertProblem(await get(`/api/v1/services/${id}`), 404, `GET /api/v1/services/${id}`);
  }
});

// --- editing ---------------------------------------------------------------------------------

const firstWord = word();
const secondWord = word();
const keyword = `시험키워드${word(6)}`; // unique per run; still contains 시험키워드
let created; // the service the district_admin creates

const newService = () => ({
  name: `두레 시험 서비스 ${firstWord}`,
  provider_level: 'district',
  topics: ['care'],
  life_stages: ['senior'],
  keywords: ['시험키워드', keyword],
});

test('anonymous POST /api/v1/services → 401; resident → 403; without CSRF → 403', async () => {
  assertProblem(await call(server, 'POST', '/api/v1/services', { body: newService() }), 401, 'anonymous create');
  assertProblem(await call(server, 'POST', '/api/v1/services', { session: resident, body: newService() }), 403, 'resident create');
  const csrf = assertProblem(await call(server, 'POST', '/api/v1/services', { session: admin, csrf: false, body: newService() }), 403, 'no CSRF');
  assert.match(csrf.type, /csrf/);
  const none = await search(`q=${enc(firstWord)}`);
  assert.equal(none.total, 0, 'nothing was created by the refused calls');
});

test('district_admin creates a service (201) and search finds it at once by its keyword', async () => {
  const r = await call(server, 'POST', '/api/v1/services', { session: admin, body: newService() });
  assert.equal(r.status, 201, `create: ${r.status} ${r.text.slice(0, 400)}`);
  created = r.json;
  assert.equal(created.name, newService().name);
  assert.equal(created.status, 'active');
  assert.equal(created.provider_level.code, 'district');
  assert.deepEqual(codes(created.topics), ['care']);
  assert.deepEqual(codes(created.life_stages), ['senior']);
  assert.ok(Number.isInteger(created.version) && created.version >= 1, `version: ${created.version}`);
  assert.equal(created.last_verified, todaySeoul(), 'a new service counts as verified today');

  const byKeyword = await search(`q=${enc(keyword)}`);
  assert.ok(ids(byKeyword).includes(created.id), `found by its unique keyword: ${JSON.stringify(byKeyword.items.map((i) => i.name))}`);
  const byShared = await search(`q=${enc('시험키워드')}`);
  assert.ok(ids(byShared).includes(created.id), 'found by 시험키워드');
  const byName = await search(`q=${enc(firstWord)}`);
  assert.deepEqual(ids(byName), [created.id], 'found by the unique word of its name');
  const filtered = await search(`q=${enc(keyword)}&life_stage=senior&topic=care&provider=district`);
  assert.ok(ids(filtered).includes(created.id), 'and with matching filters');
  const excluded = await search(`q=${enc(keyword)}&provider=national`);
  assert.ok(!ids(excluded).includes(created.id), 'but not with a filter it does not match');
  const page = await get(`/api/v1/services/${created.id}`);
  assert.equal(page.status, 200);
  assert.deepEqual(page.json.keywords, ['시험키워드', keyword]);
});

test('PUT with the right version renames it; the old name no longer finds it, the new one does', async () => {
  assert.ok(created, 'the create step succeeded');
  const r = await call(server, 'PUT', `/api/v1/services/${created.id}`, {
    session: admin, body: { name: `두레 시험 서비스 ${secondWord}`, version: created.version, note: '이름 바꿈' },
  });
  assert.equal(r.status, 200, `edit: ${r.status} ${r.text.slice(0, 400)}`);
  assert.equal(r.json.name, `두레 시험 서비스 ${secondWord}`);
  assert.ok(r.json.version > created.version, `version went up: ${created.version} → ${r.json.version}`);
  assert.deepEqual(codes(r.json.topics), ['care'], 'fields not sent are kept');
  const old = created;
  created = r.json;

  const byOld = await search(`q=${enc(firstWord)}`);
  assert.ok(!ids(byOld).includes(created.id), `the old name's word no longer finds it: ${JSON.stringify(byOld.items.map((i) => [i.name, i.why]))}`);
  const byNew = await search(`q=${enc(secondWord)}`);
  assert.deepEqual(ids(byNew), [created.id], 'the new name\'s word finds it');
  assert.ok(ids(await search(`q=${enc(keyword)}`)).includes(created.id), 'still found by keyword');

  // A stale version: someone saved first.
  const stale = await call(server, 'PUT', `/api/v1/services/${created.id}`, {
    session: admin, body: { name: `두레 시험 서비스 ${word()}`, version: old.version },
  });
  assertProblem(stale, 409, 'stale version');
  const now = await get(`/api/v1/services/${created.id}`);
  assert.equal(now.json.name, created.name, 'the stale edit changed nothing');
  assert.equal(now.json.version, created.version);

  assertProblem(await call(server, 'PUT', `/api/v1/services/${created.id}`, { session: resident, body: { name: 'x', version: created.version } }), 403, 'resident PUT');
  assertProblem(await call(server, 'PUT', `/api/v1/services/${created.id}`, { body: { name: 'x', version: created.version } }), 401, 'anonymous PUT');
  const noVersion = assertProblem(await call(server, 'PUT', `/api/v1/services/${created.id}`, { session: admin, body: { name: 'x' } }), 422, 'PUT without version');
  assert.ok(errorFields(noVersion).includes('version'), JSON.stringify(noVersion.errors));
  assertProblem(await call(server, 'PUT', '/api/v1/services/00000000-0000-4000-8000-000000000000', {
    session: admin, body: { name: 'x', version: 1 },
  }), 404, 'PUT unknown id');
});

test('the versions endpoint lists the history (≥ 2 versions) for officials only', async () => {
  assert.ok(created, 'the create step succeeded');
  const r = await get(`/api/v1/services/${created.id}/versions`, { session: admin });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const items = r.json.items;
  assert.ok(Array.isArray(items) && items.length >= 2, `≥ 2 versions: ${JSON.stringify(items?.map((v) => v.version))}`);
  const versions = items.map((v) => v.version);
  assert.equal(new Set(versions).size, versions.length, 'versions are distinct');
  assert.ok(versions.includes(created.version), 'the current version is listed');
  for (const v of items) {
    for (const k of ['version', 'changed_by', 'changed_at', 'note', 'document']) assert.ok(k in v, `version has ${k}: ${JSON.stringify(v).slice(0, 200)}`);
  }
  assert.ok(items.some((v) => v.note === '이름 바꿈'), `the edit note is kept: ${JSON.stringify(items.map((v) => v.note))}`);
  assert.ok(JSON.stringify(items).includes(firstWord), 'an old version still holds the old name');
  assertProblem(await get(`/api/v1/services/${created.id}/versions`, { session: resident }), 403, 'resident versions');
  assertProblem(await get(`/api/v1/services/${created.id}/versions`), 401, 'anonymous versions');
});

test('invalid bodies → 422 naming the fields', async () => {
  const cases = [
    [{ ...newService(), colour: 'blue' }, ['colour']],
    [{ ...newService(), provider_level: 'galactic' }, ['provider_level']],
    [{ ...newService(), topics: 'care' }, ['topics']],
    [{ ...newService(), topics: ['nope'] }, ['topics']],
    [{ ...newService(), life_stages: ['old'] }, ['life_stages']],
    [{ ...newService(), minimum_age: 70, maximum_age: 60 }, ['maximum_age']],
    [{ provider_level: 'district', topics: ['care'] }, ['name']],
    [{ name: '이름만' }, ['provider_level', 'topics']],
    [{ ...newService(), colour: 'blue', provider_level: 'galactic', topics: 'care' }, ['colour', 'provider_level', 'topics']],
  ];
  for (const [body, fields] of cases) {
    const p = assertProblem(await call(server, 'POST', '/api/v1/services', { session: admin, body }), 422, JSON.stringify(body));
    const got = errorFields(p);
    for (const f of fields) assert.ok(got.includes(f), `${JSON.stringify(body)}: errors name ${f}: ${JSON.stringify(p.errors)}`);
  }
  const bad = await call(server, 'POST', '/api/v1/services', { session: admin, body: '{"name": ', headers: { 'Content-Type': 'application/json' } });
  assertProblem(bad, 400, 'malformed JSON create');
  if (created) {
    const p = assertProblem(await call(server, 'PUT', `/api/v1/services/${created.id}`, {
      session: admin, body: { version: created.version, topics: 'care', provider_level: 'x' },
    }), 422, 'PUT invalid');
    assert.ok(errorFields(p).includes('topics') && errorFields(p).includes('provider_level'), JSON.stringify(p.errors));
  }
  const none = await search(`q=${enc('이름만')}`);
  assert.ok(!none.items.some((i) => i.name === '이름만'), 'nothing was created by invalid bodies');
});

test('retire with {version, note}: gone from search, still on record as defunct', async () => {
  assert.ok(created, 'the create step succeeded');
  assertProblem(await call(server, 'POST', `/api/v1/services/${created.id}/retire`, { session: resident, body: { version: created.version, note: 'x' } }), 403, 'resident retire');
  const noNote = assertProblem(await call(server, 'POST', `/api/v1/services/${created.id}/retire`, { session: admin, body: { version: created.version } }), 422, 'retire without note');
  assert.ok(errorFields(noNote).includes('note'), JSON.stringify(noNote.errors));
  assertProblem(await call(server, 'POST', `/api/v1/services/${created.id}/retire`, { session: admin, body: { version: created.version - 1, note: '옛 판' } }), 409, 'retire stale');

  const r = await call(server, 'POST', `/api/v1/services/${created.id}/retire`, { session: admin, body: { version: created.version, note: '사업 종료' } });
  assert.equal(r.status, 200, `retire: ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.json.status, 'defunct');
  const byKeyword = await search(`q=${enc(keyword)}`);
  assert.ok(!ids(byKeyword).includes(created.id), 'gone from search by keyword');
  assert.equal((await search(`q=${enc(secondWord)}`)).total, 0, 'gone from search by name');
  const page = await get(`/api/v1/services/${created.id}`);
  assert.equal(page.status, 200, 'still on record');
  assert.equal(page.json.status, 'defunct');
  const hist = await get(`/api/v1/services/${created.id}/versions`, { session: admin });
  assert.ok(hist.json.items.some((v) => v.note === '사업 종료'), `the retirement is in the history: ${JSON.stringify(hist.json.items.map((v) => v.note))}`);
});

test('the freshness queue lists services not verified for 12 months, oldest first; verify takes one out', async () => {
  const cutoff = (() => {
    const [y, m, d] = todaySeoul().split('-').map(Number);
    const days = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
    return `${y - 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, days)).padStart(2, '0')}`;
  })();
  const r = await get('/api/v1/catalog/freshness', { session: admin });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const q = r.json;
  // The generator spreads last_verified over 24 months: about half are stale.
  assert.ok(q.total >= 300 && q.total < all.total, `stale services: ${q.total} of ${all.total}`);
  assert.equal(q.items.length, q.total);
  const dates = q.items.map((s) => s.last_verified);
  for (const s of q.items) {
    assert.ok(s.last_verified === '' || s.last_verified < cutoff, `${s.name} last_verified ${s.last_verified} is older than ${cutoff}`);
    assert.equal(s.status, 'active');
  }
  assert.deepEqual(dates, [...dates].sort(), 'oldest first');
  assert.ok(!q.items.some((s) => s.id === created?.id), 'the retired service is not in the queue');

  assertProblem(await get('/api/v1/catalog/freshness', { session: resident }), 403, 'resident freshness');
  assertProblem(await get('/api/v1/catalog/freshness'), 401, 'anonymous freshness');

  const oldest = q.items[0];
  assertProblem(await call(server, 'POST', `/api/v1/services/${oldest.id}/verify`, { session: resident }), 403, 'resident verify');
  const v = await call(server, 'POST', `/api/v1/services/${oldest.id}/verify`, { session: admin });
  assert.equal(v.status, 200, `verify: ${v.status} ${v.text.slice(0, 300)}`);
  assert.equal(v.json.last_verified, todaySeoul(), 'last_verified is today in Asia/Seoul');
  const page = await get(`/api/v1/services/${oldest.id}`);
  assert.equal(page.json.last_verified, todaySeoul());
  const after = await get('/api/v1/catalog/freshness', { session: admin });
  assert.equal(after.json.total, q.total - 1, 'one fewer in the queue');
  assert.ok(!after.json.items.some((s) => s.id === oldest.id), 'the verified service left the queue');
  assertProblem(await call(server, 'POST', '/api/v1/services/00000000-0000-4000-8000-000000000000/verify', { session: admin }), 404, 'verify unknown');
});

// --- facilities ------------------------------------------------------------------------------

const facilities = async (qs, what = qs) => {
  const r = await get(`/api/v1/facilities?${qs}`);
  assert.equal(r.status, 200, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
};

test('facilities: 3,000 across the district; type=노인복지관 (or its code) returns only that type', async () => {
  const every = await facilities('');
  assert.ok(every.total >= 3000, `facilities: ${every.total}`);
  const byKo = await facilities(`type=${enc('노인복지관')}`);
  const byCode = await facilities('type=senior_welfare_center');
  assert.ok(byKo.total > 0 && byKo.total < every.total, `노인복지관: ${byKo.total}`);
  assert.equal(byCode.total, byKo.total, 'the code and the Korean name give the same list');
  assert.deepEqual(byCode.items.map((f) => f.id), byKo.items.map((f) => f.id));
  for (const f of byKo.items) {
    assert.equal(f.type.code, 'senior_welfare_center', `${f.name}: ${JSON.stringify(f.type)}`);
    assert.equal(f.type.ko, '노인복지관');
  }
  const hall = await facilities('type=senior_center');
  for (const f of hall.items) assert.equal(f.type.code, 'senior_center');
  assert.ok(hall.total > byKo.total, '경로당 outnumber 노인복지관');
  const p = assertProblem(await get('/api/v1/facilities?type=castle'), 422, 'unknown type');
  assert.ok(errorFields(p).includes('type'));
});

test('facilities: dong= keeps that dong only', async () => {
  const d = (await districts(server))[0];
  const dong = d.dongs[2].id;
  const r = await facilities(`dong=${dong}`);
  assert.ok(r.total > 0, `facilities in dong ${dong}: ${r.total}`);
  for (const f of r.items) assert.equal(f.dong_id, dong, f.name);
  const both = await facilities(`dong=${dong}&type=senior_center`);
  assert.ok(both.total > 0 && both.total < r.total, 'type and dong combine');
  for (const f of both.items) assert.ok(f.dong_id === dong && f.type.code === 'senior_center', f.name);
});

test('facilities near=37.60,127.09,1500: nearest first, all within the radius', async () => {
  const [lat, lon, radius] = [37.60, 127.09, 1500];
  const r = await facilities(`near=${lat},${lon},${radius}`);
  assert.ok(r.total > 0 && r.total < 3000, `within 1500 m: ${r.total}`);
  let prev = -1;
  for (let page = 1; page <= 3; page++) {
    const p = page === 1 ? r : await facilities(`near=${lat},${lon},${radius}&page=${page}`);
    for (const f of p.items) {
      const d = haversine(lat, lon, f.latitude, f.longitude);
      assert.ok(d <= radius + 1, `${f.name} at ${d.toFixed(0)} m is within ${radius} m`);
      assert.ok(d >= prev - 0.5, `sorted by distance: ${d.toFixed(1)} after ${prev.toFixed(1)}`);
      prev = d;
    }
  }
  const narrow = await facilities(`near=${lat},${lon},300`);
  assert.ok(narrow.total < r.total, `a smaller radius finds fewer: ${narrow.total} vs ${r.total}`);
  const typed = await facilities(`near=${lat},${lon},${radius}&type=senior_center`);
  for (const f of typed.items) assert.equal(f.type.code, 'senior_center');
  assert.ok(typed.total <= r.total);
});

test('facilities: a bad near= is a 422 naming near', async () => {
  for (const v of ['abc', '37.6', '91,127,100', '37.6,127.1,0', '37.6,127.1,-5', '37.6,127.1,100,9', '37.6,127.1,100x']) {
    const p = assertProblem(await get(`/api/v1/facilities?near=${enc(v)}`), 422, `near=${v}`);
    assert.ok(errorFields(p).includes('near'), `near=${v}: ${JSON.stringify(p.errors)}`);
  }
});

test('GET /api/v1/facilities/{id} lists the services offered there', async () => {
  let withServices;
  for (let page = 1; page <= 10 && !withServices; page++) {
    withServices = (await facilities(`page=${page}`)).items.find((f) => f.service_ids.length > 0);
  }
  assert.ok(withServices, 'some facility offers services');
  const r = await get(`/api/v1/facilities/${withServices.id}`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const f = r.json;
  for (const k of ['id', 'name', 'type', 'dong_id', 'address', 'phone', 'hours', 'capacity', 'latitude', 'longitude', 'accessibility', 'services']) {
    assert.ok(k in f, `facility has ${k}`);
  }
  assert.ok(f.type.code && f.type.ko && f.type.en, JSON.stringify(f.type));
  assert.ok(Array.isArray(f.services) && f.services.length > 0, `services listed: ${JSON.stringify(f.services).slice(0, 200)}`);
  assert.deepEqual(f.services.map((s) => s.id).sort(), [...withServices.service_ids].sort());
  for (const s of f.services) assert.ok(s.name && s.provider_level?.code, `service summary: ${JSON.stringify(s).slice(0, 200)}`);
  // And the service page points back to the facility.
  const s = await get(`/api/v1/services/${f.services[0].id}`);
  assert.ok(s.json.facilities.some((x) => x.id === f.id), `service ${f.services[0].name} lists facility ${f.name}`);
  assertProblem(await get('/api/v1/facilities/00000000-0000-4000-8000-000000000000'), 404, 'unknown facility');
});

test('facility_manager edits the facility its organization runs, and no other; resident cannot', async () => {
  const found = await facilities(`q=${enc('한빛노인종합복지관')}`);
  const own = found.items.find((f) => f.name === '한빛노인종합복지관');
  assert.ok(own, `the manager's facility exists: ${JSON.stringify(found.items.map((f) => f.name))}`);
  const others = await facilities('type=senior_welfare_center');
  const other = others.items.find((f) => f.id !== own.id);
  assert.ok(other, 'another 노인복지관');

  const mgr = await loginAs(server, 'facility_manager');
  const body = { phone: '02-000-1234', hours: '평일 09:00~20:00', description: '시험으로 고친 소개', capacity: 321 };
  const r = await call(server, 'PUT', `/api/v1/facilities/${own.id}`, { session: mgr, body });
  assert.equal(r.status, 200, `manager edits own facility: ${r.status} ${r.text.slice(0, 300)}`);
  const now = await get(`/api/v1/facilities/${own.id}`);
  assert.equal(now.json.phone, body.phone);
  assert.equal(now.json.hours, body.hours);
  assert.equal(now.json.description, body.description);
  assert.equal(now.json.capacity, body.capacity);
  assert.equal(now.json.name, own.name, 'the name is not editable here');

  assertProblem(await call(server, 'PUT', `/api/v1/facilities/${other.id}`, { session: mgr, body: { phone: '02-999-9999' } }), 403, 'manager edits another facility');
  assertProblem(await call(server, 'PUT', `/api/v1/facilities/${own.id}`, { session: resident, body: { phone: '02-999-9999' } }), 403, 'resident edits a facility');
  assertProblem(await call(server, 'PUT', `/api/v1/facilities/${own.id}`, { body: { phone: '02-999-9999' } }), 401, 'anonymous edits a facility');
  const untouched = await get(`/api/v1/facilities/${other.id}`);
  assert.equal(untouched.json.phone, other.phone, 'the other facility is unchanged');
  assert.equal((await get(`/api/v1/facilities/${own.id}`)).json.phone, body.phone, 'refused edits changed nothing');

  const bad = assertProblem(await call(server, 'PUT', `/api/v1/facilities/${own.id}`, { session: mgr, body: { name: '새 이름', capacity: -1 } }), 422, 'invalid facility body');
  assert.ok(errorFields(bad).includes('name') && errorFields(bad).includes('capacity'), JSON.stringify(bad.errors));
  const byAdmin = await call(server, 'PUT', `/api/v1/facilities/${other.id}`, { session: admin, body: { hours: '연중무휴' } });
  assert.equal(byAdmin.status, 200, `district_admin edits any facility: ${byAdmin.status} ${byAdmin.text.slice(0, 200)}`);
});

// --- vocabulary and OpenAPI -----------------------------------------------------------------------

test('/api/v1/catalog/vocabulary has the six dimensions with ko and en labels', async () => {
  const r = await get('/api/v1/catalog/vocabulary');
  assert.equal(r.status, 200);
  for (const dim of ['life_stage', 'situation', 'topic', 'provider_level', 'channel', 'facility_type']) {
    const list = r.json[dim];
    assert.ok(Array.isArray(list) && list.length > 0, `${dim} present`);
    for (const t of list) {
      assert.ok(typeof t.code === 'string' && /^[a-z0-9_]+$/.test(t.code), `${dim} code: ${JSON.stringify(t)}`);
      assert.ok(typeof t.ko === 'string' && t.ko.length > 0 && typeof t.en === 'string' && t.en.length > 0, `${dim} labels: ${JSON.stringify(t)}`);
    }
    assert.equal(new Set(list.map((t) => t.code)).size, list.length, `${dim} codes are unique`);
  }
  assert.deepEqual(codes(r.json.provider_level).sort(), ['district', 'metropolitan', 'national', 'private']);
  assert.equal(r.json.life_stage.length, 7, 'seven life stages');
  assert.ok(r.json.facility_type.some((t) => t.ko === '노인복지관'));
  // Every code a facet reports is in the vocabulary.
  for (const [facetName, dim] of [['life_stage', 'life_stage'], ['situation', 'situation'], ['topic', 'topic'], ['provider', 'provider_level']]) {
    for (const f of all.facets[facetName]) assert.ok(codes(r.json[dim]).includes(f.code), `facet ${facetName} code ${f.code} is in the vocabulary`);
  }
});

test('/api/openapi.json lists the catalogue paths with their methods', async () => {
  const r = await get('/api/openapi.json');
  assert.equal(r.status, 200);
  const paths = r.json.paths;
  const want = {
    '/api/v1/catalog/vocabulary': ['get'],
    '/api/v1/services': ['get', 'post'],
    '/api/v1/services/search': ['post'],
    '/api/v1/services/{id}': ['get', 'put'],
    '/api/v1/services/{id}/retire': ['post'],
    '/api/v1/services/{id}/verify': ['post'],
    '/api/v1/services/{id}/versions': ['get'],
    '/api/v1/catalog/freshness': ['get'],
    '/api/v1/facilities': ['get'],
    '/api/v1/facilities/{id}': ['get', 'put'],
  };
  for (const [p, methods] of Object.entries(want)) {
    assert.ok(paths[p], `openapi lists ${p}`);
    for (const m of methods) assert.ok(paths[p][m], `openapi lists ${m.toUpperCase()} ${p}`);
  }
});
