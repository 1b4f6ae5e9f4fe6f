// Language, text size, high contrast, skip link and narrow screens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, openPage, goto, loginThroughForm, horizontalOverflow, assertClean } from './_browser.mjs';

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

test('switching to English changes the text and <html lang>, and is remembered', async () => {
  const { page, context, problems } = await openPage(browser);
  await goto(page, `${server.url}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  assert.match(await page.locator('h1').textContent(), /함께 돌보는 우리 동네 복지/);
  await page.getByText('이 누리집은 대한민국 공식 전자정부 누리집입니다.').waitFor();

  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.locator('h1').textContent(), /Neighbourhood welfare/);
  assert.doesNotMatch(await page.locator('h1').textContent(), /함께 돌보는/);
  const nav = page.getByRole('navigation', { name: 'User menu' });
  await nav.getByRole('link', { name: 'Log in' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');

  await page.reload();
  await nav.getByRole('link', { name: 'Log in' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'language persists across reloads');

  await page.getByRole('button', { name: '한국어' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  await page.getByRole('navigation', { name: '사용자 메뉴' }).getByRole('link', { name: '로그인' }).waitFor();
  assertClean(problems, 'language');
  await context.close();
});

test('text size control enlarges the root font size and the page text', async () => {
  const { page, context, problems } = await openPage(browser);
  await goto(page, `${server.url}/`);
  const sizes = () => page.evaluate(() => ({
    root: parseFloat(getComputedStyle(document.documentElement).fontSize),
    lead: parseFloat(getComputedStyle(document.querySelector('.hero-lead')).fontSize),
  }));
  const normal = await sizes();
  await page.getByRole('button', { name: '크게', exact: true }).click();
  const large = await sizes();
  assert.ok(large.root > normal.root, `root font grows: ${normal.root} -> ${large.root}`);
  assert.ok(large.lead > normal.lead, `body text grows: ${normal.lead} -> ${large.lead}`);
  await page.getByRole('button', { name: '아주 크게' }).click();
  const xl = await sizes();
  assert.ok(xl.root > large.root, `아주 크게 is bigger still: ${large.root} -> ${xl.root}`);
  assert.equal(await page.getByRole('button', { name: '아주 크게' }).getAttribute('aria-pressed'), 'true');
  await page.reload();
  await page.locator('.hero-lead').waitFor();
  assert.equal((await sizes()).root, xl.root, 'text size persists across reloads');
  await page.getByRole('button', { name: '작게' }).click();
  assert.ok((await sizes()).root < normal.root, '작게 is smaller than 보통');
  assertClean(problems, 'text size');
  await context.close();
});

test('high-contrast mode switches KRDS to its high-contrast palette and persists', async () => {
  const { page, context, problems } = await openPage(browser);
  await goto(page, `${server.url}/`);
  const colours = () => page.evaluate(() => ({
    mode: document.documentElement.getAttribute('data-krds-mode'),
    bg: getComputedStyle(document.body).backgroundColor,
    text: getComputedStyle(document.body).color,
  }));
  const light = await colours();
  assert.equal(light.mode, null);
  const toggle = page.getByRole('button', { name: '고대비' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  const dark = await colours();
  assert.equal(dark.mode, 'high-contrast');
  assert.notEqual(dark.bg, light.bg, 'background changes');
  const lum = (c) => { const [r, g, b] = c.match(/\d+/g).map(Number); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  assert.ok(lum(dark.bg) < 60 && lum(dark.text) > 200, `light text on a dark background: ${JSON.stringify(dark)}`);
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await page.reload();
  await page.locator('h1').waitFor();
  assert.equal((await colours()).mode, 'high-contrast', 'persists across reloads');
  assertClean(problems, 'high contrast');
  await context.close();
});

test('keyboard: the first Tab reaches 본문 바로가기, which moves focus to main', async () => {
  const { page, context } = await openPage(browser);
  for (const path of ['/', '/signup', '/login']) {
    await goto(page, `${server.url}${path}`);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => ({
      text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href'),
      visible: (() => { const r = document.activeElement.getBoundingClientRect(); return r.width > 1 && r.height > 1 && r.bottom > 0 && r.top < innerHeight; })(),
    }));
    assert.equal(first.text, '본문 바로가기', `${path}: first Tab stop`);
    assert.equal(first.href, '#main');
    assert.ok(first.visible, `${path}: skip link is visible when focused`);
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => document.activeElement.id);
    assert.equal(focused, 'main', `${path}: focus moved to main`);
    // The next Tab continues inside main, past the header.
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => !!document.activeElement.closest('main'));
    assert.ok(inMain, `${path}: next Tab stays in main`);
  }
  await context.close();
});

test('at 360 px wide no page scrolls sideways', async () => {
  const { page, context, problems } = await openPage(browser, { width: 360, height: 740 });
  const check = async (path, label = path) => {
    await goto(page, `${server.url}${path}`);
    const o = await horizontalOverflow(page);
    assert.ok(o.scrollWidth <= o.viewport, `${label}: scrollWidth ${o.scrollWidth} > ${o.viewport}: ${o.offenders.join(', ')}`);
    assert.deepEqual(o.offenders, [], `${label}: elements past the right edge`);
  };
  for (const p of ['/', '/signup', '/login', '/admin', '/me']) await check(p);
  // On a phone the language, size and contrast controls fold behind 화면 설정 in the header row.
  await goto(page, `${server.url}/`);
  assert.equal(await page.getByRole('button', { name: 'English' }).isVisible(), false, 'language switch folded');
  assert.equal(await page.getByRole('button', { name: '아주 크게' }).isVisible(), false, 'size buttons folded');
  const toggle = page.getByRole('button', { name: '화면 설정' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.ok(await page.getByRole('button', { name: 'English' }).isVisible(), 'language switch in the panel');
  // The biggest text size at 360 px must still fit.
  await page.getByRole('button', { name: '아주 크게' }).click();
  assert.ok(parseFloat(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)) > 10, 'root font grew');
  await check('/', '/ at 아주 크게');
  await check('/signup', '/signup at 아주 크게');
  await page.getByRole('button', { name: '화면 설정' }).click();
  await page.getByRole('button', { name: '보통' }).click();
  await loginThroughForm(page, server.url, server.account('district_admin'));
  await check('/me', '/me as district_admin');
  await check('/admin', '/admin as district_admin');
  await page.locator('.account-card .grant-btn').first().click();
  const o = await horizontalOverflow(page);
  assert.deepEqual(o.offenders, [], `/admin grant form: ${o.offenders.join(', ')}`);
  assertClean(problems, '360px');
  await context.close();
});
