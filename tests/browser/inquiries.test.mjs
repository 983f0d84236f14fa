// Questions and feedback journey in headless Chromium (issue 14, part 3): a citizen asks a
// legal question on a 360 px phone without JavaScript (answering the text question instead of
// the proof of work) and gets a tracking code; tinh routes it to xa1's commune; xa1 answers,
// citing Luật Đất đai 31/2024/QH15 from the bookshelf; tinh publishes it with the question's
// public version; the citizen finds the answer by a search without diacritics, sees the cited
// document linked and none of their contact details, and the tracking page shows the answer.
//
//   BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=… DB_LABEL=sqlite node --test tests/browser/inquiries.test.mjs

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  DB_LABEL, DEMO_PASSWORD, DESKTOP, MOBILE,
  answerChallenge, checkPage, clickAndWait, launch, login, newContext, requireEnv,
  journeySteps,
} from './support.mjs';

const COMMUNE = 'Phường Đông Kinh';
const STAMP = `${DB_LABEL} ${Date.now() % 100000}`;
const TITLE = `Thủ tục tách thửa đất cho con ${STAMP}`;
const EMAIL = 'nguoi.dan.hanh.trinh@example.vn';
const PHONE = '0913579246';
const NAME = 'Triệu Văn Khánh';

describe('questions and feedback: ask without JavaScript, route, answer, publish, find', () => {
  let browser;
  let citizen;
  let code;
  let itemPath;

  const step = journeySteps(test);

  before(async () => {
    requireEnv();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  step('1. a citizen asks on a 360 px phone without JavaScript and gets a tracking code', async () => {
    citizen = await (await newContext(browser, { viewport: MOBILE, javaScriptEnabled: false })).newPage();
    await citizen.goto('/hoi-dap');
    await checkPage(citizen, 'inquiries-list');
    await clickAndWait(citizen, citizen.getByRole('link', { name: 'Gửi câu hỏi, phản ánh' }));
    await checkPage(citizen, 'inquiries-ask');
    await citizen.getByLabel('Hỏi đáp pháp luật').check();
    await citizen.getByLabel('Tiêu đề', { exact: true }).fill(TITLE);
    await citizen.getByLabel('Nội dung', { exact: true }).fill(`Tôi là ${NAME}, muốn tách thửa đất ở cho con trai. Cần điều kiện gì?`);
    await citizen.getByLabel('Họ và tên').fill(NAME);
    await citizen.getByLabel(/Thư điện tử/).fill(EMAIL);
    await citizen.getByLabel('Số điện thoại').fill(PHONE);
    // A wrong answer first: the form comes back with everything typed.
    await citizen.getByLabel(/Câu hỏi chống gửi tự động/).fill('99');
    let r = await clickAndWait(citizen, citizen.getByRole('button', { name: 'Gửi', exact: true }));
    assert.equal(r.status(), 422);
    assert.equal(await citizen.getByLabel('Tiêu đề', { exact: true }).inputValue(), TITLE);
    assert.equal(await citizen.getByLabel('Số điện thoại').inputValue(), PHONE);
    await checkPage(citizen, 'inquiries-ask-error');
    await answerChallenge(citizen);
    r = await clickAndWait(citizen, citizen.getByRole('button', { name: 'Gửi', exact: true }));
    assert.equal(r.status(), 200);
    code = (await citizen.locator('strong.code').textContent()).trim();
    assert.match(code, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const html = await citizen.content();
    assert.ok(!html.includes(EMAIL) && !html.includes(PHONE), 'the tracking page never shows the contact');
    await checkPage(citizen, 'inquiries-tracking');
  });

  step('2. tinh routes it to the commune with a deadline', async () => {
    const tinh = await (await newContext(browser, { viewport: DESKTOP })).newPage();
    assert.equal((await login(tinh, 'tinh', DEMO_PASSWORD)).status(), 200);
    await tinh.goto('/hoi-dap-quan-ly');
    await checkPage(tinh, 'inquiries-inbox');
    await clickAndWait(tinh, tinh.getByRole('link', { name: code }));
    itemPath = new URL(tinh.url()).pathname;
    assert.ok((await tinh.content()).includes(EMAIL), 'officers see the contact');
    await tinh.getByLabel('Đơn vị xử lý').selectOption({ label: COMMUNE });
    await tinh.getByLabel('Lĩnh vực').first().selectOption({ label: 'Đất đai, nhà ở' });
    await clickAndWait(tinh, tinh.getByRole('button', { name: 'Chuyển và tính hạn trả lời' }));
    assert.match(await tinh.locator('main').textContent(), /Đã chuyển xử lý/);
    await checkPage(tinh, 'inquiries-item');
    await tinh.context().close();
  });

  step('3. xa1 answers on a phone, citing the land law', async () => {
    const xa1 = await (await newContext(browser, { viewport: MOBILE })).newPage();
    assert.equal((await login(xa1, 'xa1', DEMO_PASSWORD)).status(), 200);
    await xa1.goto(itemPath);
    await xa1.getByLabel('Nội dung trả lời').fill('Việc tách thửa phải bảo đảm diện tích tối thiểu do Ủy ban nhân dân tỉnh quy định; hồ sơ nộp tại bộ phận một cửa của xã.');
    await xa1.getByLabel(/Văn bản được dẫn/).fill('31/2024/qh15');
    await clickAndWait(xa1, xa1.getByRole('button', { name: 'Lưu dự thảo trả lời' }));
    assert.match(await xa1.locator('main').textContent(), /Đã lưu dự thảo trả lời/);
    await checkPage(xa1, 'inquiries-answer');
    await xa1.context().close();
  });

  step('4. tinh publishes it without personal data', async () => {
    const tinh = await (await newContext(browser, { viewport: DESKTOP })).newPage();
    assert.equal((await login(tinh, 'tinh', DEMO_PASSWORD)).status(), 200);
    await tinh.goto(itemPath);
    // The public version starts empty, the original beside it; the sender's name is refused.
    assert.equal(await tinh.getByLabel('Tiêu đề công khai').inputValue(), '');
    assert.equal(await tinh.getByLabel('Câu hỏi công khai').inputValue(), '');
    await tinh.getByLabel('Tiêu đề công khai').fill(TITLE);
    await tinh.getByLabel('Câu hỏi công khai').fill(`Tôi là ${NAME}, muốn tách thửa đất ở cho con trai. Cần điều kiện gì?`);
    let r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Duyệt và đăng' }));
    assert.equal(r.status(), 422);
    assert.match(await tinh.locator('main').textContent(), /còn họ tên người gửi/);
    assert.equal(await tinh.getByLabel('Tiêu đề công khai').inputValue(), TITLE, 'what was typed is kept');
    await checkPage(tinh, 'inquiries-publish-refused');
    await tinh.getByLabel('Câu hỏi công khai').fill('Tôi muốn tách thửa đất ở cho con trai. Cần điều kiện gì?');
    r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Duyệt và đăng' }));
    assert.equal(r.status(), 200);
    assert.match(await tinh.locator('main').textContent(), /Đã đăng câu trả lời công khai/);
    await tinh.context().close();
  });

  step('5. the citizen finds the answer without diacritics; no contact on any public page', async () => {
    await citizen.goto(`/hoi-dap?q=${encodeURIComponent('tach thua dat cho con')}`);
    await checkPage(citizen, 'inquiries-search');
    await clickAndWait(citizen, citizen.getByRole('link', { name: TITLE }));
    const html = await citizen.content();
    for (const secret of [EMAIL, PHONE, NAME]) assert.ok(!html.includes(secret), `the answer page shows ${secret}`);
    assert.ok(html.includes('diện tích tối thiểu'), 'the answer');
    const cited = citizen.getByRole('link', { name: '31/2024/QH15' });
    assert.equal(await cited.count(), 1);
    assert.match(await cited.getAttribute('href'), /^\/tu-sach\/van-ban\/\d+$/);
    await checkPage(citizen, 'inquiries-answer-public');
    await citizen.goto(`/hoi-dap/tra-cuu?ma=${code.toLowerCase()}`);
    assert.match(await citizen.locator('main').textContent(), /Đã trả lời công khai/);
    await citizen.context().close();
  });
});
