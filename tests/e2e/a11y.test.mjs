// axe-core on every page: no serious or critical violations, in light and high-contrast modes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, openPage, goto, loginThroughForm, seriousViolations, formatViolations, expectNoSerious } from './_browser.mjs';

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

test('logged-out pages have no serious axe violations', async () => {
  const { page, context } = await openPage(browser);
  for (const path of ['/', '/signup', '/login', '/me', '/admin', '/privacy', '/no-such-page']) {
    await goto(page, `${server.url}${path}`);
    await expectNoSerious(page, path);
  }
  // A form showing errors.
  await goto(page, `${server.url}/signup`);
  await page.getByRole('button', { name: '가입하기' }).click();
  await page.locator('.error-summary').waitFor();
  await expectNoSerious(page, '/signup with errors');
  await context.close();
});

test('high-contrast home, signup and English home have no serious axe violations', async () => {
  const { page, context } = await openPage(browser);
  await goto(page, `${server.url}/`);
  await page.getByRole('button', { name: '고대비' }).click();
  await page.waitForFunction(() => document.documentElement.getAttribute('data-krds-mode') === 'high-contrast');
  await expectNoSerious(page, '/ high contrast');
  await goto(page, `${server.url}/signup`);
  await expectNoSerious(page, '/signup high contrast');
  await page.getByRole('button', { name: '고대비' }).click();
  await page.getByRole('button', { name: 'English' }).click();
  await expectNoSerious(page, '/ English');
  await context.close();
});

test('logged-in pages (마이페이지, 권한 관리 with grant form) have no serious axe violations', async () => {
  const { page, context } = await openPage(browser);
  await loginThroughForm(page, server.url, server.account('district_admin'));
  await expectNoSerious(page, '/me as district_admin');
  await goto(page, `${server.url}/admin`);
  await page.locator('.account-card').first().waitFor();
  await expectNoSerious(page, '/admin');
  await page.locator('.account-card .grant-btn').first().click();
  await page.locator('.grant-panel').waitFor();
  await expectNoSerious(page, '/admin grant form');
  await page.getByRole('button', { name: '고대비' }).click();
  await expectNoSerious(page, '/admin high contrast');
  await context.close();

  const resident = await openPage(browser);
  await loginThroughForm(resident.page, server.url, server.account('resident'));
  await goto(resident.page, `${server.url}/admin`);
  await expectNoSerious(resident.page, '/admin 403 as resident');
  await resident.context.close();
});
