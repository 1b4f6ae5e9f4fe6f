// Residents sign up and log in through the real forms against a real `dure serve`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, openPage, goto, loginThroughForm, assertClean } from './_browser.mjs';

let server;
let browser;
const uniq = `${process.pid}${Date.now() % 100000}`;

before(async () => {
  // Strict failed-login limit for the "too many attempts" test (others start with generous ones).
  server = await startServer({ extraArgs: ['--limit-login', '5/300'] });
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('a new resident signs up through the form and lands on 마이페이지', async () => {
  const { page, context, problems } = await openPage(browser);
  const email = `e2e.resident.${uniq}@example.com`;
  await goto(page, `${server.url}/`);
  await page.getByRole('navigation', { name: '사용자 메뉴' }).getByRole('link', { name: '회원가입' }).click();
  await page.waitForURL(`${server.url}/signup`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '회원가입');

  await page.getByLabel('전자우편 주소').fill(email);
  await page.getByLabel('이름').fill('김두레');
  await page.getByLabel('비밀번호').fill('maple-tree-garden-2025');
  const district = page.getByLabel(/사는 구/);
  const options = await district.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, text: o.textContent })));
  assert.ok(options.length >= 2, `district select lists districts from the API: ${JSON.stringify(options)}`);
  await district.selectOption(options[1].value);
  // The two required consents, each with what it covers.
  await page.locator('label[for=signup-terms]').click();
  await page.locator('label[for=signup-privacy]').click();
  await page.getByRole('button', { name: '가입하기' }).click();

  await page.waitForURL(`${server.url}/me`);
  await page.getByRole('heading', { level: 1, name: '마이페이지' }).waitFor();
  assert.equal((await page.locator('[data-field="name"]').textContent()).trim(), '김두레');
  assert.equal((await page.locator('[data-field="email"]').textContent()).trim(), email);
  assert.equal((await page.locator('[data-field="district"]').textContent()).trim(), options[1].text.trim());
  // Header now offers 마이페이지 and 로그아웃 instead of 로그인/회원가입.
  const nav = page.getByRole('navigation', { name: '사용자 메뉴' });
  assert.equal(await nav.getByRole('link', { name: '로그인' }).count(), 0);
  await nav.getByRole('button', { name: '로그아웃' }).waitFor();
  assert.equal(await nav.getByRole('link', { name: '권한 관리' }).count(), 0, 'a resident sees no 권한 관리 link');

  // The session survives a reload (the CSRF token is re-fetched from /me) and logout works.
  await page.reload();
  await page.locator('[data-field="name"]').waitFor();
  await nav.getByRole('button', { name: '로그아웃' }).click();
  await page.waitForURL(`${server.url}/`);
  await nav.getByRole('link', { name: '로그인' }).waitFor();
  const me = await page.request.get(`${server.url}/api/v1/me`);
  assert.equal(me.status(), 401, 'logout ended the session on the server');
  assertClean(problems, 'signup');
  await context.close();
});

test('signup errors: a summary at the top and a message at each field', async () => {
  const { page, context, problems } = await openPage(browser);
  await goto(page, `${server.url}/signup`);

  // Empty form: every required field is named, the summary takes focus.
  await page.getByRole('button', { name: '가입하기' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.equal(await summary.getByRole('heading').textContent(), '입력한 내용을 확인해 주세요');
  assert.ok(await summary.evaluate((el) => el === document.activeElement), 'error summary receives focus');
  assert.equal(await summary.getByRole('link').count(), 5, 'e-mail, name, password and the two required consents are listed');
  assert.match(await summary.textContent(), /이용약관에 동의해 주세요.*개인정보 수집·이용에 동의해 주세요/);
  await page.locator('label[for=signup-terms]').click();
  await page.locator('label[for=signup-privacy]').click();

  // Too-short password is rejected by the server (422) and shown at the summary and at the field.
  await page.getByLabel('전자우편 주소').fill(`e2e.short.${uniq}@example.com`);
  await page.getByLabel('이름').fill('박짧은');
  await page.getByLabel('비밀번호').fill('short12');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/signup')),
    page.getByRole('button', { name: '가입하기' }).click(),
  ]);
  assert.equal(resp.status(), 422, 'server validates the password');
  await page.waitForFunction(() => document.querySelectorAll('.error-summary a').length === 1);
  const links = await summary.getByRole('link').allTextContents();
  assert.deepEqual(links.length, 1, `only the password is wrong: ${JSON.stringify(links)}`);
  const password = page.getByLabel('비밀번호');
  assert.equal(await password.getAttribute('aria-invalid'), 'true');
  const describedBy = (await password.getAttribute('aria-describedby')).split(' ');
  assert.ok(describedBy.includes('signup-password-error'), 'field error is tied to the input');
  const fieldMsg = (await page.locator('#signup-password-error').textContent()).trim();
  assert.ok(fieldMsg.length > 0, 'field-level message is shown');
  assert.equal(links[0].trim(), fieldMsg, 'summary repeats the field message');
  // The summary link moves focus to the field.
  await summary.getByRole('link').click();
  assert.ok(await password.evaluate((el) => el === document.activeElement), 'summary link focuses the password field');
  assert.equal(page.url(), `${server.url}/signup`, 'still on the signup page (no account made)');
  assertClean(problems, 'signup errors');
  await context.close();
});

test('login shows a clear message for a wrong password and works for a demo account', async () => {
  const { page, context, problems } = await openPage(browser);
  const account = server.account('resident') || server.accounts[0];
  await goto(page, `${server.url}/login`);
  await page.getByLabel('이메일 또는 휴대전화번호').fill(account.login);
  await page.getByLabel('비밀번호', { exact: true }).fill('definitely-not-the-password');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.locator('.error-summary').waitFor();
  const text = await page.locator('.error-summary').textContent();
  assert.match(text, /비밀번호가 맞지 않습니다/, `401 explained: ${text}`);
  assert.equal(page.url(), `${server.url}/login`);

  await loginThroughForm(page, server.url, account);
  const shown = [await page.locator('[data-field="email"]').textContent(), await page.locator('[data-field="phone"]').textContent()];
  const digits = (x) => (x.includes('@') ? x.trim() : x.replace(/\D/g, ''));
  assert.ok(shown.some((s) => digits(s) === digits(account.login)), `마이페이지 shows the login ${account.login}: ${shown}`);
  for (const s of shown) if (/^\s*01\d/.test(s)) assert.match(s.trim(), /^01\d-\d{3,4}-\d{4}$/, `phone shown formatted: ${s}`);
  const roles = await page.locator('.role-list .role-badge').allTextContents();
  assert.ok(roles.length >= 1, 'demo account shows its role');
  assert.ok(!roles.includes(account.role), `role names are translated, not raw ids: ${roles}`);
  assertClean(problems, 'login');
  await context.close();
});

test('repeated wrong passwords end in a clear "too many attempts" message (429)', async () => {
  const { page, context, problems } = await openPage(browser);
  const account = server.account('donor') || server.accounts[server.accounts.length - 1];
  await goto(page, `${server.url}/login`);
  let status = 0;
  for (let i = 0; i < 20 && status !== 429; i++) {
    await page.getByLabel('이메일 또는 휴대전화번호').fill(account.login);
    await page.getByLabel('비밀번호', { exact: true }).fill(`wrong-password-${i}`);
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
      page.getByRole('button', { name: '로그인', exact: true }).click(),
    ]);
    status = resp.status();
    assert.ok([401, 429].includes(status), `wrong password answered ${status}`);
    await page.locator('.error-summary').waitFor();
  }
  assert.equal(status, 429, 'the server throttles repeated failures');
  await page.waitForFunction(() => /너무 많습니다/.test(document.querySelector('.error-summary')?.textContent || ''));
  assert.equal(page.url(), `${server.url}/login`);
  assertClean(problems, '429');
  await context.close();
});
