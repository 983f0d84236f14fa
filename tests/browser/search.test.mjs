// The citizen's journey through the public portal in one run, in headless Chromium (issue 14,
// §Quality steps 1–5; step 6, the draft's comment table, is tests/browser/drafts.test.mjs):
//   1. on a 360 px phone without JavaScript a citizen searches "hoa giai o co so" without
//      diacritics and finds the law;
//   2. opens it, sees it is in force, and asks a legal question (tracking code shown);
//   3. tinh routes it to xa1's commune, xa1 answers, tinh publishes the public version;
//   4. the answer appears publicly (and in search) without the citizen's contact;
//   5. the editor writes a Law Day article with a photo, tinh publishes it, and within 2 seconds
//      it is in search, on the home page and in the Atom feed, the photo in its sizes;
//   and the citizen opens their commune's page (contact, officer, mediation teams).
//
//   BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=… DB_LABEL=sqlite node --test tests/browser/search.test.mjs

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import {
  BASE_URL, DB_LABEL, DEMO_PASSWORD, DESKTOP, MOBILE,
  answerChallenge, bothWidths, checkPage, clickAndWait, launch, login, newContext, pathOf, requireEnv,
  journeySteps,
} from './support.mjs';

const STAMP = `${DB_LABEL}${Date.now() % 100000}`;
const TITLE = `Hưởng ứng Ngày Pháp luật 9/11 tại xã Hữu Lũng ${STAMP}`;
const QUESTION = `Hòa giải tranh chấp lối đi chung ${STAMP}`;
const NAME = 'Lộc Thị Duyên';
const EMAIL = 'loc.thi.duyen@example.vn';
const PHONE = '0912468024';
const COMMUNE = 'Phường Đông Kinh';

describe("the citizen's journey: search, read, ask, get a public answer; a new article searchable within 2 s", () => {
  let browser;
  let citizen;
  let code;
  let itemPath;
  let articleId;

  const step = journeySteps(test);

  before(async () => {
    requireEnv();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  step('1. on a 360 px phone without JavaScript, "hoa giai o co so" finds the law', async () => {
    citizen = await (await newContext(browser, { viewport: MOBILE, javaScriptEnabled: false })).newPage();
    // From the search box of the home page.
    await citizen.goto('/');
    await citizen.getByLabel(/^Tìm tin bài/).fill('hoa giai o co so');
    await clickAndWait(citizen, citizen.getByRole('button', { name: 'Tìm' }));
    assert.match(pathOf(citizen), /^\/tim-kiem\?q=hoa/);
    await checkPage(citizen, 'search-results');
    await bothWidths(citizen, 'search-results');
    const first = citizen.locator('ol.search-results > li').first();
    assert.match(await first.innerText(), /Luật Hòa giải ở cơ sở/);
    assert.match(await first.innerText(), /35\/2013\/QH13/);
  });

  step('2. they open it, see it is in force, and ask a question (tracking code shown)', async () => {
    await clickAndWait(citizen, citizen.locator('ol.search-results > li').first().getByRole('link').first());
    assert.match(pathOf(citizen), /^\/tu-sach\/van-ban\/\d+$/);
    assert.match(await citizen.locator('main').innerText(), /Còn hiệu lực/);
    await citizen.goto('/hoi-dap');
    await clickAndWait(citizen, citizen.getByRole('link', { name: 'Gửi câu hỏi, phản ánh' }));
    await citizen.getByLabel('Hỏi đáp pháp luật').check();
    await citizen.getByLabel('Tiêu đề', { exact: true }).fill(QUESTION);
    await citizen.getByLabel('Nội dung', { exact: true }).fill('Nhà hàng xóm rào lối đi chung của ba hộ. Tổ hòa giải thôn có giải quyết việc này không?');
    await citizen.getByLabel('Họ và tên').fill(NAME);
    await citizen.getByLabel(/Thư điện tử/).fill(EMAIL);
    await citizen.getByLabel('Số điện thoại').fill(PHONE);
    await answerChallenge(citizen);
    const r = await clickAndWait(citizen, citizen.getByRole('button', { name: 'Gửi', exact: true }));
    assert.equal(r.status(), 200);
    code = (await citizen.locator('strong.code').textContent()).trim();
    assert.match(code, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    await checkPage(citizen, 'journey-tracking-code');
  });

  step('3. tinh routes it to the commune, xa1 answers, tinh publishes the public version', async () => {
    const tinh = await (await newContext(browser, { viewport: DESKTOP })).newPage();
    assert.equal((await login(tinh, 'tinh', DEMO_PASSWORD)).status(), 200);
    await tinh.goto('/hoi-dap-quan-ly');
    await clickAndWait(tinh, tinh.getByRole('link', { name: code }));
    itemPath = new URL(tinh.url()).pathname;
    await tinh.getByLabel('Đơn vị xử lý').selectOption({ label: COMMUNE });
    await clickAndWait(tinh, tinh.getByRole('button', { name: 'Chuyển và tính hạn trả lời' }));
    assert.match(await tinh.locator('main').textContent(), /Đã chuyển xử lý/);

    const xa1 = await (await newContext(browser, { viewport: MOBILE })).newPage();
    assert.equal((await login(xa1, 'xa1', DEMO_PASSWORD)).status(), 200);
    await xa1.goto(itemPath);
    await xa1.getByLabel('Nội dung trả lời').fill('Tranh chấp lối đi chung giữa các hộ là việc thuộc phạm vi hòa giải ở cơ sở: hãy đề nghị tổ hòa giải thôn hòa giải.');
    await xa1.getByLabel(/Văn bản được dẫn/).fill('35/2013/qh13');
    await clickAndWait(xa1, xa1.getByRole('button', { name: 'Lưu dự thảo trả lời' }));
    assert.match(await xa1.locator('main').textContent(), /Đã lưu dự thảo trả lời/);
    await xa1.context().close();

    await tinh.goto(itemPath);
    await tinh.getByLabel('Tiêu đề công khai').fill(QUESTION);
    await tinh.getByLabel('Câu hỏi công khai').fill('Nhà hàng xóm rào lối đi chung của ba hộ. Tổ hòa giải thôn có giải quyết việc này không?');
    const r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Duyệt và đăng' }));
    assert.equal(r.status(), 200);
    assert.match(await tinh.locator('main').textContent(), /Đã đăng câu trả lời công khai/);
    await tinh.context().close();
  });

  step('4. the answer is public, and in search, without the citizen\'s contact', async () => {
    await citizen.goto(`/hoi-dap?q=${encodeURIComponent('loi di chung')}`);
    await clickAndWait(citizen, citizen.getByRole('link', { name: QUESTION }));
    const html = await citizen.content();
    for (const secret of [EMAIL, PHONE, NAME]) assert.ok(!html.includes(secret), `the answer page shows ${secret}`);
    assert.ok(html.includes('phạm vi hòa giải ở cơ sở'), 'the answer');
    await checkPage(citizen, 'journey-public-answer');
    // Published answers are searchable, and the search never shows the sender either.
    const query = encodeURIComponent(`loi di chung ${STAMP}`);
    let found = '';
    for (let i = 0; i < 30 && !found; i++) {
      const page = await (await fetch(`${BASE_URL}/tim-kiem?q=${query}`)).text();
      if (page.includes('/hoi-dap/')) found = page;
      else await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(found, 'the answer is found by the search');
    for (const secret of [EMAIL, PHONE, NAME]) assert.ok(!found.includes(secret), `the search shows ${secret}`);
  });

  step('5a. the editor writes a Law Day article with a photo and sends it for approval', async () => {
    const editor = await (await newContext(browser)).newPage();
    assert.equal((await login(editor, 'bientap', DEMO_PASSWORD)).status(), 200);
    await editor.goto('/bien-tap/moi');
    await editor.locator('#title').fill(TITLE);
    await editor.locator('#summary').fill('Xã tổ chức hội nghị hưởng ứng Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam.');
    await editor.locator('#body').fill('Sáng 9/11, Ủy ban nhân dân xã tổ chức **hội nghị hưởng ứng** Ngày Pháp luật, giới thiệu Luật Hòa giải ở cơ sở.');
    await clickAndWait(editor, editor.getByRole('button', { name: 'Tạo bản nháp' }));
    const m = pathOf(editor).match(/^\/bien-tap\/(\d+)/);
    assert.ok(m, pathOf(editor));
    articleId = m[1];
    // A photo (a 1280 px screenshot of the repository stands for one), with its description.
    const png = await readFile(new URL('../../docs/screenshots/03-create-account.png', import.meta.url));
    await editor.locator('#image').setInputFiles({ name: 'hoi-nghi.png', mimeType: 'image/png', buffer: png });
    await editor.getByLabel(/^Mô tả ảnh/).fill('Hội nghị hưởng ứng Ngày Pháp luật tại xã');
    await clickAndWait(editor, editor.getByRole('button', { name: 'Tải ảnh lên' }));
    assert.match(await editor.locator('main').textContent(), /Đã tải ảnh lên/);
    await checkPage(editor, 'portal-picture-uploaded');
    const snippet = await editor.getByLabel('Mã để chép vào nội dung').first().inputValue();
    assert.match(snippet, /^!\[.+\]\(anh:[0-9a-f]+\)$/);
    await editor.locator('#body').fill(`${snippet}\n\nSáng 9/11, Ủy ban nhân dân xã tổ chức **hội nghị hưởng ứng** Ngày Pháp luật, giới thiệu Luật Hòa giải ở cơ sở.`);
    await clickAndWait(editor, editor.getByRole('button', { name: 'Lưu phiên bản mới' }));
    await clickAndWait(editor, editor.getByRole('button', { name: 'Gửi duyệt' }));
    await editor.context().close();
  });

  step('5b. tinh publishes it: within 2 s it is in search, on the home page and in the feed', async () => {
    const tinh = await (await newContext(browser)).newPage();
    assert.equal((await login(tinh, 'tinh', DEMO_PASSWORD)).status(), 200);
    await tinh.goto(`/bien-tap/${articleId}`);
    await clickAndWait(tinh, tinh.getByRole('button', { name: 'Duyệt và đăng' }));
    const published = Date.now();
    const query = encodeURIComponent(`ngay phap luat huu lung ${STAMP}`);
    let found = false;
    while (Date.now() - published < 2000) {
      const html = await (await fetch(`${BASE_URL}/tim-kiem?q=${query}`)).text();
      // The result links to the article, whose address ends with the stamp (the query is also
      // echoed in the page, so the stamp alone proves nothing).
      if (html.includes(`-${STAMP}"`)) {
        found = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const took = Date.now() - published;
    assert.ok(found, `not searchable within 2 s (${took} ms)`);
    console.log(`# article searchable ${took} ms after publishing (${DB_LABEL})`);
    await citizen.goto(`/tim-kiem?q=${query}`);
    await checkPage(citizen, 'search-new-article');
    assert.match(await citizen.locator('ol.search-results > li').first().innerText(), new RegExp(STAMP));
    await citizen.goto('/');
    assert.match(await citizen.locator('main').innerText(), new RegExp(STAMP));
    const feed = await (await fetch(`${BASE_URL}/tin-tuc/feed.atom`)).text();
    assert.ok(feed.includes(STAMP), 'in the Atom feed');
    // The article shows the photo in its sizes, re-encoded as JPEG.
    await clickAndWait(citizen, citizen.getByRole('link', { name: TITLE }).first());
    const img = citizen.locator('.article-body img').first();
    assert.match(await img.getAttribute('srcset'), /^\/anh\/[0-9a-f]+-480\.jpg 480w, \/anh\/[0-9a-f]+-960\.jpg 960w, \/anh\/[0-9a-f]+-1280\.jpg 1280w$/);
    assert.equal(await img.getAttribute('alt'), 'Hội nghị hưởng ứng Ngày Pháp luật tại xã');
    const photo = await fetch(`${BASE_URL}${await img.getAttribute('src')}`);
    assert.equal(photo.headers.get('content-type'), 'image/jpeg');
    await checkPage(citizen, 'portal-article-with-picture');
    await tinh.context().close();
  });

  step("6. the citizen opens their commune's page: contact, officer, mediation teams", async () => {
    await citizen.goto('/dia-phuong');
    await clickAndWait(citizen, citizen.getByRole('link', { name: 'Tỉnh Lạng Sơn' }));
    await clickAndWait(citizen, citizen.getByRole('link', { name: COMMUNE }).first());
    assert.equal(pathOf(citizen), '/dia-phuong/05977');
    const main = await citizen.locator('main').innerText();
    assert.match(main, /Liên hệ/);
    assert.match(main, /Công chức tư pháp/);
    assert.match(main, /tổ hòa giải đang hoạt động/);
    await bothWidths(citizen, 'unit-public-page');
    await citizen.context().close();
  });
});
