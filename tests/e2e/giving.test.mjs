// Giving in the browser: the public campaign page (thermometer and its table view, the ledger with
// its head hash), the dong counter's intake driven from the keyboard, the council's distribution
// refused above the fund with the field named; axe-core clean and no sideways scrolling at
// 1280 and 360 px. Screenshots go to $GIVING_SHOTS (default: the OS temp folder).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, openPage, goto, loginThroughForm, assertClean, expectNoSerious, expectNoOverflow } from './_browser.mjs';

const SHOTS = process.env.GIVING_SHOTS || os.tmpdir();
let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

for (const width of [1280, 360]) {
  test(`the public campaign page at ${width} px: thermometer with a table, ledger head hash, clean`, async () => {
    const { page, problems } = await openPage(browser, { width });
    await goto(page, `${server.url}/giving`);
    await page.getByRole('link', { name: '2023 희망온돌 따뜻한 겨울나기' }).click();
    await page.getByRole('heading', { level: 1, name: '2023 희망온돌 따뜻한 겨울나기' }).waitFor();
    const thermo = page.getByRole('table', { name: '온도탑 표' });
    await thermo.waitFor();
    assert.match(await thermo.innerText(), /1,360,000,000원/);
    await page.getByText('최신 해시값', { exact: true }).waitFor();
    const head = await page.locator('.giving-hash code').innerText();
    assert.match(head, /^[0-9a-f]{64}$/);
    assert.ok(!(await page.content()).includes('demo-household'), 'no household in public');
    const qr = page.getByRole('img', { name: /QR 코드/ });
    await qr.waitFor();
    assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR image loads');
    await page.screenshot({ path: path.join(SHOTS, `giving-campaign-${width}.png`), fullPage: false });
    await expectNoSerious(page, `campaign ${width}`);
    await expectNoOverflow(page, `campaign ${width}`);
    assertClean(problems, 'campaign');
  });
}

test('the dong counter takes a gift from the keyboard; the council is refused above the fund', async () => {
  const { page, problems } = await openPage(browser, { width: 360 });
  await loginThroughForm(page, server.url, server.account('caseworker'));
  await goto(page, `${server.url}/giving/counter`);
  await page.getByRole('heading', { level: 1, name: '기탁서 접수 (동 창구)' }).waitFor();
  await expectNoSerious(page, 'counter 360');
  await expectNoOverflow(page, 'counter 360');
  const amount = page.getByLabel('금액 (원)');
  await amount.focus();
  await page.keyboard.type('30000');
  await page.getByLabel('받은 날').fill('2023-12-05');
  await amount.press('Enter');
  try {
    await page.getByRole('status').filter({ hasText: '기부를 저장했습니다' }).waitFor({ timeout: 10000 });
  } catch (e) {
    await page.screenshot({ path: path.join(SHOTS, 'giving-counter-failed.png'), fullPage: true });
    throw e;
  }
  await page.screenshot({ path: path.join(SHOTS, 'giving-counter-360.png'), fullPage: false });
  // Bad input: the error summary names the field.
  await amount.fill('0');
  await amount.press('Enter');
  await page.locator('.error-summary').waitFor();
  await expectNoSerious(page, 'counter errors 360');
  assertClean(problems, 'counter');

  const c = await openPage(browser, { width: 360 });
  await loginThroughForm(c.page, server.url, server.account('council'));
  await goto(c.page, `${server.url}/giving/council`);
  await c.page.getByRole('heading', { level: 1, name: '배분 승인 (협의체)' }).waitFor();
  await c.page.getByLabel('금액 (원)').fill('999999999999');
  await c.page.getByLabel('사업 이름').fill('긴급 의료비');
  await c.page.getByLabel('가구 참조 (사례·발굴 번호)').fill('case:1');
  await c.page.getByLabel('의결 근거 (회의·의결 번호)').fill('2023-12 제3차');
  await c.page.getByLabel('받은 날').fill('2023-12-20');
  await c.page.getByRole('button', { name: '저장' }).click();
  await c.page.locator('.error-summary').waitFor();
  await c.page.locator('#dist-amount_krw[aria-invalid="true"]').waitFor();
  await c.page.screenshot({ path: path.join(SHOTS, 'giving-council-360.png'), fullPage: false });
  await expectNoSerious(c.page, 'council 360');
  await expectNoOverflow(c.page, 'council 360');
  assertClean(c.problems, 'council');
});

test('giving is in the main menu and on home; the council creates a campaign and a donation day at 360 px', async () => {
  const { page, problems } = await openPage(browser, { width: 360 });
  await goto(page, `${server.url}/`);
  await page.getByRole('heading', { name: '나눔·기부' }).first().waitFor();
  await page.getByRole('button', { name: '전체 메뉴' }).click();
  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '나눔·기부' }).click();
  await page.getByRole('heading', { level: 1, name: '나눔 캠페인' }).waitFor();
  assertClean(problems, 'menu');

  const c = await openPage(browser, { width: 360 });
  await loginThroughForm(c.page, server.url, server.account('council'));
  await goto(c.page, `${server.url}/giving/manage`);
  await c.page.getByRole('heading', { level: 1, name: '캠페인 관리' }).waitFor();
  await expectNoSerious(c.page, 'manage 360');
  await expectNoOverflow(c.page, 'manage 360');
  // Bad input first: the period longer than a year is named at its field.
  await c.page.getByLabel('캠페인 코드').fill('e2e-winter');
  await c.page.getByLabel('캠페인 이름 (한국어)').fill('브라우저 시험 캠페인');
  await c.page.getByLabel('목표액 (원)').fill('50000000');
  await c.page.getByLabel('시작일').fill('2024-11-15');
  await c.page.getByLabel('종료일').fill('2026-02-14');
  await c.page.getByLabel('모집기관 이름').fill('사회복지공동모금회 서울특별시지회');
  await c.page.getByLabel('모집기관 등록번호').fill('000-82-00000');
  await c.page.getByLabel('모집기관 근거 법령').fill('사회복지공동모금회법');
  await c.page.getByLabel('전용계좌 명의').fill('사회복지공동모금회 서울특별시지회');
  await c.page.getByRole('button', { name: '저장' }).click();
  await c.page.locator('#camp-ends_on[aria-invalid="true"]').waitFor();
  await expectNoSerious(c.page, 'manage errors 360');
  await c.page.getByLabel('종료일').fill('2025-02-14');
  await c.page.getByRole('button', { name: '저장' }).click();
  await c.page.getByRole('status').filter({ hasText: 'e2e-winter' }).waitFor();
  await c.page.getByLabel('캠페인', { exact: true }).selectOption('e2e-winter');
  await c.page.getByLabel('날짜').fill('2024-12-10');
  await c.page.getByLabel('행사 이름').fill('모금의 날');
  await c.page.getByRole('button', { name: '모금의 날 등록' }).click();
  await c.page.getByRole('status').filter({ hasText: '모금의 날' }).waitFor();
  await c.page.screenshot({ path: path.join(SHOTS, 'giving-manage-360.png'), fullPage: true });
  await goto(c.page, `${server.url}/giving/c/e2e-winter`);
  await c.page.getByRole('heading', { level: 2, name: '모금의 날' }).waitFor();
  await c.page.getByText('2024-12-10').waitFor();
  await expectNoSerious(c.page, 'new campaign 360');
  await expectNoOverflow(c.page, 'new campaign 360');
  assertClean(c.problems, 'manage');
});
