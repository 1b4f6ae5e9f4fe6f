// A crude, seeded fuzzer over every operation of /api/openapi.json, against a real `dure serve`
// (demo district, temporary SQLite database). Node standard library only.
//
// For each role (anonymous, a resident, staff with the CSRF token) it sends bounded random
// mutations: wrong types, nulls, huge strings (up to the body limit and past it), nesting past
// the JSON depth limit, unknown fields, duplicate keys, invalid UTF-8, numbers out of range,
// empty bodies, non-object JSON, wrong content types, odd path ids and query values.
// It asserts: no 5xx, the server stays up, every 4xx is problem+json (a 422 names its fields),
// and a refused request (any 4xx) changes no data: a SHA3 fingerprint of every table (sqlite3
// on the server's database) is the same before and after.
//
// Where an operation has no request-body schema in the OpenAPI document, the fuzzer falls back
// to generic bodies and learns the field names from the server's own 422 answers (`required`,
// `not_a_string` … name the field and its type).
//
//   node tests/fuzz/api_fuzz.mjs --seed 7 --iterations 2000 [--roles anonymous,resident,district_admin]
//
// tests/http/fuzz.test.mjs runs it with a fixed seed and a small budget in `make test`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../lib/server.mjs';
import { call, loginAs } from '../http/_client.mjs';

export const ANON = 'anonymous';
export const DEFAULT_ROLES = [ANON, 'resident', 'district_admin'];

// Tables a refused request may legitimately touch: sessions (login/logout), the access log and
// its head (every staff read is logged, also one that ends in 404), and any throttle counters.
const VOLATILE_TABLE = /^(sessions|scheduled_jobs|change_feed|access_log.*|.*throttle.*|.*rate_limit.*|.*login_attempt.*|sqlite_.*)$/;
// Columns a refused login legitimately updates (failed-login counter and lock).
const VOLATILE_COLUMN = /^(failed_logins|locked_until|last_used_at|last_seen_at)$/;
// Query parameter names the handlers read (from src/**: req.query_param("…")); the document has none.
const QUERY_NAMES = ['dong', 'district_id', 'q', 'year', 'page', 'type', 'trace', 'token', 'status', 'source', 'scope',
  'role', 'phone', 'person_id', 'near', 'indicator', 'format', 'flagged', 'district', 'date', 'breached',
  'assigned_to', 'life_stage', 'situation', 'topic', 'provider', 'per_page', 'limit'];
const BODY_LIMIT = 1024 * 1024;
// Member names the handlers read (from src/**: BodyReader and if_contains calls). Sent all at
// once to an operation without a schema, the ones it does not report as `unknown_field` are its fields.
const FIELD_DICTIONARY = ['account_id', 'action', 'active', 'address', 'age', 'alerts_consent', 'amount', 'answers',
  'assigned_account_id', 'assignment_id', 'attributes', 'basic_pension', 'birth_date', 'birth_year', 'cadence', 'capacity',
  'caregiver_account_id', 'channel', 'checklist', 'code', 'concern', 'contents', 'crisis', 'crisis_level', 'criteria',
  'date', 'deduction', 'deposit', 'description', 'device', 'district_id', 'dong_id', 'dong_ids', 'email', 'features',
  'follow_up', 'gatekeeper_id', 'hours', 'household', 'household_id', 'household_key', 'id', 'interests', 'kind', 'lines',
  'login', 'members', 'min_score', 'name', 'note', 'occupation', 'outcome', 'outcomes', 'password', 'person_id', 'phone',
  'profile', 'programs', 'provider_level', 'q', 'quiet_end', 'quiet_start', 'reason', 'receives', 'recognized_income',
  'rent', 'residence', 'respondent', 'result', 'role', 'rrn', 'scope_id', 'scope_kind', 'service_id', 'services', 'signs',
  'size', 'source', 'stage', 'status', 'step', 'summary', 'tenure', 'text', 'title', 'type', 'unit', 'urgency', 'urgent',
  'used_amount', 'user', 'utterance', 'value', 'values', 'version', 'website', 'topics', 'life_stage', 'situation', 'topic',
  'provider', 'visited_at', 'body', 'published_at', 'contact_phone', 'reporter_phone', 'household_name', 'assignee'];

// mulberry32: small, fast and good enough for a fuzzer; the same seed gives the same run.
export function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
}

// ---------------------------------------------------------------- database fingerprint

// One long-lived read-only sqlite3 shell; each fingerprint is one query answered on stdout.
export class Fingerprinter {
  constructor(file) {
    this.file = file;
    this.proc = spawn('sqlite3', ['-readonly', '-batch', '-noheader', '-list', file], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.buf = '';
    this.waiting = null;
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (d) => {
      this.buf += d;
      const i = this.buf.indexOf('@@END@@\n');
      if (i >= 0 && this.waiting) {
        const out = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 8);
        const w = this.waiting;
        this.waiting = null;
        w(out);
      }
    });
    this.proc.stderr.setEncoding('utf8');
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
  }

  query(sql) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('sqlite3 did not answer: ' + this.stderr)), 20000);
      this.waiting = (out) => { clearTimeout(timer); resolve(out); };
      this.proc.stdin.write(`${sql}\nSELECT '@@END@@';\n`);
    });
  }

  async init() {
    const cols = await this.query(
      "SELECT m.name, p.name, (SELECT count(*) FROM pragma_table_info(m.name)) FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type='table' ORDER BY m.name, p.cid;");
    const tables = new Map();
    for (const line of cols.split('\n').filter(Boolean)) {
      const [t, c] = line.split('|');
      if (VOLATILE_TABLE.test(t)) continue;
      if (!tables.has(t)) tables.set(t, []);
      if (!VOLATILE_COLUMN.test(c)) tables.get(t).push(c);
    }
    const counts = new Map((await this.query([...tables.keys()].map((t) => `SELECT '${t}', count(*) FROM "${t}"`).join(' UNION ALL ') + ';'))
      .split('\n').filter(Boolean).map((l) => l.split('|')).map(([t, n]) => [t, Number(n)]));
    this.tables = [...tables.keys()];
    // Per table: row count and a SHA3 of the content. The catalogue's big tables (thousands of
    // services and facilities with their HSDS documents) would cost ~0.3 s a hash, so for a table
    // past 500 rows the fingerprint is count, max id and the sum/max of its version and time
    // columns, which every edit there bumps.
    this.sql = [...tables].map(([t, cs]) => {
      if ((counts.get(t) || 0) <= 500)
        return `SELECT '${t}', (SELECT count(*) FROM "${t}"), hex(sha3_query('SELECT ${cs.map((c) => `"${c}"`).join(',')} FROM "${t}" ORDER BY 1,2'))`;
      const cheap = cs.filter((c) => /^(version|status|updated_at|changed_at|last_verified)$/.test(c))
        .map((c) => `(SELECT total(length("${c}")) || ':' || max("${c}") FROM "${t}")`);
      return `SELECT '${t}', (SELECT count(*) FROM "${t}"), ${['(SELECT max(rowid) FROM "' + t + '")', ...cheap].join(" || ':' || ")}`;
    }).join(' UNION ALL ') + ';';
  }

  // SQLite's data_version changes when any other connection commits: one cheap query tells
  // whether a request wrote anything at all; only then are the tables hashed.
  async dataVersion() {
    return (await this.query('PRAGMA data_version;')).trim();
  }

  async take() {
    const t0 = Date.now();
    this.version = await this.dataVersion();  // first: a commit after it shows as a new version
    const out = await this.query(this.sql);
    this.ms = (this.ms || 0) + Date.now() - t0;
    this.count = (this.count || 0) + 1;
    const fp = new Map();
    for (const line of out.split('\n').filter(Boolean)) {
      const [t, n, h] = line.split('|');
      fp.set(t, `${n}:${h}`);
    }
    return fp;
  }

  close() { this.proc.stdin.end(); this.proc.kill(); }
}

export function diffFingerprints(a, b) {
  const changed = [];
  for (const [t, v] of b) if (a.get(t) !== v) changed.push(`${t} ${a.get(t)?.split(':')[0]}→${v.split(':')[0]} rows`);
  return changed;
}

// ---------------------------------------------------------------- operations and ids

function operations(doc) {
  const ops = [];
  for (const [p, item] of Object.entries(doc.paths || {})) {
    for (const [m, op] of Object.entries(item)) {
      const method = m.toUpperCase();
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
      const schema = op.requestBody?.content?.['application/json']?.schema || null;
      const params = (op.parameters || []).filter((x) => x.in === 'path').map((x) => x.name);
      ops.push({ method, path: p, schema, params, hasBody: method !== 'GET' && method !== 'DELETE' || !!schema,
        fields: new Map() });
    }
  }
  return ops;
}

// Walks a JSON answer and files every id under the list it came from and under `<key>_id` names.
function harvestIds(pools, listPath, value, key = '') {
  if (Array.isArray(value)) { for (const v of value) harvestIds(pools, listPath, v, key); return; }
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (Number.isSafeInteger(v) && v > 0) {
      if (k === 'id') {
        add(pools, listPath, v);
        if (key) add(pools, singular(key), v);
      } else if (k.endsWith('_id')) {
        add(pools, k.slice(0, -3), v);
      }
    } else if (typeof v === 'string' && k === 'code' && key) {
      add(pools, singular(key) + ':code', v);
    } else if (v && typeof v === 'object') {
      harvestIds(pools, listPath, v, k === 'items' ? key || lastSegment(listPath) : k);
    }
  }
}
function add(pools, k, v) {
  if (!pools.has(k)) pools.set(k, new Set());
  const s = pools.get(k);
  if (s.size < 200) s.add(v);
}
const singular = (s) => s.replace(/ies$/, 'y').replace(/s$/, '');
const lastSegment = (p) => p.split('/').filter((x) => x && !x.startsWith('{')).pop() || '';

// Candidate ids for the path parameter `name` of template `tmpl`.
function idCandidates(pools, tmpl, name) {
  const before = tmpl.slice(0, tmpl.indexOf(`{${name}}`)).replace(/\/$/, '');
  const res = singular(lastSegment(before));
  const out = new Set();
  for (const k of [before, res, res + ':code', name.replace(/_id$/, '')]) for (const v of pools.get(k) || []) out.add(v);
  return [...out];
}

// ---------------------------------------------------------------- values

const WRONG_TYPES = [123, -1, 0, 1.5, true, false, null, [], {}, [1, 'a'], { a: 1 }, 'str', '', ' ', '0'];
const NASTY_STRINGS = ["' OR '1'='1", '1; DROP TABLE persons;--', '" OR ""="', '%s%s%n%x', '../../../../etc/passwd',
  '<script>alert(1)</script>', '=HYPERLINK("http://x")', '+1+1', '@SUM(1)', '\u0000', 'a\u0007b', '\u202e역방향',
  '𝕏😀', '\ud800', '한'.repeat(300), 'null', 'undefined', 'NaN', '-0', '1e308', '0x7fffffff', '2147483648'];
const RAW_NUMBERS = ['1e308', '-1e308', '1e400', '-0', '9223372036854775807', '9223372036854775808', '-9223372036854775809',
  '18446744073709551616', '0.0000000000000000000000001', '1E-400', '123456789012345678901234567890'];

function guessValue(rng, name, type, pools) {
  const n = name.toLowerCase();
  if (type === 'array') return [];
  if (type === 'boolean') return rng.chance(0.5);
  if (type === 'object') return {};
  const idKey = n === 'id' ? null : n.replace(/_id$/, '').replace(/_ids$/, '');
  if (type === 'integer' || type === 'number' || /(_id|^id|count|amount|version|year|score|capacity|age|size|income|min_|max_|limit|members)/.test(n)) {
    const pool = pools.get(idKey) || pools.get(idKey + 's');
    if (pool && pool.size && rng.chance(0.8)) return rng.pick([...pool]);
    if (type === 'string') return String(rng.int(1, 50));
    return rng.int(0, 20);
  }
  if (/phone/.test(n)) return rng.pick(['010-1234-5678', '01055512345', '02-123-4567']);
  if (/email|login/.test(n)) return `fuzz${rng.int(1, 1e6)}@example.org`;
  if (/password/.test(n)) return 'Fuzz-passw0rd-' + rng.int(1, 1e6);
  if (/birth|date|_on$|period|month|day/.test(n)) return rng.pick(['1950-01-01', '2026-12-01', '2026-12']);
  if (/rrn/.test(n)) return '440101-2345678';
  if (/url|website/.test(n)) return 'https://example.org/';
  if (/lat/.test(n)) return 37.5;
  if (/lon|lng/.test(n)) return 127.0;
  return rng.pick(['퍼즈 테스트', 'fuzz', '가나다', 'x']);
}

// Nested members a schema leaves open (`household` is just "object" there): one plausible value.
const EXAMPLES = {
  household: { members: [{ relation: 'self', birth_date: '1951-04-02', disability: 'severe' }, { relation: 'spouse', age: 73 }],
    residence: { tenure: 'monthly_rent', rent: 250000, deposit: 5000000 },
    incomes: { earned: 0, business: 0, property: 0, public_transfer: 334810, private_transfer: 0 },
    assets: { housing: 0, deposits: 5000000, financial: 2000000, vehicles: 0, debts: 0 }, recognized_income: 420000 },
  interests: { topics: ['housing'], life_stages: ['senior'], situations: [] },
  checklist: { meals: 'ok', heating: 'problem' },
  answers: { q1: 'yes' },
};

function schemaValue(rng, s, name, pools, depth = 0) {
  if (!s || depth > 4) return guessValue(rng, name, undefined, pools);
  if (s.enum) return rng.pick(s.enum);
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  if (t === 'object') {
    if (EXAMPLES[name] && rng.chance(0.8)) return JSON.parse(JSON.stringify(EXAMPLES[name]));
    const o = {};
    for (const [k, v] of Object.entries(s.properties || {}))
      if ((s.required || []).includes(k) || rng.chance(0.5)) o[k] = schemaValue(rng, v, k, pools, depth + 1);
    for (const k of s.required || []) if (!(k in o)) o[k] = guessValue(rng, k, undefined, pools);
    return o;
  }
  if (t === 'array') return rng.chance(0.5) ? [] : [schemaValue(rng, s.items, name, pools, depth + 1)];
  return guessValue(rng, name, t, pools);
}

// A plausible body: from the schema when there is one, else from the fields learned so far.
function baseBody(rng, op, pools) {
  if (op.schema) return schemaValue(rng, op.schema, '', pools);
  const o = {};
  for (const [k, t] of op.fields)
    if (t.required || rng.chance(0.6)) o[k] = EXAMPLES[k] && rng.chance(0.7) ? JSON.parse(JSON.stringify(EXAMPLES[k])) : guessValue(rng, k, t.type, pools);
  return o;
}

function hugeString(rng) {
  const n = rng.pick([1000, 10000, 65536, 300000, BODY_LIMIT - 400]);
  return rng.pick(['x', '한', 'A\u00e9']).repeat(Math.ceil(n / 3));
}
const nested = (d, open = '[', close = ']') => open.repeat(d) + '1' + close.repeat(d);
const nestedObj = (d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d);

// The three CSV uploads: a header the endpoint knows and rows, some of them bad.
const CSV_HEADERS = {
  '/api/v1/statistics/upload': ['indicator,dong,year,value,unit,source', () => ['aged_65_share', '전체', '2024', '21.4', '%', '데모']],
  '/api/v1/screening/indicators': ['household_key,dong,indicator,value,period', () => ['F1', 'eunhaeng', 'gas_cutoff', '1', '2026-12']],
  '/api/v1/outreach/intake/import': ['dong,concern,address,urgency,signs,subject_name,subject_phone,contact,received_at',
    () => ['eunhaeng', '난방이 안 됨', '은행로 1', 'high', 'utility_cutoff', '홍길동', '010-1234-5678', '', '2026-12-01 09:30']],
};

function mutateCsv(rng, op) {
  const [header, row] = CSV_HEADERS[op.path];
  const lines = [rng.chance(0.1) ? '\ufeff' + header : header];
  const n = rng.pick([0, 1, 2, 5, 50]);
  for (let i = 0; i < n; i++) {
    const cells = row();
    if (rng.chance(0.4)) {
      const j = rng.int(0, cells.length - 1);
      cells[j] = rng.pick(['', '"', '""', '"a,b"', '=1+1', '-1', '1e308', '9223372036854775808', 'x'.repeat(5000), '\u0000',
        '없는동', '2026-13', 'NaN', '\r', "'; DROP TABLE x;--", '전체', '0']);
    }
    if (rng.chance(0.05)) cells.push('extra');
    if (rng.chance(0.05)) cells.pop();
    lines.push(cells.join(','));
  }
  return { kind: 'csv', body: lines.join(rng.chance(0.2) ? '\r\n' : '\n') + '\n', contentType: rng.pick(['text/csv', 'text/csv; charset=utf-8', 'application/json']) };
}

// Replaces one value somewhere inside a nested body (household.members[0].age and the like).
function mutateNested(rng, base) {
  const paths = [];
  const walk = (v, p) => {
    if (paths.length > 200) return;
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    if (p.length > 1) paths.push(p);
  };
  walk(base, []);
  if (!paths.length) return null;
  const p = rng.pick(paths);
  const copy = JSON.parse(JSON.stringify(base));
  let o = copy;
  for (const k of p.slice(0, -1)) o = o[k];
  o[p[p.length - 1]] = rng.pick([...WRONG_TYPES, ...NASTY_STRINGS, 1e308, -1e308, 9007199254740993, -9007199254740993]);
  return { kind: 'nested', field: p.join('.'), body: JSON.stringify(copy), contentType: 'application/json' };
}

// One mutated request for `op`. Returns {body (string|Buffer|undefined), contentType, kind, field}.
function mutateBody(rng, op, pools) {
  if (CSV_HEADERS[op.path] && rng.chance(0.5)) return mutateCsv(rng, op);
  const base = baseBody(rng, op, pools);
  const keys = Object.keys(base);
  const field = keys.length ? rng.pick(keys) : 'name';
  const json = (v) => JSON.stringify(v);
  const kinds = ['valid', 'wrong_type', 'null', 'huge_string', 'deep', 'unknown_field', 'duplicate_key', 'invalid_utf8',
    'number_range', 'empty', 'content_type', 'not_object', 'garbage', 'empty_object', 'nasty_string', 'too_large',
    'drop_required', 'nested'];
  const kind = rng.pick(kinds);
  const ct = 'application/json';
  switch (kind) {
    case 'valid': return { kind, body: json(base), contentType: ct };
    case 'wrong_type': return { kind, field, body: json({ ...base, [field]: rng.pick(WRONG_TYPES) }), contentType: ct };
    case 'null': return { kind, field, body: json({ ...base, [field]: null }), contentType: ct };
    case 'huge_string': {
      const s = hugeString(rng);
      return { kind, field, body: json({ ...base, [field]: s }), contentType: ct };
    }
    case 'deep': {
      const d = rng.pick([31, 33, 64, 1000, 100000]);
      const inner = rng.chance(0.5) ? nested(d) : nestedObj(d);
      const text = rng.chance(0.3) ? inner : json({ ...base, [field]: '@@DEEP@@' }).replace('"@@DEEP@@"', inner);
      return { kind, field, body: text, contentType: ct };
    }
    case 'unknown_field': {
      const k = rng.pick(['__fuzz', '__proto__', 'constructor', 'id', 'district_id', 'account_id', 'status', 'role', 'admin', '', ' ', '한글키', 'x'.repeat(5000)]);
      return { kind, field: k, body: json({ ...base, [k]: rng.pick(WRONG_TYPES.concat(['value'])) }), contentType: ct };
    }
    case 'duplicate_key': {
      const text = json(base);
      const dup = `${json(field)}:${json(rng.pick(WRONG_TYPES))}`;
      return { kind, field, body: text === '{}' ? `{${dup},${dup}}` : text.replace(/}$/, `,${dup}}`), contentType: ct };
    }
    case 'invalid_utf8': {
      const bad = rng.pick([[0xff, 0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]]);
      const text = json({ ...base, [field]: '@@BAD@@' });
      const [a, b] = text.split('@@BAD@@');
      return { kind, field, body: Buffer.concat([Buffer.from(a), Buffer.from(bad), Buffer.from(b)]), contentType: ct };
    }
    case 'number_range': {
      const text = json({ ...base, [field]: '@@NUM@@' }).replace('"@@NUM@@"', rng.pick(RAW_NUMBERS));
      return { kind, field, body: text, contentType: ct };
    }
    case 'empty': return { kind, body: '', contentType: rng.chance(0.8) ? ct : undefined };
    case 'content_type': {
      const c = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/csv',
        'application/json; charset=latin1', 'application/evil+json', 'APPLICATION/JSON', 'application/jsonx', '', undefined]);
      return { kind, body: rng.chance(0.5) ? json(base) : 'a=1&b=2', contentType: c };
    }
    case 'not_object': return { kind, body: rng.pick(['[]', '"x"', '1', 'null', 'true', '[{}]', '[' + json(base) + ']']), contentType: ct };
    case 'garbage': {
      const n = rng.int(1, 200);
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = rng.int(0, 255);
      return { kind, body: rng.chance(0.5) ? b : '{"a":' + '"'.repeat(rng.int(1, 3)) + ',}', contentType: ct };
    }
    case 'empty_object': return { kind, body: '{}', contentType: ct };
    case 'nasty_string': return { kind, field, body: json({ ...base, [field]: rng.pick(NASTY_STRINGS) }), contentType: ct };
    case 'too_large': return { kind, body: json({ ...base, [field]: 'x'.repeat(BODY_LIMIT + 10) }), contentType: ct };
    case 'nested': return mutateNested(rng, base) || { kind: 'valid', body: json(base), contentType: ct };
    case 'drop_required': { const o = { ...base }; delete o[field]; return { kind, field, body: json(o), contentType: ct }; }
  }
  return { kind: 'valid', body: json(base), contentType: ct };
}

const PATH_VALUES = ['0', '-1', '9223372036854775807', '9223372036854775808', '99999999999999999999', '1e3', '0x10', 'abc',
  '%00', '%ZZ', '..%2F..%2Fetc', '%27%20OR%201%3D1--', '1%20OR%201%3D1', encodeURIComponent('한글'), 'x'.repeat(3000), '1.5', '+1',
  ' 1', '%2e%2e', 'null', '[]'];

// Returns the path; sets `lax` when an existing numeric id was spoiled (12abc, 12e3, +12, 12.5):
// a 2xx to that means the id was read up to the first non-digit.
function fillPath(rng, op, pools, existing = false, out = {}) {
  let p = op.path;
  for (const name of op.params) {
    const cands = idCandidates(pools, op.path, name);
    let v;
    const r = rng.next();
    if (cands.length && !existing && r < 0.1 && cands.some((c) => Number.isInteger(c))) {
      const id = rng.pick(cands.filter((c) => Number.isInteger(c)));
      v = rng.pick([`${id}abc`, `${id}e3`, `+${id}`, `${id}.5`, `%20${id}`, `${id}%20`, `0${id}x`]);
      out.lax = true;
    } else if (cands.length && (existing || r < 0.6)) v = encodeURIComponent(String(existing ? cands[0] : rng.pick(cands)));
    else if (r < 0.8) v = String(rng.int(1, 100000));
    else v = rng.pick(PATH_VALUES);
    p = p.replace(`{${name}}`, v);
  }
  return p;
}

const QUERY_VALUES = ['', '1', '-1', '0', '2026', 'x'.repeat(3000), '%00', '1e308', '9223372036854775808', "'%20OR%201=1--",
  '%ZZ', encodeURIComponent('기초연금'), 'true', 'abc,def', '37.5,127.0,500', '91,181', 'NaN', encodeURIComponent('010-1234-5678')];

function fillQuery(rng, pools) {
  if (!rng.chance(0.5)) return '';
  const parts = [];
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    const k = rng.pick(QUERY_NAMES);
    let v;
    const pool = pools.get(k === 'dong' ? 'dong' : k.replace(/_id$/, ''));
    if (pool && pool.size && rng.chance(0.4)) v = String(rng.pick([...pool]));
    else v = rng.pick(QUERY_VALUES);
    parts.push(`${k}=${v}`);
  }
  return '?' + parts.join('&');
}

async function seedRecords(server, pools) {
  const admin = await loginAs(server, 'district_admin');
  const dongs = (await call(server, 'GET', '/api/v1/districts')).json[0].dongs;
  const dong = dongs[0];
  const made = async (listPath, method, p, body, headers) => {
    const r = await call(server, method, p, { session: admin, body, headers });
    if (r.status < 300 && r.json) harvestIds(pools, listPath, r.json);
    return r.json || {};
  };
  const person = await made('/api/v1/persons', 'POST', '/api/v1/persons',
    { name: '퍼즈', phone: '01055500011', birth_date: '1944-04-04', address: '은행로 9', dong_id: dong.id });
  const h = await made('/api/v1/outreach/households', 'POST', '/api/v1/outreach/intake',
    { channel: 'counter', dong_id: dong.id, address: '은행로 9 퍼즈', concern: '난방이 안 됨', urgency: 'high' });
  if (h.household_id) add(pools, '/api/v1/outreach/households', h.household_id);
  await made('/api/v1/cases', 'POST', '/api/v1/cases', { household_id: h.household_id });
  const month = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 7);
  await call(server, 'POST', '/api/v1/screening/indicators', { session: admin, headers: { 'Content-Type': 'text/csv' },
    body: `household_key,dong,indicator,value,period\nF1,${dong.code},gas_cutoff,1,${month}\n` });
  const round = await made('/api/v1/screening/rounds', 'POST', '/api/v1/screening/rounds', { min_score: 0 });
  if (round.id) await made('/api/v1/screening/items', 'GET', `/api/v1/screening/rounds/${round.id}`);
  const carer = server.account('caregiver');
  if (person.id && carer) await made('/api/v1/checkins/assignments', 'POST', '/api/v1/checkins/assignments',
    { person_id: person.id, caregiver_account_id: carer.account_id, cadence: 'weekly' });
}

// ---------------------------------------------------------------- checks

const PROBLEM_RE = /^application\/problem\+json/;
const TYPE_OF_CODE = { not_a_string: 'string', not_an_integer: 'integer', not_a_list: 'array', not_a_boolean: 'boolean',
  not_an_object: 'object', not_a_number: 'number' };

// The JSON API; /unsubscribe and /d/… are pages for people (HTML answers by design).
const JSON_ENDPOINT = /^\/(api|hsds|channels)\b/;

function checkResponse(r, json) {
  const errs = [];
  if (r.status >= 500) errs.push(`${r.status} server error`);
  if (json && r.status >= 400 && r.status < 500) {
    const ct = r.headers.get('content-type') || '';
    if (!PROBLEM_RE.test(ct)) errs.push(`4xx not problem+json (${ct})`);
    else if (!r.json || r.json.status !== r.status || typeof r.json.title !== 'string' || typeof r.json.type !== 'string')
      errs.push('malformed problem body');
    else if (r.status === 422) {
      if (!Array.isArray(r.json.errors) || r.json.errors.length === 0) errs.push('422 without errors[] naming a field');
      else if (r.json.errors.some((e) => typeof e.field !== 'string' || typeof e.code !== 'string')) errs.push('errors[] entry without field/code');
    }
  }
  return errs;
}

function learnFromDictionary(op, r) {
  if (r.status !== 422 || !Array.isArray(r.json?.errors)) return;
  const unknown = new Set(r.json.errors.filter((e) => e.code === 'unknown_field').map((e) => e.field));
  if (unknown.size === 0) return;  // the handler does not list what it accepts
  for (const k of FIELD_DICTIONARY) if (!unknown.has(k) && !op.fields.has(k)) op.fields.set(k, {});
}

function learnFields(op, r) {
  if (r.status !== 422 || !Array.isArray(r.json?.errors)) return;
  for (const e of r.json.errors) {
    if (typeof e.field !== 'string' || !e.field || e.code === 'unknown_field' || /[\s.[\]]/.test(e.field) || e.field.length > 40) continue;
    const f = op.fields.get(e.field) || {};
    if (e.code === 'required') f.required = true;
    if (TYPE_OF_CODE[e.code]) f.type = TYPE_OF_CODE[e.code];
    op.fields.set(e.field, f);
  }
}

const short = (b) => {
  if (b === undefined) return '';
  const s = Buffer.isBuffer(b) ? b.toString('latin1') : String(b);
  return s.length > 160 ? s.slice(0, 160) + `…(${s.length} bytes)` : s;
};

// ---------------------------------------------------------------- the run

// Runs the fuzzer against a started server (tests/lib/server.mjs). Options: seed, iterations
// (per role), budgetMs (wall clock for all roles), roles, log. Returns a report.
export async function runFuzz(server, opts = {}) {
  const seed = opts.seed ?? 11;
  const iterations = opts.iterations ?? 300;
  const roles = opts.roles || DEFAULT_ROLES;
  const log = opts.log || (() => {});
  const deadline = Date.now() + (opts.budgetMs ?? 3600e3);
  const started = Date.now();
  const rng = makeRng(seed);
  const failures = [];
  const sent = {};
  const statuses = {};
  const kinds = {};
  const notes = { acceptsUnknown: new Set(), unnamed: new Set(), relogins: [] };

  const doc = (await call(server, 'GET', '/api/openapi.json')).json;
  const ops = operations(doc);
  const bodyOps = ops.filter((o) => o.method !== 'GET' && o.method !== 'DELETE');
  const noSchema = bodyOps.filter((o) => !o.schema);

  const sessions = { [ANON]: null };
  for (const role of roles) if (role !== ANON) sessions[role] = await loginAs(server, role);
  const ownAccounts = new Set(Object.values(sessions).filter(Boolean).map((s) => s.account?.id));

  const dbFile = server.db.startsWith('sqlite:') ? server.db.slice(7) : null;
  const fpr = dbFile ? new Fingerprinter(dbFile) : null;
  if (fpr) await fpr.init();

  // A few records the demo lacks (a person, a household, a case, a screening round, a check-in
  // assignment), so that routes under /cases/{id} and the like reach their body checks.
  const pools = new Map();
  await seedRecords(server, pools);
  // Ids that exist: every list answer, as staff and as the resident.
  for (const role of roles) {
    for (const op of ops.filter((o) => o.method === 'GET' && o.params.length === 0 && !/unsubscribe/.test(o.path))) {
      const r = await call(server, 'GET', op.path, { session: sessions[role] || undefined });
      if (r.status === 200 && r.json) harvestIds(pools, op.path, r.json);
    }
  }
  for (const op of ops.filter((o) => o.method === 'GET' && o.params.length > 0)) {
    const p = op.path.replace(/\{(\w+)\}/g, (_, n) => String(idCandidates(pools, op.path, n)[0] ?? 1));
    const r = await call(server, 'GET', p, { session: sessions[roles.find((x) => x !== ANON && x !== 'resident')] || undefined,
      headers: { 'X-Access-Reason': 'fuzz check' } });
    if (r.status === 200 && r.json) harvestIds(pools, op.path.replace(/\/\{\w+\}$/, ''), r.json);
  }

  let fpBefore = fpr ? await fpr.take() : null;
  let fpStale = false;

  const send = async (role, op, reqPath, m) => {
    const session = sessions[role];
    const headers = {};
    if (m.contentType !== undefined && m.body !== undefined) headers['Content-Type'] = m.contentType;
    if (rng.chance(0.5)) headers['X-Access-Reason'] = rng.pick(['fuzz check', 'x', 'a'.repeat(400), 'counselling visit']);
    const useCsrf = !(session && rng.chance(0.05));
    const stderrMark = server.stderr().length;
    if (fpr && fpStale) { fpBefore = await fpr.take(); fpStale = false; }
    let r;
    try {
      r = await call(server, op.method, reqPath, { session: session || undefined, csrf: useCsrf, headers,
        body: m.body === undefined || op.method === 'GET' ? undefined : m.body });
    } catch (e) {
      r = { status: 0, error: e };
    }
    sent[role] = (sent[role] || 0) + 1;
    statuses[role] ||= {};
    statuses[role][r.status] = (statuses[role][r.status] || 0) + 1;
    kinds[m.kind] = (kinds[m.kind] || 0) + 1;
    const what = `${role} ${op.method} ${reqPath.slice(0, 200)} [${m.kind}${m.field !== undefined ? ' ' + String(m.field).slice(0, 30) : ''}] body=${short(m.body)}`;
    const alive = server.proc.exitCode === null && server.proc.signalCode === null;
    if (!alive) {
      failures.push(`server died after: ${what}\n${server.stderr().slice(-2000)}`);
      return false;
    }
    if (r.status === 0) {
      // A transport error is tolerated only for bodies past the limit (the server may close first).
      if (m.kind !== 'too_large') failures.push(`no answer (${r.error?.cause?.code || r.error?.message}): ${what}`);
    } else {
      for (const e of checkResponse(r, JSON_ENDPOINT.test(op.path))) failures.push(`${e}: ${what} → ${r.status} ${r.text.slice(0, 300)}`);
      if (m.laxId && r.status < 300) failures.push(`a spoiled id was taken for the id before it: ${what} → ${r.status} ${r.text.slice(0, 200)}`);
      learnFields(op, r);
      if (m.kind === 'dictionary') learnFromDictionary(op, r);
      // For the report (not failures): a made-up member taken without a word, and a 422 after
      // one member was spoiled that does not name it.
      const key = `${op.method} ${op.path}`;
      if (m.kind === 'unknown_field' && m.field === '__fuzz' && r.status < 300) notes.acceptsUnknown.add(key);
      if (['wrong_type', 'huge_string', 'nasty_string'].includes(m.kind) && r.status === 422 && Array.isArray(r.json?.errors) &&
          !r.json.errors.some((e) => typeof e.field === 'string' && (e.field === m.field || e.field.startsWith(m.field + '.') || e.field.startsWith(m.field + '['))))
        notes.unnamed.add(`${key} [${m.kind} ${m.field}] → ${r.json.errors.map((e) => `${e.field}:${e.code}`).join(',').slice(0, 120)}`);
    }
    if (fpr && (await fpr.dataVersion()) !== fpr.version) {
      // Something committed. A refused request must not have: compare every table.
      const refused = r.status >= 400 || r.status === 0;
      if (refused) {
        const fpAfter = await fpr.take();
        const changed = diffFingerprints(fpBefore, fpAfter);
        // The server's own background round (re-screening a minute after start) is not the request.
        const background = /re-screened|screening round|check-ins:/.test(server.stderr().slice(stderrMark));
        if (changed.length && !background)
          failures.push(`refused request changed data (${changed.join(', ')}): ${what} → ${r.status} ${r.text?.slice(0, 200)}`);
        fpBefore = fpAfter;
      } else {
        fpStale = true;
      }
    }
    // A session the fuzz itself ended (or a grant it removed) is renewed, not reported.
    // (A 401 from /auth/login is only a wrong password in a fuzzed body.)
    if (session && r.status === 401 && !/\/auth\//.test(op.path) && r.json?.type !== 'https://dure.kr/problems/csrf') {
      notes.relogins.push(what.slice(0, 200));
      try {
        sessions[role] = await loginAs(server, role);
      } catch (e) {
        failures.push(`${role} could not log in again after a 401 (${e.message.slice(0, 200)}): ${what}`);
        return false;
      }
    }
    return true;
  };

  try {
    // Learn each body's fields first (the document has no schema for most): `{}` (422 names the
    // required members) and the dictionary (422 names the members it does not accept).
    const dictionary = JSON.stringify(Object.fromEntries(FIELD_DICTIONARY.map((k) => [k, null])));
    for (const role of roles) {
      for (const op of bodyOps) {
        if (/auth\/logout/.test(op.path) && role !== ANON) continue;
        const p = fillPath(rng, op, pools, true);
        if (!(await send(role, op, p, { kind: 'empty_object', body: '{}', contentType: 'application/json' }))) return finish();
        if (!op.schema && !(await send(role, op, p, { kind: 'dictionary', body: dictionary, contentType: 'application/json' }))) return finish();
      }
    }
    for (let i = 0; i < iterations; i++) {
      for (const role of roles) {
        if (Date.now() > deadline) return finish(true);
        const op = rng.pick(ops);
        if (/auth\/logout/.test(op.path) && role !== ANON) continue;
        const shape = {};
        let reqPath = fillPath(rng, op, pools, false, shape);
        // Never strip the fuzzing accounts' own grants: that would end the run, not find a bug.
        if (op.method === 'DELETE' && /admin\/accounts\//.test(op.path) && [...ownAccounts].some((id) => reqPath.includes(`/accounts/${id}/`))) continue;
        reqPath += fillQuery(rng, pools);
        const m = op.method === 'GET' || op.method === 'DELETE' ? (rng.chance(0.9) ? { kind: 'no_body' } : mutateBody(rng, op, pools)) : mutateBody(rng, op, pools);
        if (op.method === 'GET' && m.body !== undefined) m.kind = 'no_body';
        m.laxId = shape.lax;
        if (!(await send(role, op, reqPath, m))) return finish();
      }
    }
    return finish();
  } finally {
    fpr?.close();
  }

  function finish(outOfTime = false) {
    return {
      seed, iterations, outOfTime, elapsedMs: Date.now() - started,
      operations: ops.length, bodyOperations: bodyOps.length,
      withoutSchema: noSchema.map((o) => `${o.method} ${o.path}`),
      learnedFields: Object.fromEntries(bodyOps.filter((o) => !o.schema).map((o) => [`${o.method} ${o.path}`, [...o.fields.keys()]])),
      sent, statuses, kinds, failures,
      acceptsUnknownFields: [...notes.acceptsUnknown], spoiledFieldNotNamed: [...notes.unnamed].slice(0, 50), relogins: notes.relogins.slice(0, 20),
      tablesFingerprinted: fpr?.tables.length ?? 0,
      fingerprints: fpr?.count ?? 0, fingerprintMs: fpr?.ms ?? 0,
    };
  }
}

// ---------------------------------------------------------------- command line

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  const seed = Number(opt('seed', Date.now() % 100000));
  const iterations = Number(opt('iterations', 1000));
  const roles = opt('roles', DEFAULT_ROLES.join(',')).split(',');
  const budgetMs = Number(opt('minutes', 30)) * 60e3;
  const server = await startServer({ env: { DURE_ALERT_INTERVAL: '86400' } });
  let report;
  try {
    report = await runFuzz(server, { seed, iterations, roles, budgetMs });
  } finally {
    await server.stop();
  }
  const { failures, learnedFields, ...summary } = report;
  console.log(JSON.stringify(summary, null, 1));
  if (args.includes('--verbose')) console.log(JSON.stringify(learnedFields, null, 1));
  for (const f of failures) console.log('FAIL ' + f);
  console.log(`seed ${seed}: ${Object.values(report.sent).reduce((a, b) => a + b, 0)} requests, ${failures.length} failures, ${report.elapsedMs} ms`);
  process.exit(failures.length ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => { console.error(e); process.exit(2); });
}
