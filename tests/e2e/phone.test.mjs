// Phone first (issue 16): at 360 px, at every text size, every public page fits the screen, the
// header takes a small part of the first screen, the home search box shows without scrolling, and
// the menu sits behind a keyboard-usable menu button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, goto, horizontalOverflow, expectNoSerious, assertClean } from './_browser.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const SIZES = ['sm', 'md', 'lg', 'xl'];
const PHONE = { width: 360, height: 740 };

// A phone context whose stored text size is `size` before the app starts.
async function phone(size) {
  const context = await browser.newContext({ viewport: PHONE, locale: 'ko-KR', isMobile: true, hasTouch: true });
  await context.addInitScript((s) => { try { localStorage.setItem('dure.textSize', s); } catch { /* */ } }, size);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return { context, page, problems };
}

// Every public page, with one detail page of each kind found from its list.
async function publicPages(page) {
  const pages = ['/', '/services', '/services?q=%EA%B8%B0%EC%B4%88%EC%97%B0%EA%B8%88', '/eligibility', '/facilities',
    '/map', '/statistics', '/news', '/jobs', '/report', '/signup', '/login', '/privacy', '/accessibility', '/no-such-page'];
  const first = async (list, selector) => {
    await goto(page, `${server.url}${list}`);
    const link = page.locator(selector).first();
    await link.waitFor({ timeout: 15000 });
    return new URL(await link.getAttribute('href'), server.url).pathname;
  };
  pages.push(await first('/services', 'main a[href^="/services/"]'));
  pages.push(await first('/facilities', 'main a[href^="/facilities/"]'));
  pages.push(await first('/news', 'main a[href^="/news/"]'));
  return pages;
}

// Presses the text-size button of the header's 화면 설정 panel (the same button a person presses;
// clicked from the page so the many page × size combinations stay quick).
async function chooseSize(page, size) {
  await page.evaluate((s) => document.querySelector(`#display-settings-more button[data-size="${s}"]`).click(), size);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.textSize), size);
}

test('at 360 px and every text size no public page is wider than the screen', async () => {
  const { page, context, problems } = await phone('md');
  const pages = await publicPages(page);
  const failures = [];
  for (const p of pages) {
    await goto(page, `${server.url}${p}`);
    await page.locator('main h1').first().waitFor({ timeout: 15000 });
    await page.waitForLoadState('networkidle');
    for (const size of SIZES) {
      await chooseSize(page, size);
      const o = await horizontalOverflow(page);
      if (o.scrollWidth > PHONE.width || o.offenders.length) failures.push(`${p} at ${size}: ${o.scrollWidth}px; ${o.offenders.join(', ')}`);
    }
    await chooseSize(page, 'md');
  }
  assertClean(problems, 'pages at 360 px');
  await context.close();
  assert.deepEqual(failures, [], `pages wider than 360 px:\n${failures.join('\n')}`);
});

test('at 360 px the header is compact and the home search box is on the first screen at every text size', async () => {
  for (const size of SIZES) {
    const { page, context } = await phone(size);
    await goto(page, `${server.url}/`);
    const m = await page.evaluate(() => ({
      header: document.getElementById('krds-header').getBoundingClientRect().bottom,
      search: document.getElementById('home-q').getBoundingClientRect().bottom,
    }));
    assert.ok(m.header <= PHONE.height * 0.25, `${size}: header ends at ${Math.round(m.header)}px of ${PHONE.height}`);
    assert.ok(m.search <= PHONE.height, `${size}: home search box ends at ${Math.round(m.search)}px, below the first screen`);
    await context.close();
  }
});

test('at 360 px the main menu opens from a menu button, by keyboard, and closes with Escape', async () => {
  const { page, context, problems } = await phone('xl');
  await goto(page, `${server.url}/`);
  const menu = page.getByRole('button', { name: '전체 메뉴' });
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  const services = page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '복지서비스' });
  assert.equal(await services.isVisible(), false, 'menu links folded on a phone');
  await menu.focus();
  await page.keyboard.press('Enter');
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  assert.ok(await services.isVisible(), 'menu links shown');
  // The account links are in the opened menu too.
  assert.ok(await page.getByRole('navigation', { name: '사용자 메뉴' }).getByRole('link', { name: '로그인' }).isVisible());
  const o = await horizontalOverflow(page);
  assert.ok(o.scrollWidth <= PHONE.width, `open menu is ${o.scrollWidth}px wide: ${o.offenders.join(', ')}`);
  await expectNoSerious(page, 'open phone menu');
  await page.keyboard.press('Escape');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-controls')), 'site-menu', 'focus back on the menu button');
  // 화면 설정 is the other panel of the header row: opening it closes the menu.
  await page.keyboard.press('Enter');
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  const settings = page.getByRole('button', { name: '화면 설정' });
  await settings.click();
  assert.equal(await settings.getAttribute('aria-expanded'), 'true');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.ok(await page.getByRole('button', { name: '아주 크게' }).isVisible());
  assert.ok(await page.getByRole('button', { name: 'English' }).isVisible());
  await expectNoSerious(page, 'open phone settings');
  await page.keyboard.press('Escape');
  assert.equal(await settings.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.getByRole('button', { name: '아주 크게' }).isVisible(), false);
  // Following a link closes the menu.
  await menu.focus();
  await page.keyboard.press('Enter');
  await services.click();
  await page.waitForURL(`${server.url}/services`);
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.equal(await services.isVisible(), false);
  assertClean(problems, 'phone menu');
  await context.close();
});

test('at 1280 px the menu is shown in full and there is no menu button', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
  const page = await context.newPage();
  await goto(page, `${server.url}/`);
  assert.equal(await page.getByRole('button', { name: '전체 메뉴' }).isVisible(), false);
  assert.ok(await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '복지서비스' }).isVisible());
  assert.ok(await page.getByRole('button', { name: '아주 크게' }).isVisible());
  await context.close();
});

test('anonymous pages make no failed request; a member stays signed in across reloads and logs out', async () => {
  const context = await browser.newContext({ viewport: PHONE, locale: 'ko-KR' });
  const page = await context.newPage();
  const failed = [];
  const meCalls = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => failed.push(`failed ${r.url()}`));
  page.on('console', (m) => { if (m.type() === 'error') failed.push(`console: ${m.text()}`); });
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/me') meCalls.push(r.url()); });
  for (const p of ['/', '/services', '/facilities', '/eligibility', '/report', '/signup', '/login', '/privacy']) {
    await goto(page, `${server.url}${p}`);
    await page.waitForLoadState('networkidle');
  }
  assert.deepEqual(failed, [], 'no failed request or console error on anonymous pages');
  assert.deepEqual(meCalls, [], 'no /api/v1/me asked without a session');
  const { loginThroughForm } = await import('./_browser.mjs');
  await loginThroughForm(page, server.url, server.account('resident'));
  await page.reload();
  await page.getByRole('heading', { level: 1, name: '마이페이지' }).waitFor();
  assert.ok(meCalls.length > 0, 'a member is asked for');
  assert.equal(await page.locator('.user-nav .logout').count(), 1, 'still signed in after a reload');
  await page.getByRole('button', { name: '전체 메뉴' }).click();
  await page.getByRole('navigation', { name: '사용자 메뉴' }).getByRole('button', { name: '로그아웃' }).click();
  await page.waitForURL(`${server.url}/`);
  assert.equal(await page.evaluate(() => document.cookie.includes('dure_signed_in=1')), false, 'marker gone after logout');
  const before = meCalls.length;
  await goto(page, `${server.url}/services`);
  await page.waitForLoadState('networkidle');
  assert.equal(meCalls.length, before, 'no /me after logout');
  await context.close();
});
