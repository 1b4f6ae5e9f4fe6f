// The sharing market in the browser (Korean first): a member lists an item (a price refused at its
// field), another asks for it, the giver picks them; a report hides an item and staff restore it
// on /staff/market. axe-core serious/critical clean, no sideways scrolling at 360 px at every
// text size, screenshots at 1280 and 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { call, loginAs, login, districts } from '../http/_client.mjs';
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

test('list, ask, pick; report and review', async () => {
  const district = (await districts(server))[0];
  const email = `marketweb.${process.pid}@example.com`;
  await call(server, 'POST', '/api/v1/auth/signup', { body: { email, password: 'community-test-pass-1', name: '최이웃', district_id: district.id } });
  const neighbour = await login(server, email, 'community-test-pass-1');
  const cwDong = (await loginAs(server, 'caseworker')).demo.scope_id;

  const { page, context, problems } = await openPage(browser, { width: 360 });
  page.on('dialog', (d) => d.accept('광고 글'));
  await loginThroughForm(page, server.url, server.account('resident'));
  await goto(page, `${server.url}/me/market`);
  await page.getByRole('heading', { level: 1, name: '나의 나눔' }).waitFor();
  await page.getByLabel('물건', { exact: true }).fill('어린이 자전거 1만원');
  await page.getByLabel('건네는 곳', { exact: true }).fill('느티동 주민센터');
  await page.getByRole('button', { name: '올리기' }).click();
  await page.locator('#mk-title-error').waitFor();
  await expectNoSerious(page, 'market form error 360');
  await page.getByLabel('물건', { exact: true }).fill('어린이 자전거');
  await page.getByRole('button', { name: '올리기' }).click();
  await page.getByText('만들었습니다: 어린이 자전거').waitFor();
  const mine = (await call(server, 'GET', '/api/v1/community/market/mine', { session: await loginAs(server, 'resident') })).json.items[0];
  const asked = await call(server, 'POST', `/api/v1/community/market/${mine.id}/requests`, { session: neighbour, body: { message: '아이 생일 선물로 필요해요' } });
  assert.equal(asked.status, 201, asked.text);
  await goto(page, `${server.url}/me/market`);
  await page.getByText('아이 생일 선물로 필요해요', { exact: false }).waitFor();
  await page.getByRole('button', { name: /이분께 드리기/ }).click();
  await page.getByRole('button', { name: '전달했어요' }).waitFor();
  await expectNoSerious(page, 'my market 360');
  await expectNoOverflow(page, 'my market 360');
  await page.screenshot({ path: shots('community-my-market-360.png'), fullPage: true });
  await everySize(page, 'my market 360');

  // Another item, reported from the public list.
  const other = await call(server, 'POST', '/api/v1/community/market', { session: neighbour, body: { kind: 'lend', title: '캠핑 의자 빌려드려요', dong_id: cwDong, handover_place: '주민 공간' } });
  assert.equal(other.status, 201, other.text);
  await goto(page, `${server.url}/market`);
  await page.getByRole('heading', { level: 1, name: '나눔장터' }).waitFor();
  await expectNoSerious(page, 'market 360');
  await expectNoOverflow(page, 'market 360');
  await page.screenshot({ path: shots('community-market-360.png'), fullPage: true });
  await everySize(page, 'market 360');
  await page.getByRole('button', { name: '신고 캠핑 의자 빌려드려요' }).click();
  await page.getByText('신고했습니다').waitFor();
  assert.equal(await page.getByRole('heading', { name: '캠핑 의자 빌려드려요' }).count(), 0, 'hidden at once');
  assertClean(problems, 'market member');
  await context.close();

  const staff = await openPage(browser, { width: 1280 });
  await loginThroughForm(staff.page, server.url, server.account('caseworker'));
  await goto(staff.page, `${server.url}/staff/market`);
  await staff.page.getByRole('heading', { name: '캠핑 의자 빌려드려요' }).waitFor();
  await expectNoSerious(staff.page, 'review 1280');
  await staff.page.screenshot({ path: shots('community-market-review-1280.png'), fullPage: true });
  await staff.page.getByRole('button', { name: '다시 보이기' }).click();
  await staff.page.getByText('아직 없습니다.').waitFor();
  assertClean(staff.problems, 'review');
  await staff.context.close();
  const pub = await call(server, 'GET', '/api/v1/community/market');
  assert.ok(pub.json.items.some((x) => x.title === '캠핑 의자 빌려드려요'), 'restored');
});
