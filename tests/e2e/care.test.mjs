// Staff care pages in the browser: 안부 확인 (a caseworker finds the resident by phone and picks a
// caregiver of their dong by name — the list's fallback, a server error shown in the summary and
// next to the field —, the caregiver on a 360 px phone records "연락이 닿지
// 않았습니다", the care team sees the escalation with its ladder step and closes it), 위기가구 선별
// (indicators seeded through the API, a round run from the page, each score's reasons, outcomes
// and the precision), 현장 조사 (an interview entered one step at a time on a phone, its flags, the
// report and follow-up), 게이트키퍼 명부 (listed, registered, edited), who may not open what, and
// axe-core at 1280 and 360 px with no sideways scrolling at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { call, loginAs } from '../http/_client.mjs';
import {
  launchBrowser, openPage, goto, seriousViolations, formatViolations, horizontalOverflow, assertClean, loginThroughForm, expectNoSerious, expectNoOverflow,
} from './_browser.mjs';

let server, browser, admin, cw, dongs, myDong;

before(async () => {
  server = await startServer({ env: { DURE_ALERT_INTERVAL: '3600' } });
  browser = await launchBrowser();
  admin = await loginAs(server, 'district_admin');
  cw = await loginAs(server, 'caseworker');
  myDong = cw.demo.scope_id;
  dongs = (await call(server, 'GET', '/api/v1/districts')).json[0].dongs;
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// axe at this width, no sideways scrolling at 360 px, and a screenshot to look at.
async function check(page, name, width) {
  await expectNoSerious(page, `${name} ${width}`);
  if (width <= 360) await expectNoOverflow(page, `${name} ${width}`);
  await page.screenshot({ path: `/tmp/care-${name}-${width}.png`, fullPage: true });
  // CARE_SLICES=1: also phone-sized slices of the page, readable at full size.
  if (process.env.CARE_SLICES && width <= 360) {
    const h = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0, i = 0; y < h; y += 1100, i++) {
      await page.screenshot({ path: `/tmp/care-${name}-${width}-${i}.png`, fullPage: true, clip: { x: 0, y, width, height: Math.min(1100, h - y) } });
    }
  }
}
async function asRole(role, width) {
  const opened = await openPage(browser, { width, height: width < 500 ? 780 : 900 });
  await loginThroughForm(opened.page, server.url, server.account(role));
  return opened;
}
const LOOKUP_REASON = '홀몸 어르신 안부 확인 배정';
const status = (page, text) => page.locator('.status-message.is-visible', { hasText: text }).first().waitFor();

test('check-ins: assign, the caregiver at 360 px records "not reached", the care team sees and closes the escalation', async () => {
  const person = await call(server, 'POST', '/api/v1/persons', {
    session: admin, body: { name: '홀로사는', phone: '01055501234', birth_date: '1941-05-06', address: '한빛구 은행로 9 101호', dong_id: myDong } });
  assert.equal(person.status, 201, person.text);
  const carerId = server.account('caregiver').account_id;
  // A second caregiver of the dong, whose role is taken away while the form is open.
  const second = { name: `문이웃${Date.now() % 100000}` };
  const su = await call(server, 'POST', '/api/v1/auth/signup', { body: { email: `carer.second.${process.pid}.${Date.now()}@example.com`, password: 'second-caregiver-77', name: second.name, district_id: (await call(server, 'GET', '/api/v1/districts')).json[0].id } });
  assert.equal(su.status, 201, su.text);
  second.id = su.json.account.id;
  const g = await call(server, 'POST', `/api/v1/admin/accounts/${second.id}/roles`, { session: admin, body: { role: 'caregiver', scope_kind: 'dong', scope_id: myDong } });
  assert.equal(g.status, 201, g.text);

  // The caseworker finds the resident by phone and picks a caregiver of the resident's dong by
  // name; one who has just lost the role is refused by the server.
  {
    const { page, context, problems } = await asRole('caseworker', 1280);
    await goto(page, `${server.url}/staff/checkins`);
    await page.getByRole('heading', { level: 1, name: '안부 확인' }).waitFor();
    await page.getByRole('heading', { name: '조치가 필요한 분' }).waitFor();
    await page.getByText('지금 조치가 필요한 분이 없습니다.').waitFor();
    const form = page.locator('.care-assign');
    // A lookup by phone shows names and addresses: the official says why first (typed here).
    await form.getByRole('group', { name: '열람 사유' }).waitFor();
    assert.equal(await page.locator('#care-assign-phone').count(), 0, 'no lookup before the reason');
    await check(page, 'checkins-assign-reason', 1280);
    await form.locator('label[for="care-assign-reason-other"]').click();
    await form.getByRole('button', { name: '주민 찾기 시작' }).click();
    await page.locator('.error-summary a', { hasText: '열람 사유를 2자 이상 적어 주세요.' }).waitFor();
    await form.locator('#care-assign-reason-text').fill(LOOKUP_REASON);
    await form.getByRole('button', { name: '주민 찾기 시작' }).click();
    assert.match(await form.locator('[data-field=access-reason]').textContent(), new RegExp(LOOKUP_REASON));
    await form.getByText('대상자를 고르면 그 동의 돌봄이웃과 동 돌봄팀 목록이 나옵니다.').waitFor();
    assert.equal(await form.getByLabel('대상자 번호').count(), 0, 'no person number to type');
    await form.getByRole('button', { name: '배정하기' }).click();
    await page.locator('.error-summary a', { hasText: '위기 정도와 확인 주기를 골라 주세요.' }).waitFor();
    const findLink = page.locator('.error-summary a', { hasText: '휴대전화번호로 대상자를 찾아 선택해 주세요.' });
    await findLink.click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'care-assign-phone');
    await page.keyboard.type('010-5550-1234');
    await page.keyboard.press('Enter');

    // The staff directory does not answer at first: said plainly, with an account-number fallback.
    await page.route('**/api/v1/outreach/staff?*', (route) => route.fulfill({ status: 503, contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }) }));
    await form.getByRole('button', { name: '이 분으로 선택 (홀로사는)' }).click();
    // The access log holds the reason the official typed, not one the page made up.
    const looked = (await call(server, 'GET', `/api/v1/admin/access-log?person_id=${person.json.id}`, { session: admin })).json.items
      .filter((x) => x.action === 'lookup');
    assert.deepEqual(looked.map((x) => x.reason), [LOOKUP_REASON], JSON.stringify(looked));
    const chosen = form.locator('[data-field=chosen-person]');
    assert.match(await chosen.textContent(), new RegExp(`홀로사는1941-05-06 · ${dongs.find((d) => d.id === myDong).name_ko} · 대상자 번호 ${person.json.id}`));
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'care-assign-person_id', 'focus moves to the chosen resident');
    await form.locator('[data-field=staff-directory-failed]', { hasText: '담당자 목록을 불러오지 못했습니다' }).waitFor();
    await form.getByLabel('돌봄이웃 계정 번호').waitFor();
    await expectNoSerious(page, 'assign form without the staff list');
    await page.unroute('**/api/v1/outreach/staff?*');
    await form.getByRole('button', { name: '목록 다시 불러오기' }).click();

    const pick = form.getByLabel('안부를 확인할 돌봄이웃·동 돌봄팀');
    await pick.locator('option', { hasText: second.name }).waitFor({ state: 'attached' });
    assert.equal(await form.getByLabel('돌봄이웃 계정 번호').count(), 0);
    const options = await pick.locator('option').allTextContents();
    assert.deepEqual(options, ['선택하세요', `${server.account('caregiver').name} (돌봄이웃)`, `${second.name} (돌봄이웃)`,
      `${server.account('care_team').name} (동 돌봄팀)`], 'caregivers first, then the care team, each by name; no caseworkers');
    assert.match(await form.locator('#care-assign-caregiver_account_id-hint').textContent(), /의 돌봄이웃과 동 돌봄팀입니다/);

    const revoke = await call(server, 'DELETE', `/api/v1/admin/accounts/${second.id}/roles/${g.json.id}`, { session: admin });
    assert.equal(revoke.status, 204, revoke.text);
    await pick.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await pick.inputValue(), String(second.id), 'chosen with the arrow keys');
    await form.getByText('위험 높음 — 매일 확인').click();
    await form.getByRole('button', { name: '배정하기' }).click();
    const link = page.locator('.error-summary a', { hasText: '돌봄이웃이나 동 돌봄팀 역할이 있는 계정이 아닙니다' });
    await link.waitFor();
    assert.equal(await page.locator('#care-assign-caregiver_account_id').getAttribute('aria-invalid'), 'true');
    await page.locator('#care-assign-caregiver_account_id-error').waitFor();
    await pick.locator('option', { hasText: second.name }).waitFor({ state: 'detached' });
    await check(page, 'checkins-assign-error', 1280);
    await link.click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'care-assign-caregiver_account_id');
    await pick.selectOption(String(carerId));
    await form.getByRole('button', { name: '배정하기' }).click();
    await status(page, '배정했습니다.');
    await form.getByText('대상자를 고르면 그 동의 돌봄이웃과 동 돌봄팀 목록이 나옵니다.').waitFor();
    assertClean(problems, 'caseworker check-ins');
    await context.close();
  }

  // The caregiver on a phone: 오늘 확인할 분, a big "not reached".
  {
    const { page, context, problems } = await asRole('caregiver', 360);
    await goto(page, `${server.url}/staff/checkins`);
    await page.getByRole('heading', { name: '오늘 확인할 분' }).waitFor();
    const card = page.locator('.care-resident', { hasText: '홀로사는' });
    await card.waitFor();
    assert.match(await card.textContent(), /매일 \(24시간마다\)/);
    assert.match(await card.textContent(), /한빛구 은행로 9 101호/);
    assert.equal(await card.getByRole('link', { name: /전화 걸기/ }).getAttribute('href'), 'tel:01055501234');
    assert.equal(await page.getByRole('heading', { name: '조치가 필요한 분' }).count(), 0, 'a caregiver does not see the dong list');
    await check(page, 'checkins-caregiver', 360);
    await card.getByRole('button', { name: '확인 결과 기록 (홀로사는)' }).click();
    const radio = card.getByRole('radio', { name: /연락이 닿지 않았습니다/ });
    const box = await card.locator('label', { hasText: '연락이 닿지 않았습니다' }).boundingBox();
    assert.ok(box.height >= 48 && box.width >= 280, `a big touch target: ${JSON.stringify(box)}`);
    await card.locator('label', { hasText: '연락이 닿지 않았습니다' }).click();
    assert.equal(await radio.isChecked(), true);
    await card.getByRole('textbox', { name: /메모/ }).fill('두 번 전화했으나 받지 않음');
    await check(page, 'checkins-caregiver-form', 360);
    await card.getByRole('button', { name: '결과 저장' }).click();
    await status(page, '“연락이 닿지 않았습니다”(으)로 저장했습니다.');
    await status(page, '조치 1단계(돌봄이웃 재확인)');
    await page.locator('.care-resident', { hasText: '홀로사는' }).getByText('조치 1단계', { exact: true }).waitFor();
    await check(page, 'checkins-caregiver-saved', 360);
    assertClean(problems, 'caregiver check-ins');
    await context.close();
  }

  // The care team of the dong sees the escalation, its step and time, opens the record, closes it.
  for (const width of [1280, 360]) {
    const { page, context, problems } = await asRole('care_team', width);
    await goto(page, `${server.url}/staff/checkins`);
    const esc = page.locator('.care-esc');
    await esc.first().waitFor();
    assert.equal(await esc.count(), 1);
    assert.match(await esc.locator('[data-field=esc-step]').textContent(), /1단계 · 돌봄이웃 재확인/);
    assert.match(await esc.textContent(), /연락이 닿지 않음/);
    assert.match(await esc.locator('[data-field=esc-time]').textContent(), /이 단계에 머문 시간: .*\..*뒤 “동 돌봄팀 전화” 단계로 넘어갑니다/);
    assert.equal(await esc.locator('.care-ladder li[aria-current=step]').textContent().then((x) => /돌봄이웃 재확인/.test(x)), true);
    // The dong's assignments: this one, with its caregiver and step, and no name in the list.
    const asg = page.locator('.care-assignments .care-card');
    await asg.first().waitFor();
    assert.equal(await asg.count(), 1);
    // The caregiver is named, not numbered.
    await asg.locator('[data-field=caregiver]', { hasText: server.account('caregiver').name }).waitFor();
    assert.match(await asg.textContent(), /매일 \(24시간마다\)/);
    assert.doesNotMatch(await asg.textContent(), /계정 \d+번/);
    assert.match(await asg.textContent(), /조치 1단계/);
    assert.doesNotMatch(await asg.textContent(), /홀로사는/);
    await check(page, 'checkins-careteam', width);
    if (width === 360) {
      await esc.getByRole('button', { name: /대상자 정보·기록 보기/ }).click();
      // The record opens with the reason the care team member picks.
      await esc.getByRole('group', { name: '열람 사유' }).waitFor();
      await check(page, 'checkins-careteam-reason', width);
      assert.equal(await esc.locator(`#care-esc-${await esc.getAttribute('data-id')}-reason-reason`).isChecked(), true, 'the first reason is chosen');
      await esc.getByRole('button', { name: '대상자 정보 열기' }).click();
      // What the step-2 call needs: the name, the phone and the results; not the address or the caregiver's note.
      const detail = esc.locator('.care-detail', { hasText: '010-5550-1234' });
      await detail.waitFor();
      assert.match(await detail.textContent(), /연락이 닿지 않았습니다/);
      assert.doesNotMatch(await detail.textContent(), /두 번 전화했으나|은행로 9 101호/);
      assert.match(await esc.locator('.care-card-title').textContent(), /홀로사는/);
      await check(page, 'checkins-careteam-detail', width);
      await esc.getByRole('button', { name: '확인 결과 기록 (홀로사는)' }).click();
      await esc.locator('label', { hasText: '잘 지내십니다' }).click();
      await esc.getByRole('button', { name: '결과 저장' }).click();
      await status(page, '진행 중이던 조치가 있었다면 마쳤습니다.');
      await page.getByText('지금 조치가 필요한 분이 없습니다.').waitFor();
      const reads = (await call(server, 'GET', `/api/v1/admin/access-log?person_id=${person.json.id}`, { session: admin })).json.items
        .filter((x) => x.action === 'read' && Number(x.actor_account_id) === Number(server.account('care_team').account_id));
      assert.deepEqual(reads.map((x) => x.reason), ['안부 확인 미응답 대응'], JSON.stringify(reads));
    }
    assertClean(problems, `care team ${width}`);
    await context.close();
  }
});

test('screening: seeded indicators, a round run from the page, reasons, outcomes and precision', async () => {
  const month = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 7);
  const rows = ['household_key,dong,indicator,value,period'];
  for (const ind of ['electricity_cutoff', 'health_insurance_arrears', 'job_loss']) rows.push(`K1,${dongs[0].code},${ind},1,${month}`);
  for (const ind of ['gas_cutoff', 'single_elderly']) rows.push(`K2,${dongs[0].code},${ind},1,${month}`);
  rows.push(`K3,${dongs[0].code},telecom_arrears,1,${month}`);
  rows.push(`K4,${dongs[1].code},water_cutoff,1,${month}`, `K4,${dongs[1].code},job_loss,1,${month}`);
  const up = await call(server, 'POST', '/api/v1/screening/indicators', { session: admin, body: rows.join('\n') + '\n', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(up.status, 200, up.text);
  // Two households people reported, linked to the institutions' keys: K1 (in the data) and one the data never saw.
  for (const [n, key] of [[1, 'K1'], [2, 'NEVER-SEEN']]) {
    const r = await call(server, 'POST', '/api/v1/outreach/intake', {
      session: admin, body: { channel: 'hotline', dong_id: dongs[0].id, address: `제보로 ${n}`, concern: `전화 제보 ${n}`, urgency: 'high' } });
    assert.equal(r.status, 201, r.text);
    const l = await call(server, 'PUT', `/api/v1/outreach/households/${r.json.household_id}/household_key`, { session: admin, body: { household_key: key } });
    assert.equal(l.status, 200, l.text);
  }

  const { page, context, problems } = await asRole('district_admin', 1280);
  await goto(page, `${server.url}/staff/screening`);
  await page.getByRole('heading', { level: 1, name: '위기가구 선별' }).waitFor();
  await page.getByText('아직 선별한 회차가 없습니다.').waitFor();
  // The server's validation, next to the field.
  await page.getByLabel('자료 기간 시작 (월)').fill('2020-01');
  await page.getByLabel('자료 기간 끝 (월)').fill('2019-01');
  await page.getByRole('button', { name: '선별 실행' }).click();
  await page.locator('.error-summary a', { hasText: '자료 기간 시작이 끝보다 늦습니다.' }).waitFor();
  assert.equal(await page.locator('#care-run-from').getAttribute('aria-invalid'), 'true');
  await check(page, 'screening-error', 1280);
  await page.getByLabel('자료 기간 시작 (월)').fill(month);
  await page.getByLabel('자료 기간 끝 (월)').fill(month);
  await page.getByLabel('최소 점수 (%)').fill('0');
  await page.getByRole('button', { name: '선별 실행' }).click();
  await page.waitForURL(/\/staff\/screening\/\d+$/);
  const roundId = page.url().split('/').pop();
  await page.getByRole('heading', { level: 1, name: `${roundId}회차 선별 결과` }).waitFor();
  const first = page.locator('.care-hh').first();
  await first.waitFor();
  assert.equal(await page.locator('.care-hh').count(), 4);
  // The top household of the first dong: three reasons, in words, with contributions.
  const top = page.locator('.care-dong-group').first().locator('.care-hh').first();
  assert.match(await top.locator('.care-card-title').textContent(), /1위/);
  assert.equal(await top.locator('.care-why li').count(), 3);
  const sentence = await top.locator('.care-why-sentence').textContent();
  assert.match(sentence, /단전/);
  assert.match(sentence, /때문에 목록에 올랐습니다/);
  assert.match(await top.locator('.care-why').textContent(), /\+\d\.\d\d/);
  assert.equal(await page.locator('[data-field=precision] .stat-card-value').textContent(), '아직 판정 없음');
  // The share of reported households the data alone missed: one of the two linked.
  assert.equal(await page.locator('[data-field=missed_by_data] .stat-card-value').textContent(), '50%');
  assert.match(await page.locator('[data-field=missed_by_data]').textContent(), /기관 가구 번호를 연결한 2가구: 선별이 찾음 1 · 놓침 1/);
  await check(page, 'screening-round', 1280);

  // Outcomes: supported, then not in need → precision 100 %, then 50 %.
  await top.getByLabel(/확인 결과/).selectOption('supported_public');
  await top.getByRole('button', { name: /결과 저장/ }).click();
  await status(page, '“공적 급여로 지원”(으)로 저장했습니다.');
  await page.locator('[data-field=precision] .stat-card-value', { hasText: '100%' }).waitFor();
  const second = page.locator('.care-dong-group').first().locator('.care-hh').nth(1);
  await second.getByLabel(/확인 결과/).selectOption('not_in_need');
  await second.getByRole('button', { name: /결과 저장/ }).click();
  await page.locator('[data-field=precision] .stat-card-value', { hasText: '50%' }).waitFor();
  assert.match(await page.locator('[data-field=precision]').textContent(), /지원 1 ÷ \(지원 1 \+ 위기 아님 1\)/);
  assert.equal(await page.locator('.care-dong-group').first().locator('.care-hh').first().locator('[data-field=outcome]').textContent(), '공적 급여로 지원');
  const rep = (await call(server, 'GET', `/api/v1/screening/rounds/${roundId}`, { session: admin })).json.report;
  assert.equal(rep.precision, 0.5);
  // The household key for a visit (logged).
  await top.getByRole('button', { name: /방문용 가구 번호 보기/ }).click();
  await top.getByRole('group', { name: '열람 사유' }).waitFor();
  await expectNoSerious(page, 'screening key reason');
  await top.locator('label', { hasText: '위기 가구 방문 확인' }).click();
  await top.getByRole('button', { name: '가구 번호 열기' }).click();
  await top.locator('.care-key-value', { hasText: 'K1' }).waitFor();
  const keyItem = Number(await top.getAttribute('data-id'));
  const keyReads = (await call(server, 'GET', '/api/v1/admin/access-log', { session: admin })).json.items
    .filter((x) => x.subject_kind === 'screening_item' && Number(x.subject_id) === keyItem);
  assert.deepEqual(keyReads.map((x) => x.reason), ['위기 가구 방문 확인'], JSON.stringify(keyReads));
  // The rounds list links to it.
  await goto(page, `${server.url}/staff/screening`);
  await page.getByRole('link', { name: `결과 보기 (${roundId}회차)` }).waitFor();
  await check(page, 'screening', 1280);
  assertClean(problems, 'screening admin');
  await context.close();

  // A dong caseworker on a phone: only their dong, cards, no sideways scrolling.
  {
    const { page, context, problems } = await asRole('caseworker', 360);
    await goto(page, `${server.url}/staff/screening`);
    await page.getByText('회차 실행과 위기정보 자료 올리기는 구 전체를 맡은 담당자만 할 수 있습니다.').waitFor();
    await check(page, 'screening', 360);
    await goto(page, `${server.url}/staff/screening/${roundId}`);
    await page.locator('.care-hh').first().waitFor();
    assert.equal(await page.locator('.care-hh').count(), 3, 'only the caseworker’s dong');
    await check(page, 'screening-round', 360);
    assertClean(problems, 'screening caseworker');
    await context.close();
  }
});

test('surveys: an interview entered on a phone raises flags and shows in the report', async () => {
  const { page, context, problems } = await asRole('care_team', 360);
  await goto(page, `${server.url}/staff/surveys`);
  await page.getByRole('heading', { level: 1, name: '현장 조사' }).waitFor();
  await page.getByText('응답 목록과 후속 조치는 동 복지 담당 공무원이 봅니다.').waitFor();
  await check(page, 'surveys-careteam', 360);
  await page.getByRole('link', { name: /현장 조사 입력/ }).click();
  await page.waitForURL(`${server.url}/staff/surveys/living_conditions_50plus/new`);
  await page.getByRole('heading', { level: 2, name: '응답자 정보' }).waitFor();
  // Client checks first: nothing filled in.
  await page.getByRole('button', { name: '다음' }).click();
  await page.locator('.error-summary a', { hasText: '응답자 이름을 입력해 주세요.' }).waitFor();
  await check(page, 'survey-entry-error', 360);
  assert.equal(await page.getByLabel('동', { exact: true }).inputValue(), String(myDong), 'the only dong is chosen');
  await page.getByLabel('응답자 이름').fill('김외로');
  await page.getByLabel('주소', { exact: true }).fill('한빛구 은행로 21 3층');
  await page.getByLabel('휴대전화번호').fill('010-5550-2121');
  await page.getByLabel('출생 연도').fill('1957');
  await page.getByRole('button', { name: '다음' }).click();
  const answers = {
    '하루에 식사를 몇 번 하시나요?': '한 끼 이하',
    '요즘 건강은 어떠신가요?': '보통',
    '아픈데 병원에 가지 못하고 있나요?': '아니요',
    '가족·이웃과 얼마나 자주 연락하시나요?': '한 달에 한 번 정도',
    '급할 때 연락할 사람이 있나요?': '예',
  };
  let shot = false;
  for (const [q, a] of Object.entries(answers)) {
    await page.getByRole('heading', { level: 2, name: q }).waitFor();
    if (!shot) {
      // Required: "다음" without an answer is refused.
      await page.getByRole('button', { name: '다음' }).click();
      await page.locator('.error-summary a', { hasText: `“${q}”에 답해 주세요.` }).waitFor();
      assert.match(await page.locator('.care-fieldset .form-hint-invalid').textContent(), /에 답해 주세요/);
      await check(page, 'survey-entry-question', 360);
      shot = true;
    }
    const label = page.locator('.elig-option label', { hasText: a }).first();
    const box = await label.boundingBox();
    assert.ok(box.height >= 48, `large control for ${a}: ${box.height}`);
    await label.click();
    await page.getByRole('button', { name: '다음' }).click();
  }
  await page.getByRole('heading', { level: 2, name: '밀린 월세·관리비·공과금이 몇 달 치인가요? (선택)' }).waitFor();
  await page.getByLabel(/밀린 월세/).fill('3');
  await page.getByRole('button', { name: '다음' }).click();
  for (const [q, a] of Object.entries({
    '겨울에 난방을 충분히 하실 수 있나요?': '예',
    '최근 2주 동안 기분이 가라앉거나 희망이 없다고 느끼셨나요?': '거의 매일',
    '복지 서비스 안내나 도움을 받고 싶으신가요?': '예',
  })) {
    await page.getByRole('heading', { level: 2, name: q }).waitFor();
    await page.locator('.elig-option label', { hasText: a }).first().click();
    await page.getByRole('button', { name: '다음' }).click();
  }
  await page.getByRole('heading', { level: 2, name: '조사원 메모 (선택)' }).waitFor();
  await page.getByLabel('조사원 메모').fill('냉장고가 비어 있음');
  await page.getByRole('button', { name: '답변 확인하기' }).click();
  await page.getByRole('heading', { level: 2, name: '답변을 확인해 주세요' }).waitFor();
  assert.match(await page.locator('.care-review').textContent(), /한 끼 이하/);
  await check(page, 'survey-entry-review', 360);
  await page.getByRole('button', { name: '조사 저장' }).click();
  await page.getByRole('heading', { level: 2, name: /조사를 저장했습니다/ }).waitFor();
  const flags = await page.locator('[data-field=flags] .care-flag').allTextContents();
  assert.deepEqual(flags, ['끼니 거름', '공과금·월세 체납', '우울·정신건강', '도움 요청']);
  await page.getByText('긴급: 오늘 안에 조치가 필요합니다').waitFor();
  // Flagged: filed into the dong's triage queue, with a receipt number.
  assert.match(await page.locator('[data-field=filed]').textContent(), /접수 목록에 올렸습니다 \(접수번호 \d{6}-[A-Z0-9]{7}\)/);
  await check(page, 'survey-entry-saved', 360);
  assertClean(problems, 'survey entry');
  await context.close();

  // Nothing is public until a district administrator publishes a snapshot from the page.
  {
    const { page, context, problems } = await asRole('district_admin', 1280);
    await goto(page, `${server.url}/staff/surveys`);
    await page.locator('#care-srep-date', { hasText: '아직 공표된 결과가 없습니다.' }).waitFor();
    await page.getByRole('button', { name: '지금 결과 공표' }).click();
    await page.getByText('새 결과를 공표했습니다.').waitFor();
    assert.match(await page.locator('#care-srep-date').textContent(), /공표 기준/);
    await check(page, 'surveys-published', 1280);
    assertClean(problems, 'surveys publish');
    await context.close();
  }

  // The official sees it in the report (one interview: every count withheld) and the list, opens
  // it (logged) and records the follow-up.
  for (const width of [1280, 360]) {
    const { page, context, problems } = await asRole('caseworker', width);
    await goto(page, `${server.url}/staff/surveys`);
    await page.locator('[data-field=surveyed] .stat-card-value', { hasText: /^비공개$/ }).waitFor();
    assert.equal(await page.locator('[data-field=newly_discovered] .stat-card-value').textContent(), '비공개');
    assert.match(await page.locator('#care-srep-date').textContent(), /공표 기준/, 'the snapshot date');
    assert.equal(await page.getByRole('button', { name: '지금 결과 공표' }).count(), 0, 'a dong caseworker does not publish');
    assert.match(await page.locator('.care-table').first().textContent(), /끼니 거름비공개/);
    const resp = page.locator('.care-response').first();
    await resp.waitFor();
    assert.match(await resp.textContent(), /긴급/);
    assert.ok(!(await resp.textContent()).includes('김외로'), 'the list carries no names');
    assert.match(await resp.getByRole('link', { name: /접수된 가구 기록 보기/ }).getAttribute('href'), /^\/staff\/households\/\d+$/);
    if (width === 1280) {
      await resp.getByRole('button', { name: /응답 내용 보기/ }).click();
      await resp.getByRole('group', { name: '열람 사유' }).waitFor();
      await expectNoSerious(page, 'survey response reason');
      await resp.locator('label', { hasText: '담당 가구 후속 조치' }).click();
      await resp.getByRole('button', { name: '응답 내용 열기' }).click();
      await resp.locator('.care-detail', { hasText: '김외로' }).waitFor();
      const respId = Number(await resp.getAttribute('data-id'));
      const respReads = (await call(server, 'GET', '/api/v1/admin/access-log', { session: admin })).json.items
        .filter((x) => x.subject_kind === 'survey_response' && Number(x.subject_id) === respId);
      assert.deepEqual(respReads.map((x) => x.reason), ['담당 가구 후속 조치'], JSON.stringify(respReads));
      assert.match(await resp.locator('.care-detail').textContent(), /냉장고가 비어 있음/);
      await resp.getByLabel(/후속 조치/).selectOption('supported');
      await resp.getByRole('button', { name: /^저장/ }).click();
      await status(page, '“지원 연계함”(으)로 저장했습니다.');
      await page.locator('.care-response .care-badge', { hasText: '지원 연계함' }).waitFor();
      // The public report is the snapshot: the follow-up shows once published, and 1 stays withheld.
      const before = (await call(server, 'GET', '/api/v1/surveys/living_conditions_50plus/report')).json;
      assert.equal(before.supported, null, 'one respondent: withheld');
      const pub = await call(server, 'POST', '/api/v1/surveys/living_conditions_50plus/report/snapshots', { session: admin, body: {} });
      assert.equal(pub.status, 201, pub.text);
      assert.equal(pub.json.supported, null);
      await page.reload();
      await page.locator('[data-field=supported] .stat-card-value', { hasText: /^비공개$/ }).waitFor();
    }
    await check(page, 'surveys', width);
    assertClean(problems, `surveys ${width}`);
    await context.close();
  }
});

test('gatekeepers: the registry lists, registers (server errors by the field) and edits', async () => {
  const g = await call(server, 'POST', '/api/v1/outreach/gatekeepers', {
    session: cw, body: { kind: 'partner_worker', occupation: 'postal', organization: '한빛우체국', name: '박집배', phone: '010-5550-3030', dong_id: myDong, training_date: '2025-02-01' } });
  assert.equal(g.status, 201, g.text);
  for (const width of [1280, 360]) {
    const { page, context, problems } = await asRole('caseworker', width);
    await goto(page, `${server.url}/staff/gatekeepers`);
    await page.getByRole('heading', { level: 1, name: '게이트키퍼 명부' }).waitFor();
    const row = page.locator('.care-gk-table tbody tr', { hasText: '박집배' });
    await row.waitFor();
    assert.match(await row.textContent(), /한빛우체국/);
    assert.match(await row.textContent(), /협력기관 종사자/);
    assert.match(await row.textContent(), /집배원/);
    assert.match(await row.textContent(), /2025-02-01/);
    await check(page, 'gatekeepers', width);
    if (width === 1280) {
      await page.getByRole('button', { name: '게이트키퍼 등록' }).click();
      const form = page.locator('.care-gk-form');
      await form.locator('label', { hasText: '명예사회복지공무원' }).click();
      await form.getByLabel('이름').fill('최통장');
      await form.getByLabel('연락처').fill('12345');
      await form.getByLabel('직업').selectOption('neighbour');
      await form.getByLabel('소속 기관').fill('은행동 통장협의회');
      await form.getByRole('button', { name: '등록하기' }).click();
      await page.locator('.error-summary a', { hasText: '연락처 형식이 올바르지 않습니다.' }).waitFor();
      assert.equal(await page.locator('#care-gkf-phone').getAttribute('aria-invalid'), 'true');
      await check(page, 'gatekeepers-error', width);
      await form.getByLabel('연락처').fill('010-5550-4040');
      await form.getByRole('button', { name: '등록하기' }).click();
      await status(page, '최통장님을 명부에 등록했습니다.');
      await page.locator('.care-gk-table tbody tr', { hasText: '최통장' }).waitFor();
      // Edit: agreement date, then inactive.
      await page.locator('.care-gk-table tbody tr', { hasText: '최통장' }).getByRole('button', { name: '수정 (최통장)' }).click();
      await page.getByRole('heading', { name: '최통장님 정보 수정' }).waitFor();
      await page.getByText(/이 분의 제보: 접수 0건/).waitFor();
      await page.getByLabel('협약일').fill('2025-03-02');
      await page.locator('label[for=care-gkf-active]').click();
      await page.getByRole('button', { name: '저장하기' }).click();
      await status(page, '최통장님의 정보를 저장했습니다.');
      const edited = page.locator('.care-gk-table tbody tr', { hasText: '최통장' });
      await edited.getByText('활동 중지').waitFor();
      assert.match(await edited.textContent(), /2025-03-02/);
    }
    assertClean(problems, `gatekeepers ${width}`);
    await context.close();
  }
});

test('who may open what: a caregiver cannot open screening, surveys or the registry; logged out sees the login prompt', async () => {
  const { page, context, problems } = await asRole('caregiver', 360);
  for (const [path, title] of [['/staff/screening', '위기가구 선별'], ['/staff/screening/1', '1회차 선별 결과'], ['/staff/gatekeepers', '게이트키퍼 명부'], ['/staff/surveys', '현장 조사']]) {
    await goto(page, `${server.url}${path}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('heading', { level: 2, name: '권한이 없습니다' }).waitFor();
    await page.getByRole('link', { name: '업무 화면으로 돌아가기' }).waitFor();
  }
  await goto(page, `${server.url}/staff/screening`);
  await page.getByRole('heading', { level: 2, name: '권한이 없습니다' }).waitFor();
  await check(page, 'screening-caregiver', 360);
  assertClean(problems, 'caregiver');
  await context.close();

  const anon = await openPage(browser, { width: 360 });
  await goto(anon.page, `${server.url}/staff/checkins`);
  await anon.page.getByText('이 업무 화면을 보려면 로그인해 주세요.').waitFor();
  assert.equal(await anon.page.getByRole('link', { name: '로그인', exact: true }).last().getAttribute('href'), '/login?next=%2Fstaff%2Fcheckins');
  await check(anon.page, 'checkins-anon', 360);
  await anon.context.close();
});

test('the largest text, high contrast and English at 360 px: nothing scrolls sideways, axe clean', async () => {
  const { page, context, problems } = await asRole('district_admin', 360);
  for (const [lang, size, contrast] of [['ko', 'xl', '0'], ['ko', 'md', '1'], ['en', 'md', '0']]) {
    await page.evaluate(([l, z, c]) => {
      localStorage.setItem('dure.lang', l); localStorage.setItem('dure.textSize', z); localStorage.setItem('dure.highContrast', c);
    }, [lang, size, contrast]);
    for (const path of ['/staff/checkins', '/staff/screening', '/staff/screening/1', '/staff/surveys', '/staff/surveys/living_conditions_50plus/new', '/staff/gatekeepers']) {
      await goto(page, `${server.url}${path}`);
      await page.locator('h1').waitFor();
      await page.waitForLoadState('networkidle');
      const name = `${lang}-${size}${contrast === '1' ? '-contrast' : ''}${path.replace(/\//g, '-')}`;
      await expectNoOverflow(page, name);
      if (lang === 'en' || contrast === '1') await expectNoSerious(page, name);
      await page.screenshot({ path: `/tmp/care-${name}.png`, fullPage: true });
    }
  }
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Gatekeeper registry');
  assertClean(problems, 'xl and English');
  await context.close();
});
