// A finished site (issue 16): the district's name and emblem and its office in the footer come from
// the DURE_SITE_* settings; /privacy is a complete policy built from what the platform holds; the
// home page lists only working services and no administrator links for the public.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, openPage, goto, expectNoSerious, expectNoOverflow, assertClean } from './_browser.mjs';

let server;
let browser;
const SITE = {
  DURE_SITE_EMBLEM: '/emblems/hanbit.svg',
  DURE_SITE_OFFICE: '한빛구청 복지정책과',
  DURE_SITE_ADDRESS: '한빛구 한빛로 100 (우 04500)',
  DURE_SITE_PHONE: '0212345678',
  DURE_SITE_HOURS: '평일 09:00~18:00 (점심 12:00~13:00)',
  DURE_SITE_PRIVACY_OFFICER: '한빛구청 기획조정실장',
  DURE_SITE_PRIVACY_PHONE: '0212345600',
};

before(async () => {
  server = await startServer({ env: SITE });
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('GET /api/v1/site names the district from the table and the office from DURE_SITE_*', async () => {
  const r = await fetch(`${server.url}/api/v1/site`);
  assert.equal(r.status, 200);
  const s = await r.json();
  assert.equal(typeof s.district.name_ko, 'string');
  assert.ok(s.district.name_ko.length > 0);
  assert.equal(s.emblem, SITE.DURE_SITE_EMBLEM);
  assert.equal(s.office.phone, SITE.DURE_SITE_PHONE);
  assert.equal(s.office.email, null, 'an unset setting is null');
  assert.equal(s.privacy_officer.name, SITE.DURE_SITE_PRIVACY_OFFICER);
});

for (const width of [1280, 360]) {
  test(`header, footer, home and privacy policy at ${width} px`, async () => {
    const { page, context, problems } = await openPage(browser, { width, height: width > 400 ? 900 : 740 });
    const site = await (await fetch(`${server.url}/api/v1/site`)).json();
    const district = site.district.name_ko;
    await goto(page, `${server.url}/`);
    // Header: the emblem (loaded) and the district's name in the home link.
    const logo = page.locator('#krds-header .dure-logo a');
    await logo.locator('.logo-district', { hasText: district }).waitFor();
    await page.waitForFunction(() => { const i = document.querySelector('#krds-header .district-emblem'); return i && i.complete && i.naturalWidth > 0; });
    // Footer: office, address, formatted phone, hours; the placeholder text is gone.
    const footer = page.locator('#krds-footer');
    await footer.getByText(SITE.DURE_SITE_ADDRESS).waitFor();
    const text = await footer.textContent();
    for (const want of [SITE.DURE_SITE_OFFICE, '02-1234-5678', SITE.DURE_SITE_HOURS, district]) assert.ok(text.includes(want), `footer shows ${want}: ${text}`);
    assert.doesNotMatch(text, /연락처는 각 구청이 정합니다/);
    assert.equal(await footer.getByRole('link', { name: '02-1234-5678' }).getAttribute('href'), 'tel:0212345678');
    // Home: only what works; no administrator card or link for the public.
    const main = await page.locator('main').textContent();
    assert.doesNotMatch(main, /준비 중|준비하고 있는/);
    assert.equal(await page.locator('a[href="/admin"]').count(), 0, 'no /admin link for the public');
    await page.locator('main').getByRole('link', { name: '위기 이웃 알리기' }).waitFor();
    await expectNoSerious(page, `home ${width}`);
    if (width < 400) await expectNoOverflow(page, `home ${width}`);
    await page.screenshot({ path: `/tmp/site-home-${width}.png`, fullPage: true });

    // Privacy policy: every retention kind the server knows, the purposes, the officer, the remedies.
    const kinds = (await (await fetch(`${server.url}/api/v1/privacy/retention`)).json()).items;
    await goto(page, `${server.url}/privacy`);
    await page.getByRole('heading', { level: 1, name: '개인정보처리방침' }).waitFor();
    await page.locator('.policy-retention dt').nth(kinds.length - 1).waitFor();
    assert.equal(await page.locator('.policy-retention dt').count(), kinds.length, 'one row per kind of record kept');
    for (const k of kinds.slice(0, 3)) await page.locator('.policy-retention dt', { hasText: k.label_ko }).first().waitFor();
    for (const h of ['1. 처리 목적, 항목과 근거', '2. 보유 기간', '3. 제3자 제공', '6. 정보주체의 권리와 행사 방법', '8. 자동으로 수집하는 정보 (쿠키)', '9. 개인정보 보호책임자', '10. 권익침해 구제 방법']) {
      await page.getByRole('heading', { level: 2, name: h }).waitFor();
    }
    const policy = await page.locator('main').textContent();
    assert.ok(policy.includes(SITE.DURE_SITE_PRIVACY_OFFICER), 'the privacy officer from the settings');
    assert.ok(policy.includes('02-1234-5600'));
    assert.ok(policy.includes(district), 'the district is named as controller');
    assert.match(policy, /비밀번호/);
    await expectNoSerious(page, `privacy ${width}`);
    if (width < 400) await expectNoOverflow(page, `privacy ${width}`);
    await page.screenshot({ path: `/tmp/site-privacy-${width}.png`, fullPage: true });
    assertClean(problems, `site ${width}`);
    await context.close();
  });
}
