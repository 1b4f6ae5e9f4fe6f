// Online applications over HTTP: forms as data (public), a resident's draft saved and resumed on the
// server, documents checked by their bytes and size and stored encrypted, an idempotent submission
// with a receipt number, the staff queue of the official's dong (review, more documents, a decision
// with a written reason, each a notice to the resident), applications on an offline resident's
// behalf with their consent, and the hostile cases: another resident, another dong, a wrong file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, assertProblem, errorFields, loginAs, login, districts } from './_client.mjs';
import { startServer } from '../lib/server.mjs';

let server, admin, cw, resident, other, farCw, district, myDong, otherDong;
const FORM = 'hanbit-winter-heating';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 1)]);
const REASON = { 'X-Access-Reason': 'application review' };
const answers = { applicant_name: '김하나', phone: '010-1234-5678', household_size: 2, heating: '연탄', situation: '12월 가스비가 밀렸습니다.' };

const upload = (session, id, code, bytes, type, headers = {}) =>
  call(server, 'POST', `/api/v1/applications/${id}/documents/${code}`, { session, body: bytes, headers: { 'Content-Type': type, ...headers } });

before(async () => {
  server = await startServer();
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
  resident = await loginAs(server, 'resident');
  district = (await districts(server))[0];
  myDong = cw.demo.scope_id;
  otherDong = district.dongs.find((g) => g.id !== myDong).id;
  const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { email: `other.${process.pid}@example.com`, password: 'apply-test-pass-1', name: '이웃', district_id: district.id } });
  assert.equal(su.status, 201, su.text);
  other = await login(server, `other.${process.pid}@example.com`, 'apply-test-pass-1');
  const su2 = await call(server, 'POST', '/api/v1/auth/signup', { body: { email: `far.${process.pid}@example.com`, password: 'apply-test-pass-1', name: '먼동 주무관', district_id: district.id } });
  const g = await call(server, 'POST', `/api/v1/admin/accounts/${su2.json.account.id}/roles`, { session: admin, body: { role: 'caseworker', scope_kind: 'dong', scope_id: otherDong } });
  assert.equal(g.status, 201, g.text);
  farCw = await login(server, `far.${process.pid}@example.com`, 'apply-test-pass-1');
});
after(async () => { if (server) await server.stop(); });

test('forms are data, public, with consents naming purpose, items, retention and basis; national programs hand over', async () => {
  const r = await call(server, 'GET', '/api/v1/applications/forms');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length >= 2);
  const f = r.json.items.find((x) => x.code === FORM);
  assert.ok(f && f.fields.length && f.documents.some((d) => d.required));
  for (const c of f.consents) assert.ok(c.purpose_ko && c.items_ko && c.retention_ko && c.basis, JSON.stringify(c));
  assert.ok(r.json.handover_programs.includes('basic_pension'));
  // Every service a form names is in the demo catalogue (the service page links to the form).
  for (const form of r.json.items) for (const name of form.service_names) {
    const s = await call(server, 'GET', `/api/v1/services?q=${encodeURIComponent(name)}`);
    assert.ok((s.json.items || []).some((x) => x.name === name), `${form.code}: no service named ${name}`);
  }
  assert.match(r.json.on_behalf.basis, /제5조/);
  assert.equal(r.json.on_behalf.verified, false, 'the unverified paragraph is marked so');
  const h = await call(server, 'GET', '/api/v1/applications/handover/basic_pension');
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.portal.url, 'https://www.bokjiro.go.kr');
  assert.equal(h.json.sends_personal_data, false);
  assert.ok(h.json.checklist.length >= 3);
  assertProblem(await call(server, 'GET', '/api/v1/applications/handover/nothing'), 404);
  assertProblem(await call(server, 'GET', '/api/v1/applications/forms/nothing'), 404);
});

test('a resident applies: draft saved and resumed, documents checked, idempotent submission with a receipt, followed to a decision', async () => {
  assertProblem(await call(server, 'POST', '/api/v1/applications', { body: { form: FORM, dong_id: myDong } }), 401);
  const bad = assertProblem(await call(server, 'POST', '/api/v1/applications', { session: resident, body: { form: 'nope', dong_id: 999999 } }), 422);
  assert.deepEqual(errorFields(bad).sort(), ['dong_id', 'form']);
  const badAnswer = assertProblem(await call(server, 'POST', '/api/v1/applications', { session: resident, body: { form: FORM, dong_id: myDong, answers: { household_size: 40, heating: '장작' } } }), 422);
  assert.deepEqual(errorFields(badAnswer).sort(), ['answers.heating', 'answers.household_size']);

  const d = await call(server, 'POST', '/api/v1/applications', { session: resident, body: { form: FORM, dong_id: myDong, answers: { applicant_name: '김하나' } } });
  assert.equal(d.status, 201, d.text);
  assert.equal(d.json.status, 'draft');
  assert.equal(d.json.receipt_no, null);
  const id = d.json.id;
  // Saved on the server: resumed from another request.
  const saved = await call(server, 'PUT', `/api/v1/applications/${id}`, { session: resident, body: { answers: { ...answers }, consents: { personal_data: false } } });
  assert.equal(saved.status, 200, saved.text);
  const resumed = await call(server, 'GET', `/api/v1/applications/${id}`, { session: resident });
  assert.equal(resumed.json.answers.situation, answers.situation);

  // Submission names what is missing: the consent and the required document.
  const early = assertProblem(await call(server, 'POST', `/api/v1/applications/${id}/submit`, { session: resident, body: {} }), 422);
  assert.deepEqual(errorFields(early).sort(), ['consents.personal_data', 'documents.id_copy']);

  // Uploads: the bytes decide the type; too big is refused; nothing is stored for a refusal.
  const exe = assertProblem(await upload(resident, id, 'id_copy', Buffer.from('MZ\x90\x00 not a document'), 'application/pdf'), 415);
  assert.deepEqual(errorFields(exe), ['file']);
  const lie = assertProblem(await upload(resident, id, 'id_copy', PDF, 'image/png'), 415);
  assert.equal(lie.errors[0].code, 'type_mismatch');
  const big = assertProblem(await upload(resident, id, 'id_copy', Buffer.concat([PDF, Buffer.alloc(1000001)]), 'application/pdf'), 413);
  assert.deepEqual(errorFields(big), ['file']);
  assertProblem(await upload(resident, id, 'shoe_box', PDF, 'application/pdf'), 422);
  assert.equal((await call(server, 'GET', `/api/v1/applications/${id}`, { session: resident })).json.documents.length, 0);
  const up = await upload(resident, id, 'id_copy', PDF, 'application/pdf');
  assert.equal(up.status, 201, up.text);
  const mine = await call(server, 'GET', `/api/v1/applications/${id}/files/${up.json.id}`, { session: resident });
  assert.equal(mine.status, 200);
  assert.equal(mine.headers.get('content-type'), 'application/pdf');
  assert.equal(mine.text.slice(0, 5), '%PDF-');
  if (server.db.startsWith('sqlite:')) {
    const { execFileSync } = await import('node:child_process');
    const dbFile = server.db.slice('sqlite:'.length);
    const stored = execFileSync('sqlite3', [dbFile, `SELECT substr(data_enc, 1, 3), length(data_enc) FROM application_files WHERE id = ${up.json.id}`]).toString().trim();
    assert.match(stored, /^v1\.\|\d+$/, `stored encrypted: ${stored}`);
    const raw = execFileSync('sqlite3', [dbFile, `SELECT answers_enc FROM applications WHERE id = ${id}`]).toString();
    assert.ok(!raw.includes('김하나') && raw.startsWith('v1.'), 'answers are encrypted at rest');
  }

  await call(server, 'PUT', `/api/v1/applications/${id}`, { session: resident, body: { answers, consents: { personal_data: true } } });
  // A double tap: one submission, one receipt.
  const key = { 'Idempotency-Key': `submit-${id}` };
  const [s1, s2] = await Promise.all([
    call(server, 'POST', `/api/v1/applications/${id}/submit`, { session: resident, body: {}, headers: key }),
    call(server, 'POST', `/api/v1/applications/${id}/submit`, { session: resident, body: {}, headers: key }),
  ]);
  assert.equal(s1.status, 200, s1.text);
  assert.equal(s2.status, 200, s2.text);
  assert.match(s1.json.receipt_no, /^20\d\d-\d{6}$/);
  assert.equal(s1.json.receipt_no, s2.json.receipt_no);
  assert.equal(s1.json.status, 'received');
  const again = assertProblem(await call(server, 'POST', `/api/v1/applications/${id}/submit`, { session: resident, body: {} }), 409);
  assert.ok(again.detail);
  assertProblem(await call(server, 'PUT', `/api/v1/applications/${id}`, { session: resident, body: { answers } }), 409);
  const receipt = s1.json.receipt_no;

  // Hostile: another resident, anonymous, a caseworker of another dong.
  assertProblem(await call(server, 'GET', `/api/v1/applications/${id}`, { session: other }), 404);
  assertProblem(await call(server, 'GET', `/api/v1/applications/${id}/files/${up.json.id}`, { session: other }), 404);
  assertProblem(await upload(other, id, 'bill', PDF, 'application/pdf'), 404);
  assertProblem(await call(server, 'GET', `/api/v1/applications/${id}`), 401);
  assert.ok(!(await call(server, 'GET', '/api/v1/staff/applications', { session: farCw })).json.items.some((a) => a.id === id), 'not in another dong\'s queue');
  assertProblem(await call(server, 'GET', `/api/v1/staff/applications/${id}`, { session: farCw, headers: REASON }), [403, 404]);
  assertProblem(await call(server, 'GET', `/api/v1/applications/${id}/files/${up.json.id}`, { session: farCw, headers: REASON }), [403, 404]);
  assertProblem(await call(server, 'POST', `/api/v1/staff/applications/${id}/decide`, { session: farCw, body: { decision: 'approved', reason: '적격' } }), [403, 404]);
  assertProblem(await call(server, 'GET', '/api/v1/staff/applications', { session: other }), 403);

  // The official of the dong: the queue shows no personal data; opening needs a reason and is logged.
  const q = await call(server, 'GET', '/api/v1/staff/applications?status=received', { session: cw });
  assert.equal(q.status, 200, q.text);
  const row = q.json.items.find((a) => a.id === id);
  assert.equal(row.receipt_no, receipt);
  assert.ok(!JSON.stringify(q.json).includes('김하나'), 'no names in the queue');
  assertProblem(await call(server, 'GET', '/api/v1/staff/applications?status=bogus', { session: cw }), 422);
  assertProblem(await call(server, 'GET', `/api/v1/staff/applications/${id}`, { session: cw }), 422);
  const open = await call(server, 'GET', `/api/v1/staff/applications/${id}`, { session: cw, headers: REASON });
  assert.equal(open.status, 200, open.text);
  assert.equal(open.json.answers.applicant_name, '김하나');
  const file = await call(server, 'GET', `/api/v1/applications/${id}/files/${up.json.id}`, { session: cw, headers: REASON });
  assert.equal(file.status, 200);
  assert.equal(file.text.length, PDF.length);
  const log = (await call(server, 'GET', '/api/v1/admin/access-log', { session: admin })).json.items;
  const reads = log.filter((x) => x.subject_id === id && x.actor_account_id === cw.demo.account_id);
  assert.ok(reads.some((x) => x.subject_kind === 'application' && x.reason === 'application review'), JSON.stringify(reads));
  assert.ok(reads.some((x) => x.subject_kind === 'application_file' && x.at > 1700000000), JSON.stringify(reads));

  // Review, more documents, resubmission, decision: every step told to the resident.
  assert.equal((await call(server, 'POST', `/api/v1/staff/applications/${id}/review`, { session: cw, body: {} })).json.status, 'under_review');
  const noNote = assertProblem(await call(server, 'POST', `/api/v1/staff/applications/${id}/request-documents`, { session: cw, body: {} }), 422);
  assert.deepEqual(errorFields(noNote), ['note']);
  const more = await call(server, 'POST', `/api/v1/staff/applications/${id}/request-documents`, { session: cw, body: { note: '최근 가스 고지서를 올려 주세요.' } });
  assert.equal(more.json.status, 'more_documents', more.text);
  const waiting = (await call(server, 'GET', '/api/v1/applications/mine', { session: resident })).json.items.find((a) => a.id === id);
  assert.equal(waiting.status, 'more_documents');
  assert.equal(waiting.request_note, '최근 가스 고지서를 올려 주세요.');
  assert.equal((await upload(resident, id, 'bill', PNG, 'image/png')).status, 201);
  const re = await call(server, 'POST', `/api/v1/applications/${id}/submit`, { session: resident, body: {} });
  assert.equal(re.status, 200, re.text);
  assert.equal(re.json.status, 'received');
  assert.equal(re.json.receipt_no, receipt, 'the receipt number stays');
  const noReason = assertProblem(await call(server, 'POST', `/api/v1/staff/applications/${id}/decide`, { session: cw, body: { decision: 'approved' } }), 422);
  assert.deepEqual(errorFields(noReason), ['reason']);
  const badDecision = assertProblem(await call(server, 'POST', `/api/v1/staff/applications/${id}/decide`, { session: cw, body: { decision: 'maybe', reason: '?' } }), 422);
  assert.deepEqual(errorFields(badDecision), ['decision']);
  const dec = await call(server, 'POST', `/api/v1/staff/applications/${id}/decide`, { session: cw, body: { decision: 'approved', reason: '연탄 난방 가구로 지원 기준에 맞습니다.' } });
  assert.equal(dec.status, 200, dec.text);
  assert.equal(dec.json.decision, 'approved');
  assertProblem(await call(server, 'POST', `/api/v1/staff/applications/${id}/decide`, { session: cw, body: { decision: 'rejected', reason: '번복' } }), 409);
  const done = (await call(server, 'GET', '/api/v1/applications/mine', { session: resident })).json.items.find((a) => a.id === id);
  assert.equal(done.status, 'decided');
  assert.equal(done.decision_reason, '연탄 난방 가구로 지원 기준에 맞습니다.');
  assert.deepEqual(done.history.map((h) => h.status), ['draft', 'received', 'under_review', 'more_documents', 'received', 'decided']);
  const inbox = (await call(server, 'GET', '/api/v1/me/inbox', { session: resident })).json;
  const told = (inbox.items || inbox).filter((m) => m.kind === 'application');
  assert.equal(told.length, 5, JSON.stringify(told.map((m) => m.title)));
  assert.ok(told.some((m) => m.body.includes(receipt) && m.body.includes('연탄 난방 가구로')), 'the decision and its reason reach the inbox');
});

test('an official applies for an offline resident, recording who consented, when and how', async () => {
  const body = { form: FORM, dong_id: myDong, answers, consents: { personal_data: true }, resident: { name: '박어르신', phone: '02-123-4567' } };
  const missing = assertProblem(await call(server, 'POST', '/api/v1/staff/applications', { session: cw, body }), 422);
  assert.deepEqual(errorFields(missing).sort(), ['consent.at', 'consent.given_by', 'consent.method']);
  const consent = { method: 'phone', at: Math.floor(Date.now() / 1000) - 600, given_by: '박어르신 본인' };
  const wrongMethod = assertProblem(await call(server, 'POST', '/api/v1/staff/applications', { session: cw, body: { ...body, consent: { ...consent, method: 'telepathy' } } }), 422);
  assert.deepEqual(errorFields(wrongMethod), ['consent.method']);
  assertProblem(await call(server, 'POST', '/api/v1/staff/applications', { session: farCw, body: { ...body, consent } }), 403);
  assertProblem(await call(server, 'POST', '/api/v1/staff/applications', { session: resident, body: { ...body, consent } }), 403);
  const r = await call(server, 'POST', '/api/v1/staff/applications', { session: cw, body: { ...body, consent } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.on_behalf, true);
  assert.equal((await upload(cw, r.json.id, 'id_copy', PDF, 'application/pdf')).status, 201);
  const s = await call(server, 'POST', `/api/v1/applications/${r.json.id}/submit`, { session: cw, body: {} });
  assert.equal(s.status, 200, s.text);
  assert.match(s.json.receipt_no, /^20\d\d-\d{6}$/);
  const open = await call(server, 'GET', `/api/v1/staff/applications/${r.json.id}`, { session: cw, headers: REASON });
  assert.equal(open.json.consent_record.method, 'phone');
  assert.equal(open.json.consent_record.details.given_by, '박어르신 본인');
  assert.equal(open.json.resident.name, '박어르신');
  assertProblem(await call(server, 'GET', `/api/v1/applications/${r.json.id}`, { session: resident }), 404);
});
