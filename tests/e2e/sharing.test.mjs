// 동행 사랑넷 in the browser: a resident on a 360 px phone browses fields → sub-fields → open
// needs (no names), asks for help through the form (a server error shown next to its field
// first), sees it in 나의 참여; the manager approves it at the desk and connects a suggested
// helper. axe-core at 360 and 1280 px, no sideways scrolling at 360 px, screenshots in /tmp.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, openPage, goto, loginThroughForm, expectNoSerious, expectNoOverflow, assertClean } from './_browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function check(page, name, width) {
  await expectNoSerious(page, `${name} ${width}`);
  if (width <= 360) await expectNoOverflow(page, `${name} ${width}`);
  await page.screenshot({ path: `/tmp/sharing-${name}-${width}.png`, fullPage: true });
}

test('a resident at 360 px browses and asks for help; the manager approves and connects', async () => {
  const { page, problems, context } = await openPage(browser, { width: 360, height: 780 });
  await goto(page, `${server.url}/sharing`);
  await page.getByRole('heading', { level: 1, name: '동행 사랑넷' }).waitFor();
  await page.locator('summary', { hasText: '관계망 형성' }).click();
  await page.getByRole('link', { name: '전화 말벗' }).click();
  await page.getByRole('heading', { level: 2, name: /전화 말벗: 도움을 기다리는 이웃/ }).waitFor();
  const text = await page.locator('main').innerText();
  assert.ok(!/이주민|101호|주 1회 방문을 원하십니다/.test(text), 'no names or details on the public page');
  await check(page, 'home', 360);

  await loginThroughForm(page, server.url, server.account('resident'));
  await goto(page, `${server.url}/sharing/need`);
  await page.getByLabel('어떤 분야인가요?').selectOption('relationship');
  await page.locator('label[for=sharing-need-s-R01]').click();
  assert.ok(await page.locator('#sharing-need-s-R01').isChecked());
  await page.locator('label[for=sharing-need-d-mon]').click();
  // No dong chosen: the server names the field, shown next to it.
  await page.getByRole('button', { name: '신청하기' }).click();
  await page.locator('#sharing-need-dong_id-error').waitFor();
  await check(page, 'need-error', 360);
  await page.getByLabel('어느 동인가요?').selectOption({ index: 1 });
  await page.getByLabel('필요한 도움을 자세히', { exact: false }).fill('무릎이 아파 외출이 어렵습니다');
  await page.getByRole('button', { name: '신청하기' }).click();
  await page.getByText('접수되었습니다').waitFor();
  await goto(page, `${server.url}/me/sharing`);
  await page.getByRole('heading', { level: 1, name: '나의 참여' }).waitFor();
  await page.locator('.sharing-card', { hasText: '방문 말벗' }).getByText('확인 중').waitFor();
  await check(page, 'me', 360);
  assertClean(problems, 'resident pages');
  await context.close();

  for (const width of [1280, 360]) {
    const m = await openPage(browser, { width, height: 900 });
    await loginThroughForm(m.page, server.url, server.account('project_manager'));
    await goto(m.page, `${server.url}/staff/sharing`);
    await m.page.getByRole('heading', { level: 1, name: '사랑넷 담당자' }).waitFor();
    await m.page.getByRole('heading', { level: 2, name: '확인 대기' }).waitFor();
    // At 1280 px the new need waits in the queue; at 360 px (after approval) it waits for a helper.
    if (width === 1280) await m.page.locator('.sharing-card', { hasText: '무릎이 아파' }).first().waitFor();
    else await m.page.locator('.sharing-card', { hasText: '방문 말벗' }).filter({ hasText: '기다린 날0일' }).first().waitFor();
    await check(m.page, 'desk', width);
    if (width === 1280) {
      await m.page.locator('.sharing-card', { hasText: '무릎이 아파' }).getByRole('button', { name: '승인' }).click();
      await m.page.getByText('반영되었습니다').waitFor();
      const first = m.page.locator('.sharing-sugs button', { hasText: '연결 제안' }).first();
      await first.waitFor();
      await first.click();
      await m.page.getByText('반영되었습니다').waitFor();
    }
    assertClean(m.problems, `desk ${width}`);
    await m.context.close();
  }
});
