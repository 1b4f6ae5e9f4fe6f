// Eligibility simulation over HTTP: anonymous simulation with reasons and questions, the trace,
// dates and parameters, impossible households, member profiles encrypted at rest, saved results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server) await server.stop(); });

const simulate = (body, opts = {}) => call(server, 'POST', `/api/v1/simulations${opts.query || ''}`, { body, ...opts });
const byCode = (r) => Object.fromEntries(r.json.results.map((x) => [x.program, x]));

// An older woman living alone in Seoul on a small public pension, no assets.
const alone = (date = '2025-06-01') => ({
  date,
  household: {
    members: [{ relation: 'self', birth_date: '1953-05-10', disability: 'none' }],
    residence: { tenure: 'monthly_rent', rent: 250000, region: 'seoul' },
    incomes: { public_transfer: 200000 }, assets: {},
  },
});

test('a household gets a status, an amount and reasons for every encoded program', async () => {
  const r = await simulate(alone());
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const res = byCode(r);
  const programs = (await call(server, 'GET', '/api/v1/eligibility/programs')).json.items;
  assert.ok(programs.length >= 30, `at least 30 programs: ${programs.length}`);
  for (const p of programs) assert.ok(res[p.program], `a result for ${p.program}`);
  // Livelihood benefit: selection amount − recognized income (both from the answer itself).
  const lb = res.livelihood_benefit;
  assert.equal(lb.status, 'eligible');
  const ri = r.json.computed.recognized_income.value;
  assert.equal(ri, 200000);
  const median = (await call(server, 'GET', '/api/v1/eligibility/parameters?date=2025-06-01')).json.items
    .find((p) => p.name === 'median_income').in_force.by_size[0];
  // The selection line is the median × 32 % rounded to the won, as the ministry publishes it.
  assert.equal(lb.monthly_amount, Math.round(median * 0.32) - ri);
  assert.equal(lb.amount_estimate, false);
  assert.ok(lb.reasons.length >= 1);
  const cmp = lb.reasons.find((x) => x.kind === 'compare');
  assert.equal(cmp.held, true);
  assert.equal(cmp.left, ri);
  assert.ok(typeof cmp.label_ko === 'string' && cmp.label_ko.length > 0);
  assert.equal(res.basic_pension.status, 'eligible');
  assert.ok(res.basic_pension.monthly_amount > 300000);
  // Programs that do not apply say why.
  assert.equal(res.child_allowance.status, 'not_eligible');
  assert.ok(res.child_allowance.reasons.some((x) => x.held === false));
  // Catalogue programs without rules are not_computed, never not_eligible.
  const nc = r.json.results.filter((x) => x.status === 'not_computed');
  assert.ok(nc.length > 0, 'catalogue programs without rules are listed');
  for (const x of nc) assert.ok(!programs.some((p) => p.program === x.program));
});

test('the line is rounded to the won: at 2025 2인 생계 1,258,451 the household is in, one won above it is out', async () => {
  const two = (income) => ({ date: '2025-06-01', household: { members: [{ age: 40 }, { age: 12 }], recognized_income: income } });
  const at = byCode(await simulate(two(1258451))).livelihood_benefit;
  assert.equal(at.status, 'eligible');
  assert.equal(at.monthly_amount, 0);
  assert.equal(byCode(await simulate(two(1258450))).livelihood_benefit.monthly_amount, 1);
  assert.equal(byCode(await simulate(two(1258452))).livelihood_benefit.status, 'not_eligible');
});

test('an amount that reads an estimated figure is flagged, with the figure and why', async () => {
  const r = await simulate({ date: '2026-06-01', household: { members: [{ age: 30, job_seeking: true }] } });
  assert.equal(r.status, 200, r.text);
  const card = byCode(r).national_tomorrow_learning_card;
  assert.equal(card.status, 'eligible');
  assert.equal(card.lump_sum_amount, 3000000);
  assert.equal(card.amount_estimate, true);
  const names = card.estimated_parameters.map((x) => x.parameter);
  assert.ok(names.includes('tomorrow_learning_card_amount'), names.join());
  for (const x of card.estimated_parameters) assert.match(x.source, /^estimate: /);
  // Every published figure has a source; none is "unverified".
  const params = (await call(server, 'GET', '/api/v1/eligibility/parameters')).json.items;
  for (const p of params) for (const v of p.values) assert.doesNotMatch(v.source, /^unverified/, p.name);
});

test('what is unknown stays unknown: undetermined with the question that decides it', async () => {
  const r = await simulate({ date: '2025-06-01', household: { members: [{ age: 70 }] } });
  assert.equal(r.status, 200, r.text);
  const lb = byCode(r).livelihood_benefit;
  assert.equal(lb.status, 'undetermined');
  assert.ok(lb.question && lb.question.question_ko, 'the deciding question');
  assert.ok(r.json.questions.length >= 1);
  assert.ok(r.json.questions[0].decides >= 1);
  assert.equal(r.json.computed.recognized_income.value, null);
  // Only questions that still change a result: nobody asks a 70-year-old about pregnancy.
  assert.ok(!r.json.questions.some((q) => q.variable === 'pregnant'), JSON.stringify(r.json.questions.map((q) => q.variable)));
  // Answering it moves the answer.
  const r2 = await simulate({ date: '2025-06-01', household: { members: [{ age: 70 }], recognized_income: 0 } });
  assert.equal(byCode(r2).livelihood_benefit.status, 'eligible');
  assert.equal(r2.json.computed.recognized_income.given, true);
});

test('a failed comparison says how far it is from passing', async () => {
  const h = alone();
  h.household.incomes.public_transfer = 3000000;
  const r = await simulate(h);
  const lb = byCode(r).livelihood_benefit;
  assert.equal(lb.status, 'not_eligible');
  const c = lb.reasons.find((x) => x.kind === 'compare' && x.held === false);
  assert.equal(c.direction, 'decrease');
  assert.equal(c.gap, c.left - c.right);
});

test('the date picks the parameters in force, and a date outside them is refused', async () => {
  const a = await simulate(alone('2024-06-01'));
  const b = await simulate(alone('2026-06-01'));
  assert.notEqual(byCode(a).livelihood_benefit.monthly_amount, byCode(b).livelihood_benefit.monthly_amount);
  for (const date of ['2019-01-01', '2031-01-01', '2025-02-30', 'tomorrow', 20250101]) {
    const r = await simulate({ ...alone(), date });
    const p = assertProblem(r, 422, `date ${date}`);
    assert.deepEqual(errorFields(p), ['date']);
  }
});

test('?trace=1 shows every step', async () => {
  const r = await simulate(alone(), { query: '?trace=1' });
  const lb = byCode(r).livelihood_benefit;
  assert.ok(Array.isArray(lb.trace) && lb.trace.length > 3);
  assert.ok(lb.trace.some((s) => s.op === 'param'));
  assert.ok(lb.trace.every((s) => typeof s.path === 'string' && typeof s.value === 'string'));
  const plain = await simulate(alone());
  assert.equal(byCode(plain).livelihood_benefit.trace, undefined);
});

test('impossible households get a 422 naming each field', async () => {
  const forty = Array.from({ length: 40 }, () => ({ age: 30 }));
  const cases = [
    [{ members: [{ age: -1 }] }, 'household.members[0].age'],
    [{ members: forty }, 'household.members'],
    [{ members: [{ age: 30 }], incomes: { earned: 1e15 } }, 'household.incomes.earned'],
    [{ members: [{ age: 30 }], incomes: { earned: 12.5 } }, 'household.incomes.earned'],
    [{ members: [{ age: 30 }], pets: 3 }, 'household.pets'],
    [{ members: [{ age: 30, wings: true }] }, 'household.members[0].wings'],
    [{ members: [{ birth_date: '2099-01-01' }] }, 'household.members[0].birth_date'],
    [{ members: [{ age: 30 }], residence: { tenure: 'castle' } }, 'household.residence.tenure'],
    [{ members: [{ age: 30 }], receives: ['no_such_program'] }, 'household.receives[0]'],
    [{ members: [] }, 'household.members'],
    ['a string', 'household'],
  ];
  for (const [household, field] of cases) {
    const r = await simulate({ date: '2025-06-01', household });
    const p = assertProblem(r, 422, JSON.stringify(household).slice(0, 80));
    assert.ok(errorFields(p).includes(field), `${field} in ${JSON.stringify(p.errors)}`);
  }
  // Unknown top-level fields, a missing household, not JSON, too big.
  assertProblem(await simulate({ household: { members: [{}] }, extra: 1 }), 422);
  assert.deepEqual(errorFields(assertProblem(await simulate({ date: '2025-06-01' }), 422)), ['household']);
  assertProblem(await call(server, 'POST', '/api/v1/simulations', { body: '{"household":', headers: { 'Content-Type': 'application/json' } }), 400);
  const big = { date: '2025-06-01', household: { members: [{ age: 1, name: 'x'.repeat(2_000_000) }] } };
  assertProblem(await simulate(big), 413);
  // Both the date and the household are reported at once.
  const both = assertProblem(await simulate({ date: 'nope', household: { members: [{ age: -5 }] } }), 422);
  assert.deepEqual(errorFields(both).sort(), ['date', 'household.members[0].age']);
});

test('parameters and programs are published with their sources', async () => {
  const ps = (await call(server, 'GET', '/api/v1/eligibility/parameters')).json.items;
  const median = ps.find((p) => p.name === 'median_income');
  assert.deepEqual(median.values.map((v) => v.from.slice(0, 4)), ['2024', '2025', '2026']);
  for (const p of ps) for (const v of p.values) assert.ok(v.source.length > 5, `${p.name} cites a source`);
  const progs = (await call(server, 'GET', '/api/v1/eligibility/programs')).json.items;
  for (const p of progs) assert.ok(p.source && p.criteria && p.name_ko, p.program);
  const q = (await call(server, 'GET', '/api/v1/eligibility/questions')).json;
  assert.ok(q.household.find((v) => v.variable === 'tenure').values.includes('monthly_rent'));
  assert.ok(q.member.find((v) => v.variable === 'disability').question_ko);
});

test('members keep an encrypted household profile and saved results; others cannot see them', async () => {
  // Anonymous callers cannot save.
  assertProblem(await simulate({ ...alone(), save: true }), 401);
  assertProblem(await call(server, 'GET', '/api/v1/me/eligibility'), 401);
  const me = await loginAs(server, 'resident');
  const secretRent = 314159;
  const h = alone();
  h.household.residence.rent = secretRent;
  const put = await call(server, 'PUT', '/api/v1/me/eligibility', {
    session: me, body: { household: h.household, alerts_consent: true, interests: { topics: ['housing'] } } });
  assert.equal(put.status, 200, put.text);
  // Without the CSRF token a cookie session cannot write.
  assertProblem(await call(server, 'PUT', '/api/v1/me/eligibility', { session: me, csrf: false, body: { alerts_consent: false } }), 403);
  const got = await call(server, 'GET', '/api/v1/me/eligibility', { session: me });
  assert.equal(got.json.household.residence.rent, secretRent);
  assert.equal(got.json.alerts_consent, true);
  assert.deepEqual(got.json.interests, { topics: ['housing'] });
  const saved = await simulate({ ...h, save: true }, { session: me });
  assert.equal(saved.status, 200, saved.text);
  assert.ok(saved.json.saved_id);
  const list = await call(server, 'GET', '/api/v1/me/simulations', { session: me });
  assert.equal(list.json.items.length, 1);
  assert.ok(list.json.items[0].summary.some((s) => s.program === 'livelihood_benefit' && s.status === 'eligible'));
  // Another member sees nothing of it and cannot delete it.
  const other = await loginAs(server, 'volunteer').catch(() => null) || await loginAs(server, 'district_admin');
  assert.equal((await call(server, 'GET', '/api/v1/me/simulations', { session: other })).json.items.length, 0);
  assertProblem(await call(server, 'DELETE', `/api/v1/me/simulations/${saved.json.saved_id}`, { session: other }), 404);
  // At rest the rent is not in the database in clear text.
  if (server.db.startsWith('sqlite:')) {
    const dump = execFileSync('sqlite3', [server.db.slice(7), 'SELECT household_enc FROM member_profiles; SELECT body_enc FROM saved_simulations;'], { encoding: 'utf8' });
    assert.ok(dump.includes('v1.'), 'ciphertext stored');
    assert.ok(!dump.includes(String(secretRent)), 'no clear rent at rest');
  }
  // Delete one result, then forget everything.
  assert.equal((await call(server, 'DELETE', `/api/v1/me/simulations/${saved.json.saved_id}`, { session: me })).status, 204);
  assert.equal((await call(server, 'GET', '/api/v1/me/simulations', { session: me })).json.items.length, 0);
  assert.equal((await call(server, 'DELETE', '/api/v1/me/eligibility', { session: me })).status, 204);
  assert.equal((await call(server, 'GET', '/api/v1/me/eligibility', { session: me })).json.household, null);
  // Bad profile input names the field.
  const bad = assertProblem(await call(server, 'PUT', '/api/v1/me/eligibility', {
    session: me, body: { household: { members: [{ age: 200 }] }, alerts_consent: 'yes', interests: { colours: [] } } }), 422);
  assert.deepEqual(errorFields(bad).sort(), ['alerts_consent', 'household.members[0].age', 'interests']);
});
