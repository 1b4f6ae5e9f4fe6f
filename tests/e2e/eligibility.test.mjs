// 복지 모의계산 in the browser: the one-question-per-page wizard over POST /api/v1/simulations,
// skipping ("잘 모르겠어요") leaving a result undetermined, validation errors from the server in the
// error summary, the results with reasons, saving for a member and /me, axe-core, 360 px phones,
// high contrast and the keyboard. Expected amounts come from the API, not from this file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  launchBrowser, openPage, goto, seriousViolations, formatViolations, horizontalOverflow, assertClean, loginThroughForm, expectNoSerious, expectNoOverflow,
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

async function simulate(household) {
  const res = await fetch(`${server.url}/api/v1/simulations`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ household }),
  });
  assert.equal(res.status, 200, 'simulation');
  return res.json();
}

const won = (n) => `${n.toLocaleString('ko-KR')}원`;
const step = (page) => new URL(page.url()).searchParams.get('step');

// Picks a radio or checkbox by its visible label (the KRDS input itself is drawn by its label).
async function choose(page, text) {
  const esc = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.locator('.elig-option label').filter({ hasText: new RegExp(`^${esc}$`) }).click();
}

async function next(page, button = '다음') {
  const before = page.url();
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForURL((u) => u.toString() !== before, { timeout: 30000 });
  await page.locator('h1').first().waitFor();
}

// The 72-year-old who lives alone in Seoul on a small public pension, with no assets.
const PENSION = 300000;
const MONEY = {
  income_earned: 0, income_business: 0, income_property: 0, income_public_transfer: PENSION, income_private_transfer: 0,
  asset_housing: 0, asset_deposits: 0, asset_financial: 0, asset_vehicles: 0, debts: 0, rent: 250000, deposit: 5000000,
};
const CHOICES = {
  tenure: '월세 (보증금이 있는 월세 포함)', region: '서울특별시', crisis: '없음', disability: '장애가 없어요',
  school: '학교에 다니지 않아요', nationality: '대한민국 국적',
};
// The same household as the API body: what the wizard is expected to send.
const HOUSEHOLD = {
  members: [{ relation: 'self', age: 72 }],
  residence: { tenure: 'monthly_rent', rent: 250000, deposit: 5000000, region: 'seoul' },
  incomes: { earned: 0, business: 0, property: 0, public_transfer: PENSION, private_transfer: 0 },
  assets: { housing: 0, deposits: 0, financial: 0, vehicles: 0, debts: 0 },
  crisis: 'none',
};

// Answers every question the wizard asks until the results, skipping the ones in `skip`; returns
// the question keys in the order they were asked.
async function answerAll(page, { skip = [], shots } = {}) {
  const asked = [];
  for (let i = 0; i < 60; i++) {
    const s = step(page);
    if (s === 'results') return asked;
    assert.ok(s && s.startsWith('q:'), `a question step, got ${s}`);
    const key = s.slice(2);
    const variable = key.split('@')[0];
    asked.push(key);
    if (shots && i === 0) await shots(page);
    if (skip.includes(key)) { await next(page, '잘 모르겠어요'); continue; }
    if (await page.locator('#elig-money-input, #elig-amount').count()) {
      await page.locator('#elig-amount').fill(String(MONEY[variable] ?? 0));
    } else if (CHOICES[variable]) {
      await choose(page, CHOICES[variable]);
    } else if (await page.locator('label[for=elig-list-none]').count()) {
      await page.locator('label[for=elig-list-none]').click();
    } else {
      await choose(page, '아니요');
    }
    await next(page);
  }
  throw new Error(`the wizard did not reach the results: ${asked.join(' ')}`);
}

// Size 1 and the applicant's age, from the start page.
async function startAlone(page, age = '72') {
  await goto(page, `${server.url}/eligibility`);
  await page.getByRole('link', { name: '시작하기' }).click();
  await page.waitForURL(/step=size/);
  await choose(page, '1명 (혼자 살아요)');
  await next(page);
  assert.equal(step(page), 'm0-age');
  await page.getByRole('button', { name: '생년월일 대신 나이만 입력할게요' }).click();
  await page.getByLabel('신청하시는 분의 나이를 알려 주세요').fill(age);
  await next(page);
}

function resultCard(page, group, name) {
  return page.locator(`.elig-group-section.is-${group} .elig-result`).filter({ has: page.locator('.elig-result-name', { hasText: new RegExp(`^${name}$`) }) });
}

test('a 72-year-old living alone on a small pension gets 기초연금 and 생계급여 with the API amounts', async () => {
  const expected = await simulate(HOUSEHOLD);
  const byCode = Object.fromEntries(expected.results.map((r) => [r.program, r]));
  assert.equal(byCode.basic_pension.status, 'eligible');
  assert.equal(byCode.livelihood_benefit.status, 'eligible');

  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await goto(page, `${server.url}/eligibility`);
  assert.match(await page.locator('h1').textContent(), /복지 모의계산/);
  await page.screenshot({ path: '/tmp/eligibility-start-1280.png', fullPage: true });
  await startAlone(page);

  // Answers survive a reload (sessionStorage), and the back link returns to the previous answer.
  assert.equal(step(page), 'q:income_earned', 'the most deciding question comes first');
  await page.locator('#elig-amount').fill('1200000');
  assert.match(await page.locator('.elig-readback').textContent(), /1,200,000원 \(120만원\)/);
  await page.screenshot({ path: '/tmp/eligibility-question-1280.png', fullPage: true });
  await page.locator('#elig-amount').fill('0');
  await next(page);
  const second = step(page);
  await page.reload();
  await page.locator('h1').first().waitFor();
  assert.equal(step(page), second, 'the step survives a reload');
  await page.getByRole('link', { name: '이전으로' }).click();
  await page.waitForURL(/income_earned/);
  assert.equal(await page.locator('#elig-amount').inputValue(), '0', 'the earlier answer is kept');
  await next(page);

  const asked = await answerAll(page);
  assert.ok(asked.includes('income_public_transfer'), `asked about the pension: ${asked.join(' ')}`);
  await page.locator('.elig-result').first().waitFor();
  await page.screenshot({ path: '/tmp/eligibility-results-1280.png', fullPage: true });

  for (const code of ['basic_pension', 'livelihood_benefit']) {
    const r = byCode[code];
    const card = resultCard(page, 'eligible', r.name_ko);
    await card.waitFor();
    assert.equal((await card.locator('.elig-amount strong').textContent()).trim(), `월 ${won(r.monthly_amount)}`, r.name_ko);
  }
  // An amount that reads a figure no official source confirmed says 추정; the others do not.
  const withAmount = expected.results.filter((r) => r.status === 'eligible'
    && (r.monthly_amount ?? r.annual_amount ?? r.lump_sum_amount) !== undefined);
  assert.ok(withAmount.some((r) => r.amount_estimate), 'some amount is an estimate (e.g. 에너지바우처 2026)');
  assert.ok(withAmount.some((r) => !r.amount_estimate), 'and some is not');
  for (const r of withAmount) {
    const card = page.locator(`.elig-group-section.is-eligible .elig-result[data-program="${r.program}"]`);
    await card.waitFor();
    assert.equal(await card.locator('.elig-estimate').count(), r.amount_estimate ? 1 : 0, r.name_ko);
    if (r.amount_estimate) {
      assert.equal((await card.locator('.elig-estimate').textContent()).trim(), '추정');
      assert.match(await card.locator('.elig-estimate-note').textContent(), /공식 원문에서 확인하지 못한/);
    }
  }
  // 소득인정액 as computed by the server.
  assert.match(await page.locator('[data-variable=recognized_income] dd').textContent(),
    new RegExp(`월 ${won(expected.computed.recognized_income.value)}`));
  // "왜 그런가요?" lists the reasons with the compared values as money.
  const pension = resultCard(page, 'eligible', '기초연금');
  await pension.locator('summary', { hasText: '왜 그런가요?' }).click();
  const reasons = await pension.locator('.elig-reason').allTextContents();
  assert.ok(reasons.some((x) => x.includes(won(PENSION)) && /기준 [\d,]+원 이하/.test(x)), reasons.join('\n'));
  assert.ok(await pension.locator('.elig-reason.is-held .elig-mark').count() > 0);
  // The source and the link to the catalogue.
  assert.match(await pension.locator('.elig-source').textContent(), /기초연금법/);
  await pension.getByRole('link', { name: '기초연금 자세히 보기' }).waitFor();
  // Not eligible ones say what would change the answer.
  const notEligible = page.locator('.elig-group-section.is-not_eligible');
  await notEligible.locator('summary').first().click();
  const change = notEligible.locator('.elig-change').first();
  if (await change.count()) {
    await change.locator('summary').click();
    assert.match(await change.locator('li').first().textContent(), /(늘면|줄면)/);
  }
  // The disclaimer and the print button.
  await page.getByText('모의계산 결과는 결정이 아닙니다').waitFor();
  await page.getByRole('button', { name: '인쇄하기' }).waitFor();
  // Printing shows every reason expanded and hides the navigation.
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  assert.equal(await page.locator('.elig-results details:not([open])').count(), 0, 'all disclosures open for printing');
  assert.equal(await page.locator('#krds-header').isVisible(), false, 'no header on paper');
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await page.emulateMedia({ media: 'screen' });
  assertClean(problems, 'wizard');
  await context.close();
});

test('skipping a question leaves the result undetermined and offers the question; answering it decides', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  const bodies = [];
  page.on('request', (req) => { if (req.method() === 'POST' && req.url().endsWith('/api/v1/simulations')) bodies.push(req.postDataJSON()); });
  await startAlone(page);
  assert.equal(step(page), 'q:income_earned');
  await answerAll(page, { skip: ['income_earned'] });
  // Unknown is sent as null (unknown), never as zero.
  const last = bodies[bodies.length - 1].household;
  assert.equal(last.incomes.earned, null, 'a skipped income is sent as unknown');
  assert.equal(last.incomes.public_transfer, PENSION);

  const card = resultCard(page, 'undetermined', '기초연금');
  await card.waitFor();
  assert.match(await card.locator('.elig-result-question').textContent(), /일해서 버는 돈/);
  assert.equal(await resultCard(page, 'eligible', '기초연금').count(), 0);
  await card.getByRole('link', { name: /이 질문에 답하기/ }).click();
  await page.waitForURL(/income_earned/);
  await page.locator('#elig-amount').fill('0');
  await next(page);
  // Everything else was answered: back to the results, now decided.
  if (step(page) !== 'results') await answerAll(page);
  await resultCard(page, 'eligible', '기초연금').waitFor();
  assertClean(problems, 'skip');
  await context.close();
});

test('validation errors show in the error summary: missing answers here, an impossible age from the server', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await goto(page, `${server.url}/eligibility?step=size`);
  await page.getByRole('button', { name: '다음', exact: true }).click();
  await page.locator('.error-summary').getByText('함께 사는 사람 수를 고르세요.').waitFor();
  assert.match(await page.title(), /^오류: /);
  await choose(page, '1명 (혼자 살아요)');
  await next(page);

  // Nothing entered.
  await page.getByRole('button', { name: '다음', exact: true }).click();
  await page.locator('.error-summary').getByText(/생년월일을 입력하세요/).waitFor();
  // Not a real date.
  await page.getByLabel('태어난 해').fill('1953');
  await page.getByLabel('태어난 달').fill('2');
  await page.getByLabel('태어난 날').fill('30');
  await page.getByRole('button', { name: '다음', exact: true }).click();
  await page.locator('.error-summary').getByText(/생년월일이 올바르지 않습니다/).waitFor();
  // 150 years: the server says it is out of range; the summary links to the field.
  await page.getByRole('button', { name: '생년월일 대신 나이만 입력할게요' }).click();
  await page.getByLabel('신청하시는 분의 나이를 알려 주세요').fill('150');
  await page.getByRole('button', { name: '다음', exact: true }).click();
  const link = page.locator('.error-summary a', { hasText: '나이는 0세에서 130세 사이로 입력하세요.' });
  await link.waitFor();
  assert.equal(step(page), 'm0-age', 'stays on the step of the field');
  assert.equal(await page.locator('#elig-age').getAttribute('aria-invalid'), 'true');
  await expectNoSerious(page, 'age step with errors');
  await link.click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'elig-age');
  await page.locator('#elig-age').fill('72');
  await next(page);
  assert.match(step(page), /^q:/);
  assertClean(problems, 'validation');
  await context.close();
});

test('a question can be answered with the keyboard alone', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await goto(page, `${server.url}/eligibility?step=size`);
  const tabTo = async (pred, label) => {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(pred)) return;
    }
    throw new Error(`Tab never reached ${label}`);
  };
  await tabTo(() => document.activeElement?.getAttribute('name') === 'size', 'the first option');
  await page.keyboard.press('ArrowDown'); // 2명
  await page.keyboard.press('ArrowUp');   // 1명
  assert.equal(await page.evaluate(() => document.querySelector('input[name=size]:checked')?.value), '1');
  await tabTo(() => document.activeElement?.textContent?.trim() === '다음', 'the continue button');
  await page.keyboard.press('Enter');
  await page.waitForURL(/m0-age/);
  // The new step moves focus to its title once it has mounted (after the URL changes): wait for
  // that, so the Tabs below start from the title and focus does not jump away mid-typing.
  await page.waitForFunction(() => document.activeElement?.classList.contains('elig-title'));
  // Typing the date of birth and pressing Enter submits the form.
  await tabTo(() => document.activeElement?.id === 'elig-year', 'the year field');
  // Typed at a person's pace (a burst of key events can outrun the controlled inputs on a loaded
  // machine); each field must hold what was typed before moving on.
  const typed = async (text, id) => {
    await page.keyboard.type(text, { delay: 40 });
    await page.waitForFunction(([i, v]) => document.getElementById(i)?.value === v, [id, text], { timeout: 5000 });
  };
  await typed('1953', 'elig-year');
  await page.keyboard.press('Tab');
  await typed('4', 'elig-month');
  await page.keyboard.press('Tab');
  await typed('2', 'elig-day');
  await page.keyboard.press('Enter');
  await page.waitForURL(/step=q%3A|step=q:/);
  // The new page's heading has the focus, so a screen reader hears the question.
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1', null, { timeout: 5000 });
  assertClean(problems, 'keyboard');
  await context.close();
});

test('start, a question and the results pass axe at 1280 and 360 px and in high contrast, with no overflow at 360', async () => {
  for (const width of [1280, 360]) {
    const { page, context, problems } = await openPage(browser, { width, height: 800 });
    await goto(page, `${server.url}/eligibility`);
    await expectNoSerious(page, `start ${width}`);
    if (width === 360) {
      await expectNoOverflow(page, 'start 360');
      await page.screenshot({ path: '/tmp/eligibility-start-360.png', fullPage: true });
    }
    await startAlone(page);
    await expectNoSerious(page, `money question ${width}`);
    if (width === 360) {
      await page.locator('#elig-amount').fill('1200000');
      await expectNoOverflow(page, 'money question 360');
      await page.screenshot({ path: '/tmp/eligibility-question-360.png', fullPage: true });
    }
    await answerAll(page, {
      skip: ['income_earned'],
      shots: async () => {},
    });
    await page.locator('.elig-result').first().waitFor();
    await expectNoSerious(page, `results ${width}`);
    if (width === 360) {
      await page.locator('.elig-results details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
      await expectNoOverflow(page, 'results 360 with every disclosure open');
      await page.screenshot({ path: '/tmp/eligibility-results-360.png', fullPage: true });
    }
    // A radio question, in high contrast.
    await page.evaluate(() => localStorage.setItem('dure.highContrast', '1'));
    await goto(page, `${server.url}/eligibility?step=${encodeURIComponent('q:tenure')}`);
    await page.waitForFunction(() => document.documentElement.getAttribute('data-krds-mode') === 'high-contrast');
    await page.locator('.elig-option').first().waitFor();
    await expectNoSerious(page, `radio question ${width} high contrast`);
    if (width === 360) await expectNoOverflow(page, 'radio question 360');
    await goto(page, `${server.url}/eligibility?step=results`);
    await page.locator('.elig-result').first().waitFor();
    await expectNoSerious(page, `results ${width} high contrast`);
    await goto(page, `${server.url}/eligibility`);
    await expectNoSerious(page, `start ${width} high contrast`);
    assertClean(problems, `axe ${width}`);
    await context.close();
  }
});

test('a member saves a result and the household, sees the result on 마이페이지 and deletes both', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await loginThroughForm(page, server.url, server.account('resident'));
  // Before: nothing saved.
  await page.getByRole('heading', { name: '복지 모의계산' }).waitFor();
  await page.getByText('저장한 모의계산 결과가 없습니다.').waitFor();

  await startAlone(page);
  await answerAll(page);
  await resultCard(page, 'eligible', '기초연금').waitFor();
  await page.getByRole('button', { name: '결과 저장' }).click();
  await page.getByText('결과를 저장했습니다.', { exact: false }).waitFor();
  // Pressed again for the same result: the same Idempotency-Key, still one saved result (checked on /me).
  const [again] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/simulations') && r.request().method() === 'POST'),
    page.getByRole('button', { name: '결과 저장' }).click(),
  ]);
  assert.equal(again.headers()['idempotent-replayed'], 'true', 'the second press replays the first save');
  // The household needs explicit consent.
  await page.getByRole('button', { name: '가구 정보 저장' }).click();
  await page.locator('.error-summary').getByText('저장하려면 동의에 표시하세요.').waitFor();
  await page.locator('label[for=elig-consent]').click();
  await page.getByRole('button', { name: '가구 정보 저장' }).click();
  await page.getByText('가구 정보를 암호화해 저장했습니다.', { exact: false }).waitFor();
  await expectNoSerious(page, 'results as a member');

  await goto(page, `${server.url}/me`);
  const item = page.locator('.my-elig-item').first();
  await item.waitFor();
  assert.match(await item.textContent(), /기초연금/);
  assert.equal(await page.locator('.my-elig-item').count(), 1);
  await page.getByText('가구 정보가 암호화되어 저장되어 있습니다 (가족 1명).').waitFor();
  await expectNoSerious(page, '/me with saved results');

  // Opening a saved result shows the results again.
  await item.getByRole('button', { name: '이 가구 정보로 다시 보기' }).click();
  await page.waitForURL(/step=results/);
  await resultCard(page, 'eligible', '기초연금').waitFor();

  await goto(page, `${server.url}/me`);
  await page.locator('.my-elig-item').first().getByRole('button', { name: /삭제/ }).click();
  await page.getByText('결과를 삭제했습니다.').waitFor();
  assert.equal(await page.locator('.my-elig-item').count(), 0);
  await page.getByRole('button', { name: '가구 정보 삭제' }).click();
  await page.getByText('가구 정보를 삭제했습니다.').waitFor();
  await page.getByText('저장한 가구 정보가 없습니다.').waitFor();
  // The server agrees.
  const list = await page.evaluate(async () => (await fetch('/api/v1/me/simulations')).json());
  assert.equal(list.items.length, 0);
  const prof = await page.evaluate(async () => (await fetch('/api/v1/me/eligibility')).json());
  assert.equal(prof.household, null);
  assertClean(problems, 'member');
  await context.close();
});

test('the check is linked from the main menu, home and services, and speaks English', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await goto(page, `${server.url}/`);
  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '복지 모의계산' }).waitFor();
  await page.locator('main').getByRole('link', { name: '복지 모의계산 시작하기' }).click();
  await page.waitForURL(/\/eligibility$/);
  await goto(page, `${server.url}/services`);
  await page.locator('main').getByRole('link', { name: '복지 모의계산 시작하기' }).waitFor();

  await goto(page, `${server.url}/eligibility?step=size`);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'How many people live in your household?' }).waitFor();
  await page.getByRole('button', { name: 'Continue', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Back' }).waitFor();
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Check what you may get' }).waitFor();
  await page.getByRole('button', { name: '한국어' }).click();
  assertClean(problems, 'links');
  await context.close();
});
