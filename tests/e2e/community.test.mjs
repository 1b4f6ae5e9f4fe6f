// Community pages in the browser (Korean first): the events list, the kimchi-making day, its
// public draw with masked winners, the spaces, and a member registering for an event; axe-core
// serious/critical clean and no sideways scrolling at 360 px; screenshots at 1280 and 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { call, loginAs } from '../http/_client.mjs';
import { launchBrowser, openPage, goto, assertClean, loginThroughForm, expectNoSerious, expectNoOverflow } from './_browser.mjs';

let server, browser, kimchi, draw;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  kimchi = (await call(server, 'GET', '/api/v1/community/events')).json.items.find((e) => e.title === '1인 가구 김장하는 날');
  draw = (await call(server, 'GET', '/api/v1/community/draws')).json.items.find((d) => d.title.includes('김장'));
  assert.ok(kimchi && draw);
});
after(async () => { await browser?.close(); await server?.stop(); });

test('public pages: events, the kimchi-making day, its draw, the spaces — clean at 1280 and 360 px', async () => {
  for (const width of [1280, 360]) {
    const { page, context, problems } = await openPage(browser, { width });
    await goto(page, `${server.url}/events`);
    await page.getByRole('heading', { level: 1, name: '행사' }).waitFor();
    await page.getByRole('link', { name: '1인 가구 김장하는 날' }).click();
    await page.getByRole('heading', { level: 1, name: '1인 가구 김장하는 날' }).waitFor();
    assert.ok(await page.getByText('신청자 중 공개 추첨').isVisible());
    await expectNoSerious(page, `event ${width}`);
    await expectNoOverflow(page, `event ${width}`);
    await page.screenshot({ path: path.join(process.env.DURE_SCREENSHOTS || server.dir, `community-event-${width}.png`), fullPage: true });
    await goto(page, `${server.url}/draws/${draw.id}`);
    await page.getByRole('heading', { level: 1, name: '1인 가구 김장하는 날 참가자 추첨' }).waitFor();
    const winners = await page.locator('.winner-list li').allTextContents();
    assert.equal(winners.length, 20);
    for (const w of winners) assert.match(w, /^E-\d+ \S\*+\S?$/u, w);
    await expectNoSerious(page, `draw ${width}`);
    await expectNoOverflow(page, `draw ${width}`);
    await page.screenshot({ path: path.join(process.env.DURE_SCREENSHOTS || server.dir, `community-draw-${width}.png`), fullPage: true });
    await goto(page, `${server.url}/spaces`);
    await page.getByRole('heading', { level: 1, name: '공간 예약' }).waitFor();
    await expectNoSerious(page, `spaces ${width}`);
    await expectNoOverflow(page, `spaces ${width}`);
    assertClean(problems, `community ${width}`);
    await context.close();
  }
});

test('a member registers for an event and finds it under my registrations', async () => {
  const cw = await loginAs(server, 'caseworker');
  const t = Math.floor(Date.now() / 1000);
  const ev = await call(server, 'POST', '/api/v1/community/events', { session: cw, body: { title: '반찬 나눔 모임', mode: 'offline', place: '느티동 주민센터', starts_at: t + 7 * 86400, ends_at: t + 7 * 86400 + 7200, closes_at: t + 86400, capacity: 5, dong_id: cw.demo.scope_id } });
  assert.equal(ev.status, 201, ev.text);
  const { page, context, problems } = await openPage(browser, { width: 360 });
  await loginThroughForm(page, server.url, server.account('resident'));
  await goto(page, `${server.url}/events/${ev.json.id}`);
  await page.getByLabel('이름').fill('이주민');
  await page.getByLabel('전화번호').fill('010-1234-5678');
  await page.getByRole('button', { name: '신청하기' }).click();
  await page.getByText('신청했습니다: 참가 확정').waitFor();
  await expectNoSerious(page, 'registration 360');
  await goto(page, `${server.url}/me/events`);
  await page.getByRole('link', { name: '반찬 나눔 모임' }).waitFor();
  await expectNoSerious(page, 'my registrations 360');
  await expectNoOverflow(page, 'my registrations 360');
  assertClean(problems, 'registration');
  await context.close();
});
