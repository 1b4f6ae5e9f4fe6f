// Consents stored on the server (issue 16, migration 0014): the texts with versions
// (GET /api/v1/consents), the consents a sign-up gives recorded with the account, the optional
// alerts consent given and withdrawn (on the alerts settings or on My page), every act kept with
// its time, and a required consent withdrawn only by leaving. Node standard library only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, login } from './_client.mjs';

let server, texts;
const stamp = `${process.pid}.${Date.now() % 1000000}`;
before(async () => {
  server = await startServer();
  const r = await call(server, 'GET', '/api/v1/consents');
  assert.equal(r.status, 200, r.text);
  texts = r.json.items;
});
after(async () => { if (server) await server.stop(); });

const required = () => texts.filter((c) => c.required).map((c) => ({ kind: c.kind, version: c.version }));
let n = 0;
async function signup(consents) {
  const email = `consent.${stamp}.${++n}@example.com`;
  const body = { email, password: 'consent-test-pass-1', name: `동의${n}` };
  if (consents !== undefined) body.consents = consents;
  const r = await call(server, 'POST', '/api/v1/auth/signup', { body });
  return { r, email };
}

test('the texts: required terms and privacy, an optional alerts consent, each with a version and a hash', async () => {
  const kinds = Object.fromEntries(texts.map((c) => [c.kind, c]));
  assert.equal(kinds.terms.required, true);
  assert.equal(kinds.privacy.required, true);
  assert.equal(kinds.eligibility_alerts.required, false);
  assert.equal(kinds.eligibility_alerts.withdraw, 'any_time');
  for (const c of texts) {
    assert.match(c.version, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(c.sha256, /^[0-9a-f]{64}$/);
    assert.ok(c.items_ko.length && c.items_en.length && c.title_ko && c.title_en);
  }
  assert.ok(kinds.privacy.items_ko.some((x) => x.startsWith('수집 항목')), 'names what is collected');
});

test('sign-up records the required consents with the account; missing, unknown or outdated ones are refused by name', async () => {
  const bad = async (consents, code) => {
    const { r } = await signup(consents);
    const p = assertProblem(r, 422);
    assert.ok(p.errors.some((e) => e.field === 'consents' && e.code === code), `${code}: ${r.text}`);
  };
  await bad([{ kind: 'terms', version: texts.find((c) => c.kind === 'terms').version }], 'required_consent');
  await bad([...required(), { kind: 'nonsense', version: '1' }], 'unknown_consent');
  await bad(required().map((c) => ({ ...c, version: '2000-01-01' })), 'outdated_version');
  await bad([...required(), required()[0]], 'repeated');
  await bad('yes', 'invalid');
  await bad([{ kind: 'terms' }], 'invalid');

  const { r, email } = await signup(required());
  assert.equal(r.status, 201, r.text);
  const s = await login(server, email, 'consent-test-pass-1');
  const mine = await call(server, 'GET', '/api/v1/me/consents', { session: s });
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.headers.get('cache-control'), 'no-store');
  assert.deepEqual(mine.json.items.map((c) => c.kind).sort(), ['privacy', 'terms']);
  for (const c of mine.json.items) {
    assert.equal(c.given, true);
    assert.equal(c.version, c.current_version);
    assert.ok(Math.abs(c.first_given_at - Date.now() / 1000) < 120, 'when: the real time');
  }
  assert.deepEqual(mine.json.history.map((h) => [h.kind, h.action, h.channel]).sort(),
    [['privacy', 'given', 'signup'], ['terms', 'given', 'signup']]);
  assert.equal(mine.json.history.find((h) => h.kind === 'terms').text_sha256, texts.find((c) => c.kind === 'terms').sha256);

  // A required consent is withdrawn only by leaving.
  const p = assertProblem(await call(server, 'POST', '/api/v1/me/consents/terms/withdraw', { session: s }), 409);
  assert.match(p.type, /consent-required/);
  assertProblem(await call(server, 'POST', '/api/v1/me/consents/nonsense/withdraw', { session: s }), 404);
  assertProblem(await call(server, 'GET', '/api/v1/me/consents'), 401);
  assertProblem(await call(server, 'POST', '/api/v1/me/consents/eligibility_alerts/withdraw', {}), 401);
});

test('the alerts consent: given on the alerts settings, withdrawn on My page, alerts stop, every act recorded', async () => {
  const { r, email } = await signup(required());
  assert.equal(r.status, 201, r.text);
  const s = await login(server, email, 'consent-test-pass-1');
  const put = (body) => call(server, 'PUT', '/api/v1/me/eligibility', { session: s, body });
  assert.equal((await put({ alerts_consent: true })).status, 200);
  assert.equal((await put({ alerts_consent: true })).status, 200, 'saying it again records nothing new');
  let mine = (await call(server, 'GET', '/api/v1/me/consents', { session: s })).json;
  const alerts = () => mine.items.find((c) => c.kind === 'eligibility_alerts');
  assert.equal(alerts().given, true);
  assert.equal(mine.history.filter((h) => h.kind === 'eligibility_alerts').length, 1);
  assert.equal(mine.history.at(-1).channel, 'eligibility');

  const w = await call(server, 'POST', '/api/v1/me/consents/eligibility_alerts/withdraw', { session: s });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.changed, true);
  const prof = await call(server, 'GET', '/api/v1/me/eligibility', { session: s });
  assert.equal(prof.json.alerts_consent, false, 'the alerts stopped with the withdrawal');
  const again = await call(server, 'POST', '/api/v1/me/consents/eligibility_alerts/withdraw', { session: s });
  assert.equal(again.json.changed, false, 'withdrawing twice records once');
  mine = (await call(server, 'GET', '/api/v1/me/consents', { session: s })).json;
  assert.equal(alerts().given, false);
  assert.deepEqual(mine.history.filter((h) => h.kind === 'eligibility_alerts').map((h) => [h.action, h.channel]),
    [['given', 'eligibility'], ['withdrawn', 'me']]);
  // Turning alerts back on is a new consent, recorded after the withdrawal.
  assert.equal((await put({ alerts_consent: true })).status, 200);
  mine = (await call(server, 'GET', '/api/v1/me/consents', { session: s })).json;
  assert.equal(alerts().given, true);
  assert.equal(mine.history.filter((h) => h.kind === 'eligibility_alerts').length, 3);
});

test('a sign-up without a consents list still works for API clients, and records nothing it was not given', async () => {
  const { r, email } = await signup(undefined);
  assert.equal(r.status, 201, r.text);
  const s = await login(server, email, 'consent-test-pass-1');
  assert.deepEqual((await call(server, 'GET', '/api/v1/me/consents', { session: s })).json.items, []);
});
