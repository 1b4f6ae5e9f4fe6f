// Every outreach endpoint × every demo role (and anonymous): who gets 2xx and who gets 401/403,
// as src/identity/authz.cpp says. A gatekeeper files reports but never reads a household; a
// caseworker works only in their dong; nobody but officials ever sees who reported a household.
// Node standard library only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, login, loginAs, districts } from './_client.mjs';

const OFFICIALS = ['caseworker', 'district_admin'];
const FILERS = ['gatekeeper', 'caregiver', 'care_team', 'caseworker', 'district_admin'];
const EVERYONE = 'everyone';

let server;
let admin; let myDong; let otherDong; let myDongCode; let cwId;
let gatekeeperId; let hh; let hhOther;
const tokens = new Map(); // account login -> API token
const stamp = String(Date.now() % 1000000).padStart(6, '0');
// Who reported the fixture household: must never reach anyone but officials.
const REPORTER_CONTACT = `신고자연락처-${stamp}`;
const SUBJECT = `대상자-${stamp}`;
let n = 0;
const unique = () => `${stamp}-${n++}`;

// A fresh household in the caseworker's dong, filed by the district administrator.
async function newHousehold(dong = myDong) {
  const r = await call(server, 'POST', '/api/v1/outreach/intake', {
    session: admin, body: { channel: 'counter', dong_id: dong, address: `은행로 ${unique()}`, concern: 'matrix', contact: REPORTER_CONTACT, subject_name: SUBJECT },
  });
  assert.equal(r.status, 201, r.text);
  return r.json.household_id;
}

const csv = () => `dong,address,concern\n${myDongCode},은행로 ${unique()},csv\n`;

const ENDPOINTS = [
  { name: 'GET vocabulary', method: 'GET', path: () => '/api/v1/outreach/vocabulary', ok: 200, allowed: EVERYONE, anonymous: 200 },
  { name: 'POST public report', method: 'POST', path: () => '/api/v1/outreach/reports', body: () => ({ place: `공원 ${unique()}`, concern: 'matrix' }), ok: 201, allowed: EVERYONE, anonymous: 201 },
  { name: 'GET my-reports', method: 'GET', path: () => '/api/v1/outreach/my-reports', ok: 200, allowed: EVERYONE },
  { name: 'POST partner report (session)', method: 'POST', path: () => '/api/v1/outreach/partner/reports', body: () => ({ place: 'x', concern: 'y' }), ok: 201, allowed: [] },
  { name: 'POST partner report (token)', token: true, method: 'POST', path: () => '/api/v1/outreach/partner/reports', body: () => ({ address: `버들길 ${unique()}`, concern: 'gas cut off' }), ok: 201, allowed: EVERYONE },
  { name: 'POST intake', method: 'POST', path: () => '/api/v1/outreach/intake', body: () => ({ channel: 'hotline', dong_id: myDong, address: `은행로 ${unique()}`, concern: 'call' }), ok: 201, allowed: OFFICIALS },
  { name: 'POST intake import', method: 'POST', path: () => '/api/v1/outreach/intake/import', csv: true, ok: 201, allowed: OFFICIALS },
  { name: 'GET gatekeepers', method: 'GET', path: () => '/api/v1/outreach/gatekeepers', ok: 200, allowed: OFFICIALS },
  { name: 'POST gatekeeper', method: 'POST', path: () => '/api/v1/outreach/gatekeepers', body: () => ({ kind: 'honorary_officer', occupation: 'shop', organization: '편의점', name: '최편의', dong_id: myDong }), ok: 201, allowed: OFFICIALS },
  { name: 'GET gatekeeper', method: 'GET', path: () => `/api/v1/outreach/gatekeepers/${gatekeeperId}`, ok: 200, allowed: OFFICIALS },
  { name: 'PATCH gatekeeper', method: 'PATCH', path: () => `/api/v1/outreach/gatekeepers/${gatekeeperId}`, body: () => ({ training_date: '2025-05-01' }), ok: 200, allowed: OFFICIALS },
  { name: 'GET queue', method: 'GET', path: () => '/api/v1/outreach/queue', ok: 200, allowed: OFFICIALS },
  { name: 'GET queue of another dong', method: 'GET', path: () => `/api/v1/outreach/queue?dong_id=${otherDong}`, ok: 200, allowed: ['district_admin'] },
  { name: 'GET household', method: 'GET', path: () => `/api/v1/outreach/households/${hh}`, reason: true, ok: 200, allowed: OFFICIALS },
  { name: 'GET household of another dong', method: 'GET', path: () => `/api/v1/outreach/households/${hhOther}`, reason: true, ok: 200, allowed: ['district_admin'] },
  { name: 'POST assign', method: 'POST', path: () => `/api/v1/outreach/households/${hh}/assign`, body: () => ({ account_id: cwId }), ok: 200, allowed: OFFICIALS },
  { name: 'POST assign (auto)', method: 'POST', path: () => `/api/v1/outreach/households/${hh}/assign`, body: () => ({ auto: true }), ok: 200, allowed: OFFICIALS },
  { name: 'PUT household_key', method: 'PUT', path: () => `/api/v1/outreach/households/${hh}/household_key`, body: () => ({ household_key: `M-${unique()}` }), ok: 200, allowed: OFFICIALS },
  { name: 'GET workload', method: 'GET', path: () => '/api/v1/outreach/workload', ok: 200, allowed: OFFICIALS },
  { name: 'GET staff directory', method: 'GET', path: () => `/api/v1/outreach/staff?dong=${myDong}`, ok: 200, allowed: OFFICIALS },
  { name: 'GET staff directory (caregivers)', method: 'GET', path: () => `/api/v1/outreach/staff?dong=${myDong}&role=caregiver,care_team`, ok: 200, allowed: OFFICIALS },
  { name: 'GET staff directory of another dong', method: 'GET', path: () => `/api/v1/outreach/staff?dong=${otherDong}`, ok: 200, allowed: ['district_admin'] },
  { name: 'POST contact', method: 'POST', path: () => `/api/v1/outreach/households/${hh}/contact`, body: () => ({ note: 'called' }), ok: 200, allowed: OFFICIALS },
  { name: 'PATCH household', method: 'PATCH', path: () => `/api/v1/outreach/households/${hh}`, body: () => ({ dong_id: myDong }), ok: 200, allowed: OFFICIALS },
  { name: 'POST close', method: 'POST', prepare: async () => ({ id: await newHousehold() }), path: (x) => `/api/v1/outreach/households/${x.id}/close`, body: () => ({ outcome: 'not_in_need' }), ok: 200, allowed: OFFICIALS },
  { name: 'POST merge', method: 'POST', prepare: async () => ({ id: await newHousehold(), other: await newHousehold() }), path: (x) => `/api/v1/outreach/households/${x.id}/merge`, body: (x) => ({ household_id: x.other }), ok: 200, allowed: OFFICIALS },
];

function request(e, extra, prepared) {
  const opts = { ...extra };
  if (e.csv) { opts.body = csv(); opts.headers = { 'Content-Type': 'text/csv' }; } else if (e.body) opts.body = e.body(prepared);
  if (e.reason) opts.headers = { ...(opts.headers || {}), 'X-Access-Reason': 'authorization matrix' };
  return call(server, e.method, e.path(prepared), opts);
}

before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  const cw = server.account('caseworker');
  myDong = cw.scope_id;
  cwId = cw.account_id;
  const d = (await districts(server)).find((x) => x.dongs.some((g) => g.id === myDong));
  myDongCode = d.dongs.find((g) => g.id === myDong).code;
  otherDong = d.dongs.find((g) => g.id !== myDong).id;
  const g = await call(server, 'POST', '/api/v1/outreach/gatekeepers', { session: admin, body: { kind: 'honorary_officer', occupation: 'postal', organization: '한빛우체국', name: '정우체', dong_id: myDong } });
  assert.equal(g.status, 201, g.text);
  gatekeeperId = g.json.id;
  hh = await newHousehold();
  hhOther = await newHousehold(otherDong);
  // API tokens belong to a partner's service account, not to people: one token, whoever holds
  // the session beside it.
  const t = await call(server, 'POST', '/api/v1/admin/api-tokens', { session: admin, body: { name: 'matrix partner', scopes: ['file_report'], expires_at: new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10) } });
  assert.equal(t.status, 201, t.text);
  for (const a of server.accounts) tokens.set(a.login, t.json.token);
});
after(async () => { if (server) await server.stop(); });

test('the demo has every role, with a partner-institution gatekeeper besides the postal worker', () => {
  const roles = new Set(server.accounts.map((a) => a.role));
  for (const r of ['resident', 'volunteer', 'donor', 'gatekeeper', 'caregiver', 'care_team', 'caseworker', 'project_manager', 'council', 'facility_manager', 'district_admin']) assert.ok(roles.has(r), r);
  assert.equal(server.accounts.filter((a) => a.role === 'gatekeeper').length, 2);
});

test('anonymous callers: the form and the vocabulary are open, everything else is 401', async () => {
  const failures = [];
  for (const e of ENDPOINTS) {
    const prepared = e.prepare && e.anonymous ? await e.prepare() : { id: hh, other: hhOther };
    const r = await request(e, {}, prepared);
    const want = e.anonymous || 401;
    if (r.status !== want) failures.push(`anonymous ${e.name}: want ${want}, got ${r.status} ${r.text.slice(0, 120)}`);
  }
  assert.deepEqual(failures, []);
});

test('every role against every outreach endpoint', async () => {
  const failures = [];
  for (const a of server.accounts) {
    const s = await login(server, a.login, a.password);
    for (const e of ENDPOINTS) {
      const allowed = e.allowed === EVERYONE || e.allowed.includes(a.role);
      const prepared = e.prepare && allowed ? await e.prepare() : { id: hh, other: hhOther };
      const r = await request(e, e.token ? { bearer: tokens.get(a.login) } : { session: s }, prepared);
      const want = allowed ? e.ok : 403;
      if (r.status !== want) {
        failures.push(`${a.role} (${a.login}) ${e.name}: want ${want}, got ${r.status} ${r.text.slice(0, 160)}`);
        continue;
      }
      if (want === 403 && !/^application\/problem\+json/.test(r.headers.get('content-type') || '')) failures.push(`${a.role} ${e.name}: 403 is not problem+json`);
      if (want === 403 && !r.json?.detail) failures.push(`${a.role} ${e.name}: 403 without a reason`);
      // Whoever is not an official never sees who reported a household, nor the household.
      if (!OFFICIALS.includes(a.role) && (r.text.includes(REPORTER_CONTACT) || r.text.includes(SUBJECT)))
        failures.push(`${a.role} ${e.name}: saw the reporter or the household: ${r.text.slice(0, 160)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('officials see the reporter and the household only when they open it, with a reason', async () => {
  const cw = await loginAs(server, 'caseworker');
  const q = await call(server, 'GET', '/api/v1/outreach/queue?status=all', { session: cw });
  assert.equal(q.status, 200);
  assert.ok(!q.text.includes(REPORTER_CONTACT) && !q.text.includes(SUBJECT), 'the queue carries no personal data');
  const r = await call(server, 'GET', `/api/v1/outreach/households/${hh}`, { session: cw, headers: { 'X-Access-Reason': 'matrix check' } });
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(REPORTER_CONTACT) && r.text.includes(SUBJECT));
});
