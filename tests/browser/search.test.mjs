// Search journey in headless Chromium (issue 14, §Quality steps 1 and 5): on a 360 px phone
// without JavaScript a citizen searches "hoa giai o co so" without diacritics, finds the law,
// opens it and sees it is in force; then the editor writes a Law Day article, tinh publishes
// it, and within 2 seconds it is in search, on the home page and in the Atom feed.
//
//   BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=… DB_LABEL=sqlite node --test tests/browser/search.test.mjs

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  BASE_URL, DB_LABEL, DEMO_PASSWORD, MOBILE,
  bothWidths, checkPage, clickAndWait, launch, login, newContext, pathOf, requireEnv,
  journeySteps,
} from './support.mjs';

const STAMP = `${DB_LABEL}${Date.now() % 100000}`;
const TITLE = `Hưởng ứng Ngày Pháp luật 9/11 tại xã Hữu Lũng ${STAMP}`;

describe('search: a citizen finds the law without diacritics; a new article is searchable within 2 s', () => {
  let browser;
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
    const citizen = await (await newContext(browser, { viewport: MOBILE, javaScriptEnabled: false })).newPage();
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
    // 2. they open it and see that it is in force.
    await clickAndWait(citizen, first.getByRole('link').first());
    assert.match(pathOf(citizen), /^\/tu-sach\/van-ban\/\d+$/);
    assert.match(await citizen.locator('main').innerText(), /Còn hiệu lực/);
  });

  step('5a. the editor writes a Law Day article and sends it for approval', async () => {
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
    const citizen = await (await newContext(browser, { viewport: MOBILE, javaScriptEnabled: false })).newPage();
    await citizen.goto(`/tim-kiem?q=${query}`);
    await checkPage(citizen, 'search-new-article');
    assert.match(await citizen.locator('ol.search-results > li').first().innerText(), new RegExp(STAMP));
    await citizen.goto('/');
    assert.match(await citizen.locator('main').innerText(), new RegExp(STAMP));
    const feed = await (await fetch(`${BASE_URL}/tin-tuc/feed.atom`)).text();
    assert.ok(feed.includes(STAMP), 'in the Atom feed');
    await tinh.context().close();
  });
});
