// The Open Referral HSDS 3.0 API under /hsds/: public, paginated as the HSDS OpenAPI says, and
// every response valid against the vendored HSDS schemas (data/hsds-3.0/schema), checked with a
// small JSON-Schema validator (type, required, properties, items, enum, format, $ref, allOf).
// The demo catalogue is the data, plus the HSDS examples imported with `dure import hsds`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, repoRoot, dureBin } from '../lib/server.mjs';
import { call, assertProblem, errorFields } from './_client.mjs';

const hsdsDir = path.join(repoRoot, 'data', 'hsds-3.0');
const schemaDir = path.join(hsdsDir, 'schema');
const example = (name) => JSON.parse(readFileSync(path.join(hsdsDir, 'examples', name), 'utf8'));
const openapi = JSON.parse(readFileSync(path.join(schemaDir, 'openapi.json'), 'utf8'));

// --- a small JSON-Schema validator ----------------------------------------------------------

const schemaCache = new Map();
function loadSchema(file) {
  // The OpenAPI document names the published (compiled, *_list) schemas by URL; the vendored
  // per-table files describe the same records, their $refs resolved here one level at a time.
  const base = path.basename(file).replace(/_list\.json$/, '.json');
  if (!schemaCache.has(base)) schemaCache.set(base, JSON.parse(readFileSync(path.join(schemaDir, base), 'utf8')));
  return schemaCache.get(base);
}
function resolve(ref) {
  if (ref.startsWith('#/')) return ref.slice(2).split('/').reduce((o, k) => o[k], openapi);
  return loadSchema(ref);
}

const FORMATS = {
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  email: (s) => /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(s),
  uri: (s) => /^[a-z][a-z0-9+.-]*:\S*$/i.test(s),
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}/.test(s) && !Number.isNaN(Date.parse(s)),
  datetime: (s) => !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s),
};

function typeOk(type, v) {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return Number.isInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'object': return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'null': return v === null;
    default: return true;
  }
}

// Returns a list of "pointer: problem" strings (empty when valid).
export function validate(schema, v, where = '', out = []) {
  if (schema.$ref) return validate(resolve(schema.$ref), v, where, out);
  for (const s of schema.allOf || []) validate(s, v, where, out);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeOk(t, v))) {
      out.push(`${where || '/'}: expected ${types.join('|')}, got ${JSON.stringify(v)?.slice(0, 60)}`);
      return out;
    }
  }
  if (schema.enum && !schema.enum.includes(v)) out.push(`${where}: ${JSON.stringify(v)} not in ${schema.enum}`);
  if (typeof v === 'string' && schema.format && FORMATS[schema.format] && !FORMATS[schema.format](v))
    out.push(`${where}: "${v.slice(0, 60)}" is not a ${schema.format}`);
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const r of schema.required || []) if (!(r in v)) out.push(`${where}/${r}: required`);
    for (const [k, s] of Object.entries(schema.properties || {})) if (k in v) validate(s, v[k], `${where}/${k}`, out);
  }
  if (Array.isArray(v) && schema.items) v.forEach((x, i) => validate(schema.items, x, `${where}/${i}`, out));
  return out;
}

// The schema of a 200 response of an HSDS operation (path as in the HSDS OpenAPI). The
// published OpenAPI names the service schema for /service_at_locations/{id} although it
// describes "a fully nested service_at_location"; that one is checked as a service_at_location.
function responseSchema(hsdsPath) {
  if (hsdsPath === '/service_at_locations/{id}') return { $ref: 'service_at_location.json' };
  return openapi.paths[hsdsPath].get.responses['200'].content['application/json'].schema;
}

function assertValid(hsdsPath, body, what) {
  const problems = validate(responseSchema(hsdsPath), body);
  assert.deepEqual(problems.slice(0, 10), [], `${what} is valid HSDS (${problems.length} problems)`);
}

// Every member of `expected` (recursively; array elements matched by id) is in `actual`.
function assertContains(actual, expected, where = '') {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where} is an array`);
    for (const [i, x] of expected.entries()) {
      const match = x && typeof x === 'object' && 'id' in x ? actual.find((y) => y?.id === x.id) : actual.find((y) => JSON.stringify(y) === JSON.stringify(x));
      assert.ok(match !== undefined, `${where}/${i} (${x?.id ?? JSON.stringify(x)}) is in the response`);
      if (x && typeof x === 'object') assertContains(match, x, `${where}/${i}`);
    }
  } else if (expected && typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object', `${where} is an object`);
    for (const [k, x] of Object.entries(expected)) {
      assert.ok(k in actual, `${where}/${k} is in the response`);
      assertContains(actual[k], x, `${where}/${k}`);
    }
  } else {
    assert.equal(actual, expected, where);
  }
}

// --- the server -----------------------------------------------------------------------------

let server;
const svc = example('service_full.json');

before(async () => {
  server = await startServer();
  // The examples go into the demo district (the first one) through the command line. The CSV
  // example puts its location under another organization; the JSON ones, imported after it, win.
  for (const f of ['examples/csv', 'examples/service_full.json', 'examples/organization_full.json']) {
    execFileSync(dureBin, ['import', 'hsds', path.join(hsdsDir, f)], { env: server.env, stdio: ['ignore', 'ignore', 'pipe'] });
  }
});
after(async () => { await server?.stop(); });

const get = (p) => call(server, 'GET', p);

test('GET /hsds/ says which HSDS version and profile it serves', async () => {
  const r = await get('/hsds/');
  assert.equal(r.status, 200);
  assert.equal(r.json.version, '3.0');
  assert.equal(typeof r.json.profile, 'string');
  assertValid('/', r.json, '/hsds/');
});

test('services are listed in HSDS pages, public, each valid', async () => {
  const r = await get('/hsds/services');
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assertValid('/services', r.json, 'the first page');
  const p = r.json;
  assert.ok(p.total_items >= 3000, `the demo catalogue is listed (${p.total_items})`);
  assert.equal(p.page_number, 1);
  assert.equal(p.first_page, true);
  assert.equal(p.size, p.contents.length);
  assert.equal(p.total_pages, Math.ceil(p.total_items / p.contents.length));
  assert.equal(p.empty, false);

  const p2 = (await get('/hsds/services?page=2&per_page=7')).json;
  assert.equal(p2.size, 7);
  assert.equal(p2.page_number, 2);
  assert.equal(p2.first_page, false);
  assert.equal(p2.total_pages, Math.ceil(p2.total_items / 7));
  const p1 = (await get('/hsds/services?page=1&per_page=7')).json;
  assert.equal(new Set([...p1.contents, ...p2.contents].map((s) => s.id)).size, 14, 'pages do not overlap');
  const last = (await get(`/hsds/services?page=${p2.total_pages}&per_page=7`)).json;
  assert.equal(last.last_page, true);
  assert.ok(last.size >= 1 && last.size <= 7);
  const beyond = (await get(`/hsds/services?page=${p2.total_pages + 1}&per_page=7`)).json;
  assert.equal(beyond.empty, true);
  assert.deepEqual(beyond.contents, []);
  assert.equal((await get('/hsds/services?per_page=100')).json.size, 100);
});

test('service pages filter by name, organization and taxonomy term', async () => {
  const byName = (await get('/hsds/services?search=' + encodeURIComponent('Community Counsel'))).json;
  assert.ok(byName.contents.some((s) => s.id === svc.id), 'the imported example is found by name');
  const byOrg = (await get(`/hsds/services?organization_id=${svc.organization.id}`)).json;
  assert.deepEqual(byOrg.contents.map((s) => s.id), [svc.id]);
  assert.equal(byOrg.contents[0].organization.id, svc.organization.id);

  // Korean names: the first demo service is found by a part of its name.
  const first = (await get('/hsds/services?per_page=1')).json.contents[0];
  const part = [...first.name].slice(0, 3).join('');
  const ko = (await get('/hsds/services?search=' + encodeURIComponent(part))).json;
  assert.ok(ko.contents.some((s) => s.id === first.id), `search=${part} finds ${first.name}`);

  // Korean extensions are attributes of the "dure" taxonomy: its terms filter the services.
  const dure = (await get('/hsds/taxonomies?search=dure')).json.contents.find((t) => t.name === 'dure');
  assert.ok(dure, 'the dure taxonomy is listed');
  const terms = (await get(`/hsds/taxonomy_terms?taxonomy_id=${dure.id}&per_page=100`)).json;
  assertValid('/taxonomy_terms', terms, 'dure terms');
  const lifeStage = terms.contents.find((t) => t.code === 'life_stage');
  assert.ok(lifeStage, 'a life_stage term');
  const withStage = (await get(`/hsds/services?taxonomy_term_id=${lifeStage.id}&per_page=20`)).json;
  assert.ok(withStage.total_items > 0);
  for (const s of withStage.contents) {
    const full = (await get(`/hsds/services/${s.id}`)).json;
    const attr = full.attributes.find((a) => a.taxonomy_term_id === lifeStage.id);
    assert.ok(attr, `${s.name} has a life_stage attribute`);
    assert.equal(attr.taxonomy_term.id, lifeStage.id);
  }
});

test('a service is served fully nested, with nothing of the imported example lost', async () => {
  const r = await get(`/hsds/services/${svc.id}`);
  assert.equal(r.status, 200);
  assertValid('/services/{id}', r.json, 'the example service');
  assertContains(r.json, svc);
  // A demo service is valid too.
  const demo = (await get('/hsds/services?per_page=3&page=5')).json.contents;
  for (const s of demo) {
    const d = await get(`/hsds/services/${s.id}`);
    assert.equal(d.status, 200);
    assertValid('/services/{id}', d.json, `demo service ${s.id}`);
  }
});

test('organizations: list, one fully nested, with their services', async () => {
  const list = (await get('/hsds/organizations?per_page=5')).json;
  assertValid('/organizations', list, 'organizations');
  assert.ok(list.total_items > 1);
  const org = example('organization_full.json');
  const one = await get(`/hsds/organizations/${org.id}?full_service=true`);
  assert.equal(one.status, 200);
  assertValid('/organizations/{id}', one.json, 'the example organization');
  assertContains(one.json, org);
  const full = (await get('/hsds/organizations?full=true&per_page=2')).json;
  assertValid('/organizations', full, 'full organizations');
});

test('service_at_locations: list and one, with location and service', async () => {
  const list = (await get('/hsds/service_at_locations?per_page=10')).json;
  assertValid('/service_at_locations', list, 'service_at_locations');
  assert.ok(list.total_items > 0);
  for (const l of list.contents) {
    assert.equal(typeof l.location?.id, 'string');
    assert.equal(typeof l.service?.id, 'string');
  }
  const sal = example('service_at_location_full.json');
  const one = await get(`/hsds/service_at_locations/${sal.id}`);
  assert.equal(one.status, 200);
  assertValid('/service_at_locations/{id}', one.json, 'the example service_at_location');
  assert.equal(one.json.location.id, sal.location.id);
  assert.equal(one.json.service.id, sal.service.id);
  const byOrg = (await get(`/hsds/service_at_locations?organization_id=${svc.organization.id}`)).json;
  assert.deepEqual(byOrg.contents.map((l) => l.id), [sal.id]);
});

test('taxonomies and terms: lists and ids', async () => {
  const tax = example('taxonomy.json');
  const t = await get(`/hsds/taxonomies/${tax.id}`);
  assert.equal(t.status, 200);
  assertValid('/taxonomies/{id}', t.json, 'taxonomy');
  assertContains(t.json, tax);
  assertValid('/taxonomies', (await get('/hsds/taxonomies')).json, 'taxonomies');
  const term = example('taxonomy_term.json');
  const tt = await get(`/hsds/taxonomy_terms/${term.id}`);
  assert.equal(tt.status, 200);
  assertValid('/taxonomy_terms/{id}', tt.json, 'taxonomy term');
  assert.equal(tt.json.code, term.code);
  assertValid('/taxonomy_terms', (await get('/hsds/taxonomy_terms?top_only=true')).json, 'top terms');
});

test('bad parameters answer problem+json naming each field', async () => {
  const r = await get('/hsds/services?page=0&per_page=101&taxonomy_term_id=nope&organization_id=x');
  const p = assertProblem(r, 422, 'bad paging and ids');
  const fields = errorFields(p);
  for (const f of ['page', 'per_page', 'taxonomy_term_id', 'organization_id']) assert.ok(fields.includes(f), f);
  assert.deepEqual(errorFields(assertProblem(await get('/hsds/services?page=abc'), 422)), ['page']);
  assert.deepEqual(errorFields(assertProblem(await get('/hsds/organizations?full=maybe'), 422)), ['full']);
  assert.deepEqual(errorFields(assertProblem(await get('/hsds/services?format=ndjson'), 422)), ['format']);
  assert.deepEqual(errorFields(assertProblem(await get('/hsds/services?search=' + 'a'.repeat(201)), 422)), ['search']);
  assert.deepEqual(errorFields(assertProblem(await get('/hsds/services?search=%01x'), 422)), ['search']);
});

test('unknown ids answer 404', async () => {
  const missing = '00000000-0000-4000-8000-000000000000';
  for (const p of ['services', 'organizations', 'service_at_locations', 'taxonomies', 'taxonomy_terms']) {
    assertProblem(await get(`/hsds/${p}/${missing}`), 404, p);
    assertProblem(await get(`/hsds/${p}/${'x'.repeat(300)}`), 404, `${p} long id`);
  }
});
