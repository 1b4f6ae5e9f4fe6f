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
