// Legal-access standard journey in headless Chromium (issue 13): the province opens this
// year's assessment round and a satisfaction survey for Phường Đông Kinh; a citizen answers it
// on a 360 px phone without an account; xa1, on a 360 px phone, sees the survey result
// prefilled, hits a validation error, enters its figures, uploads one evidence file, posts the
// self-assessment and sends the dossier; a citizen reads
// the posted result without an account; tinh, for the council, adjusts one indicator with a
// reason, records the meeting and the decision, and downloads the decision DOCX; the public
// page lists the commune as recognised.
//
//   BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=… DB_LABEL=sqlite node --test tests/browser/
//
// Needs a fresh demo database (the round can be opened once).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  DEMO_PASSWORD, DESKTOP, MOBILE,
  bothWidths, checkPage, clickAndWait, launch, login, newContext, pathOf, requireEnv,
  journeySteps,
} from './support.mjs';

const YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date());
const COMMUNE = 'Phường Đông Kinh';
// QĐ 27/2025: the yes/no indicators; the others are ratios.
const YES_NO = ['1-1', '1-2', '2-1', '2-3'];
const RATIOS = ['1-3', '1-4', '1-5', '2-2', '2-4', '2-5', '3-1', '3-2', '3-3', '3-4'];

describe('legal-access journey: round, self-assessment on a phone, posting, review, decision, public list', () => {
  let browser;
  let tinh;
  let roundPath;
  let assessmentPath;
  let surveyLink;

  const step = journeySteps(test);

  before(async () => {
    requireEnv();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  step('1. tinh opens this year\'s round', async () => {
    tinh = await (await newContext(browser, { viewport: DESKTOP })).newPage();
    assert.equal((await login(tinh, 'tinh', DEMO_PASSWORD)).status(), 200);
    await tinh.goto('/chuan-tiep-can');
    await checkPage(tinh, 'legal-access index');
    assert.equal(await tinh.getByLabel('Năm đánh giá').inputValue(), YEAR);
    const r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Mở đợt đánh giá' }));
    assert.equal(r.status(), 200);
    await assert.doesNotReject(tinh.getByText('Đã mở đợt đánh giá.').waitFor());
    roundPath = pathOf(tinh).replace(/\?.*$/, '');
    assert.match(roundPath, /^\/chuan-tiep-can\/dot\/\d+$/);
    await bothWidths(tinh, 'legal-access-round-open');
  });

  step('1b. tinh creates the satisfaction survey for the commune from the template and publishes it', async () => {
    await tinh.goto('/phieu-khao-sat');
    await checkPage(tinh, 'surveys index');
    const audience = await tinh.locator('#tpl-audience option', { hasText: COMMUNE }).first().getAttribute('value');
    await tinh.locator('#tpl-audience').selectOption(audience);
    let r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Tạo từ mẫu' }));
    assert.equal(r.status(), 200);
    r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Lưu và công bố' }));
    assert.equal(r.status(), 200, await tinh.content());
    surveyLink = await tinh.locator('a[href^="/khao-sat/"]').first().getAttribute('href');
    assert.match(surveyLink, /^\/khao-sat\/[0-9a-f]+$/);
  });

  step('1c. a citizen answers the survey on a 360 px phone, with no account', async () => {
    const page = await (await newContext(browser, { viewport: MOBILE })).newPage();
    const r0 = await page.goto(surveyLink);
    assert.equal(r0.status(), 200);
    await checkPage(page, 'public survey (phone)');
    // Every single-choice question: "Hài lòng" where offered, else the first option.
    const groups = page.locator('fieldset');
    for (let i = 0; i < await groups.count(); i += 1) {
      const g = groups.nth(i);
      const radios = g.locator('input[type=radio]');
      if (await radios.count() === 0) continue;
      const happy = g.locator('input[type=radio][value="Hài lòng"]');
      await ((await happy.count()) > 0 ? happy.first() : radios.first()).check();
    }
    const commune = page.locator('#commune');
    if (await commune.count() > 0) {
      const v = await page.locator('#commune option', { hasText: COMMUNE }).first().getAttribute('value');
      await commune.selectOption(v);
    }
    const r = await clickAndWait(page, page.getByRole('button', { name: 'Gửi câu trả lời' }));
    assert.equal(r.status(), 200);
    assert.match(pathOf(page), /\/cam-on$/);
    await page.context().close();
  });

  step('2. xa1 self-assesses on a phone, with an error first and one evidence file', async () => {
    const page = await (await newContext(browser, { viewport: MOBILE })).newPage();
    assert.equal((await login(page, 'xa1', DEMO_PASSWORD)).status(), 200);
    const todo = page.locator('ul.todo a').filter({ hasText: `Tự đánh giá chuẩn tiếp cận pháp luật năm ${YEAR}` });
    assert.equal(await todo.count(), 1, 'the self-assessment is a thing to do on the home page');
    await clickAndWait(page, todo);
    assessmentPath = pathOf(page).replace(/\?.*$/, '');
    assert.match(assessmentPath, /^\/chuan-tiep-can\/\d+$/);
    await checkPage(page, 'self-assessment (empty)');
    // The figures pbgdpl already holds are offered with their source: the satisfaction survey
    // (indicator 3.4, prefilled with satisfied / answered) and the plans issued (2.1).
    await assert.doesNotReject(page.locator('#ct-2-1 .prefilled').waitFor());
    assert.match(await page.locator('#ct-3-4 .prefilled').innerText(), /Kết quả khảo sát/);
    assert.match(await page.locator('#n-3-4').inputValue(), /^\d+$/, 'satisfied answers prefilled');
    assert.match(await page.locator('#d-3-4').inputValue(), /^\d+$/, 'answered prefilled');
    // A numerator above its denominator: the error is beside the field and in the summary.
    await page.locator('#n-1-3').fill('12');
    await page.locator('#d-1-3').fill('10');
    let r = await clickAndWait(page, page.getByRole('button', { name: 'Lưu và tính kết quả' }));
    assert.equal(r.status(), 422);
    await assert.doesNotReject(page.locator('.error-summary a[href="#n-1-3"]').waitFor());
    assert.equal(await page.locator('#n-1-3').inputValue(), '12', 'typed value kept');
    await bothWidths(page, 'legal-access-validation');
    for (const k of YES_NO) await page.locator(`#y-${k}`).selectOption('co');
    for (const k of RATIOS) {
      await page.locator(`#n-${k}`).fill(k === '2-4' ? '6' : '10');
      await page.locator(`#d-${k}`).fill('10');
    }
    r = await clickAndWait(page, page.getByRole('button', { name: 'Lưu và tính kết quả' }));
    assert.equal(r.status(), 200);
    assert.equal((await page.locator('#own-result').innerText()).trim(), 'Đạt 13/14 chỉ tiêu');
    // One evidence file for indicator 1.1.
    await page.locator('#ev-indicator').selectOption('1.1');
    await page.getByLabel('Tên tài liệu').fill('Nghị quyết số 01/NQ-HĐND');
    await page.locator('#ev-file').setInputFiles({ name: 'nghi-quyet.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n') });
    r = await clickAndWait(page, page.getByRole('button', { name: 'Thêm minh chứng' }));
    assert.equal(r.status(), 200);
    await assert.doesNotReject(page.locator('#ct-1-1').getByRole('link', { name: 'Nghị quyết số 01/NQ-HĐND' }).waitFor());
    await bothWidths(page, 'legal-access-self-assessment');
    for (const button of ['Hoàn thành tự đánh giá', 'Niêm yết công khai', 'Gửi hồ sơ đề nghị công nhận']) {
      r = await clickAndWait(page, page.getByRole('button', { name: button }));
      assert.equal(r.status(), 200, button);
    }
    assert.equal((await page.locator('#status').innerText()).trim(), 'Đã gửi hồ sơ');
    await page.context().close();
  });

  step('3. a citizen reads the posted self-assessment on a phone, without an account', async () => {
    const page = await (await newContext(browser, { viewport: MOBILE, javaScriptEnabled: false })).newPage();
    const id = assessmentPath.split('/').pop();
    const r = await page.goto(`/cong-khai/chuan-tiep-can/${id}`);
    assert.equal(r.status(), 200);
    await checkPage(page, 'posted self-assessment (public)');
    await assert.doesNotReject(page.getByRole('heading', { name: `${COMMUNE}: chuẩn tiếp cận pháp luật năm ${YEAR}` }).waitFor());
    await page.getByLabel('Nội dung góp ý').fill('Đề nghị công khai thêm sổ theo dõi hòa giải.');
    const sent = await clickAndWait(page, page.getByRole('button', { name: 'Gửi góp ý' }));
    assert.equal(sent.status(), 200);
    await assert.doesNotReject(page.getByText('Cảm ơn bạn đã góp ý.').first().waitFor());
    await page.context().close();
  });

  step('4. tinh adjusts one indicator with a reason, records the meeting and the decision', async () => {
    await tinh.goto(assessmentPath);
    await checkPage(tinh, 'assessment under review');
    await tinh.locator('#adj-indicator').selectOption('2.4');
    await tinh.locator('#adj-numerator').fill('8');
    await tinh.locator('#adj-denominator').fill('10');
    await tinh.getByLabel('Lý do điều chỉnh').fill('Sổ theo dõi ghi 8 vụ hòa giải thành trên 10 vụ.');
    let r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Ghi điều chỉnh' }));
    assert.equal(r.status(), 200);
    assert.equal((await tinh.locator('#final-result').innerText()).trim(), 'Đạt 14/14 chỉ tiêu');
    await bothWidths(tinh, 'legal-access-review');
    await tinh.goto(roundPath);
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    await tinh.getByLabel('Ngày họp (ngày/tháng/năm)').fill(today);
    await tinh.getByLabel('Kết luận của Hội đồng').fill(`Đề nghị công nhận ${COMMUNE}.`);
    r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Ghi kết quả họp' }));
    assert.equal(r.status(), 200);
    await tinh.getByLabel('Số quyết định').fill('125/QĐ-UBND');
    await tinh.getByLabel('Ngày ký (ngày/tháng/năm)').fill(today);
    await tinh.getByLabel('Người ký').fill('Hoàng Văn Nam');
    r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Ghi quyết định công nhận' }));
    assert.equal(r.status(), 200);
    await assert.doesNotReject(tinh.locator('#decision-line').filter({ hasText: '125/QĐ-UBND' }).waitFor());
    await bothWidths(tinh, 'legal-access-round');
    const docx = await tinh.request.get(`${roundPath}/quyet-dinh.docx`);
    assert.equal(docx.status(), 200);
    assert.match(docx.headers()['content-type'], /wordprocessingml/);
    assert.ok((await docx.body()).subarray(0, 2).toString() === 'PK', 'a DOCX (zip) file');
  });

  step('5. the public page lists the commune as recognised', async () => {
    const page = await (await newContext(browser, { viewport: MOBILE, javaScriptEnabled: false })).newPage();
    await page.goto('/cong-khai/chuan-tiep-can');
    await checkPage(page, 'legal-access public list');
    assert.match(await page.locator('#recognised').innerText(), new RegExp(`${COMMUNE} \\(năm ${YEAR}\\)`));
    await page.context().close();
  });
});
