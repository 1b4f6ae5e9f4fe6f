// The academy and certificates in the browser (Korean first): a member enrols on /academy, the
// organizer marks attendance on the sheet until the course's rule is reached, the member finds the
// certificate on /me/certificates and anyone checks it on /certificates/verify (masked holder);
// axe-core serious/critical clean, no sideways scrolling at 360 px at every text size,
// screenshots at 1280 and 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { call, loginAs } from '../http/_client.mjs';
import { launchBrowser, openPage, goto, assertClean, loginThroughForm, expectNoSerious, expectNoOverflow } from './_browser.mjs';

let server, browser;
const shots = (name) => path.join(process.env.DURE_SCREENSHOTS || server.dir, name);

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.stop(); });

async function everySize(page, label) {
  for (const size of ['sm', 'md', 'lg', 'xl']) {
    await page.evaluate((s) => document.querySelector(`#display-settings-more button[data-size="${s}"]`).click(), size);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.textSize), size);
    await expectNoOverflow(page, `${label} ${size}`);
  }
  await page.evaluate(() => document.querySelector('#display-settings-more button[data-size="md"]').click());
}

test('enrol, attendance to completion, the certificate and its public check', async () => {
  const cw = await loginAs(server, 'caseworker');
  const t = Math.floor(Date.now() / 1000);
  const sessions = [0, 1, 2, 3].map((i) => ({ starts_at: t + 900 + i * 300, ends_at: t + 1100 + i * 300, place: '주민센터 3층' }));
  const c = await call(server, 'POST', '/api/v1/community/courses', { session: cw, body: { title: '화면 시험 리더 과정', issuer: '한빛구 가족센터', capacity: 10, required_sessions: 3, closes_at: t + 600, sessions, dong_id: cw.demo.scope_id } });
  assert.equal(c.status, 201, c.text);

  const member = await openPage(browser, { width: 360 });
  await loginThroughForm(member.page, server.url, server.account('resident'));
  await goto(member.page, `${server.url}/academy`);
  await member.page.getByRole('heading', { level: 1, name: '동행 아카데미' }).waitFor();
  const card = member.page.locator('li.panel', { has: member.page.getByRole('heading', { name: '화면 시험 리더 과정' }) });
  await card.getByRole('button', { name: '수강 신청' }).click();
  await member.page.getByText('화면 시험 리더 과정: 참가 확정').waitFor();
  await expectNoSerious(member.page, 'academy 360');
  await expectNoOverflow(member.page, 'academy 360');
  await member.page.screenshot({ path: shots('community-academy-360.png'), fullPage: true });
  await everySize(member.page, 'academy 360');

  const staff = await openPage(browser, { width: 1280 });
  await loginThroughForm(staff.page, server.url, server.account('caseworker'));
  await goto(staff.page, `${server.url}/staff/courses/${c.json.id}`);
  await staff.page.getByRole('heading', { level: 1, name: '출석부: 화면 시험 리더 과정' }).waitFor();
  for (const no of [1, 2, 3]) {
    await staff.page.getByRole('button', { name: new RegExp(`${no}회차 출석$`) }).click();
    await staff.page.getByText(`출석 ${no}/4`).first().waitFor();
  }
  await staff.page.getByText(/수료했습니다\. 수료증 DURE-\d{4}-\d{6}/).waitFor();
  await expectNoSerious(staff.page, 'sheet 1280');
  await staff.page.screenshot({ path: shots('community-sheet-1280.png'), fullPage: true });
  assertClean(staff.problems, 'sheet');
  await staff.context.close();

  await goto(member.page, `${server.url}/me/certificates`);
  await member.page.getByRole('heading', { name: '교육 수료증: 화면 시험 리더 과정' }).waitFor();
  await expectNoSerious(member.page, 'my certificates 360');
  await expectNoOverflow(member.page, 'my certificates 360');
  await member.page.screenshot({ path: shots('certificates-mine-360.png'), fullPage: true });
  await member.page.getByRole('link', { name: '진위 확인 화면' }).click();
  await member.page.getByRole('heading', { name: '두레가 발급한 증명서입니다.' }).waitFor();
  assertClean(member.problems, 'member');
  await member.context.close();

  // Anyone, not logged in, types the number and the code.
  const mine = (await call(server, 'GET', '/api/v1/certificates/mine', { session: await loginAs(server, 'resident') })).json.items[0];
  for (const width of [1280, 360]) {
    const anon = await openPage(browser, { width });
    await goto(anon.page, `${server.url}/certificates/verify`);
    await anon.page.getByLabel('증명서 번호').fill(mine.number);
    await anon.page.getByLabel('확인 코드').fill('AAAAA-AAAAA');
    await anon.page.getByRole('button', { name: '확인하기' }).click();
    await anon.page.getByText('이 번호와 코드의 증명서가 없습니다').waitFor();
    await anon.page.getByLabel('확인 코드').fill(mine.code);
    await anon.page.getByRole('button', { name: '확인하기' }).click();
    await anon.page.getByRole('heading', { name: '두레가 발급한 증명서입니다.' }).waitFor();
    const text = await anon.page.locator('main').innerText();
    assert.match(text, /\*/, 'the holder is masked');
    assert.ok(text.includes('4회 중 3회 출석'), text);
    await expectNoSerious(anon.page, `verify ${width}`);
    await expectNoOverflow(anon.page, `verify ${width}`);
    await anon.page.screenshot({ path: shots(`certificates-verify-${width}.png`), fullPage: true });
    if (width === 360) await everySize(anon.page, 'verify 360');
    assertClean(anon.problems, `verify ${width}`);
    await anon.context.close();
  }
});
