// Sign-up like a Korean public site (issue 16): required terms and personal-data consents that say
// what is collected and why, and the person returns to the page they came from after sign-up or
// log-in; the phone number shows formatted on 마이페이지.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, openPage, goto, expectNoSerious, expectNoOverflow, assertClean } from './_browser.mjs';

let server;
let browser;
const uniq = `${Date.now()}${Math.floor(Math.random() * 1000)}`;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

for (const width of [1280, 360]) {
  test(`from a service list to sign-up and back, with consents, at ${width} px`, async () => {
    const { page, context, problems } = await openPage(browser, { width, height: width > 400 ? 900 : 740 });
    const from = `/services?q=${encodeURIComponent('기초연금')}`;
    await goto(page, `${server.url}${from}`);
    if (width < 400) await page.getByRole('button', { name: '전체 메뉴' }).click();
    await page.getByRole('navigation', { name: '사용자 메뉴' }).getByRole('link', { name: '로그인' }).click();
    await page.getByRole('heading', { level: 1, name: '로그인' }).waitFor();
    await page.locator('main').getByRole('link', { name: '회원가입' }).click();
    await page.getByRole('heading', { level: 1, name: '회원가입' }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('next'), from, 'the way back travels with the person');

    // The consents say what is collected, why, for how long, and what refusing means.
    await page.locator('label[for=signup-terms]', { hasText: '[필수] 이용약관에 동의합니다' }).waitFor();
    const privacy = page.locator('.signup-consent', { hasText: '[필수] 개인정보 수집·이용에 동의합니다' });
    await privacy.locator('summary').click();
    const text = await privacy.textContent();
    for (const want of ['수집 항목', '이름, 전자우편 주소 또는 휴대전화번호, 사는 구', '수집 목적', '보유 기간', '탈퇴할 때까지', '동의하지 않을 권리'])
      assert.ok(text.includes(want), `consent names ${want}`);
    await page.getByText('가구 정보 저장과 맞춤 알림은 선택입니다.', { exact: false }).waitFor();

    await page.locator('label[for=signup-method-phone]').click();
    const myPhone = `010${String(uniq).slice(-7)}${width > 400 ? '1' : '2'}`;
    await page.locator('#signup-phone').fill(myPhone);
    await page.getByLabel('이름').fill('정돌아옴');
    await page.getByLabel('비밀번호').fill('return-to-where-i-was-26');
    // Without the consents: named in the summary and at each box, no account made.
    await page.getByRole('button', { name: '가입하기' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.equal(await summary.getByRole('link').count(), 2, await summary.textContent());
    assert.equal(await page.locator('#signup-privacy').getAttribute('aria-invalid'), 'true');
    await expectNoSerious(page, `signup with consent errors ${width}`);
    if (width < 400) await expectNoOverflow(page, `signup ${width}`);
    await page.screenshot({ path: `/tmp/signup-${width}.png`, fullPage: true });
    await page.locator('label[for=signup-terms]').click();
    await page.locator('label[for=signup-privacy]').click();
    await page.getByRole('button', { name: '가입하기' }).click();
    await page.waitForURL(`${server.url}${from}`);
    await page.locator('main h1').first().waitFor();

    // 마이페이지 shows the number as people write it.
    await goto(page, `${server.url}/me`);
    const shown = (await page.locator('[data-field="phone"]').textContent()).trim();
    assert.equal(shown, `${myPhone.slice(0, 3)}-${myPhone.slice(3, 7)}-${myPhone.slice(7)}`);

    // 동의 내역: the server recorded both required consents, with the version shown and the day.
    const consents = page.locator('[data-field=my-consents]');
    await consents.locator('[data-consent=terms][data-given=yes]').waitFor();
    await consents.locator('[data-consent=privacy][data-given=yes]').waitFor();
    assert.match(await consents.locator('[data-consent=privacy]').textContent(), /\d{4}년 \d{1,2}월 \d{1,2}일 동의 · \d{4}-\d{2}-\d{2} 판/);
    assert.match(await consents.textContent(), /필수 동의는 회원 탈퇴로 철회합니다/);
    assert.equal(await consents.getByRole('button', { name: /동의 철회/ }).count(), 0, 'required consents have no withdraw button');

    // The optional alerts consent, given through the API as the alerts settings do, is withdrawn here.
    const put = await page.evaluate(async () => {
      const me = await (await fetch('/api/v1/me')).json();
      const r = await fetch('/api/v1/me/eligibility', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body: JSON.stringify({ alerts_consent: true }) });
      return r.status;
    });
    assert.equal(put, 200);
    await goto(page, `${server.url}/me`);
    await consents.locator('[data-consent=eligibility_alerts][data-given=yes]').waitFor();
    await expectNoSerious(page, `me consents ${width}`);
    if (width < 400) await expectNoOverflow(page, `me consents ${width}`);
    await page.screenshot({ path: `/tmp/signup-me-consents-${width}.png`, fullPage: true });
    await consents.getByRole('button', { name: /동의 철회.*맞춤 복지 알림/ }).click();
    await page.locator('.my-consents .status-message.is-visible', { hasText: '동의를 철회했습니다' }).waitFor();
    await consents.locator('[data-consent=eligibility_alerts][data-given=no]').waitFor();
    await consents.locator('summary', { hasText: '동의·철회 기록 (4건)' }).click();
    assert.match(await consents.locator('.consent-history').textContent(), /철회 \(마이페이지/);
    await page.screenshot({ path: `/tmp/signup-me-${width}.png` });
    assertClean(problems, `signup ${width}`);
    await context.close();
  });
}
