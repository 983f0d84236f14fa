// Draft-policy communication journey in headless Chromium (issue 14, part 4, and step 6 of its
// browser journey): on a 360 px phone without JavaScript a citizen opens the demo draft, follows
// the "góp ý" link of a clause, makes a mistake (kept as typed), then comments on that clause as
// a person; the public page never shows the name or the address; tinh finds the comment with the
// name on the officers' page, writes the explanation, and downloads the comment table as DOCX,
// which LibreOffice opens with the clause, the name and the explanation in it.
//
//   BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=… DB_LABEL=sqlite node --test tests/browser/drafts.test.mjs

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  DB_LABEL, DEMO_PASSWORD, DESKTOP, MOBILE,
  bothWidths, checkPage, clickAndWait, launch, login, newContext, pathOf, requireEnv,
  journeySteps,
} from './support.mjs';

const DRAFT = 'Dự thảo Nghị quyết quy định nội dung, mức chi bảo đảm cho công tác phổ biến';
const CLAUSE = 'Khoản 3 Điều 2';
const STAMP = `${DB_LABEL} ${Date.now() % 100000}`;
const NAME = 'Nông Thị Duyên';
const EMAIL = 'gop.y.hanh.trinh@example.vn';
const COMMENT = `Đề nghị quy định mức chi giải thưởng cho cuộc thi trực tuyến (${STAMP}).`;
const EXPLANATION = `Tiếp thu, bổ sung tại Phụ lục (${STAMP}).`;

describe('drafts: a citizen comments on a clause, tinh answers and downloads the table', () => {
  let browser;
  let citizen;
  let draftPath;

  const step = journeySteps(test);

  before(async () => {
    requireEnv();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  step('1. a citizen finds the open draft on a 360 px phone without JavaScript', async () => {
    citizen = await (await newContext(browser, { viewport: MOBILE, javaScriptEnabled: false })).newPage();
    await citizen.goto('/du-thao');
    await checkPage(citizen, 'drafts-list');
    await clickAndWait(citizen, citizen.getByRole('link', { name: new RegExp(DRAFT) }));
    draftPath = pathOf(citizen);
    assert.match(draftPath, /^\/du-thao\/\d+$/);
    assert.match(await citizen.locator('main').innerText(), /Đang lấy ý kiến/);
    await bothWidths(citizen, 'drafts-show');
  });

  step('2. they comment on a clause through its link; a mistake keeps what they typed', async () => {
    await clickAndWait(citizen, citizen.getByRole('link', { name: `Góp ý ${CLAUSE}` }));
    assert.equal(await citizen.locator('#part option:checked').innerText(), CLAUSE);
    await citizen.getByLabel('Nội dung góp ý').fill(COMMENT);
    await citizen.getByLabel('Thư điện tử').fill(EMAIL);
    let r = await clickAndWait(citizen, citizen.getByRole('button', { name: 'Gửi góp ý' }));
    assert.equal(r.status(), 422, 'no name');
    assert.equal(await citizen.getByLabel('Nội dung góp ý').inputValue(), COMMENT);
    assert.equal(await citizen.locator('#part option:checked').innerText(), CLAUSE);
    await checkPage(citizen, 'drafts-comment-error');
    await citizen.getByLabel('Họ và tên, hoặc tên cơ quan, tổ chức').fill(NAME);
    r = await clickAndWait(citizen, citizen.getByRole('button', { name: 'Gửi góp ý' }));
    assert.equal(r.status(), 200);
    assert.match(await citizen.locator('main').innerText(), /Cảm ơn Ông\/Bà đã góp ý/);
    const html = await citizen.content();
    assert.ok(!html.includes(NAME) && !html.includes(EMAIL), 'the public page shows neither the name nor the address');
  });

  step('3. tinh reads the comment with the name, answers it and downloads the table as DOCX', async () => {
    const tinh = await (await newContext(browser, { viewport: DESKTOP })).newPage();
    assert.equal((await login(tinh, 'tinh', DEMO_PASSWORD)).status(), 200);
    await tinh.goto('/du-thao-quan-ly');
    await checkPage(tinh, 'drafts-manage');
    await clickAndWait(tinh, tinh.getByRole('link', { name: new RegExp(DRAFT) }));
    const card = tinh.locator('section.card').filter({ hasText: COMMENT });
    assert.equal(await card.count(), 1);
    assert.match(await card.innerText(), new RegExp(`${CLAUSE}[\\s\\S]*${NAME}[\\s\\S]*${EMAIL.replace(/\./g, '\\.')}`));
    await card.getByLabel('Tiếp thu, giải trình').fill(EXPLANATION);
    await clickAndWait(tinh, tinh.getByRole('button', { name: 'Lưu tiếp thu, giải trình' }));
    assert.match(await tinh.locator('main').innerText(), /Đã lưu nội dung tiếp thu, giải trình/);
    await checkPage(tinh, 'drafts-manage-show');
    const res = await tinh.request.get(`/du-thao-quan-ly/${draftPath.split('/').pop()}/tong-hop.docx`);
    assert.equal(res.status(), 200);
    const dir = mkdtempSync(join(tmpdir(), 'pbgdpl-draft-'));
    const docx = join(dir, 'tong-hop.docx');
    writeFileSync(docx, await res.body());
    execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', dir, docx], {
      env: { ...process.env, HOME: dir }, timeout: 120_000, stdio: 'ignore',
    });
    execFileSync('pdftotext', ['-layout', join(dir, 'tong-hop.pdf'), join(dir, 'tong-hop.txt')]);
    // LibreOffice opens it (the PDF has the heading); the table's cells, read from the DOCX's XML
    // (a PDF's columns interleave wrapped lines), hold the clause, the name and the explanation.
    const pdf = readFileSync(join(dir, 'tong-hop.txt'), 'utf8').normalize('NFC').replace(/\s+/g, ' ');
    for (const want of ['BẢN TỔNG HỢP', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM']) {
      assert.ok(pdf.includes(want), `${want} in the PDF: ${pdf.slice(0, 600)}`);
    }
    const xml = execFileSync('unzip', ['-p', docx, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 32 << 20 });
    const cells = xml.split('</w:tc>').map((c) => c.replace(/<[^>]+>/g, '').normalize('NFC'));
    for (const want of [CLAUSE, NAME, COMMENT, EXPLANATION]) {
      assert.ok(cells.some((c) => c.includes(want)), `${want} in a cell of the table`);
    }
    await tinh.context().close();
  });
});
