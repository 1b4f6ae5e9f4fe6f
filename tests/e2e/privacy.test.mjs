// Residents' rights in the browser: 마이페이지 › 내 정보 열람·정정·삭제 shows what is held, a
// resident files a deletion request (the law note for the record shows), the district
// administrator decides it on /staff/privacy with a reason, the resident sees the reason;
// a resident deletes their account. axe-core clean and no sideways scrolling at 360 and 1280 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, sessionCookie, loginAs } from '../http/_client.mjs';
import { launchBrowser, openPage, goto, assertClean, loginThroughForm, expectNoSerious, expectNoOverflow } from './_browser.mjs';

let server, browser;
const resident = { login: '01055512345', password: 'rights-river-lantern-42' };

before(async () => {
  server = await startServer({ env: { DURE_ALERT_INTERVAL: '3600' } });
  browser = await launchBrowser();
  const r = await call(server, 'POST', '/api/v1/auth/signup', { body: { phone: resident.login, password: resident.password, name: '권리인' } });
  assert.equal(r.status, 201, r.text);
  const session = { cookie: sessionCookie(r.setCookies).split(';')[0], csrf: r.json.csrf_token };
  const put = await call(server, 'PUT', '/api/v1/me/eligibility', { session, body: { alerts_consent: true,
    household: { members: [{ relation: 'self', birth_date: '1950-02-01' }], residence: { tenure: 'monthly_rent', rent: 200000, region: 'seoul' },
      incomes: { public_transfer: 150000 }, assets: {} } } });
  assert.equal(put.status, 200, put.text);
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

for (const width of [360, 1280]) {
  test(`a resident sees what is held and files a request; an official decides it (${width} px)`, async () => {
    const { context, page, problems } = await openPage(browser, { width });
    try {
      await loginThroughForm(page, server.url, resident);
      await page.getByRole('link', { name: '내 정보 열람·정정·삭제' }).first().click();
      await page.getByRole('heading', { level: 1, name: '내 정보 열람·정정·삭제' }).waitFor();
      const held = page.locator('[data-field="held"]');
      await held.getByText('권리인').waitFor();
      assert.match(await held.textContent(), /저장되어 있습니다/);
      assert.match(await held.textContent(), /복지 혜택 알림: 동의함/);
      await page.getByRole('heading', { name: '정보별 보관 기간' }).waitFor();
      await expectNoSerious(page, `/me/privacy ${width}`);
      await expectNoOverflow(page, `/me/privacy ${width}`);

      await page.locator('label[for="pv-kind-deletion"]').click(); // the KRDS radio is drawn by its label
      assert.equal(await page.getByRole('radio', { name: '삭제', exact: true }).isChecked(), true);
      await page.getByLabel('어떤 정보에 대해').selectOption('case_records');
      assert.match(await page.locator('#pv-record-law').textContent(), /제36조/);
      await page.getByLabel('자세한 내용 (선택)').fill(`상담 기록 삭제 요청 ${width}`);
      await page.getByRole('button', { name: '요구하기' }).click();
      await page.getByText(/접수했습니다\. \d{4}-\d{2}-\d{2}까지/).waitFor();
      await page.locator('[data-field="requests"]').getByText('접수').first().waitFor();
      await expectNoSerious(page, `/me/privacy after a request ${width}`);
      assertClean(problems, `/me/privacy ${width}`);
    } finally {
      await context.close();
    }

    const staff = await openPage(browser, { width });
    try {
      // The privacy officer (개인정보 보호책임자) reaches the queue from the staff home's card.
      await loginThroughForm(staff.page, server.url, server.account('privacy_officer'));
      await goto(staff.page, `${server.url}/staff`);
      await staff.page.getByRole('link', { name: '개인정보 열람·정정·삭제 요청' }).click();
      await staff.page.getByRole('heading', { level: 1, name: '개인정보 열람등 요구 처리' }).waitFor();
      const item = staff.page.locator('.pv-request').filter({ hasText: 'case_records' }).first();
      await item.getByRole('button', { name: '처리하기' }).click();
      await item.getByText(`상담 기록 삭제 요청 ${width}`).waitFor();
      await expectNoSerious(staff.page, `/staff/privacy ${width}`);
      await expectNoOverflow(staff.page, `/staff/privacy ${width}`);
      await item.locator('label', { hasText: /^거절$/ }).click();
      await item.getByRole('button', { name: '결정 저장' }).click();
      await item.locator('.error-summary').waitFor();  // a decision needs a written reason
      await item.getByLabel('사유', { exact: true }).fill('사례관리 기록은 종결 후 5년 동안 보존합니다');
      await item.getByRole('button', { name: '결정 저장' }).click();
      await staff.page.locator('.pv-request').filter({ hasText: '거절' }).first().waitFor();
      assertClean(staff.problems, `/staff/privacy ${width}`);
    } finally {
      await staff.context.close();
    }
  });
}

test('granting a correction of a registered person writes the corrected values the official enters (360 px)', async () => {
  const admin = await loginAs(server, 'district_admin');
  const cw = await loginAs(server, 'caseworker');
  const r = await call(server, 'POST', '/api/v1/auth/signup', { body: { phone: '01055512399', password: 'rights-river-lantern-43', name: '정정인' } });
  assert.equal(r.status, 201, r.text);
  const session = { cookie: sessionCookie(r.setCookies).split(';')[0], csrf: r.json.csrf_token };
  const person = await call(server, 'POST', '/api/v1/persons', { session: admin, body: { name: '정정인', phone: '01055512399', dong_id: cw.demo.scope_id } });
  assert.equal(person.status, 201, person.text);
  const acc = await call(server, 'POST', '/api/v1/me/privacy/requests', { session, body: { kind: 'access', record: 'person_record' } });
  assert.equal((await call(server, 'POST', `/api/v1/admin/privacy/requests/${acc.json.id}/decision`, { session: admin,
    body: { decision: 'granted', reason: '신분증으로 본인 확인 후 연결', person_id: person.json.id } })).status, 200);
  const cor = await call(server, 'POST', '/api/v1/me/privacy/requests', { session, body: { kind: 'correction', record: 'person_record', details: '주소 정정 요청 화면' } });
  assert.equal(cor.status, 201, cor.text);

  const staff = await openPage(browser, { width: 360 });
  try {
    await loginThroughForm(staff.page, server.url, server.account('district_admin'));
    await goto(staff.page, `${server.url}/staff/privacy`);
    const item = staff.page.locator('.pv-request').filter({ hasText: 'person_record' }).filter({ hasText: '접수' }).first();
    await item.getByRole('button', { name: '처리하기' }).click();
    await item.getByText('주소 정정 요청 화면').waitFor();
    await item.getByLabel('사유', { exact: true }).fill('주민등록표로 확인하고 주소를 정정했습니다');
    await item.getByLabel(/정정·삭제할 등록 기록 번호/).fill(String(person.json.id));
    await item.getByLabel('주소', { exact: true }).fill('한빛구 은행로 11');
    await expectNoSerious(staff.page, '/staff/privacy correction 360');
    await expectNoOverflow(staff.page, '/staff/privacy correction 360');
    await item.getByRole('button', { name: '결정 저장' }).click();
    const mine = () => call(server, 'GET', '/api/v1/me/privacy/requests', { session });
    for (let i = 0; i < 50 && (await mine()).json.items.find((x) => x.id === cor.json.id).status === 'received'; i++)
      await new Promise((res) => setTimeout(res, 200));
    assertClean(staff.problems, '/staff/privacy correction 360');
  } finally {
    await staff.context.close();
  }
  const after = await call(server, 'GET', `/api/v1/persons/${person.json.id}`, { session: admin, headers: { 'X-Access-Reason': 'privacy request check' } });
  assert.equal(after.json.address, '한빛구 은행로 11', after.text);
  assert.equal(after.json.name, '정정인', 'fields left empty stay as they were');
});

test('the decision reaches the resident; a caseworker cannot open the queue; the resident deletes the account', async () => {
  const { context, page, problems } = await openPage(browser, { width: 360 });
  try {
    await loginThroughForm(page, server.url, resident);
    await goto(page, `${server.url}/me/privacy`);
    await page.getByText('사유: 사례관리 기록은 종결 후 5년 동안 보존합니다').first().waitFor();
    await goto(page, `${server.url}/me/inbox`);
    await page.getByText('개인정보 삭제 요구 처리 결과').first().waitFor();
    await goto(page, `${server.url}/me/privacy`);
    await page.getByLabel('비밀번호 확인').fill('wrong-password-000');
    await page.getByRole('button', { name: '탈퇴하기' }).click();
    await page.locator('.error-summary').waitFor();
    await expectNoSerious(page, '/me/privacy with an error');
    await page.getByLabel('비밀번호 확인').fill(resident.password);
    await page.getByRole('button', { name: '탈퇴하기' }).click();
    await page.waitForURL(`${server.url}/`);
    const login = await call(server, 'POST', '/api/v1/auth/login', { body: resident });
    assert.equal(login.status, 401);
    assertClean(problems, 'account deletion');
  } finally {
    await context.close();
  }
  const cw = await openPage(browser, { width: 1280 });
  try {
    await loginThroughForm(cw.page, server.url, server.account('caseworker'));
    await goto(cw.page, `${server.url}/staff/privacy`);
    await cw.page.getByText('구청 관리자만 볼 수 있습니다.').waitFor();
  } finally {
    await cw.context.close();
  }
});
