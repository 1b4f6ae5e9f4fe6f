// 위기이웃 제보 in the browser: an anonymous resident reports a neighbour from a phone (360 px,
// submitted with the keyboard) and gets a receipt number, and the report is really on file for the
// officials; missing and invalid fields show in the error summary and next to each field (the
// form's own checks and the server's problem+json); a gatekeeper reports logged in and follows it
// in 내 제보 (/me/reports), which shows the stage and nothing about the household; logged-out
// visitors get the login prompt; axe-core at 1280 and 360 px and in high contrast, no sideways
// scrolling at 360 px, also with the largest text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, loginAs, districts } from '../http/_client.mjs';
import {
  launchBrowser, openPage, goto, seriousViolations, formatViolations, horizontalOverflow, assertClean, loginThroughForm, expectNoSerious, expectNoOverflow,
} from './_browser.mjs';

let server;
let browser;
let dongs; // name_ko → id, of the demo district
const stamp = String(Date.now() % 1000000).padStart(6, '0');
const REASON = 'checking that a report from the web form is on file';

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  dongs = Object.fromEntries((await districts(server))[0].dongs.map((d) => [d.name_ko, d.id]));
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const focusedId = (page) => page.evaluate(() => document.activeElement?.id || '');
const RECEIPT = /^\d{6}-[2-9A-HJ-NP-Z]{7}$/;

// The report with this receipt number as the officials see it: the household in their queue whose
// timeline holds it (every open is logged with a reason, as for any staff read).
async function onFile(session, receipt) {
  const q = await call(server, 'GET', '/api/v1/outreach/queue', { session });
  assert.equal(q.status, 200, q.text);
  for (const h of q.json.items) {
    const r = await call(server, 'GET', `/api/v1/outreach/households/${h.id}`, { session, headers: { 'X-Access-Reason': REASON } });
    assert.equal(r.status, 200, r.text);
    const ev = r.json.timeline.find((e) => e.report?.receipt_no === receipt);
    if (ev) return { household: r.json, report: ev.report };
  }
  return null;
}

// Fills the smallest valid report (a place and what was seen) and sends it; returns the receipt.
async function fileReport(page, { place, concern }) {
  await page.locator('#report-place').fill(place);
  await page.locator('#report-concern').fill(concern);
  await page.getByRole('button', { name: '제보하기', exact: true }).click();
  const no = page.locator('[data-field=receipt-no]');
  await no.waitFor();
  return (await no.textContent()).trim();
}

test('an anonymous resident reports from a phone, sends it with the keyboard, gets a receipt, and the report is on file', async () => {
  const { page, context, problems } = await openPage(browser, { width: 360, height: 800 });
  await goto(page, `${server.url}/`);
  // The main menu (behind the phone header's menu button) leads to the form.
  await page.getByRole('button', { name: '전체 메뉴' }).click();
  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '위기이웃 제보' }).click();
  await page.waitForURL(`${server.url}/report`);
  await page.getByRole('heading', { level: 1, name: '위기이웃 제보' }).waitFor();

  // The emergency notice comes first, with numbers to call.
  const emergency = page.locator('.report-emergency');
  await emergency.getByRole('heading', { name: '생명이 위험하면 지금 바로 112나 119에 전화하세요' }).waitFor();
  assert.equal(await emergency.getByRole('link', { name: '112 경찰에 전화하기' }).getAttribute('href'), 'tel:112');
  assert.equal(await emergency.getByRole('link', { name: '119 소방·구급에 전화하기' }).getAttribute('href'), 'tel:119');
  const top = async (sel) => (await page.locator(sel).boundingBox()).y;
  assert.ok(await top('.report-emergency') < await top('.report-form'), 'the emergency notice is above the form');
  // Anonymous is fine, and the reported person is never told who reported.
  const promise = await page.locator('.report-promise').textContent();
  assert.match(promise, /이름을 밝히지 않아도 제보할 수 있습니다/);
  assert.match(promise, /제보하신 분이 누구인지 도움이 필요한 분께 절대 알리지 않습니다/);
  await page.locator('[data-field=report-who]', { hasText: '로그인하지 않고 제보하면' }).waitFor();
  // The sign choices come from the vocabulary.
  await page.locator('#report-signs').waitFor();
  assert.equal(await page.locator('input[name=signs]').count(), 11);
  await page.screenshot({ path: '/tmp/report-form-360.png', fullPage: true });

  // One column at 360 px: the fields are as wide as each other and nothing scrolls sideways.
  const widths = await page.evaluate(() => ['report-address', 'report-place', 'report-concern', 'report-dong_id']
    .map((id) => Math.round(document.getElementById(id).getBoundingClientRect().width)));
  assert.ok(widths.every((w) => w === widths[0] && w >= 300), `one column of full-width fields: ${widths}`);
  await expectNoOverflow(page, '/report 360');
  // Touch targets: choices and the button are at least 44 px high.
  for (const sel of ['label[for=report-signs]', '.report-urgency.is-urgent', 'label[for=report-contact_consent]', 'button[type=submit]', '#report-address']) {
    const box = await page.locator(sel).boundingBox();
    assert.ok(box.height >= 44, `${sel} is ${box.height}px high`);
  }

  const address = `느티로 ${stamp}, 203호`;
  const concern = `2주째 우편물이 쌓여 있고 밤에도 불이 꺼져 있습니다. 표식${stamp}`;
  await page.locator('#report-address').fill(address);
  await page.getByLabel('동 (선택)').selectOption({ label: '느티동' });
  // Signs and urgency with the keyboard: Space ticks a box, the arrow keys move between radios.
  await page.locator('#report-signs').focus();
  await page.keyboard.press('Space');
  await page.locator('#report-sign-no_food').focus();
  await page.keyboard.press('Space');
  await page.locator('#report-concern').fill(concern);
  assert.match(await page.locator('[data-field=concern-count]').textContent(), new RegExp(`^${concern.length}/2,000자$`));
  await page.locator('#report-urgency').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.getByRole('radio', { name: /우선/ }).isChecked(), true, 'ArrowDown chose 우선');
  // The contact: why it is asked and that the reported person is not told, then the consent.
  const explain = await page.locator('#report-contact-explain').textContent();
  assert.match(explain, /더 여쭤볼 때만 연락드립니다/);
  assert.match(explain, /누구인지 알리지 않습니다/);
  await page.locator('#report-contact_name').fill('이웃주민');
  await page.locator('#report-contact').fill('010-2222-3333');
  await page.locator('#report-contact_consent').focus();
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#report-contact_consent').isChecked(), true);
  // Tab reaches the button; Enter sends.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), '제보하기');
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/outreach/reports') && r.request().method() === 'POST');
  await page.keyboard.press('Enter');
  assert.equal((await posted).status(), 201);

  // The receipt, with what happens next.
  const receipt = page.locator('.report-receipt');
  await receipt.getByRole('heading', { name: '제보가 접수되었습니다' }).waitFor();
  assert.equal(await focusedId(page), 'report-receipt-title', 'focus on the receipt heading');
  const no = (await page.locator('[data-field=receipt-no]').textContent()).trim();
  assert.match(no, RECEIPT);
  const text = await receipt.textContent();
  assert.match(text, /앞으로 이렇게 진행됩니다/);
  assert.match(text, /3일 안에 도움이 필요한 분께 연락하거나 찾아갑니다/, 'the deadline of 우선');
  assert.match(text, /이름을 밝히지 않은 제보라서 처리 결과를 따로 알려 드리지 않습니다/);
  assert.match(text, /112나 119/);
  await expectNoOverflow(page, 'receipt 360');
  await page.screenshot({ path: '/tmp/report-receipt-360.png', fullPage: true });

  // On file for the officials, exactly as written, anonymous, in 느티동.
  const admin = await loginAs(server, 'district_admin');
  const found = await onFile(admin, no);
  assert.ok(found, `report ${no} is in the district's queue`);
  const r = found.report;
  assert.equal(r.address, address);
  assert.equal(r.concern, concern);
  assert.equal(r.urgency, 'high');
  assert.deepEqual([...r.signs].sort(), ['mail_piling_up', 'no_food']);
  assert.equal(r.channel, 'web');
  assert.equal(r.reporter_kind, 'anonymous');
  assert.equal(r.reporter_account_id, null);
  assert.equal(r.contact, '이웃주민 010-2222-3333');
  assert.equal(r.dong_id, dongs['느티동']);
  assert.equal(found.household.dong.id, dongs['느티동']);

  // "다른 이웃 제보하기" starts an empty form.
  await page.getByRole('button', { name: '다른 이웃 제보하기' }).click();
  await page.locator('.report-form').waitFor();
  assert.equal(await page.locator('#report-address').inputValue(), '');
  assert.equal(await page.locator('#report-concern').inputValue(), '');
  assertClean(problems, 'anonymous report');
  await context.close();
});

test('missing and invalid fields: the error summary at the top and a message next to each field; nothing is filed', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  const posts = [];
  page.on('request', (req) => { if (req.method() === 'POST' && req.url().endsWith('/api/v1/outreach/reports')) posts.push(req); });
  const admin = await loginAs(server, 'district_admin');
  const before = (await call(server, 'GET', '/api/v1/outreach/queue', { session: admin })).json.counts;
  await goto(page, `${server.url}/report`);
  await page.locator('.report-form').waitFor();

  // Nothing but a phone number: address or place, what was seen, and the consent are missing.
  await page.locator('#report-contact').fill('010-2222-3333');
  await page.getByRole('button', { name: '제보하기', exact: true }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true, 'focus on the summary');
  await summary.getByRole('heading', { name: '입력한 내용을 확인해 주세요' }).waitFor();
  const links = await summary.locator('a').allTextContents();
  assert.deepEqual(links, [
    '주소나 장소 설명 중 하나를 적어 주세요.',
    '보신 내용을 적어 주세요.',
    '연락처를 남기시려면 동의에 표시해 주세요. 남기지 않으려면 이름과 전화번호를 지워 주세요.',
  ]);
  assert.ok((await summary.boundingBox()).y < (await page.locator('.report-emergency').boundingBox()).y, 'the summary is at the top');
  for (const [field, message] of [['address', links[0]], ['concern', links[1]], ['contact_consent', links[2]]]) {
    const input = page.locator(`#report-${field}`);
    assert.equal(await input.getAttribute('aria-invalid'), 'true', field);
    assert.equal(await page.locator(`#report-${field}-error`).textContent(), message);
    assert.match(await input.getAttribute('aria-describedby'), new RegExp(`report-${field}-error`));
  }
  assert.equal(posts.length, 0, 'nothing sent while the form itself finds gaps');
  await page.screenshot({ path: '/tmp/report-errors-1280.png', fullPage: true });
  await expectNoSerious(page, '/report with errors');
  // A link in the summary takes the keyboard to its field.
  await summary.getByRole('link', { name: '보신 내용을 적어 주세요.' }).click();
  assert.equal(await focusedId(page), 'report-concern');

  // The server's checks show the same way: a phone number that is not one.
  await page.locator('#report-place').fill(`솔내역 2번 출구 앞 벤치 ${stamp}`);
  await page.locator('#report-concern').fill('며칠째 같은 분이 주무십니다.');
  await page.locator('label[for=report-contact_consent]').click();
  await page.locator('#report-subject_phone').fill('12345');
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/outreach/reports'));
  await page.getByRole('button', { name: '제보하기', exact: true }).click();
  const res = await answer;
  assert.equal(res.status(), 422);
  assert.match(res.headers()['content-type'], /^application\/problem\+json/);
  assert.deepEqual((await res.json()).errors.map((e) => e.field), ['subject_phone']);
  await summary.locator('a', { hasText: '도움이 필요한 분의 전화번호를 확인해 주세요.' }).waitFor();
  assert.equal(await summary.locator('li').count(), 1, 'only the server\'s complaint is left');
  assert.equal(await page.locator('#report-subject_phone').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#report-subject_phone-error').textContent(), /도움이 필요한 분의 전화번호를 확인해 주세요/);
  assert.equal(await page.locator('#report-address').getAttribute('aria-invalid'), null, 'fixed fields are no longer marked');
  assert.equal(await page.locator('#report-place').inputValue(), `솔내역 2번 출구 앞 벤치 ${stamp}`, 'what was typed stays');
  await page.screenshot({ path: '/tmp/report-server-error-1280.png', fullPage: true });
  await expectNoSerious(page, '/report with a server error');
  const after = (await call(server, 'GET', '/api/v1/outreach/queue', { session: admin })).json.counts;
  assert.deepEqual(after, before, 'nothing filed');

  // Corrected, it goes through.
  await page.locator('#report-subject_phone').fill('02-123-4567');
  await page.getByRole('button', { name: '제보하기', exact: true }).click();
  await page.locator('[data-field=receipt-no]').waitFor();
  assert.equal(await page.locator('.error-summary').count(), 0);
  assertClean(problems, 'errors');
  await context.close();
});

test('a gatekeeper reports logged in and follows it in 내 제보: the stage, nothing about the household', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await loginThroughForm(page, server.url, server.account('gatekeeper'));
  // No reports yet: the empty list says so and leads to the form.
  await goto(page, `${server.url}/me/reports`);
  await page.getByRole('heading', { level: 1, name: '내 제보' }).waitFor();
  const empty = page.locator('.myreports-empty');
  await empty.getByText('아직 제보한 내용이 없습니다.').waitFor();
  await page.screenshot({ path: '/tmp/report-mine-empty-1280.png', fullPage: true });
  await empty.getByRole('link', { name: '위기이웃 제보하기' }).click();
  await page.waitForURL(`${server.url}/report`);
  await page.locator('[data-field=report-who]', { hasText: '정우체님 계정으로 제보합니다' }).waitFor();

  const place = `은행동 경로당 옆 반지하 ${stamp}`;
  const concern = `검침 때 보니 난방이 꺼져 있고 인기척이 없습니다. 표식${stamp}`;
  await page.getByLabel('동 (선택)').selectOption({ label: '은행동' });
  await page.locator('.report-urgency.is-urgent .report-urgency-desc').click(); // the card, not only its label, chooses 긴급
  assert.equal(await page.locator('#report-urgency').isChecked(), true);
  await page.locator('label[for=report-sign-utility_cutoff]').click();
  const no = await fileReport(page, { place, concern });
  assert.match(no, RECEIPT);
  const receipt = await page.locator('.report-receipt').textContent();
  assert.match(receipt, /24시간 안에 도움이 필요한 분께 연락하거나 찾아갑니다/);
  assert.match(receipt, /처리 상황은 ‘내 제보’에서 볼 수 있습니다/);
  await page.screenshot({ path: '/tmp/report-receipt-gatekeeper-1280.png', fullPage: true });

  // Filed under the gatekeeper's name.
  const cw = await loginAs(server, 'caseworker');
  const found = await onFile(cw, no);
  assert.ok(found, 'the caseworker of 은행동 has it in the queue');
  assert.equal(found.report.reporter_kind, 'gatekeeper');
  assert.equal(found.report.reporter_account_id, server.account('gatekeeper').account_id);
  assert.equal(found.report.place, place);
  assert.equal(found.report.urgency, 'urgent');

  // 내 제보: date, receipt, stage.
  await page.locator('.report-receipt').getByRole('link', { name: '내 제보 보기' }).click();
  await page.waitForURL(`${server.url}/me/reports`);
  const item = page.locator(`.myreports-item[data-receipt="${no}"]`);
  await item.waitFor();
  assert.equal(await page.locator('.myreports-item').count(), 1);
  await page.locator('[data-field=myreports-total]', { hasText: '전체 1건' }).waitFor();
  await item.getByRole('heading', { name: `접수번호 ${no}` }).waitFor();
  assert.equal(await item.locator('[data-field=status]').textContent(), '접수됨');
  const itemText = await item.textContent();
  assert.match(itemText, /긴급/);
  assert.match(itemText, /은행동/);
  assert.match(itemText, /누리집/);
  assert.match(itemText, /\d{4}년 \d{1,2}월 \d{1,2}일/, 'the date');
  const pageText = await page.locator('main').textContent();
  assert.ok(!pageText.includes(place) && !pageText.includes(concern) && !pageText.includes('난방'), 'no place or concern shown');
  assert.match(pageText, /주소, 제보 내용, 지원 결과는 보여 드리지 않습니다/);
  await page.screenshot({ path: '/tmp/report-mine-1280.png', fullPage: true });

  // An official takes the household on: the gatekeeper sees "확인 중", and still nothing else.
  const assign = await call(server, 'POST', `/api/v1/outreach/households/${found.household.id}/assign`, { session: cw, body: { account_id: cw.account.id } });
  assert.equal(assign.status, 200, assign.text);
  await page.reload();
  await item.locator('[data-field=status]', { hasText: '확인 중' }).waitFor();
  assert.match(await item.textContent(), /담당 공무원이 맡아 살펴보고 있습니다/);
  const close = await call(server, 'POST', `/api/v1/outreach/households/${found.household.id}/close`, { session: cw, body: { outcome: 'public_benefit', note: '긴급복지 생계지원 연계' } });
  assert.equal(close.status, 200, close.text);
  await page.reload();
  await item.locator('[data-field=status]', { hasText: '처리 끝남' }).waitFor();
  const closedText = await page.locator('main').textContent();
  assert.ok(!closedText.includes('긴급복지') && !closedText.includes('공적 급여'), 'no outcome or note');
  assertClean(problems, 'gatekeeper');
  await context.close();
});

test('logged out, 내 제보 asks to log in and comes back after', async () => {
  const { page, context, problems } = await openPage(browser, { width: 360, height: 800 });
  await goto(page, `${server.url}/me/reports`);
  await page.getByRole('heading', { level: 1, name: '내 제보' }).waitFor();
  await page.getByText('내 제보를 보려면 로그인해 주세요.').waitFor();
  const login = page.locator('main').getByRole('link', { name: '로그인' });
  assert.equal(await login.getAttribute('href'), '/login?next=%2Fme%2Freports');
  await expectNoOverflow(page, '/me/reports logged out 360');
  await login.click();
  const a = server.account('resident');
  await page.getByLabel('이메일 또는 휴대전화번호').fill(a.login);
  await page.getByLabel('비밀번호', { exact: true }).fill(a.password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL(`${server.url}/me/reports`);
  await page.locator('.myreports-empty').waitFor();
  assertClean(problems, 'logged out');
  await context.close();
});

test('axe-core at 1280 and 360 px and in high contrast; nothing scrolls sideways at 360 px, even with the largest text', async () => {
  for (const width of [1280, 360]) {
    const anon = await openPage(browser, { width, height: 800 });
    const gk = await openPage(browser, { width, height: 800 });
    await loginThroughForm(gk.page, server.url, server.account('gatekeeper'));
    // [name, page, path, what to do once it has loaded]
    const views = [
      ['form', anon.page, '/report', async (p) => { await p.locator('#report-signs').waitFor(); }],
      ['errors', anon.page, '/report', async (p) => {
        await p.locator('#report-signs').waitFor();
        await p.getByRole('button', { name: '제보하기', exact: true }).click();
        await p.locator('.error-summary').waitFor();
      }],
      ['mine-anon', anon.page, '/me/reports', async (p) => { await p.getByText('내 제보를 보려면 로그인해 주세요.').waitFor(); }],
      ['form-user', gk.page, '/report', async (p) => { await p.locator('#report-signs').waitFor(); }],
      ['receipt', gk.page, '/report', async (p) => {
        await p.locator('#report-signs').waitFor();
        await p.locator('label[for=report-urgency-normal]').click();
        await fileReport(p, { place: `한빛시장 입구 ${stamp}`, concern: '할머니 한 분이 며칠째 같은 옷으로 앉아 계십니다.' });
      }],
      ['mine', gk.page, '/me/reports', async (p) => { await p.locator('.myreports-item').first().waitFor(); }],
    ];
    const run = async (mode) => {
      for (const [name, page, path, ready] of views) {
        await goto(page, `${server.url}${path}`);
        await ready(page);
        const label = `${name} ${width}${mode ? ' ' + mode : ''}`;
        if (mode !== 'xl') await expectNoSerious(page, label);
        if (width === 360) await expectNoOverflow(page, label);
        await page.screenshot({ path: `/tmp/report-${name}-${width}${mode ? '-' + mode : ''}.png`, fullPage: true });
      }
    };
    await run('');
    for (const { page } of [anon, gk]) await page.evaluate(() => localStorage.setItem('dure.highContrast', '1'));
    await run('contrast');
    for (const { page } of [anon, gk]) await page.evaluate(() => localStorage.setItem('dure.highContrast', '0'));
    if (width === 360) {
      for (const { page } of [anon, gk]) await page.evaluate(() => localStorage.setItem('dure.textSize', 'xl'));
      await run('xl');
      assert.equal(await gk.page.evaluate(() => document.documentElement.dataset.textSize), 'xl');
    }
    assertClean(anon.problems, `anonymous ${width}`);
    assertClean(gk.problems, `gatekeeper ${width}`);
    await anon.context.close();
    await gk.context.close();
  }
});

// The web client sends one Idempotency-Key per submission (web/src/api.ts, Submission): when the
// answer is lost after the server filed the report, sending the same form again replays the first
// answer (same receipt, nothing filed twice); the next report is a new submission with a new key.
test('a report sent again after a lost answer keeps its Idempotency-Key: one report, the same receipt', async () => {
  const { page, context, problems } = await openPage(browser, { width: 360, height: 800 });
  await goto(page, `${server.url}/report`);
  const keys = [];
  let firstReceipt = null;
  await page.route('**/api/v1/outreach/reports', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    const res = await route.fetch();  // the server files it either way
    if (firstReceipt === null) {
      firstReceipt = (await res.json()).receipt_no;
      await route.abort('connectionreset');  // ... but the answer never arrives
      return;
    }
    await route.fulfill({ response: res });
  });
  await page.locator('#report-place').fill(`놀이터 ${stamp} 재전송`);
  await page.locator('#report-concern').fill(`답을 받지 못해 다시 보낸 제보 ${stamp}`);
  await page.getByRole('button', { name: '제보하기', exact: true }).click();
  await page.locator('.error-summary', { hasText: '서버에 연결하지 못했습니다' }).waitFor();
  await page.getByRole('button', { name: '제보하기', exact: true }).click();
  const no = page.locator('[data-field=receipt-no]');
  await no.waitFor();
  assert.match(firstReceipt, RECEIPT);
  assert.equal((await no.textContent()).trim(), firstReceipt, 'the replay answers with the first receipt');
  assert.equal(keys.length, 2);
  assert.match(keys[0] || '', /^[0-9a-f-]{32,36}$/, `an Idempotency-Key: ${keys[0]}`);
  assert.equal(keys[1], keys[0], 'the same submission keeps its key');

  // The next report is a new submission.
  await page.getByRole('button', { name: '다른 이웃 제보하기' }).click();
  await page.locator('#report-place').fill(`놀이터 ${stamp} 두 번째`);
  await page.locator('#report-concern').fill(`두 번째 제보 ${stamp}`);
  await page.getByRole('button', { name: '제보하기', exact: true }).click();
  await page.locator('[data-field=receipt-no]').waitFor();
  assert.equal(keys.length, 3);
  assert.notEqual(keys[2], keys[0], 'a new submission, a new key');
  assert.notEqual((await page.locator('[data-field=receipt-no]').textContent()).trim(), firstReceipt);
  assertClean(problems, 'resubmit');
  await context.close();
});
