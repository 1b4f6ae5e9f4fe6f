// A service page that leads somewhere (issue 16): at a glance who gets it and how much (from the
// eligibility rules' own figure, with its source), a "내가 받을 수 있는지 확인" link into the check for
// that program, the ways to apply (the official portal its text names, my dong's centre only, 129,
// a caseworker's help) with what to bring; no English name or program code for Korean readers.
// At 1280 px and at 360 px with the largest text: no sideways scrolling, axe-core clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, openPage, goto, assertClean, expectNoSerious, expectNoOverflow } from './_browser.mjs';

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
  assert.equal(res.status, 200, path);
  return res.json();
}

async function serviceId(code, q) {
  const r = await api(`/api/v1/services?q=${encodeURIComponent(q)}`);
  const hit = r.items.find((s) => s.program_code === code);
  assert.ok(hit, `${q} finds ${code}`);
  return hit.id;
}

function todayKst() { return new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10); }

async function openService(page, id) {
  await goto(page, `${server.url}/services/${id}`);
  await page.locator('.service-summary').waitFor();
  // The amount and the eligibility link arrive with the rules' reference data.
  await page.locator('.summary-check').waitFor();
}

test('기초연금: who, how much (with its source), check my eligibility, ways to apply, my dong only', async () => {
  const id = await serviceId('basic_pension', '기초연금');
  const params = await api(`/api/v1/eligibility/parameters?date=${todayKst()}`);
  const base = params.items.find((p) => p.name === 'basic_pension_base_amount').in_force;
  const { page, context, problems } = await openPage(browser);
  await openService(page, id);

  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /Basic Pension/, 'no English name for Korean readers');
  assert.doesNotMatch(text, /basic_pension|제도 코드/, 'no program code');
  assert.doesNotMatch(text, /data\.go\.kr\/data/, 'the source is a named link, not a raw address');

  const summary = await page.locator('.service-summary').innerText();
  assert.match(summary, /누가 받나요\s*만 65세 이상/);
  assert.ok(summary.includes(`기준연금액 월 ${base.value.toLocaleString('ko-KR')}원`), summary);
  assert.match(summary, /출처: .*기초연금법/);

  const check = page.getByRole('link', { name: '내가 받을 수 있는지 확인' });
  assert.equal(await check.getAttribute('href'), '/eligibility?program=basic_pension');

  const apply = page.locator('.apply-section');
  const bokjiro = apply.getByRole('link', { name: /복지로에서 신청하기/ });
  assert.equal(await bokjiro.getAttribute('href'), 'https://www.bokjiro.go.kr');
  assert.equal(await apply.getByRole('link', { name: /보건복지상담센터 129/ }).getAttribute('href'), 'tel:129');
  assert.match(await apply.innerText(), /사회보장급여의 이용·제공 및 수급권자 발굴에 관한 법률」 제5조/);
  assert.match(await apply.locator('.doc-list').innerText(), /신분증/);

  // Sixteen centres are not listed: the reader chooses a dong and sees that dong's centre.
  assert.equal(await page.locator('.place-item').count(), 0, 'no place listed before a dong is chosen');
  await page.locator('#where-dong').selectOption({ label: '은행동' });
  await page.locator('.place-item').first().waitFor();
  const places = await page.locator('.place-item .place-name').allInnerTexts();
  assert.ok(places.length >= 1 && places.length <= 3, `my dong's places only: ${places}`);
  for (const p of places) assert.match(p, /은행동/);
  // The same choice shows the centre in "how to apply", and is remembered on the next service page.
  await page.locator('.my-centre').waitFor();
  assert.match(await page.locator('.my-centre').innerText(), /은행동/);
  assert.equal(await page.locator('#apply-dong').inputValue(), await page.locator('#where-dong').inputValue());
  await page.getByRole('button', { name: /전체 \d+곳 보기/ }).click();
  assert.ok(await page.locator('.place-item').count() > places.length, 'all places on request');

  await expectNoSerious(page, 'service page 1280');
  await page.screenshot({ path: '/tmp/service-basic-pension-1280.png', fullPage: true });
  await page.locator('.service-summary').scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/service-basic-pension-1280-top.png' });
  await page.locator('.apply-section').screenshot({ path: '/tmp/service-1280-apply.png' });

  // Into the eligibility check, which names the program.
  await check.click();
  await page.waitForURL(/\/eligibility\?program=basic_pension$/);
  await page.locator('.elig-focus').waitFor();
  assert.match(await page.locator('.elig-focus').innerText(), /찾아보신 제도: 기초연금/);
  await expectNoSerious(page, 'eligibility with program');
  assertClean(problems, 'service page');
  await context.close();
});

test('a program without encoded rules has no eligibility link; a program whose text names 홈택스 links there', async () => {
  const { page, context, problems } = await openPage(browser);
  await goto(page, `${server.url}/services/${await serviceId('legal_aid', '법률구조')}`);
  await page.locator('.service-summary').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.getByRole('link', { name: '내가 받을 수 있는지 확인' }).count(), 0);
  await goto(page, `${server.url}/services/${await serviceId('earned_income_tax_credit', '근로장려금')}`);
  await page.locator('.summary-check').waitFor();
  assert.equal(await page.locator('.apply-section').getByRole('link', { name: /홈택스에서 신청하기/ }).getAttribute('href'),
    'https://www.hometax.go.kr');
  assertClean(problems, 'other programs');
  await context.close();
});

test('at 360 px with the largest text the service page fits the screen and stays short', async () => {
  const id = await serviceId('basic_pension', '기초연금');
  const { page, context, problems } = await openPage(browser, { width: 360, height: 740 });
  await goto(page, `${server.url}/`);
  await page.evaluate(() => localStorage.setItem('dure.textSize', 'xl'));
  await openService(page, id);
  assert.ok(parseFloat(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)) > 10, 'largest text');
  await expectNoOverflow(page, 'service page 360 xl');
  await expectNoSerious(page, 'service page 360 xl');
  await page.locator('#where-dong').selectOption({ label: '은행동' });
  await page.locator('.my-centre').waitFor();
  await expectNoOverflow(page, 'service page 360 xl, my dong chosen');
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log(`# 기초연금 page at 360 px, largest text, 은행동 chosen: ${height} px tall`);
  assert.ok(height < 9000, `the page was 12,600 px with every centre listed; now ${height} px`);
  await page.screenshot({ path: '/tmp/service-basic-pension-360-xl.png', fullPage: true });
  await page.screenshot({ path: '/tmp/service-basic-pension-360-xl-top.png' });
  await page.locator('.service-summary').screenshot({ path: '/tmp/service-360-xl-summary.png' });
  await page.locator('.apply-section').screenshot({ path: '/tmp/service-360-xl-apply.png' });
  await page.locator('[aria-labelledby="service-where"]').screenshot({ path: '/tmp/service-360-xl-where.png' });
  assertClean(problems, '360 xl');
  await context.close();
});
