// Idempotency-Key on the writes staff retry (security review #10): a case, a note, a visit, a
// person, a check-in assignment and a survey response written once per key, the first answer
// replayed (Idempotent-Replayed: true), another body with the same key refused (409 naming the
// header), concurrent requests with one key write once, and a refused request frees its key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, errorFields, loginAs } from './_client.mjs';

let server, cw, myDong, household;

before(async () => {
  server = await startServer();
  cw = await loginAs(server, 'caseworker');
  myDong = cw.demo.scope_id;
  const r = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, body: {
    channel: 'hotline', dong_id: myDong, address: `은행로 ${Date.now() % 100000} 101호`, concern: '연락이 안 됨', urgency: 'normal' } });
  assert.equal(r.status, 201, r.text);
  household = r.json.household_id;
});
after(async () => { if (server) await server.stop(); });

const keyed = (key, extra = {}) => ({ session: cw, headers: { 'Idempotency-Key': key }, ...extra });

test('a case and its note are written once per key; the retry gets the first answer', async () => {
  const first = await call(server, 'POST', '/api/v1/cases', keyed('case-1', { body: { household_id: household } }));
  assert.equal(first.status, 201, first.text);
  const again = await call(server, 'POST', '/api/v1/cases', keyed('case-1', { body: { household_id: household } }));
  assert.equal(again.status, 201, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.id, first.json.id);
  // Without the key the same request is a second attempt, refused as before (one open case).
  assertProblem(await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: household } }), 409);
  // The same key with another body: 409 naming the header.
  const reused = assertProblem(await call(server, 'POST', '/api/v1/cases', keyed('case-1', { body: { household_id: household + 1 } })), 409);
  assert.deepEqual(errorFields(reused), ['Idempotency-Key']);

  const caseId = first.json.id;
  const note = () => call(server, 'POST', `/api/v1/cases/${caseId}/notes`, keyed('note-1', { body: { text: '전화 연결됨' } }));
  const [a, b] = [await note(), await note()];
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  const read = await call(server, 'GET', `/api/v1/cases/${caseId}`, { session: cw, headers: { 'X-Access-Reason': 'idempotency test' } });
  assert.equal(read.status, 200, read.text);
  const notes = read.json.entries.filter((e) => JSON.stringify(e.body).includes('전화 연결됨'));
  assert.equal(notes.length, 1, `one note, not two: ${read.text.slice(0, 500)}`);
});

test('concurrent requests with one key write one visit', async () => {
  const open = await call(server, 'GET', '/api/v1/cases?limit=5', { session: cw });
  assert.equal(open.status, 200, open.text);
  const caseId = (open.json.items || open.json)[0].id;
  const body = { checklist: { meals: 'ok', heating: 'ok' }, result: '안부 확인' };
  const rs = await Promise.all(Array.from({ length: 8 }, () =>
    call(server, 'POST', `/api/v1/cases/${caseId}/visits`, keyed('visit-1', { body }))));
  const created = rs.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') !== 'true');
  assert.equal(created.length, 1, rs.map((r) => `${r.status} ${r.headers.get('idempotent-replayed')}`).join(','));
  // The others either replayed the answer or were told the first is still running (409, retry).
  for (const r of rs.filter((x) => !created.includes(x))) {
    if (r.status === 201) assert.equal(r.headers.get('idempotent-replayed'), 'true');
    else assert.deepEqual(errorFields(assertProblem(r, 409)), ['Idempotency-Key']);
  }
  const replay = await call(server, 'POST', `/api/v1/cases/${caseId}/visits`, keyed('visit-1', { body }));
  assert.equal(replay.status, 201);
  assert.equal(replay.json.id, created[0].json.id);
});

test('a refused request frees its key; a malformed key is refused naming the header', async () => {
  const bad = assertProblem(await call(server, 'POST', '/api/v1/persons', keyed('person-1', { body: { name: '' } })), 422);
  assert.ok(errorFields(bad).length > 0);
  const person = { name: '김멱등', birth_date: '1950-03-04', phone: '010-5555-0101', dong_id: myDong };
  const ok = await call(server, 'POST', '/api/v1/persons', keyed('person-1', { body: person }));
  assert.equal(ok.status, 201, ok.text);
  const again = await call(server, 'POST', '/api/v1/persons', keyed('person-1', { body: person }));
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.id, ok.json.id);
  const long = assertProblem(await call(server, 'POST', '/api/v1/persons', keyed('x'.repeat(101), { body: person })), 422);
  assert.deepEqual(errorFields(long), ['Idempotency-Key']);
});

test('the key is scoped to its caller: another official with the same key writes their own', async () => {
  const other = await loginAs(server, 'district_admin');
  const person = { name: '박범위', birth_date: '1948-01-02', phone: '010-5555-0202', dong_id: myDong };
  const a = await call(server, 'POST', '/api/v1/persons', keyed('shared-key', { body: person }));
  const b = await call(server, 'POST', '/api/v1/persons', { session: other, headers: { 'Idempotency-Key': 'shared-key' }, body: person });
  assert.equal(a.status, 201, a.text);
  assert.equal(b.headers.get('idempotent-replayed'), null, 'another caller never gets my answer');
});

test('the OpenAPI document names the header on idempotent writes', async () => {
  const doc = (await call(server, 'GET', '/api/openapi.json')).json;
  const params = doc.paths['/api/v1/cases'].post.parameters || [];
  assert.ok(params.some((p) => p.name === 'Idempotency-Key' && p.in === 'header'));
});
