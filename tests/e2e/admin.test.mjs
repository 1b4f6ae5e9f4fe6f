// A district administrator grants and revokes a role through /admin; others get a polite 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, openPage, goto, loginThroughForm, assertClean } from './_browser.mjs';

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

async function grantsOf(page, login) {
  // The login goes in a POST body, never in a URL (docs/privacy.md).
  const csrf = (await (await page.request.get(`${server.url}/api/v1/me`)).json()).csrf_token;
  const r = await page.request.post(`${server.url}/api/v1/admin/accounts/search`, { data: { q: login }, headers: { 'X-CSRF-Token': csrf } });
  assert.equal(r.status(), 200, `admin lookup: ${await r.text()}`);
  const body = await r.json();
  assert.equal(body.items.length, 1, `exactly one account for ${login}: ${JSON.stringify(body)}`);
  return body.items[0].roles;
}

test('district_admin finds an account, grants a role and revokes it', async () => {
  const admin = server.account('district_admin');
  assert.ok(admin, 'demo has a district_admin account');
  const target = server.account('resident');
  assert.ok(target, 'demo has a resident account');
  const { page, context, problems } = await openPage(browser);
  await loginThroughForm(page, server.url, admin);

  const nav = page.getByRole('navigation', { name: '사용자 메뉴' });
  await nav.getByRole('link', { name: '권한 관리' }).click();
  await page.waitForURL(`${server.url}/admin`);
  await page.getByRole('heading', { level: 1, name: '권한 관리' }).waitFor();

  await page.getByRole('searchbox', { name: /전자우편 또는 휴대전화번호/ }).fill(target.login);
  await page.getByRole('button', { name: '찾기' }).click();
  const card = page.locator('.account-card');
  await page.waitForFunction(() => document.querySelectorAll('.account-card').length === 1);
  assert.match(await card.textContent(), new RegExp(target.login.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

  const before = await grantsOf(page, target.login);
  assert.ok(!before.some((g) => g.role === 'volunteer'), 'resident starts without volunteer');

  await card.getByRole('button', { name: /역할 주기/ }).click();
  const form = page.locator('.grant-panel');
  await form.getByLabel('역할').selectOption('volunteer');
  const kind = form.getByLabel('범위 종류');
  const kinds = await kind.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(kinds.length >= 1, 'scope kinds come from /api/v1/roles');
  const chosenKind = kinds.includes('dong') ? 'dong' : kinds[0];
  await kind.selectOption(chosenKind);
  const scope = form.getByLabel('범위', { exact: true });
  const scopes = await scope.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(scopes.length >= 1, `scopes listed for ${chosenKind} from /api/v1/districts`);
  await scope.selectOption(scopes[0]);
  await form.getByRole('button', { name: '역할 주기' }).click();

  const status = page.locator('.status-message');
  await page.waitForFunction(() => /주었습니다/.test(document.querySelector('.status-message')?.textContent || ''));
  assert.match(await status.textContent(), /자원봉사|volunteer/i);
  const afterGrant = await grantsOf(page, target.login);
  const grant = afterGrant.find((g) => g.role === 'volunteer');
  assert.ok(grant, `server holds the new grant: ${JSON.stringify(afterGrant)}`);
  assert.equal(grant.scope_kind, chosenKind);
  assert.equal(String(grant.scope_id), scopes[0]);
  // The card shows it with a revoke button.
  const revoke = card.getByRole('button', { name: /거두기/ }).filter({ hasText: '거두기' });
  const revokeCount = await revoke.count();
  assert.equal(revokeCount, afterGrant.length, 'one revoke button per grant');

  const volunteerRevoke = card.locator('.role-item', { hasText: /자원봉사|volunteer/i }).getByRole('button');
  await volunteerRevoke.click();
  await page.waitForFunction(() => /거두었습니다/.test(document.querySelector('.status-message')?.textContent || ''));
  const afterRevoke = await grantsOf(page, target.login);
  assert.ok(!afterRevoke.some((g) => g.role === 'volunteer'), `grant revoked on the server: ${JSON.stringify(afterRevoke)}`);
  assert.equal(await card.locator('.role-item', { hasText: /자원봉사|volunteer/i }).count(), 0, 'card no longer lists it');
  assertClean(problems, 'admin');
  await context.close();
});

test('a resident opening /admin sees a polite 403 message, not the console', async () => {
  const resident = server.account('resident');
  const { page, context, problems } = await openPage(browser);
  await loginThroughForm(page, server.url, resident);
  await goto(page, `${server.url}/admin`);
  await page.getByRole('heading', { level: 1, name: '이 화면을 볼 권한이 없습니다' }).waitFor();
  assert.equal(await page.locator('.account-card').count(), 0);
  assert.equal(await page.getByRole('navigation', { name: '사용자 메뉴' }).getByRole('link', { name: '권한 관리' }).count(), 0);
  assertClean(problems, 'admin 403');
  await context.close();
});

test('logged out, /admin asks to log in', async () => {
  const { page, context } = await openPage(browser);
  await goto(page, `${server.url}/admin`);
  await page.getByText('구청 관리자 계정으로 로그인해 주세요').waitFor();
  await context.close();
});
