// 복지 현황 (map, statistics), 재정 공시, 소식 in the browser: the map draws one shape per dong and
// its table lists the same dongs, the legend follows the indicator, a dong is chosen by keyboard,
// the dashboard's charts have tables of the same numbers, officials upload CSV (errors by line),
// a disclosure shows its totals and its XLSX download answers, an official approves one, news
// and jobs render; axe-core and 360 px phones on every new page.
//
// These pages need the backend's map, statistics, disclosure, news and jobs routes. Each test
// first asks the server for the routes it uses and fails with a clear message when one is
// missing (a build/dure from before those routes), rather than skipping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  launchBrowser, openPage, goto, loginThroughForm, seriousViolations, formatViolations, horizontalOverflow, assertClean, expectNoSerious,
} from './_browser.mjs';

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

async function api(path) {
  const res = await fetch(server.url + path, { headers: { Accept: 'application/json' } });
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
}

// Fails (not skips) with a message naming the missing backend route.
async function requireRoutes(...paths) {
  for (const path of paths) {
    const res = await fetch(server.url + path, { headers: { Accept: 'application/json' } });
    await res.arrayBuffer();
    assert.notEqual(res.status, 404,
      `backend route GET ${path.split('?')[0]} answers 404: ${process.env.DURE_BIN || 'build/dure'} was built without it ` +
      `(the map/statistics/disclosure/news/jobs API of docs/api.md). Rebuild the server, or set DURE_BIN to one that has it.`);
    assert.equal(res.status, 200, `GET ${path} should answer 200`);
  }
}

async function mapReady(page) {
  await page.locator('.dong-map g.dong').first().waitFor({ timeout: 30000 });
  await page.locator('.stat-table tbody tr').first().waitFor();
}

let facilityCache;
async function elderCentre() {
  if (!facilityCache) {
    const r = await api('/api/v1/facilities?q=' + encodeURIComponent('한빛노인종합복지관'));
    facilityCache = r.items.find((f) => f.name === '한빛노인종합복지관');
    assert.ok(facilityCache, 'the demo has 한빛노인종합복지관');
  }
  return facilityCache;
}

test('the map draws one shape per dong, and the table below lists the same dongs', async () => {
  await requireRoutes('/api/v1/map/dongs', '/api/v1/statistics/indicators');
  const geo = await api('/api/v1/map/dongs');
  assert.ok(geo.features.length > 1, 'the demo district has dong boundaries');
  const { page, context, problems } = await openPage(browser);
  await goto(page, `${server.url}/map`);
  await page.getByRole('heading', { level: 1, name: '복지 현황 지도' }).waitFor();
  await mapReady(page);
  assert.equal(await page.locator('.dong-map g.dong').count(), geo.features.length, 'one shape per dong');
  assert.equal(await page.locator('.dong-map g.dong path.dong-edge').count(), geo.features.length);
  const table = page.getByRole('table', { name: /동별 .+ \(\d{4}년\)/ });
  const rows = (await table.locator('tbody th[scope=row]').allTextContents()).map((s) => s.trim());
  const names = geo.features.map((f) => f.properties.name_ko);
  assert.deepEqual([...rows].sort(), [...names].sort(), 'the table lists the dongs of the map');
  // Each shape is named for screen readers with its value; labels on the map show the same values.
  const first = page.locator('.dong-map g.dong').first();
  assert.match(await first.getAttribute('aria-label'), /: .*\d/);
  // Every shaded dong also carries a hatching or is class 1, and the legend lists the classes.
  const legendItems = await page.locator('.map-legend .legend-item').count();
  assert.ok(legendItems >= 2, 'legend has classes');
  assert.match(await page.locator('.legend-method').textContent(), /분위수/);
  assertClean(problems, '/map');
  await context.close();
});

test('switching the indicator changes the legend, the table and the address', async () => {
  await requireRoutes('/api/v1/statistics/indicators', '/api/v1/map/dongs');
  const { items } = await api('/api/v1/statistics/indicators');
  assert.ok(items.length >= 2, 'at least two indicators');
  const { page, context, problems } = await openPage(browser);
  await goto(page, `${server.url}/map`);
  await mapReady(page);
  const legendBefore = await page.locator('.map-legend').textContent();
  const captionBefore = await page.locator('.stat-table caption').textContent();
  const other = items.find((i) => i.unit !== items[0].unit) || items[1];
  await page.getByLabel('지표', { exact: true }).selectOption(other.code);
  await page.waitForURL((u) => new URL(u).searchParams.get('indicator') === other.code);
  await page.waitForFunction((before) => document.querySelector('.map-legend')?.textContent !== before, legendBefore);
  assert.notEqual(await page.locator('.map-legend').textContent(), legendBefore);
  assert.notEqual(await page.locator('.stat-table caption').textContent(), captionBefore);
  assert.match(await page.locator('.stat-table caption').textContent(), new RegExp(other.name_ko));
  // The legend's ranges match the server's class breaks for the new indicator.
  const stats = await api(`/api/v1/statistics?indicator=${other.code}`);
  assert.equal(await page.locator('.map-legend .legend-item').count(),
    stats.breaks.breaks.length - 1 + (stats.dongs.some((d) => d.value === null) ? 1 : 0));
  assertClean(problems, '/map indicator');
  await context.close();
});

test('a dong is chosen with the keyboard and its figures are shown', async () => {
  await requireRoutes('/api/v1/map/dongs', '/api/v1/statistics/indicators');
  const { page, context } = await openPage(browser);
  await goto(page, `${server.url}/map`);
  await mapReady(page);
  const dong = page.locator('.dong-map g.dong').first();
  const name = (await dong.getAttribute('aria-label')).split(':')[0];
  await dong.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => new URL(u).searchParams.has('dong'));
  await page.locator('#dong-panel-title', { hasText: name }).waitFor();
  assert.equal(await page.locator(`.dong-map g.dong[aria-pressed="true"]`).count(), 1);
  assert.match(await page.locator('.dong-figure').textContent(), /\d/);
  await page.locator('.mini-table tbody tr').first().waitFor();
  await context.close();
});

test('the dashboard shows cards and charts, each chart with a table of the same numbers', async () => {
  await requireRoutes('/api/v1/statistics/indicators', '/api/v1/statistics/series?indicator=aged_65_share');
  const { items } = await api('/api/v1/statistics/indicators');
  const { page, context, problems } = await openPage(browser);
  await goto(page, `${server.url}/statistics`);
  await page.getByRole('heading', { level: 1, name: '복지 통계' }).waitFor();
  await page.locator('.stat-card').first().waitFor({ timeout: 30000 });
  assert.equal(await page.locator('.stat-card').count(), items.length, 'one card per indicator');
  await page.locator('canvas[role="img"]').nth(1).waitFor();
  const charts = page.locator('canvas[role="img"]');
  assert.equal(await charts.count(), 2, 'a bar chart and a line chart');
  for (let i = 0; i < 2; i++) {
    const c = charts.nth(i);
    assert.match(await c.getAttribute('aria-label'), /그래프/);
    const alt = await c.getAttribute('aria-describedby');
    assert.ok(alt, 'the chart points at its table');
    const tbl = page.locator(`#${alt} table`);
    assert.equal(await tbl.count(), 1, 'table alternative exists');
    assert.ok(await tbl.isVisible(), 'table alternative is visible');
    assert.ok(await tbl.locator('tbody tr').count() > 1);
    // Chart.js drew something.
    assert.ok(await c.evaluate((el) => el.width > 0 && el.height > 0));
  }
  const stats = await api(`/api/v1/statistics?indicator=${items[0].code}`);
  assert.equal(await page.locator('#bar-table tbody tr').count(), stats.dongs.length);
  // Residents see no upload form.
  assert.equal(await page.getByRole('heading', { name: /통계 올리기/ }).count(), 0);
  assertClean(problems, '/statistics');
  await context.close();
});

test('an official uploads statistics: errors are listed by line, then a good file goes in', async () => {
  await requireRoutes('/api/v1/statistics/indicators');
  const { page, context, problems } = await openPage(browser);
  await loginThroughForm(page, server.url, server.account('district_admin'));
  await goto(page, `${server.url}/statistics`);
  const form = page.locator('.upload-panel');
  await form.waitFor({ timeout: 30000 });
  const bad = 'indicator,dong,year,value\naged_65_share,은행동,2025,abc\nno_such,은행동,2025,3\naged_65_share,없는동,2025,4\n';
  await page.getByLabel('CSV 파일').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await form.getByRole('button', { name: '올리기' }).click();
  const summary = form.locator('.error-summary');
  await summary.waitFor();
  const text = await summary.textContent();
  assert.match(text, /2번째 줄/);
  assert.match(text, /3번째 줄/);
  assert.match(text, /4번째 줄/);
  await expectNoSerious(page, '/statistics upload errors');

  const good = 'indicator,dong,year,value\naged_65_share,은행동,2025,24.1\n';
  await page.getByLabel('CSV 파일').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await form.getByRole('button', { name: '올리기' }).click();
  await form.locator('.status-message.is-visible').waitFor();
  assert.match(await form.locator('.status-message').textContent(), /1줄을 올렸습니다/);
  assertClean(problems, 'upload');
  await context.close();
});

test('a facility lists its approved disclosures; a disclosure shows totals and its XLSX link answers', async () => {
  const f = await elderCentre();
  await requireRoutes(`/api/v1/facilities/${f.id}/disclosures`);
  const list = await api(`/api/v1/facilities/${f.id}/disclosures`);
  const settlement = list.items.find((d) => d.kind === 'settlement');
  assert.ok(settlement, 'the demo facility has an approved settlement');
  const { page, context, problems } = await openPage(browser);
  await goto(page, `${server.url}/facilities/${f.id}`);
  const section = page.locator('section', { has: page.getByRole('heading', { name: '재정 공시' }) });
  await section.locator('.disc-link').first().waitFor({ timeout: 30000 });
  assert.equal(await section.locator('.disc-link').count(), list.items.length);
  await section.getByRole('link', { name: `${settlement.fiscal_year}년 결산` }).click();
  await page.waitForURL(new RegExp(`/disclosures/${settlement.id}$`));
  await page.getByRole('heading', { level: 1, name: `${f.name} ${settlement.fiscal_year}년 결산` }).waitFor();
  const d = await api(`/api/v1/disclosures/${settlement.id}`);
  const digits = (s) => s.replace(/[^0-9]/g, '');
  const revenueCard = page.locator('.stat-card', { has: page.locator('[data-total="revenue"]') });
  assert.equal(digits(await revenueCard.locator('.stat-card-year').textContent()), String(d.totals.revenue_total));
  const expCard = page.locator('.stat-card', { has: page.locator('[data-total="expenditure"]') });
  assert.equal(digits(await expCard.locator('.stat-card-year').textContent()), String(d.totals.expenditure_total));
  // Tables by category with totals, a chart with its table, donations.
  const revTable = page.getByRole('table', { name: '관별 세입' });
  assert.equal(digits(await revTable.locator('tfoot td').first().textContent()), String(d.totals.revenue_total));
  assert.equal(await page.locator('canvas[role="img"]').count(), 2);
  assert.equal(await page.getByRole('table', { name: '받은 후원금과 쓴 곳' }).locator('tbody tr').count(), d.donations.length);
  // Downloads.
  const xlsx = await page.getByRole('link', { name: /XLSX/ }).getAttribute('href');
  const csv = await page.getByRole('link', { name: /CSV/ }).getAttribute('href');
  const rx = await fetch(server.url + xlsx);
  assert.equal(rx.status, 200, `GET ${xlsx}`);
  assert.match(rx.headers.get('content-type'), /spreadsheetml/);
  const bytes = new Uint8Array(await rx.arrayBuffer());
  assert.equal(String.fromCharCode(bytes[0], bytes[1]), 'PK', 'an XLSX is a zip');
  const rc = await fetch(server.url + csv);
  assert.equal(rc.status, 200, `GET ${csv}`);
  assert.match(await rc.text(), /결산/);
  assertClean(problems, 'disclosure');
  await context.close();
});

test('an official sees the submitted disclosure and approves it', async () => {
  const f = await elderCentre();
  await requireRoutes(`/api/v1/facilities/${f.id}/disclosures`);
  const { page, context, problems } = await openPage(browser);
  await loginThroughForm(page, server.url, server.account('district_admin'));
  await goto(page, `${server.url}/facilities/${f.id}`);
  const item = page.locator('.disc-item', { has: page.locator('.status-submitted') }).first();
  await item.waitFor({ timeout: 30000 });
  await item.locator('.disc-link').click();
  await page.waitForURL(/\/disclosures\//);
  const review = page.locator('.review-panel');
  await review.waitFor();
  assert.match(await review.textContent(), /검토 요청됨/);
  await expectNoSerious(page, 'disclosure review');
  // Returning needs a reason.
  await review.getByRole('button', { name: '보완 요청하기' }).click();
  await review.locator('.error-summary').waitFor();
  assert.match(await review.locator('.error-summary').textContent(), /사유/);
  await review.getByRole('button', { name: '승인하고 공개하기' }).click();
  await review.locator('.status-message.is-visible').waitFor();
  assert.match(await review.textContent(), /승인·공개/);
  assertClean(problems, 'approve');
  await context.close();

  // Now the public sees it.
  const list = await api(`/api/v1/facilities/${f.id}/disclosures`);
  assert.ok(list.items.every((d) => d.status === 'approved') && list.items.length >= 3);
});

test('news and jobs lists render; an article opens; the job search narrows the list', async () => {
  await requireRoutes('/api/v1/news', '/api/v1/jobs');
  const news = await api('/api/v1/news');
  const jobs = await api('/api/v1/jobs');
  assert.ok(news.items.length > 0 && jobs.items.length > 0, 'the demo has news and jobs');
  const { page, context, problems } = await openPage(browser);
  await goto(page, `${server.url}/`);
  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '소식' }).click();
  await page.waitForURL(`${server.url}/news`);
  await page.getByRole('heading', { level: 1, name: '복지 소식' }).waitFor();
  await page.locator('.news-list .result-item').first().waitFor();
  assert.equal(await page.locator('.news-list .result-item').count(), news.items.length);
  await page.getByRole('link', { name: news.items[0].title }).click();
  await page.getByRole('heading', { level: 1, name: news.items[0].title }).waitFor();
  assert.match(await page.locator('.news-body').textContent(), new RegExp(news.items[0].body.split('\n')[0].slice(0, 10)));

  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '소식' }).click();
  await page.getByRole('navigation', { name: '소식 종류' }).getByRole('link', { name: '일자리' }).click();
  await page.waitForURL(`${server.url}/jobs`);
  await page.locator('.jobs-list .job-item').first().waitFor();
  const all = Number((await page.locator('.results-total strong').textContent()).replace(/[^0-9]/g, ''));
  assert.equal(all, jobs.total);
  const q = jobs.items[0].employer;
  await page.getByRole('searchbox', { name: '일자리 검색' }).fill(q);
  await page.getByRole('searchbox', { name: '일자리 검색' }).press('Enter');
  await page.waitForURL((u) => new URL(u).searchParams.get('q') === q);
  await page.waitForFunction((n) => {
    const s = document.querySelector('.results-total strong');
    return s && Number(s.textContent.replace(/[^0-9]/g, '')) !== n;
  }, all, { timeout: 30000 }).catch(() => {});
  const filtered = await api('/api/v1/jobs?q=' + encodeURIComponent(q));
  assert.equal(Number((await page.locator('.results-total strong').textContent()).replace(/[^0-9]/g, '')), filtered.total);
  assert.ok(filtered.total <= jobs.total);
  assertClean(problems, 'news and jobs');
  await context.close();
});

test('the new pages have no serious axe violations, also at 360 px, in high contrast, and do not scroll sideways', async () => {
  const f = await elderCentre();
  await requireRoutes('/api/v1/map/dongs', '/api/v1/statistics/indicators', '/api/v1/news', '/api/v1/jobs', `/api/v1/facilities/${f.id}/disclosures`);
  const { items } = await api(`/api/v1/facilities/${f.id}/disclosures`);
  const news = await api('/api/v1/news');
  const pages = [
    ['/map', '.dong-map g.dong'], ['/statistics', 'canvas[role="img"]'], [`/facilities/${f.id}`, '.disc-link'],
    [`/disclosures/${items[0].id}`, '.money-table'], ['/news', '.news-list'], [`/news/${news.items[0].id}`, '.news-body'],
    ['/jobs', '.jobs-list'],
  ];
  for (const width of [1280, 360]) {
    const { page, context } = await openPage(browser, { width, height: 800 });
    for (const [path, ready] of pages) {
      await goto(page, `${server.url}${path}`);
      await page.locator(ready).first().waitFor({ timeout: 30000 });
      await expectNoSerious(page, `${path} at ${width}px`);
      if (width === 360) {
        const o = await horizontalOverflow(page);
        assert.ok(o.scrollWidth <= o.viewport, `${path} at 360px scrolls sideways: ${JSON.stringify(o)}`);
      }
    }
    await context.close();
  }
  // High contrast and English on the map and the dashboard.
  const { page, context } = await openPage(browser);
  await goto(page, `${server.url}/map`);
  await mapReady(page);
  await page.getByRole('button', { name: '고대비' }).click();
  await page.waitForFunction(() => document.documentElement.getAttribute('data-krds-mode') === 'high-contrast');
  await expectNoSerious(page, '/map high contrast');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Welfare status map' }).waitFor();
  await expectNoSerious(page, '/map English high contrast');
  await goto(page, `${server.url}/statistics`);
  await page.locator('canvas[role="img"]').first().waitFor();
  await expectNoSerious(page, '/statistics English high contrast');
  await context.close();
});
