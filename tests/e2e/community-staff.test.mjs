// Community organizers' and booking pages in the browser (Korean first): /staff/community (an
// event created through the form, a refusal shown at its field), the event desk with attendance,
// a space's page with a weekly series checked date by date; axe-core serious/critical clean, no
// sideways scrolling at 360 px at every text size, screenshots at 1280 and 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { call, loginAs } from '../http/_client.mjs';
import { launchBrowser, openPage, goto, assertClean, loginThroughForm, expectNoSerious, expectNoOverflow } from './_browser.mjs';

let server, browser;
const shots = (name) => path.join(process.env.DURE_SCREENSHOTS || server.dir, name);
const SIZES = ['sm', 'md', 'lg', 'xl'];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.stop(); });

async function everySize(page, label) {
  for (const size of SIZES) {
    await page.evaluate((s) => document.querySelector(`#display-settings-more button[data-size="${s}"]`).click(), size);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.textSize), size);
    await expectNoOverflow(page, `${label} ${size}`);
  }
  await page.evaluate(() => document.querySelector('#display-settings-more button[data-size="md"]').click());
}

test('organizers create an event through the form (a refusal named at its field) and mark attendance at the desk', async () => {
  for (const width of [1280, 360]) {
    const { page, context, problems } = await openPage(browser, { width });
    await loginThroughForm(page, server.url, server.account('caseworker'));
    await goto(page, `${server.url}/staff/community`);
    await page.getByRole('heading', { level: 1, name: '공동체 행사·공간 관리' }).waitFor();
    // Capacity 0: the server's refusal appears at the field and in the summary.
    const form = page.locator('form', { has: page.getByRole('heading', { name: '새 행사 만들기' }) });
    await form.getByLabel('제목').fill(`화면 시험 모임 ${width}`);
    const iso = (d) => new Date(Date.now() + 9 * 3600e3 + d * 86400e3).toISOString().slice(0, 16);
    await form.getByLabel('시작').fill(iso(7));
    await form.getByLabel('끝', { exact: true }).fill(iso(7.1));
    await form.getByLabel('신청 마감').fill(iso(1));
    await form.getByLabel('정원').fill('0');
    await form.getByRole('button', { name: '만들기' }).click();
    await page.locator('#ev-capacity-error').waitFor();
    assert.equal(await page.locator('#ev-capacity').getAttribute('aria-invalid'), 'true');
    await expectNoSerious(page, `staff form error ${width}`);
    await form.getByLabel('정원').fill('12');
    await form.getByRole('button', { name: '만들기' }).click();
    await form.getByText(`만들었습니다: 화면 시험 모임 ${width}`).waitFor();
    await page.getByRole('link', { name: `화면 시험 모임 ${width}` }).waitFor();
    await expectNoSerious(page, `staff ${width}`);
    await expectNoOverflow(page, `staff ${width}`);
    await page.screenshot({ path: shots(`community-staff-${width}.png`), fullPage: true });
    if (width === 360) await everySize(page, 'staff 360');
    assertClean(problems, `staff ${width}`);
    await context.close();
  }
  // An event starting within the hour with two confirmed participants: the desk marks attendance.
  const cw = await loginAs(server, 'caseworker');
  const t = Math.floor(Date.now() / 1000);
  const ev = await call(server, 'POST', '/api/v1/community/events', { session: cw, body: { title: '곧 시작하는 모임', mode: 'offline', starts_at: t + 1800, ends_at: t + 5400, closes_at: t + 1700, capacity: 3, dong_id: cw.demo.scope_id } });
  assert.equal(ev.status, 201, ev.text);
  const member = await loginAs(server, 'resident');
  const reg = await call(server, 'POST', `/api/v1/community/events/${ev.json.id}/registrations`, { session: member, body: { name: '이주민', phone: '010-1234-5678' } });
  assert.equal(reg.json.status, 'confirmed', reg.text);
  const { page, context, problems } = await openPage(browser, { width: 360 });
  await loginThroughForm(page, server.url, server.account('caseworker'));
  await goto(page, `${server.url}/staff/events/${ev.json.id}`);
  await page.getByText('이주민').waitFor();
  await page.getByRole('button', { name: '출석' }).click();
  await page.getByText('출석: 출석').waitFor();
  await expectNoSerious(page, 'desk 360');
  await expectNoOverflow(page, 'desk 360');
  await page.screenshot({ path: shots('community-desk-360.png'), fullPage: true });
  await everySize(page, 'desk 360');
  assertClean(problems, 'desk');
  await context.close();
});

test('a member books a space weekly: each date checked before saving, a held date shown, then booked', async () => {
  const cw = await loginAs(server, 'caseworker');
  const sp = await call(server, 'POST', '/api/v1/community/spaces', { session: cw, body: { name: '화면 시험 사랑방', capacity: 10, opens_hour: 9, closes_hour: 22, dong_id: cw.demo.scope_id } });
  assert.equal(sp.status, 201, sp.text);
  const first = new Date(Date.now() + 9 * 3600e3 + 4 * 86400e3).toISOString().slice(0, 10);
  const second = new Date(Date.parse(first) + 7 * 86400e3).toISOString().slice(0, 10);
  const other = await loginAs(server, 'resident');
  const held = await call(server, 'POST', `/api/v1/community/spaces/${sp.json.id}/bookings`, { session: other, body: { day: second, start_hour: 10, end_hour: 11, purpose: '모임', attendees: 2, no_forbidden_use: true } });
  assert.equal(held.status, 201, held.text);
  for (const width of [1280, 360]) {
    const { page, context, problems } = await openPage(browser, { width });
    await loginThroughForm(page, server.url, server.account('resident'));
    await goto(page, `${server.url}/spaces/${sp.json.id}`);
    await page.getByRole('heading', { level: 1, name: '화면 시험 사랑방' }).waitFor();
    await page.getByLabel('반복').selectOption('4');
    await page.getByLabel('첫 날짜').fill(first);
    await page.getByLabel('시작 시각(시)').fill(width === 1280 ? '10' : '13');
    await page.getByLabel('끝 시각(시)').fill(width === 1280 ? '12' : '15');
    await page.getByRole('button', { name: '날짜별 겹침 확인' }).click();
    if (width === 1280) {
      await page.getByText(`${second}: 이미 예약됨 (10:00)`).waitFor();
      assert.ok(await page.getByRole('button', { name: '예약 신청' }).isDisabled(), 'no saving while a date is held');
    } else {
      await page.getByText(`${second}: 예약 가능`).waitFor();
      await page.getByLabel('인원').fill('6');
      await page.getByLabel('사용 목적').fill('주간 독서 모임');
      await page.locator('label[for="bk-no_forbidden_use"]').click();
      assert.ok(await page.getByLabel('정치·종교·영리 목적으로 쓰지 않습니다').isChecked());
      await page.getByRole('button', { name: '예약 신청' }).click();
      await page.getByText('매주 예약을 신청했습니다. 횟수: 4').waitFor();
    }
    await expectNoSerious(page, `space ${width}`);
    await expectNoOverflow(page, `space ${width}`);
    await page.screenshot({ path: shots(`community-space-${width}.png`), fullPage: true });
    if (width === 360) await everySize(page, 'space 360');
    assertClean(problems, `space ${width}`);
    await context.close();
  }
  const mine = (await call(server, 'GET', '/api/v1/community/bookings/mine', { session: await loginAs(server, 'resident') })).json.items;
  assert.equal(mine.filter((b) => b.start_hour === 13 && b.series_id).length, 4);
});
