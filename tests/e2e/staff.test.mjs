// Staff pages for triage and cases in the browser: 업무 (/staff) shows the sections each role may
// use; reports seeded through the API appear in a caseworker's triage queue with their deadline and
// the breach in words; the caseworker picks a colleague of the dong by name (a refused pick, the
// fallback when the list cannot load), assigns the household to themself, records the contact,
// opens the household (with an access reason; who reported is never shown), opens a case and moves
// it intake → assessment (server validation in the error summary and next to the fields) → plan
// (a catalogue service, referrals) → monitoring → closed with an outcome, adding a note and a home
// visit on the way; a caseworker of another dong neither sees the household in the queue nor opens
// it; axe-core serious/critical clean at 1280 and 360 px; no sideways scrolling at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, login, loginAs, districts } from '../http/_client.mjs';
import {
  launchBrowser, openPage, goto, seriousViolations, formatViolations, horizontalOverflow, assertClean, loginThroughForm, expectNoSerious, expectNoOverflow,
} from './_browser.mjs';

let server;
let browser;
let admin; let cw; let myDong; let otherDong;
let other; // a caseworker of another dong: { login, password, id }
let colleague; // a second caseworker of the caseworker's dong: { id, name, grant }
let hhA; let hhB; let caseId;
const stamp = String(Date.now() % 1000000).padStart(6, '0');
const CONCERN_A = `전기가 끊긴 것 같고 인기척이 없습니다 표식${stamp}`;
const CONCERN_A2 = `우편물이 2주째 쌓여 있어요 표식${stamp}`;
const REPORTER_CONTACT = `010-7${stamp.slice(0, 3)}-${stamp.slice(3)}1`.slice(0, 13);
const hoursAgo = (h) => new Date(Date.now() - h * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
  myDong = cw.demo.scope_id;
  const d = (await districts(server)).find((x) => x.dongs.some((g) => g.id === myDong));
  otherDong = d.dongs.find((g) => g.id !== myDong).id;

  // A caseworker of another dong: signs up, and the district administrator grants the role there.
  other = { login: `cw.other.${stamp}@example.com`, password: 'other-dong-caseworker-77' };
  const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { email: other.login, password: other.password, name: '남동료', district_id: d.id } });
  assert.equal(su.status, 201, su.text);
  other.id = su.json.account.id;
  const g = await call(server, 'POST', `/api/v1/admin/accounts/${other.id}/roles`, { session: admin, body: { role: 'caseworker', scope_kind: 'dong', scope_id: otherDong } });
  assert.equal(g.status, 201, g.text);

  // A second caseworker of the same dong, to pick by name (the grant is taken away mid-test).
  colleague = { name: `김복지${stamp}` };
  const su2 = await call(server, 'POST', '/api/v1/auth/signup', { body: { email: `cw.colleague.${stamp}@example.com`, password: 'same-dong-caseworker-77', name: colleague.name, district_id: d.id } });
  assert.equal(su2.status, 201, su2.text);
  colleague.id = su2.json.account.id;
  const g2 = await call(server, 'POST', `/api/v1/admin/accounts/${colleague.id}/roles`, { session: admin, body: { role: 'caseworker', scope_kind: 'dong', scope_id: myDong } });
  assert.equal(g2.status, 201, g2.text);
  colleague.grant = g2.json.id;

  // Household A: an urgent hotline call noted 30 hours ago (so its 24-hour deadline is missed),
  // then an anonymous web report about the same address, leaving the reporter's phone.
  const a = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, body: {
    channel: 'hotline', dong_id: myDong, address: `은행로 ${stamp} 301호`, concern: CONCERN_A, urgency: 'urgent',
    signs: ['utility_cutoff', 'isolation'], subject_name: `김영수${stamp}`, received_at: hoursAgo(30) } });
  assert.equal(a.status, 201, a.text);
  hhA = a.json.household_id;
  const w = await call(server, 'POST', '/api/v1/outreach/reports', { body: {
    dong_id: myDong, address: `은행로 ${stamp}, 301호`, concern: CONCERN_A2, urgency: 'high', signs: ['mail_piling_up'], contact: REPORTER_CONTACT } });
  assert.equal(w.status, 201, w.text);
  // Household B: a normal report at the counter, on time.
  const b = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, body: {
    channel: 'counter', dong_id: myDong, address: `은행로 ${stamp} 2층`, concern: '월세가 석 달 밀렸습니다', urgency: 'normal', signs: ['arrears'] } });
  assert.equal(b.status, 201, b.text);
  hhB = b.json.household_id;
  const q = await call(server, 'GET', '/api/v1/outreach/queue', { session: cw });
  const rowA = q.json.items.find((x) => x.id === hhA);
  assert.equal(rowA.report_count, 2, 'the web report merged into household A');
  assert.equal(rowA.deadline.status, 'breached');
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// KRDS draws its own radios and check boxes over the inputs: click the label, as people do.
async function tick(page, id) {
  await page.locator(`label[for="${id}"]`).click();
  assert.equal(await page.locator(`#${id}`).isChecked(), true, `${id} checked`);
}
const h1 = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();
const status = (page, text) => page.locator('.status-message.is-visible', { hasText: text }).waitFor();

test('업무: each role sees the sections it may use; no role, no access; anonymous visitors are asked to log in', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await goto(page, `${server.url}/staff`);
  await h1(page, '업무');
  await page.getByText('업무 화면을 쓰려면 로그인해 주세요.').waitFor();
  assert.equal(await page.getByRole('link', { name: '로그인', exact: true }).last().getAttribute('href'), '/login?next=%2Fstaff');

  await loginThroughForm(page, server.url, server.account('caseworker'));
  await page.getByRole('navigation', { name: '사용자 메뉴' }).getByRole('link', { name: '업무' }).click();
  await h1(page, '업무');
  const cards = page.locator('.so-work-card');
  const hrefs = await cards.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, ['/staff/queue', '/staff/cases', '/staff/checkins', '/staff/screening', '/staff/surveys', '/staff/gatekeepers']);
  // The hub names the person, not an account number.
  assert.equal(await page.locator('[data-field=my-name]').textContent(), cw.account.name);
  assert.equal(await page.getByText(/계정 번호|계정 \d+번/).count(), 0);
  await expectNoSerious(page, '업무 hub 1280');
  await page.screenshot({ path: '/tmp/staff-hub-1280.png', fullPage: true });
  await context.close();

  // A gatekeeper reports and follows their reports; nothing else.
  const gk = await openPage(browser, { width: 360 });
  await loginThroughForm(gk.page, server.url, server.account('gatekeeper'));
  await goto(gk.page, `${server.url}/staff`);
  await h1(gk.page, '업무');
  assert.deepEqual(await gk.page.locator('.so-work-card a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['/report', '/me/reports']);
  await expectNoSerious(gk.page, '업무 hub gatekeeper 360');
  await expectNoOverflow(gk.page, '업무 hub 360');
  await gk.context.close();

  // A care team member: check-ins and surveys.
  const ct = await openPage(browser, { width: 1280 });
  await loginThroughForm(ct.page, server.url, server.account('care_team'));
  await goto(ct.page, `${server.url}/staff`);
  await h1(ct.page, '업무');
  assert.deepEqual(await ct.page.locator('.so-work-card a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['/staff/checkins', '/staff/surveys']);
  // …and is told plainly that the triage queue is not theirs.
  await goto(ct.page, `${server.url}/staff/queue`);
  await ct.page.locator('[data-field=forbidden]', { hasText: '권한이 없습니다' }).waitFor();
  await ct.context.close();

  // A resident has no staff role.
  const res = await openPage(browser, { width: 1280 });
  await loginThroughForm(res.page, server.url, server.account('resident'));
  await goto(res.page, `${server.url}/staff`);
  await res.page.locator('[data-field=forbidden]', { hasText: '권한이 없습니다' }).waitFor();
  assert.equal(await res.page.locator('.so-work-card').count(), 0);
  await expectNoSerious(res.page, 'no access');
  assertClean([...problems, ...gk.problems, ...ct.problems, ...res.problems], 'hub');
  await res.context.close();
});

test('the caseworker triages: the queue shows deadlines and the breach, assign to self, record the contact', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await loginThroughForm(page, server.url, server.account('caseworker'));
  await goto(page, `${server.url}/staff`);
  await page.getByRole('link', { name: '위기가구 접수 대기열' }).click();
  await page.waitForURL(`${server.url}/staff/queue`);
  await h1(page, '위기가구 접수 대기열');
  const rowA = page.locator(`tr[data-household="${hhA}"]`);
  await rowA.waitFor();
  // The most overdue household is on top, its breach said in words.
  assert.equal(await page.locator('tr.so-queue-row').first().getAttribute('data-household'), String(hhA));
  assert.match(await rowA.locator('[data-deadline]').textContent(), /^!?기한 초과: \d+시간( \d+분)? 지남$/);
  assert.equal(await rowA.locator('[data-deadline]').getAttribute('data-deadline'), 'breached');
  assert.match(await rowA.locator('.so-deadline-due').textContent(), /^기한 \d+월 \d+일/);
  assert.match(await rowA.textContent(), /긴급/);
  assert.match(await rowA.textContent(), /신고 2건/);
  assert.match(await rowA.textContent(), /전기·가스·수도 끊김/);
  assert.equal(await rowA.locator('[data-field=assignee]').textContent(), '미배정');
  const rowB = page.locator(`tr[data-household="${hhB}"]`);
  assert.match(await rowB.locator('[data-deadline]').textContent(), /기한 전: \d+일( \d+시간)? 남음/);
  assert.ok(Number(await page.locator('[data-count=breached]').textContent()) >= 1, 'breached count');
  assert.match(await page.locator('.so-rule-list').textContent(), /접수 후 1일 안에 첫 연락/);
  // The queue shows nothing personal.
  assert.doesNotMatch(await page.locator('main').textContent(), new RegExp(`김영수${stamp}|은행로 ${stamp}`));
  await expectNoSerious(page, 'queue 1280');
  await page.screenshot({ path: '/tmp/staff-queue-1280.png', fullPage: true });

  // Assign to a colleague: the caseworkers of the dong by name and role (from the staff
  // directory), with their load (from the workload); no care team, nobody of another dong, no
  // account numbers to type.
  await rowA.getByRole('button', { name: `조치 더 보기 (가구 ${hhA}번)` }).click();
  const panel = page.locator(`#hh-actions-${hhA}`);
  await panel.locator('summary', { hasText: '동료에게 배정' }).click();
  const pick = panel.getByLabel('배정할 담당자');
  await pick.locator('option', { hasText: colleague.name }).waitFor({ state: 'attached' });
  const options = await pick.locator('option').allTextContents();
  const myName = server.account('caseworker').name;
  assert.deepEqual(options, ['선택하세요', `${colleague.name} (사례관리 담당) — 업무량 0 (가구 0, 사례 0)`,
    `${myName} (사례관리 담당) · 나 — 업무량 0 (가구 0, 사례 0)`], `by name (김 before 윤): ${JSON.stringify(options)}`);
  assert.equal(await panel.getByLabel('배정할 직원의 계정 번호').count(), 0, 'no account number to type while the list is there');
  assert.match(await panel.locator(`#q${hhA}-assign-account_id-hint`).textContent(), /동 돌봄팀은 가구 기록을 열 수 없어/);
  await expectNoSerious(page, 'queue with the colleague list');
  await page.screenshot({ path: '/tmp/staff-queue-assign-1280.png', fullPage: true });

  // Meanwhile the colleague loses the role: picking them (by keyboard) is refused by the server,
  // the reason in the summary and at the select, and the list reloads without them.
  const revoke = await call(server, 'DELETE', `/api/v1/admin/accounts/${colleague.id}/roles/${colleague.grant}`, { session: admin });
  assert.equal(revoke.status, 204, revoke.text);
  await pick.focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await pick.inputValue(), String(colleague.id), 'the first name, chosen with the arrow key');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), '배정하기');
  await page.keyboard.press('Enter');
  const summaryLink = panel.locator('.error-summary a', { hasText: '그 직원에게는 배정할 수 없습니다' });
  await summaryLink.waitFor();
  assert.equal(await pick.getAttribute('aria-invalid'), 'true');
  await panel.locator('.form-hint-invalid', { hasText: '그 직원에게는 배정할 수 없습니다' }).waitFor();
  await pick.locator('option', { hasText: colleague.name }).waitFor({ state: 'detached' });
  assert.equal(await pick.inputValue(), '', 'the refused choice is gone with the colleague');
  await summaryLink.click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), `q${hhA}-assign-account_id`);
  await expectNoSerious(page, 'queue with an error');
  await page.screenshot({ path: '/tmp/staff-queue-error-1280.png', fullPage: true });

  // Assign to me: the workload counts the urgent household as 3.
  const myLoad = page.locator(`.so-workload-staff tr[data-staff="${cw.account.id}"] [data-field=load]`);
  assert.equal(await myLoad.textContent(), '0');
  await rowA.getByRole('button', { name: `나에게 배정 (가구 ${hhA}번)` }).click();
  await status(page, `가구 ${hhA}번을 나에게 배정했습니다.`);
  await page.locator(`tr[data-household="${hhA}"] [data-field=assignee]`, { hasText: '나' }).waitFor();
  assert.equal(await rowA.getByRole('button', { name: /나에게 배정/ }).count(), 0);
  await page.locator(`.so-workload-staff tr[data-staff="${cw.account.id}"] [data-field=load]`, { hasText: '3' }).waitFor();

  // Household B goes automatically to the least loaded official of its dong (the only one: me).
  // When the list cannot be loaded the form says so and falls back to an account number.
  const rowB2 = page.locator(`tr[data-household="${hhB}"]`);
  await page.route('**/api/v1/outreach/staff?*', (route) => route.fulfill({ status: 503, contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }) }));
  await rowB2.getByRole('button', { name: `조치 더 보기 (가구 ${hhB}번)` }).click();
  const panelB = page.locator(`#hh-actions-${hhB}`);
  await panelB.locator('summary', { hasText: '동료에게 배정' }).click();
  await panelB.locator('[data-field=staff-directory-failed]', { hasText: '담당자 목록을 불러오지 못했습니다' }).waitFor();
  await panelB.getByLabel('배정할 직원의 계정 번호').waitFor();
  assert.equal(await panelB.getByLabel('배정할 담당자').count(), 0);
  await expectNoSerious(page, 'queue without the staff list');
  await page.unroute('**/api/v1/outreach/staff?*');
  await panelB.getByRole('button', { name: '목록 다시 불러오기' }).click();
  await panelB.getByLabel('배정할 담당자').locator('option', { hasText: myName }).waitFor({ state: 'attached' });
  assert.equal(await panelB.getByLabel('배정할 직원의 계정 번호').count(), 0);
  await panelB.getByRole('button', { name: '업무량이 가장 적은 담당자에게 자동 배정' }).click();
  await status(page, `가구 ${hhB}번을 나에게 자동 배정했습니다.`);
  await page.locator(`tr[data-household="${hhB}"] [data-field=assignee]`, { hasText: '나' }).waitFor();
  await page.locator(`.so-workload-staff tr[data-staff="${cw.account.id}"] [data-field=load]`, { hasText: '4' }).waitFor();
  await page.locator('.so-workload-dongs summary').click();
  assert.match(await page.locator(`.so-workload-dongs tr[data-dong="${myDong}"]`).textContent(), /4 \(1명\)/, "risk per official");
  await expectNoSerious(page, 'queue with the workload open');
  await page.locator('.so-workload-dongs summary').click();
  await rowB2.getByRole('button', { name: `조치 닫기 (가구 ${hhB}번)` }).click();

  // Record the first contact, with a note.
  if (!(await panel.isVisible())) await rowA.getByRole('button', { name: /조치 더 보기/ }).click();
  await panel.locator('summary', { hasText: '첫 연락 기록' }).click();
  await panel.getByLabel('연락 내용').fill('통화함. 전기요금 체납으로 단전 예고, 식사 불규칙');
  await panel.getByRole('button', { name: '연락 기록하기' }).click();
  await status(page, `가구 ${hhA}번의 연락을 기록했습니다.`);
  // Late: contacted after the deadline, and said so.
  await page.locator(`tr[data-household="${hhA}"] [data-deadline=met_late]`, { hasText: '기한 뒤에 연락함' }).waitFor();
  const api = (await call(server, 'GET', '/api/v1/outreach/queue', { session: cw })).json.items.find((x) => x.id === hhA);
  assert.equal(api.status, 'contacted');
  assert.equal(api.assigned_to, cw.account.id);
  assertClean(problems, 'queue');
  await context.close();
});

test('the household page asks why, shows every signal without the reporter, and opens a case that runs to its close', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await loginThroughForm(page, server.url, server.account('caseworker'));
  await goto(page, `${server.url}/staff/queue?status=all`);
  await page.locator(`tr[data-household="${hhA}"]`).getByRole('link', { name: `가구 ${hhA}번` }).click();
  await page.waitForURL(`${server.url}/staff/households/${hhA}`);
  await h1(page, `가구 ${hhA}번`);
  // The reason comes first; it goes into the access log.
  await page.getByRole('group', { name: '열람 사유' }).waitFor();
  await expectNoSerious(page, 'access reason');
  await tick(page, 'reason-case');
  await page.getByRole('button', { name: '가구 정보 열기' }).click();
  await page.locator('[data-field=access-notice]', { hasText: '열람 기록이 남습니다' }).waitFor();
  assert.match(await page.locator('[data-field=access-notice]').textContent(), /사례관리 개설 검토/);
  await page.locator('[data-field=address]').waitFor();
  assert.match(await page.locator('[data-field=address]').textContent(), new RegExp(`은행로 ${stamp}`));
  // Every signal in the timeline, newest last: both reports with their channel, then the actions.
  const kinds = await page.locator('.so-timeline > li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-kind')));
  assert.deepEqual(kinds, ['report', 'report', 'assigned', 'contacted']);
  const timeline = await page.locator('.so-timeline').textContent();
  assert.match(timeline, new RegExp(CONCERN_A));
  assert.match(timeline, new RegExp(CONCERN_A2));
  assert.match(timeline, /신고 접수 \(전화 상담\)/);
  assert.match(timeline, /신고 접수 \(누리집 신고\)/);
  assert.match(timeline, /전기요금 체납으로 단전 예고/);
  // Never who reported: not the reporter's phone, nor any hint of it.
  const main = await page.locator('main').textContent();
  assert.ok(!main.includes(REPORTER_CONTACT) && !main.includes(REPORTER_CONTACT.replace(/-/g, '')), 'the reporter contact is not shown');
  assert.match(main, /신고자 정보는 보여 주지 않습니다/);
  const log = await call(server, 'GET', '/api/v1/admin/access-log', { session: admin });
  assert.ok(log.json.items.some((x) => x.subject_kind === 'household' && Number(x.subject_id) === hhA && x.reason === '사례관리 개설 검토'),
    'the reason is in the access log');
  await expectNoSerious(page, 'household 1280');
  await page.screenshot({ path: '/tmp/staff-household-1280.png', fullPage: true });

  // Open a case: it is assigned to me and starts at intake.
  await page.getByRole('button', { name: '사례 열기' }).click();
  await page.waitForURL(/\/staff\/cases\/\d+$/);
  caseId = Number(page.url().split('/').pop());
  await h1(page, `사례 ${caseId}번`);
  await page.locator('[data-field=access-notice]', { hasText: '열람 기록이 남습니다' }).waitFor();
  await page.locator('[data-field=progress]', { hasText: '5단계 중 1단계: 접수' }).waitFor();
  assert.equal(await page.locator('.krds-step-wrap li[aria-current=step] .step-tit').textContent(), '접수');

  // Assessment: sent empty, the server names both missing fields.
  await page.getByRole('heading', { name: '다음 단계: 사정' }).waitFor();
  await page.getByRole('button', { name: '사정 저장하고 다음 단계로' }).click();
  const errs = page.locator('.error-summary');
  await errs.getByRole('link', { name: '위기 수준을 골라 주세요.' }).waitFor();
  await errs.getByRole('link', { name: '욕구 분야를 하나 이상 골라 주세요.' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true, 'focus on the summary');
  await page.locator('#stage-level-group-error', { hasText: '위기 수준을 골라 주세요.' }).waitFor();
  await page.locator('#stage-needs-group-error', { hasText: '욕구 분야를 하나 이상 골라 주세요.' }).waitFor();
  await expectNoSerious(page, 'assessment with errors');
  await page.screenshot({ path: '/tmp/staff-case-errors-1280.png', fullPage: true });
  await errs.getByRole('link', { name: '위기 수준을 골라 주세요.' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'stage-crisis_level');
  await tick(page, 'stage-crisis_level-3');
  await tick(page, 'stage-needs');
  await tick(page, 'stage-needs-energy');
  await page.getByLabel('사정 요약').fill('단전 예고, 식사 불규칙, 홀로 지냄');
  await page.getByRole('button', { name: '사정 저장하고 다음 단계로' }).click();
  await status(page, '사정 단계로 옮겼습니다.');
  await page.locator('[data-field=progress]', { hasText: '5단계 중 2단계: 사정' }).waitFor();
  assert.equal(await page.locator('[data-field=level]').textContent(), '3단계 · 긴급');
  assert.equal(await page.locator('[data-field=needs]').textContent(), '생활지원, 에너지');

  // Plan: goals, a catalogue service found by search, a referral.
  await page.getByRole('heading', { name: '다음 단계: 계획' }).waitFor();
  await page.getByLabel('목표').fill('전기 다시 연결\n긴급 생계지원 신청');
  await page.getByLabel('연계할 복지 서비스 찾기').fill('긴급복지');
  await page.getByRole('button', { name: '찾기', exact: true }).click();
  const results = page.getByRole('list', { name: '찾은 서비스' });
  await results.waitFor();
  const first = results.locator('li').first();
  const svcName = (await first.locator('.so-svc-name').textContent()).trim();
  await first.getByRole('button', { name: /^추가/ }).click();
  await page.locator('[data-field=picked-services]', { hasText: svcName }).waitFor();
  await page.getByLabel('외부 의뢰').fill('한빛노인종합복지관 도시락 배달');
  await page.getByRole('button', { name: '계획 저장하고 다음 단계로' }).click();
  await status(page, '계획 단계로 옮겼습니다.');
  const services = page.locator('section', { has: page.getByRole('heading', { name: '연계 서비스와 의뢰' }) });
  await services.getByRole('link', { name: svcName }).waitFor();
  assert.match(await services.textContent(), /한빛노인종합복지관 도시락 배달/);

  // A note (encrypted at rest) and a home visit with its checklist.
  await page.getByLabel('새 메모').fill('한전에 분할납부 요청함');
  await page.getByRole('button', { name: '메모 저장' }).click();
  await status(page, '메모를 저장했습니다.');
  await page.locator('.so-note-item', { hasText: '한전에 분할납부 요청함' }).waitFor();
  await page.locator('summary', { hasText: '방문 기록하기' }).click();
  await tick(page, 'visit-checklist-meals-problem');
  await tick(page, 'visit-checklist-heating');
  await tick(page, 'visit-checklist-utilities-problem');
  await page.getByLabel('방문 결과').fill('냉장고가 비어 있음. 전기장판만 사용');
  await expectNoSerious(page, 'case with the visit form');
  await page.getByRole('button', { name: '방문 기록 저장' }).click();
  await status(page, '방문 기록을 저장했습니다.');
  const visit = page.locator('.so-visit-item').first();
  await visit.locator('.so-visit-concerns', { hasText: '문제 항목: 식사, 전기·가스·수도' }).waitFor();
  assert.match(await visit.textContent(), /난방: 양호/);
  assert.match(await visit.textContent(), /복약: 확인 안 함/);

  // Monitoring, then closing with an outcome.
  await page.getByLabel('모니터링 계획').fill('3개월간 월 1회 방문');
  await page.getByRole('button', { name: '모니터링 시작' }).click();
  await status(page, '모니터링 단계로 옮겼습니다.');
  await page.locator('[data-field=progress]', { hasText: '5단계 중 4단계: 모니터링' }).waitFor();
  await page.getByRole('heading', { name: '다음 단계: 종결' }).waitFor();
  await page.locator('#stage-outcome').selectOption('linked_public');
  await page.locator('#stage-note').fill('긴급복지 생계지원 연계 완료');
  await page.getByRole('button', { name: '사례 종결' }).click();
  await status(page, '사례를 종결했습니다.');
  await page.locator('[data-field=progress]', { hasText: '5단계 중 5단계: 종결' }).waitFor();
  assert.equal(await page.locator('[data-field=case-outcome]').textContent(), '공적 급여 연계');
  assert.equal(await page.getByRole('button', { name: '방문 기록 저장' }).count(), 0, 'no visits once closed');
  const hist = await page.locator('.so-case-history .so-timeline > li').evaluateAll((ls) => ls.map((l) => l.querySelector('.so-timeline-what').textContent));
  assert.deepEqual(hist, ['사례 접수', '사정 완료', '계획 수립', '모니터링 시작', '사례 종결']);
  const full = await call(server, 'GET', `/api/v1/cases/${caseId}`, { session: cw });
  assert.equal(full.json.stage, 'closed');
  assert.equal(full.json.outcome, 'linked_public');
  assert.deepEqual(full.json.entries.map((e) => e.kind), ['stage', 'stage', 'stage', 'note', 'visit', 'stage', 'stage']);
  await expectNoSerious(page, 'closed case 1280');
  await page.screenshot({ path: '/tmp/staff-case-1280.png', fullPage: true });

  // The case list: mine, by stage.
  await page.getByRole('navigation', { name: '현재 위치' }).getByRole('link', { name: '사례관리' }).click();
  await page.waitForURL(`${server.url}/staff/cases`);
  await h1(page, '사례관리');
  const row = page.locator(`tr[data-case="${caseId}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /종결 · 공적 급여 연계/);
  await page.getByRole('link', { name: /^모니터링/ }).click();
  await page.locator('[data-field=cases-empty]').waitFor();
  await page.getByRole('link', { name: /^종결/ }).click();
  await page.locator(`tr[data-case="${caseId}"]`).waitFor();
  await expectNoSerious(page, 'cases 1280');
  assertClean(problems, 'household and case');
  await context.close();
});

test('a caseworker of another dong neither sees the household in the queue nor opens it or its case', async () => {
  const s = await login(server, other.login, other.password);
  const r = await call(server, 'GET', `/api/v1/outreach/households/${hhA}`, { session: s, headers: { 'X-Access-Reason': 'probe' } });
  assert.equal(r.status, 403, r.text);
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await loginThroughForm(page, server.url, other);
  await goto(page, `${server.url}/staff/queue?status=all`);
  await h1(page, '위기가구 접수 대기열');
  await page.locator('[data-field=queue-empty], .so-staff-table').first().waitFor();
  assert.equal(await page.locator(`tr[data-household="${hhA}"]`).count(), 0);
  assert.equal(await page.locator(`tr[data-household="${hhB}"]`).count(), 0);

  await goto(page, `${server.url}/staff/households/${hhA}`);
  await page.getByRole('button', { name: '가구 정보 열기' }).click();
  await page.locator('[data-field=denied]', { hasText: '이 가구를 볼 권한이 없습니다' }).waitFor();
  assert.match(await page.locator('[data-field=denied]').textContent(), /그 동을 맡은 복지 담당 공무원/);
  assert.doesNotMatch(await page.locator('main').textContent(), new RegExp(stamp));
  await expectNoSerious(page, 'household denied');

  await goto(page, `${server.url}/staff/cases/${caseId}`);
  await page.locator('[data-field=denied]', { hasText: '이 사례를 볼 권한이 없습니다' }).waitFor();
  await goto(page, `${server.url}/staff/cases`);
  await page.locator('[data-field=cases-empty]').waitFor();
  assertClean(problems, 'other dong');
  await context.close();
});

test('an anonymous report never rewrites the household: the official accepts or rejects what it suggests', async () => {
  const PHONE = `0105${stamp.slice(0, 3)}${stamp.slice(3)}7`.slice(0, 11);
  const c = await call(server, 'POST', '/api/v1/outreach/intake', { session: cw, body: {
    channel: 'counter', dong_id: myDong, address: `버들길 ${stamp}`, concern: '창구 상담', subject_name: `정확인${stamp}`, subject_phone: PHONE } });
  assert.equal(c.status, 201, c.text);
  const hh = c.json.household_id;
  const r = await call(server, 'POST', '/api/v1/outreach/reports', { body: {
    address: `엉뚱한길 ${stamp}`, concern: '다른 사람 같아요', subject_name: '가짜이름', subject_phone: PHONE, urgency: 'urgent' } });
  assert.equal(r.status, 201, r.text);
  // The queue says there is something to check.
  {
    const { page, context, problems } = await openPage(browser, { width: 1280, height: 900 });
    await loginThroughForm(page, server.url, server.account('caseworker'));
    await goto(page, `${server.url}/staff/queue?status=all`);
    await page.locator(`tr[data-household="${hh}"] [data-field=pending-suggestions]`, { hasText: '확인할 변경 제안 3건' }).waitFor();
    assertClean(problems, 'queue with suggestions');
    await context.close();
  }
  // First seen on a phone (nothing decided yet), then decided at a desk.
  for (const width of [360, 1280]) {
    const { page, context, problems } = await openPage(browser, { width, height: 900 });
    await loginThroughForm(page, server.url, server.account('caseworker'));
    await goto(page, `${server.url}/staff/households/${hh}`);
    await page.getByRole('button', { name: '가구 정보 열기' }).click();
    await page.getByRole('heading', { name: /확인이 필요한 변경 제안 3건/ }).waitFor();
    assert.match(await page.locator('[data-field=address]').textContent(), new RegExp(`버들길 ${stamp}`), 'the verified address stays');
    const nameRow = page.locator('[data-field=suggestion-name]');
    assert.match(await nameRow.textContent(), new RegExp(`정확인${stamp}.*가짜이름`));
    await expectNoSerious(page, `suggestions ${width}`);
    if (width === 360) await expectNoOverflow(page, 'suggestions 360');
    if (width === 1280) {
      await nameRow.getByRole('button', { name: '거절: 이름' }).click();
      await page.getByRole('heading', { name: /확인이 필요한 변경 제안 2건/ }).waitFor();
      await page.locator('[data-field=suggestion-priority]').getByRole('button', { name: '반영: 우선순위' }).click();
      await page.getByRole('heading', { name: /확인이 필요한 변경 제안 1건/ }).waitFor();
      await page.locator('.so-timeline-item[data-kind=suggestion_rejected]', { hasText: '제안 거절: 이름' }).waitFor();
      await page.locator('.so-timeline-item[data-kind=suggestion_accepted]', { hasText: '제안 반영: 우선순위' }).waitFor();
      const h = await call(server, 'GET', `/api/v1/outreach/households/${hh}`, { session: cw, headers: { 'X-Access-Reason': 'e2e check' } });
      assert.equal(h.json.name, `정확인${stamp}`);
      assert.equal(h.json.priority, 'urgent');
    }
    assertClean(problems, `suggestions ${width}`);
    await context.close();
  }
});

test('at 360 px the tables become cards: no sideways scrolling, axe clean', async () => {
  const { page, context, problems } = await openPage(browser, { width: 360, height: 800 });
  await loginThroughForm(page, server.url, server.account('caseworker'));
  const check = async (label) => {
    await expectNoOverflow(page, label);
    await expectNoSerious(page, `${label} 360`);
  };
  await goto(page, `${server.url}/staff`);
  await h1(page, '업무');
  await check('hub');
  await goto(page, `${server.url}/staff/queue?status=all`);
  const rowB = page.locator(`tr[data-household="${hhB}"]`);
  await rowB.waitFor();
  // One card per household: the header row is hidden, each cell says what it is.
  assert.equal(await rowB.evaluate((tr) => getComputedStyle(tr).display), 'block');
  assert.equal(await rowB.locator('td').first().evaluate((td) => getComputedStyle(td, '::before').content), '"긴급도"');
  await rowB.getByRole('button', { name: /조치 더 보기/ }).click();
  await page.locator(`#hh-actions-${hhB} summary`, { hasText: '종결' }).click();
  await check('queue with actions open');
  await page.screenshot({ path: '/tmp/staff-queue-360.png', fullPage: true });
  await goto(page, `${server.url}/staff/households/${hhA}`);
  await page.getByRole('button', { name: '가구 정보 열기' }).click();
  await page.locator('.so-timeline').waitFor();
  await check('household');
  await page.screenshot({ path: '/tmp/staff-household-360.png', fullPage: true });
  await goto(page, `${server.url}/staff/cases`);
  await page.locator(`tr[data-case="${caseId}"]`).waitFor();
  await check('cases');
  await page.screenshot({ path: '/tmp/staff-cases-360.png', fullPage: true });
  await goto(page, `${server.url}/staff/cases/${caseId}`);
  await page.locator('[data-field=progress]').waitFor();
  await check('closed case');
  await page.screenshot({ path: '/tmp/staff-case-360.png', fullPage: true });

  // A fresh case on household B, with its forms open, at the largest text size.
  const r = await call(server, 'POST', '/api/v1/cases', { session: cw, body: { household_id: hhB } });
  assert.equal(r.status, 201, r.text);
  await goto(page, `${server.url}/staff/cases/${r.json.id}`);
  await page.getByRole('heading', { name: '다음 단계: 사정' }).waitFor();
  await page.locator('summary', { hasText: '방문 기록하기' }).click();
  await check('open case with forms');
  await page.getByRole('button', { name: '화면 설정' }).click();
  await page.getByRole('button', { name: '아주 크게' }).click();
  await expectNoOverflow(page, 'open case, largest text');
  await page.screenshot({ path: '/tmp/staff-case-open-360.png', fullPage: true });
  assertClean(problems, '360');
  await context.close();
});
