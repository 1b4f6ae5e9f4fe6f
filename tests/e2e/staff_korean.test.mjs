// Staff pages speak Korean and name people (issue 16): the staff hub names the person, not an
// account number; a screening CSV with mistakes is explained line by line in Korean; the
// administrator finds the disclosures waiting for review on /admin and opens one. axe-core,
// 360 px and 1280 px, screenshots in /tmp.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, openPage, goto, expectNoSerious, expectNoOverflow, assertClean, loginThroughForm } from './_browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function asRole(role, width) {
  const opened = await openPage(browser, { width, height: width < 500 ? 780 : 900 });
  await loginThroughForm(opened.page, server.url, server.account(role));
  return opened;
}
async function check(page, name, width) {
  await expectNoSerious(page, `${name} ${width}`);
  if (width <= 360) await expectNoOverflow(page, `${name} ${width}`);
  await page.screenshot({ path: `/tmp/staffko-${name}-${width}.png`, fullPage: true });
}

test('a screening file with mistakes is explained in Korean, line by line', async () => {
  const csv = '/tmp/staffko-bad.csv';
  writeFileSync(csv, 'household_key,dong,indicator,value,period\n'
    + 'H1,eunhaeng,electricity_cutof,1,2026-01\n'
    + 'H2,nowhere,electricity_cutoff,-3,2026-1\n');
  const { page, context, problems } = await asRole('district_admin', 1280);
  await goto(page, `${server.url}/staff/screening`);
  await page.getByRole('heading', { level: 1, name: '위기가구 선별' }).waitFor();
  await page.locator('#care-upload-file').setInputFiles(csv);
  await page.getByRole('button', { name: '파일 올리기' }).click();
  const summary = page.locator('#care-upload-error-summary, .care-upload .error-summary').first();
  await summary.waitFor();
  const text = await summary.textContent();
  assert.match(text, /2번째 줄 \(위기정보 종류\): 위기정보 종류 코드가 아닙니다: electricity_cutof/);
  assert.match(text, /3번째 줄 \(동\): 이 구의 동 코드가 아닙니다: nowhere/);
  assert.match(text, /3번째 줄 \(값\): 0부터 1,000,000,000,000까지의 숫자를 적어 주세요/);
  assert.match(text, /3번째 줄 \(기간\): 기간은 2026-05처럼 연-월로 적어 주세요/);
  assert.doesNotMatch(text, /not an indicator|not a dong code|a number from|a month as/, 'no English reaches the page');
  await check(page, 'upload-errors', 1280);
  assertClean(problems, 'screening upload');
  await context.close();
});

test('the staff hub and the check-in list name people, never an account number', async () => {
  const { page, context, problems } = await asRole('caseworker', 360);
  await goto(page, `${server.url}/staff`);
  await page.getByRole('heading', { level: 1, name: '업무' }).waitFor();
  assert.equal(await page.locator('[data-field=my-name]').textContent(), server.account('caseworker').name);
  assert.equal(await page.locator('main').getByText(/계정 번호|계정 \d+번|직원 \d+번/).count(), 0);
  await check(page, 'hub', 360);
  assertClean(problems, 'staff hub');
  await context.close();
});

test('the administrator finds the disclosures waiting for review on /admin and opens one', async () => {
  for (const width of [1280, 360]) {
    const { page, context, problems } = await asRole('district_admin', width);
    await goto(page, `${server.url}/admin`);
    const queue = page.locator('[data-field=disclosure-queue]');
    await queue.getByRole('heading', { name: '검토를 기다리는 재정 공시' }).waitFor();
    const first = queue.locator('.disc-item').first();
    await first.waitFor();
    assert.match(await queue.textContent(), /\d+건이 검토를 기다립니다/);
    assert.match(await first.textContent(), /한빛노인종합복지관 · \d{4}년/);
    assert.match(await first.textContent(), /검토 요청/);
    await check(page, 'admin-queue', width);
    if (width === 360) {
      await first.getByRole('link').click();
      await page.waitForURL(/\/disclosures\//);
      await page.getByRole('button', { name: /승인/ }).first().waitFor();
      await check(page, 'disclosure-review', width);
    }
    assertClean(problems, `admin queue ${width}`);
    await context.close();
  }
});
