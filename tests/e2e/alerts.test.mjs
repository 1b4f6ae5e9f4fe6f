// Membership alerts and recommendations in the browser: a resident stores a household, turns
// alerts on (알림 설정: consent, channels, quiet hours, server validation in the error summary), an
// official re-screens, the message arrives in 알림함 (unread badge in the header, opening marks it
// read, line breaks kept, text never run as HTML); 맞춤 추천 shows its reasons, learns 관심 분야,
// "신청했어요" and "관심 없음"; axe-core at 1280 and 360 px and in high contrast, no sideways
// scrolling at 360 px, also with the largest text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, loginAs } from '../http/_client.mjs';
import {
  launchBrowser, openPage, goto, seriousViolations, formatViolations, horizontalOverflow, assertClean, loginThroughForm, expectNoSerious, expectNoOverflow,
} from './_browser.mjs';

let server;
let browser;

before(async () => {
  // An SMTP server is configured (nothing listens there: delivery just fails and is retried), so
  // e-mail is a channel a member with an address may choose; no SMS gateway, so texts are not.
  server = await startServer({ env: { DURE_SMTP_URL: 'smtp://127.0.0.1:9', DURE_SMTP_FROM: 'alerts@dure.test', DURE_ALERT_INTERVAL: '3600' } });
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// A 75-year-old living alone in Seoul on a small public pension: eligible for 생계급여 and more.
const HOUSEHOLD = {
  members: [{ relation: 'self', birth_date: '1950-02-01' }],
  residence: { tenure: 'monthly_rent', rent: 200000, region: 'seoul' },
  incomes: { public_transfer: 150000 }, assets: {},
};

async function storeHousehold(role, extra = {}) {
  const s = await loginAs(server, role);
  const r = await call(server, 'PUT', '/api/v1/me/eligibility', { session: s, body: { household: HOUSEHOLD, ...extra } });
  assert.equal(r.status, 200, r.text);
  return s;
}
async function rescreen() {
  const admin = await loginAs(server, 'district_admin');
  const r = await call(server, 'POST', '/api/v1/admin/alerts/rescreen', { session: admin, body: {} });
  assert.equal(r.status, 200, r.text);
  return r.json;
}
const header = (page) => page.getByRole('navigation', { name: '사용자 메뉴' });

test('alerts: the resident turns them on, an official re-screens, the message arrives in 알림함 and is read', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await loginThroughForm(page, server.url, server.account('resident'));
  // 마이페이지 leads to the three pages.
  const panel = page.locator('section', { has: page.getByRole('heading', { name: '알림과 맞춤 추천' }) });
  await panel.getByText('새 알림이 없습니다.').waitFor();
  await panel.getByRole('link', { name: '알림 설정' }).click();
  await page.waitForURL(`${server.url}/me/alerts`);
  await page.getByRole('heading', { level: 1, name: '알림 설정' }).waitFor();
  await page.getByRole('navigation', { name: '마이페이지 메뉴' }).getByRole('link', { name: '알림 설정' }).waitFor();

  // No household yet: explained, with the way to store one.
  const notice = page.locator('.alerts-household');
  await notice.getByText('가구 정보를 먼저 저장해 주세요').waitFor();
  assert.equal(await notice.getByRole('link', { name: '복지 모의계산에서 가구 정보 저장하기' }).getAttribute('href'), '/eligibility');
  await page.screenshot({ path: '/tmp/alerts-settings-nohousehold-1280.png', fullPage: true });

  // The household is stored (through the API, as the wizard's save button does).
  const api = await storeHousehold('resident');
  await page.reload();
  await page.locator('.alerts-form').waitFor();
  assert.equal(await page.locator('.alerts-household').count(), 0, 'no notice once a household is stored');

  // The explanation says what is checked, that it is encrypted and how to stop.
  const explain = await page.locator('.alerts-explain').textContent();
  assert.match(explain, /하루 한 번/);
  assert.match(explain, /암호화/);
  assert.match(explain, /수신 거부/);
  // Consent: a switch, off; turned on with the keyboard.
  const consent = page.getByRole('switch', { name: '복지 혜택 알림 받기' });
  assert.equal(await consent.isChecked(), false);
  await consent.focus();
  await page.keyboard.press('Space');
  assert.equal(await consent.isChecked(), true);
  // Channels: the app is always on; e-mail can be chosen (an address and SMTP); SMS cannot (no number, no gateway).
  const app = page.getByRole('checkbox', { name: '앱 알림 (두레 알림함)' });
  assert.equal(await app.isChecked(), true);
  assert.equal(await app.isDisabled(), true);
  const email = page.getByRole('checkbox', { name: '이메일' });
  assert.equal(await email.isDisabled(), false);
  await page.getByText('resident@demo.dure.kr 주소로 보내 드립니다.').waitFor();
  const sms = page.getByRole('checkbox', { name: '문자' });
  assert.equal(await sms.isDisabled(), true);
  assert.match(await page.locator('#alerts-sms-hint').textContent(), /휴대전화번호가 없어서/);
  assert.match(await sms.getAttribute('aria-describedby'), /alerts-sms-hint/);
  await page.locator('label[for=alerts-email]').click();
  assert.equal(await email.isChecked(), true);
  // Quiet hours: 21시–8시 by default, in Korean time.
  const start = page.getByLabel('시작', { exact: true });
  const end = page.getByLabel('끝', { exact: true });
  assert.equal(await start.inputValue(), '21');
  assert.equal(await end.inputValue(), '8');
  assert.match(await page.locator('[data-field=quiet-summary]').textContent(), /21시 \(오후 9시\)부터 8시 \(오전 8시\)까지/);
  await start.selectOption('22');
  await end.selectOption('7');
  await page.screenshot({ path: '/tmp/alerts-settings-filled-1280.png', fullPage: true });
  await page.getByRole('button', { name: '설정 저장' }).click();
  await page.locator('.status-message.is-visible', { hasText: '알림 설정을 저장했습니다.' }).waitFor();

  // Saved: a reload shows the same, and so does the server.
  await page.reload();
  await page.locator('.alerts-form').waitFor();
  assert.equal(await page.getByRole('switch', { name: '복지 혜택 알림 받기' }).isChecked(), true);
  assert.equal(await page.getByRole('checkbox', { name: '이메일' }).isChecked(), true);
  assert.equal(await page.getByLabel('시작', { exact: true }).inputValue(), '22');
  assert.equal(await page.getByLabel('끝', { exact: true }).inputValue(), '7');
  const saved = (await call(server, 'GET', '/api/v1/me/alerts', { session: api })).json;
  assert.deepEqual({ c: saved.alerts_consent, e: saved.email, s: saved.sms, qs: saved.quiet_start, qe: saved.quiet_end },
    { c: true, e: true, s: false, qs: 22, qe: 7 });

  // The server's validation shows in the error summary, linked to the field (an impossible hour).
  await page.locator('#alerts-quiet_start').evaluate((sel) => { const o = document.createElement('option'); o.value = '25'; o.text = '25'; sel.add(o); });
  await page.locator('#alerts-quiet_start').selectOption('25');
  await page.getByRole('button', { name: '설정 저장' }).click();
  const link = page.locator('.error-summary a', { hasText: '알림을 보내지 않는 시간의 시작은 0시에서 23시 사이로 골라 주세요.' });
  await link.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true, 'focus on the summary');
  assert.equal(await page.locator('#alerts-quiet_start').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByRole('button', { name: '설정 저장' }).isEnabled(), true, 'the form can be sent again');
  await page.screenshot({ path: '/tmp/alerts-settings-error-1280.png', fullPage: true });
  await expectNoSerious(page, 'alert settings with an error');
  await link.click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'alerts-quiet_start');
  assert.equal((await call(server, 'GET', '/api/v1/me/alerts', { session: api })).json.quiet_start, 22, 'nothing saved');

  // An official re-screens everyone who agreed. (The server's own first daily run, a minute after
  // it started, may have told the resident already on a slow machine: the inbox is what counts.)
  const run = await rescreen();
  assert.ok(run.members >= 1, JSON.stringify(run));

  // The badge next to 마이페이지, the count on 마이페이지 and in the menu.
  await goto(page, `${server.url}/me`);
  const my = header(page).getByRole('link', { name: /^마이페이지/ });
  await my.locator('.nav-badge', { hasText: '1' }).waitFor();
  assert.match(await my.textContent(), /안 읽은 알림 1건/);
  await panel.getByText('안 읽은 알림 1건').waitFor();
  await panel.getByText('알림을 받고 있습니다.').waitFor();
  await panel.getByRole('link', { name: /^알림함/ }).click();
  await page.waitForURL(`${server.url}/me/inbox`);
  await page.getByRole('heading', { level: 1, name: '알림함' }).waitFor();

  const item = page.locator('.inbox-item').first();
  await item.waitFor();
  assert.equal(await page.locator('.inbox-item').count(), 1);
  assert.match(await page.locator('[data-field=inbox-count]').textContent(), /전체 1건, 안 읽은 알림 1건/);
  assert.match(await item.textContent(), /새 알림/);
  const toggle = item.locator('.inbox-toggle');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await item.locator('.inbox-body').isVisible(), false);
  await page.screenshot({ path: '/tmp/alerts-inbox-unread-1280.png', fullPage: true });
  // Opened with the keyboard: the message shows and is marked read.
  const read = page.waitForResponse((r) => /\/api\/v1\/me\/inbox\/[^/]+\/read$/.test(r.url()) && r.request().method() === 'POST');
  await toggle.focus();
  await page.keyboard.press('Enter');
  assert.equal((await read).status(), 200);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const body = item.locator('.inbox-text');
  await body.waitFor();
  const text = await body.innerText();
  assert.match(text, /생계급여/);
  assert.match(text, /✔/);
  // The line breaks of the message are kept.
  const inbox = (await call(server, 'GET', '/api/v1/me/inbox', { session: api })).json;
  const lines = inbox.items[0].body.trim().split('\n');
  assert.ok(lines.length > 3);
  assert.equal(await body.locator('.inbox-line').count(), lines.length, 'one block per line');
  assert.equal(await body.textContent(), lines.map((l) => l.trim()).join('\n'), 'the text with its line breaks');
  // Read now: the count drops, here, in the header and on the server.
  await page.locator('[data-field=inbox-count]', { hasText: '안 읽은 알림 0건' }).waitFor();
  assert.equal(await header(page).locator('.nav-badge').count(), 0);
  assert.doesNotMatch(await item.textContent(), /새 알림/);
  assert.equal(inbox.unread, 0);
  assert.equal(inbox.items[0].read, true);
  await page.screenshot({ path: '/tmp/alerts-inbox-open-1280.png', fullPage: true });
  await expectNoSerious(page, 'inbox with an open message');
  // Closing and opening again does not ask the server again.
  await toggle.click();
  assert.equal(await item.locator('.inbox-body').isVisible(), false);
  assertClean(problems, 'alerts');
  await context.close();
});

test('알림함 shows the message as text: markup in a message is not run or rendered as HTML', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await loginThroughForm(page, server.url, server.account('donor'));
  const evil = '<img src=x onerror="window.__pwned=1"><b>굵게</b>\n• 첫 줄\n   ✔ 둘째 줄';
  await page.route('**/api/v1/me/inbox', (route) => route.fulfill({
    status: 200, contentType: 'application/json',
    body: JSON.stringify({ items: [{ id: 7, created_at: 1767225600, kind: 'eligibility', title: '<i>제목</i>', body: evil, read: true }], unread: 0 }),
  }));
  await goto(page, `${server.url}/me/inbox`);
  await page.locator('.inbox-toggle').click();
  const body = page.locator('.inbox-text');
  await body.waitFor();
  assert.equal(await page.locator('.inbox-item img, .inbox-item b, .inbox-item i').count(), 0, 'no elements from the message');
  assert.match(await body.textContent(), /<img src=x onerror="window.__pwned=1"><b>굵게<\/b>/);
  assert.equal(await page.locator('.inbox-item-title').textContent(), '<i>제목</i>');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(await body.locator('.inbox-line').allTextContents(), ['<img src=x onerror="window.__pwned=1"><b>굵게</b>', '• 첫 줄', '✔ 둘째 줄']);
  assertClean(problems, 'inbox text');
  await context.close();
});

test('a check-in escalation in the care team\'s 알림함: what to do, a button to the check-ins page, no benefit notes', async () => {
  // Real server path: a caregiver reports a concern; the dong's care team is told at step 2.
  const admin = await loginAs(server, 'district_admin');
  const cw = await loginAs(server, 'caseworker');
  const carer = await loginAs(server, 'caregiver');
  const person = await call(server, 'POST', '/api/v1/persons', { session: admin, body: { name: '안부대상', phone: '01055598765', birth_date: '1941-03-04', address: '한빛구 은행로 9', dong_id: cw.demo.scope_id } });
  assert.equal(person.status, 201, person.text);
  const a = await call(server, 'POST', '/api/v1/checkins/assignments', { session: cw, body: { person_id: person.json.id, caregiver_account_id: carer.demo.account_id, cadence: 'weekly' } });
  assert.equal(a.status, 201, a.text);
  const c = await call(server, 'POST', `/api/v1/checkins/assignments/${a.json.id}/checkins`, { session: carer, body: { result: 'concern' } });
  assert.equal(c.status, 201, c.text);
  for (const width of [1280, 360]) {
    const { page, context, problems } = await openPage(browser, { width, height: 900 });
    await loginThroughForm(page, server.url, server.account('care_team'));
    await goto(page, `${server.url}/me/inbox`);
    const item = page.locator('.inbox-item', { hasText: '[안부 확인 2단계] 돌봄팀 전화 확인' });
    await item.locator('.inbox-toggle').click();
    await item.locator('.inbox-text').waitFor();
    assert.match(await item.locator('.inbox-text').textContent(), new RegExp(`돌봄 배정 #${a.json.id}: 돌봄이웃이 걱정되는 상황을 알렸습니다`));
    assert.ok(!(await item.textContent()).includes('안부대상'), 'no resident name in the message');
    assert.equal(await item.locator('.inbox-note').count(), 0, 'no benefit disclaimers on a duty message');
    await expectNoSerious(page, `escalation inbox ${width}`);
    if (width <= 360) await expectNoOverflow(page, `escalation inbox ${width}`);
    await item.getByRole('link', { name: '안부 확인 화면에서 처리하기' }).click();
    await page.waitForURL(/\/staff\/checkins$/);
    assertClean(problems, `escalation inbox ${width}`);
    await context.close();
  }
});

test('맞춤 추천: reasons, 관심 분야, "신청했어요", "관심 없음" removes it, a visit is recorded', async () => {
  const api = await storeHousehold('volunteer');
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await loginThroughForm(page, server.url, server.account('volunteer'));
  await page.locator('section', { has: page.getByRole('heading', { name: '알림과 맞춤 추천' }) }).getByRole('link', { name: '맞춤 추천 서비스' }).click();
  await page.waitForURL(`${server.url}/me/recommendations`);
  await page.getByRole('heading', { level: 1, name: '맞춤 추천 서비스' }).waitFor();
  await page.getByText('모의계산 결과, 관심 분야, 가구 상황과 여러분의 반응을 바탕으로 한 간단한 모델입니다.').waitFor();

  const expected = (await call(server, 'GET', '/api/v1/me/recommendations', { session: api })).json;
  assert.ok(expected.items.length > 6, `enough recommendations: ${expected.items.length}`);
  const cards = page.locator('.rec-card');
  await cards.first().waitFor();
  // The first six, in the server's order, each with its reasons; the rest behind "더 보기".
  assert.equal(await cards.count(), 6);
  for (let i = 0; i < 6; i++) {
    const card = cards.nth(i);
    assert.equal((await card.locator('.rec-name a').textContent()).trim(), expected.items[i].name);
    assert.deepEqual((await card.locator('.rec-why li').allTextContents()).map((x) => x.replace('✔', '').trim()), expected.items[i].why_ko);
  }
  assert.ok(expected.items[0].why_ko.includes('모의계산 결과 받을 수 있어요'));
  await page.screenshot({ path: '/tmp/alerts-recs-1280.png', fullPage: true });
  const more = page.getByRole('button', { name: `추천 서비스 ${expected.items.length - 6}건 더 보기` });
  await more.click();
  assert.equal(await cards.count(), expected.items.length);
  // Focus moves after the new cards render (an effect): wait for it, a few seconds at most.
  const focused = await page.waitForFunction(
    () => document.activeElement?.closest('.rec-card') === document.querySelectorAll('.rec-card')[6], null, { timeout: 5000 })
    .then(() => true, () => false);
  assert.equal(focused, true, 'focus goes to the first item that was hidden');
  // How it works: the model's weights as a table.
  await page.locator('.rec-how summary').click();
  const weights = page.locator('.rec-weights');
  await weights.waitFor();
  assert.match(await weights.locator('tr', { hasText: '모의계산 결과 받을 수 있음' }).textContent(), /\+3\.00/);

  // 관심 분야: chosen with checkboxes, saved, and the recommendations follow.
  const interests = page.locator('.rec-interests');
  await interests.getByRole('group', { name: '관심 주제' }).getByText('주거', { exact: true }).click();
  await interests.getByRole('group', { name: '생애주기' }).getByText('노년', { exact: true }).click();
  await interests.getByRole('button', { name: '관심 분야 저장' }).click();
  await interests.getByText('관심 분야를 저장했습니다.', { exact: false }).waitFor();
  const profile = (await call(server, 'GET', '/api/v1/me/eligibility', { session: api })).json;
  assert.deepEqual(profile.interests.topics, ['housing']);
  assert.deepEqual(profile.interests.life_stages, ['senior']);
  assert.ok(profile.household, 'the household is kept');
  await page.locator('.rec-why li', { hasText: '관심 분야예요' }).first().waitFor();

  // "신청했어요" marks it; the server knows.
  const first = cards.first();
  const firstName = (await first.locator('.rec-name a').textContent()).trim();
  const firstId = await first.getAttribute('data-service-id');
  await first.getByRole('button', { name: /^신청했어요/ }).click();
  await first.locator('.rec-applied-badge', { hasText: '신청함' }).waitFor();
  await page.getByText(`${firstName} 신청을 기록했습니다.`).waitFor();
  let now = (await call(server, 'GET', '/api/v1/me/recommendations', { session: api })).json;
  assert.equal(now.items.find((x) => x.service_id === firstId).applied, true);

  // "관심 없음" removes it, here and for good; focus stays in the list.
  const second = cards.nth(1);
  const secondName = (await second.locator('.rec-name a').textContent()).trim();
  const secondId = await second.getAttribute('data-service-id');
  const before = await cards.count();
  await second.getByRole('button', { name: /^관심 없음/ }).click();
  await page.getByText(`추천에서 뺐습니다: ${secondName}`).waitFor();
  assert.equal(await page.locator(`.rec-card[data-service-id="${secondId}"]`).count(), 0);
  assert.equal(await cards.count(), before - 1);
  assert.equal(await page.evaluate(() => !!document.activeElement?.closest('.rec-card .rec-name')), true, 'focus on the next recommendation');
  now = (await call(server, 'GET', '/api/v1/me/recommendations', { session: api })).json;
  assert.ok(!now.items.some((x) => x.service_id === secondId), 'not recommended again');
  await expectNoSerious(page, 'recommendations after feedback');

  // Following a recommendation opens the service and tells the model it was viewed.
  const third = cards.nth(1);
  const thirdId = await third.getAttribute('data-service-id');
  const viewed = page.waitForRequest((r) => r.url().endsWith('/api/v1/me/recommendations/feedback') && r.method() === 'POST'
    && r.postDataJSON().action === 'viewed');
  await third.locator('.rec-name a').click();
  assert.equal((await viewed).postDataJSON().service_id, thirdId);
  await page.waitForURL(`${server.url}/services/${thirdId}`);
  await page.locator('h1').first().waitFor();

  // In English the reasons are English (the service names stay as the catalogue has them).
  await goto(page, `${server.url}/me/recommendations`);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Recommended services' }).waitFor();
  await page.locator('.rec-why li', { hasText: 'The simulation says you qualify' }).first().waitFor();
  await page.getByRole('button', { name: /^I applied/ }).first().waitFor();
  await page.getByRole('button', { name: /^Not interested/ }).first().waitFor();
  await page.screenshot({ path: '/tmp/alerts-recs-en-1280.png', fullPage: true });
  await page.getByRole('button', { name: '한국어' }).click();
  assertClean(problems, 'recommendations');
  await context.close();
});

test('anyone not logged in is asked to log in and comes back to the page', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  for (const path of ['/me/inbox', '/me/alerts', '/me/recommendations']) {
    await goto(page, `${server.url}${path}`);
    await page.getByText('마이페이지를 보려면 로그인해 주세요.').waitFor();
    assert.equal(await page.locator('main').getByRole('link', { name: '로그인' }).getAttribute('href'), `/login?next=${encodeURIComponent(path)}`);
  }
  await page.locator('main').getByRole('link', { name: '로그인' }).click();
  const account = server.account('caregiver');
  await page.getByLabel('이메일 또는 휴대전화번호').fill(account.login);
  await page.getByLabel('비밀번호', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL(`${server.url}/me/recommendations`);
  await page.getByRole('heading', { level: 1, name: '맞춤 추천 서비스' }).waitFor();
  // No household, no interests: the page says what to do.
  await page.getByText('아직 추천해 드릴 서비스가 없습니다.', { exact: false }).waitFor();
  await page.getByRole('link', { name: '복지 모의계산 하러 가기' }).waitFor();
  assertClean(problems, 'login');
  await context.close();
});

test('axe-core at 1280 and 360 px and in high contrast; nothing scrolls sideways at 360 px, even with the largest text', async () => {
  await storeHousehold('gatekeeper', { alerts_consent: true });
  await rescreen();
  for (const width of [1280, 360]) {
    const { page, context, problems } = await openPage(browser, { width, height: 800 });
    await loginThroughForm(page, server.url, server.account('gatekeeper'));
    const pages = [
      ['me', '/me', '.me-alerts'],
      ['inbox', '/me/inbox', '.inbox-item'],
      ['settings', '/me/alerts', '.alerts-form'],
      ['recs', '/me/recommendations', '.rec-card'],
    ];
    for (const [name, path, ready] of pages) {
      await goto(page, `${server.url}${path}`);
      await page.locator(ready).first().waitFor();
      if (name === 'inbox' && await page.locator('.inbox-toggle[aria-expanded=false]').count()) await page.locator('.inbox-toggle').first().click();
      if (name === 'recs') await page.locator('.rec-check').first().waitFor();
      await expectNoSerious(page, `${path} ${width}`);
      if (width === 360) await expectNoOverflow(page, `${path} 360`);
      await page.screenshot({ path: `/tmp/alerts-${name}-${width}.png`, fullPage: true });
    }
    // High contrast.
    await page.evaluate(() => localStorage.setItem('dure.highContrast', '1'));
    for (const [name, path, ready] of pages) {
      await goto(page, `${server.url}${path}`);
      await page.locator(ready).first().waitFor();
      if (name === 'inbox') await page.locator('.inbox-toggle').first().click();
      await expectNoSerious(page, `${path} ${width} high contrast`);
      if (width === 360 || name !== 'me') await page.screenshot({ path: `/tmp/alerts-${name}-${width}-contrast.png`, fullPage: true });
    }
    await page.evaluate(() => localStorage.setItem('dure.highContrast', '0'));
    // The largest text size at 360 px: still no sideways scrolling.
    if (width === 360) {
      await page.evaluate(() => localStorage.setItem('dure.textSize', 'xl'));
      for (const [name, path, ready] of pages) {
        await goto(page, `${server.url}${path}`);
        await page.locator(ready).first().waitFor();
        if (name === 'inbox') await page.locator('.inbox-toggle').first().click();
        if (name === 'recs') await page.locator('.rec-check').first().waitFor();
        await expectNoOverflow(page, `${path} 360 xl text`);
        await page.screenshot({ path: `/tmp/alerts-${name}-360-xl.png`, fullPage: true });
      }
    }
    assertClean(problems, `axe ${width}`);
    await context.close();
  }
});
