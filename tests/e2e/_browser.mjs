// Shared browser helpers for the e2e tests: Debian's Chromium through playwright-core (no
// browser download), axe-core checks, and logging in through the real login form.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync'],
  });
}

// A fresh context (own cookies and localStorage) and page. `problems` collects uncaught page
// errors and CSP refusals so a test can assert the page ran cleanly.
export async function openPage(browser, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'ko-KR' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Refused to|Content Security Policy/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return { context, page, problems };
}

// Waits until the app has asked the server who is logged in (the header shows its menu).
export async function settled(page) {
  await page.waitForSelector('.user-nav a, .user-nav button', { state: 'attached', timeout: 30000 });
}

export async function goto(page, url) {
  await page.goto(url);
  await settled(page);
}

// Runs axe-core in the page. The script is evaluated through the DevTools protocol, so the
// page's CSP (no inline scripts) does not block it. Returns serious and critical violations.
export async function seriousViolations(page) {
  // Judge the resting state: pointer off the controls, CSS transitions finished.
  await page.mouse.move(0, 0);
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null))));
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\n').slice(0, 3).join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function formatViolations(vs) {
  return vs.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}

export async function loginThroughForm(page, base, account) {
  await goto(page, `${base}/login`);
  await page.getByLabel('이메일 또는 휴대전화번호').fill(account.login);
  await page.getByLabel('비밀번호', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL(`${base}/me`);
  await page.getByRole('heading', { level: 1, name: '마이페이지' }).waitFor();
}

export function assertClean(problems, label) {
  assert.deepEqual(problems, [], `${label}: page errors or CSP refusals`);
}

// Horizontal overflow check: the document must not be wider than the viewport.
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const offenders = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right > vw + 1 || r.left < -1)) {
        const cs = getComputedStyle(el);
        if (cs.position === 'absolute' && (cs.clip !== 'auto' || r.width <= 1)) continue; // sr-only
        offenders.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, viewport: vw, offenders: offenders.slice(0, 10) };
  });
}

// Fails the test with every serious or critical axe-core violation of the page, named.
export async function expectNoSerious(page, label) {
  const vs = await seriousViolations(page);
  assert.equal(vs.length, 0, `${label}: axe serious/critical violations:\n${formatViolations(vs)}`);
}

// Fails the test when the page scrolls sideways, naming the widest elements.
export async function expectNoOverflow(page, label) {
  const o = await horizontalOverflow(page);
  assert.ok(o.scrollWidth <= o.viewport, `${label}: page is ${o.scrollWidth}px wide in a ${o.viewport}px viewport: ${o.offenders.join(', ')}`);
}
