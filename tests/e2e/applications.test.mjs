// Online applications in the browser (Korean first): from a service page's "온라인 신청" to a saved
// and resumed draft, a document upload, errors that name the field, and a receipt number; the
// resident's 나의 신청; the official's queue (opened with a reason) deciding with a written reason;
// the hand-over page of a national program. axe-core serious/critical clean, no sideways scrolling
// at 360 px with the largest text, screenshots at 360 and 1280 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { call } from '../http/_client.mjs';
import { launchBrowser, openPage, goto, assertClean, loginThroughForm, expectNoSerious, expectNoOverflow } from './_browser.mjs';

let server, browser, serviceId;
const shot = (name) => path.join(process.env.DURE_SCREENSHOTS || server.dir, name);
// The KRDS radio or checkbox is drawn by its label: click the label, as a person does.
const pick = (page, text) => page.locator('.krds-form-check label').filter({ hasText: text }).click();
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 0x20), Buffer.from('\n%%EOF\n')]);

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const r = await call(server, 'GET', `/api/v1/services?q=${encodeURIComponent('한빛구 어르신 난방비 지원')}`);
  serviceId = (r.json.items || r.json.services || []).find((s) => s.name === '한빛구 어르신 난방비 지원')?.id;
  assert.ok(serviceId, r.text.slice(0, 300));
});
after(async () => { await browser?.close(); await server?.stop(); });

test('a resident on a phone with the largest text applies online: draft resumed, errors named, receipt number', async () => {
  const { page, context, problems } = await openPage(browser, { width: 360, height: 740 });
  await context.addInitScript(() => { try { localStorage.setItem('dure.textSize', 'xl'); } catch { /* */ } });
  await loginThroughForm(page, server.url, server.account('resident'));
  await goto(page, `${server.url}/services/${serviceId}`);
  await page.getByRole('heading', { level: 1, name: '한빛구 어르신 난방비 지원' }).waitFor();
  await page.getByRole('link', { name: '온라인 신청', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '겨울철 난방비 긴급 지원' }).waitFor();
  await page.getByLabel(/사는 동/).selectOption({ label: '은행동' });
  await page.getByLabel(/신청인 이름/).fill('김하나');
  await page.getByLabel(/연락받을 전화번호/).fill('010-1234-5678');
  await page.getByLabel(/가구원 수/).fill('2');
  await pick(page, '연탄');
  assert.ok(await page.getByRole('radio', { name: '연탄' }).isChecked());
  await page.getByLabel(/지금 형편/).fill('12월 가스비가 밀려 난방을 못 하고 있습니다.');
  await page.getByRole('button', { name: '임시 저장' }).click();
  await page.getByText('저장했습니다. 나중에 이어서 쓰실 수 있습니다.').waitFor();
  // Resumed from the server after a reload.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: '겨울철 난방비 긴급 지원' }).waitFor();
  assert.equal(await page.getByLabel(/신청인 이름/).inputValue(), '김하나');
  // Submitting without the consent and the ID copy: both named, in Korean.
  await page.getByRole('button', { name: '제출하기' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  const text = await summary.innerText();
  assert.match(text, /신분증 사본: 입력해 주세요/);
  assert.match(text, /개인정보 수집·이용 동의: 동의해 주셔야/);
  await expectNoSerious(page, 'apply errors 360');
  await expectNoOverflow(page, 'apply errors 360 xl');
  // A wrong file is refused with a Korean message.
  await page.getByLabel(/신분증 사본/).setInputFiles({ name: 'virus.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not a pdf') });
  await page.getByText(/PDF, JPG, PNG 파일만 올릴 수 있습니다/).first().waitFor();
  await page.getByLabel(/신분증 사본/).setInputFiles({ name: 'id.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByText(/올린 파일: PDF/).waitFor();
  await pick(page, '동의합니다');
  await page.screenshot({ path: shot('applications-form-360.png'), fullPage: true });
  await page.getByRole('button', { name: '제출하기' }).click();
  await page.getByRole('heading', { level: 2, name: '신청이 접수되었습니다' }).waitFor();
  const receipt = await page.locator('.app-receipt strong').innerText();
  assert.match(receipt, /^20\d\d-\d{6}$/);
  await expectNoSerious(page, 'receipt 360');
  await expectNoOverflow(page, 'receipt 360 xl');
  await page.getByRole('status').getByRole('link', { name: '나의 신청' }).click();
  await page.getByRole('heading', { level: 1, name: '나의 신청' }).waitFor();
  await page.getByText(`접수번호 ${receipt}`).waitFor();
  assert.ok(await page.getByText('접수됨').first().isVisible());
  await expectNoSerious(page, 'my applications 360');
  await expectNoOverflow(page, 'my applications 360 xl');
  await page.screenshot({ path: shot('applications-mine-360.png'), fullPage: true });
  assertClean(problems, 'resident applies');
  await context.close();
});

test('the official of the dong opens it with a reason and decides with a written reason; the resident reads it', async () => {
  const { page, context, problems } = await openPage(browser, { width: 1280 });
  await loginThroughForm(page, server.url, server.account('caseworker'));
  await goto(page, `${server.url}/staff/applications`);
  await page.getByRole('heading', { level: 1, name: '온라인 신청 처리' }).waitFor();
  await expectNoSerious(page, 'queue 1280');
  await page.getByRole('link', { name: /겨울철 난방비 긴급 지원/ }).first().click();
  await page.getByLabel('열람 사유').fill('신청 검토');
  await page.getByRole('button', { name: '신청서 열기' }).click();
  await page.getByText('김하나').waitFor();
  await page.getByRole('button', { name: '검토 시작' }).click();
  await page.getByText('처리했습니다').waitFor();
  await page.getByRole('button', { name: '결정하기' }).click();
  await page.locator('.error-summary').getByText('결정 사유: 입력해 주세요').waitFor();
  await page.locator('.error-summary').getByText('결과: 입력해 주세요').waitFor();
  await pick(page, '승인');
  await page.getByLabel(/결정 사유/).fill('연탄 난방 가구로 지원 기준에 맞습니다.');
  await page.getByRole('button', { name: '결정하기' }).click();
  await page.getByText(/결정됨 · 승인/).first().waitFor();
  await expectNoSerious(page, 'decided 1280');
  await page.screenshot({ path: shot('applications-staff-1280.png'), fullPage: true });
  assertClean(problems, 'staff decides');
  await context.close();
  const r = await openPage(browser, { width: 360 });
  await loginThroughForm(r.page, server.url, server.account('resident'));
  await goto(r.page, `${server.url}/me/applications`);
  await r.page.getByText('결정 사유: 연탄 난방 가구로 지원 기준에 맞습니다.').waitFor();
  await expectNoSerious(r.page, 'decided, resident 360');
  await expectNoOverflow(r.page, 'decided, resident 360');
  await r.page.screenshot({ path: shot('applications-decided-360.png'), fullPage: true });
  await r.context.close();
});

test('a national program hands over: a checklist and the official portal, nothing sent', async () => {
  for (const width of [360, 1280]) {
    const { page, context, problems } = await openPage(browser, { width });
    await goto(page, `${server.url}/apply/handover/basic_pension`);
    await page.getByRole('heading', { level: 1, name: '기초연금 신청 준비하기' }).waitFor();
    assert.ok(await page.getByText('본인 명의 통장 사본').isVisible());
    assert.equal(await page.getByRole('link', { name: /복지로에서 신청하기/ }).getAttribute('href'), 'https://www.bokjiro.go.kr');
    assert.ok(await page.getByText(/어떤 정보도 신청 누리집으로 보내지 않습니다/).isVisible());
    await expectNoSerious(page, `handover ${width}`);
    await expectNoOverflow(page, `handover ${width}`);
    await page.screenshot({ path: shot(`applications-handover-${width}.png`), fullPage: true });
    assertClean(problems, `handover ${width}`);
    await context.close();
  }
});
