// Plans journey in headless Chromium (issue 3): the province imports the Lạng Sơn council plan,
// fixes fields on the review page and issues it; a commune builds its implementing plan and
// marks a task done with an evidence file; the province sees the progress, a reminder for an
// overdue task reaches the outbox, and the DOCX export converts to PDF with LibreOffice.
//
//   BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=… DB_LABEL=sqlite node --test tests/browser/
//
// Reruns against the same database work: the plan number carries DB_LABEL and a timestamp.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import {
  DB_LABEL, DEMO_PASSWORD, DESKTOP, MOBILE,
  bothWidths, checkPage, clickAndWait, launch, login, newContext, pathOf, requireEnv, screenshot,
  journeySteps,
} from './support.mjs';

const SEED = fileURLToPath(new URL('../fixtures/seeds/lang-son-2024-coordination-council-plan.txt', import.meta.url));
const STAMP = Date.now().toString(36).slice(-5);
const LABEL = DB_LABEL.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 3) || 'db';
const NUMBER = `${LABEL}${STAMP}/KH-HĐPH`;
const TITLE = 'Hoạt động của Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh Lạng Sơn năm 2024';
const DATE_LINE = 'Lạng Sơn, ngày 05 tháng 02 năm 2024';

describe('plans journey: import, review, issue, cascade, track, dashboard, reminder, export', () => {
  let browser;
  let tinhContext;
  let tinh;
  let planPath; // /ke-hoach/ID

  const step = journeySteps(test, 60_000);

  before(async () => {
    requireEnv();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  step('1. tinh imports the Lạng Sơn council plan, fixes fields on the review page and issues it', async () => {
    tinhContext = await newContext(browser, { viewport: DESKTOP });
    tinh = await tinhContext.newPage();
    assert.equal((await login(tinh, 'tinh', DEMO_PASSWORD)).status(), 200);
    await tinh.goto('/ke-hoach');
    await clickAndWait(tinh, tinh.getByRole('link', { name: 'Nhập kế hoạch từ tệp' }));
    await checkPage(tinh, 'import');
    await tinh.getByLabel('Tệp kế hoạch').setInputFiles(SEED);
    const r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Đọc và soát xét' }));
    assert.equal(r.status(), 200);
    assert.match(pathOf(tinh), /^\/ke-hoach\/\d+\/sua/);
    planPath = pathOf(tinh).replace(/\/sua.*$/, '');
    await assert.doesNotReject(tinh.getByText('Văn bản gốc').waitFor());
    assert.equal((await tinh.getByLabel('Tên (trích yếu)').inputValue()).trim(), TITLE);
    assert.ok(await tinh.locator('tr[id^="nv-"]').count() >= 10, 'the tasks are listed');
    // One numbering: the source's path, in the first cell; no list numbers beside it.
    assert.equal((await tinh.locator('tr[id^="nv-"] td').first().textContent()).trim(), 'II.1.1');
    assert.equal(await tinh.locator('ol.tasks').count(), 0);
    // The source text is in the page's own font, not a monospace one.
    const font = await tinh.locator('aside.source pre').evaluate((el) => getComputedStyle(el).fontFamily);
    assert.equal(font, await tinh.evaluate(() => getComputedStyle(document.body).fontFamily));
    assert.equal(await tinh.getByLabel('Chức vụ người ký').inputValue(), 'CHỦ TỊCH\nPHÓ CHỦ TỊCH UBND TỈNH');
    await bothWidths(tinh, 'plan-review');

    // Issuing without a number and a date is refused, with the reasons beside the fields.
    let res = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Ban hành kế hoạch' }));
    assert.equal(res.status(), 422);
    await assert.doesNotReject(tinh.getByText('Cần nhập số, ký hiệu văn bản trước khi ban hành.').waitFor());

    // The officer fixes the fields the document left blank and saves.
    await tinh.getByLabel('Số, ký hiệu').fill(NUMBER);
    await tinh.getByLabel('Ngày ban hành (dd/mm/yyyy)').fill('05/02/2024');
    await tinh.getByLabel('Đơn vị cấp dưới phải xây dựng kế hoạch thực hiện').selectOption('commune');
    await tinh.getByLabel('Hạn ban hành kế hoạch thực hiện (dd/mm/yyyy)').fill('15/02/2024');
    res = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Lưu', exact: true }));
    assert.equal(res.status(), 200);
    await assert.doesNotReject(tinh.getByText('Đã lưu kế hoạch.').waitFor());
    res = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Ban hành kế hoạch' }));
    assert.equal(res.status(), 200);
    assert.equal(pathOf(tinh).split('?')[0], planPath);
    await assert.doesNotReject(tinh.getByText('Đã ban hành kế hoạch.', { exact: false }).waitFor());
    await checkPage(tinh, 'plan');
  });

  step('2. xa1 creates the commune implementing plan and marks a task done with evidence (360 px)', async () => {
    const ctx = await newContext(browser, { viewport: MOBILE });
    const xa1 = await ctx.newPage();
    assert.equal((await login(xa1, 'xa1', DEMO_PASSWORD)).status(), 200);
    await xa1.goto(`/ke-hoach?q=${encodeURIComponent(NUMBER)}`);
    await clickAndWait(xa1, xa1.getByRole('link', { name: TITLE }));
    await clickAndWait(xa1, xa1.getByRole('link', { name: 'Xây dựng kế hoạch thực hiện' }));
    await checkPage(xa1, 'implement');
    const boxes = xa1.locator('input[name="task"]');
    assert.ok(await xa1.locator('input[name="task"]:checked').count() >= 1, 'tasks naming lower levels are proposed');
    await boxes.first().check();
    let res = await clickAndWait(xa1, xa1.getByRole('button', { name: 'Tạo dự thảo kế hoạch thực hiện' }));
    assert.equal(res.status(), 200);
    assert.match(pathOf(xa1), /^\/ke-hoach\/\d+\/sua/);
    const childPath = pathOf(xa1).replace(/\/sua.*$/, '');
    await xa1.getByLabel('Số, ký hiệu').fill(`${STAMP}/KH-UBND`);
    await xa1.getByLabel('Ngày ban hành (dd/mm/yyyy)').fill('10/02/2024');
    await clickAndWait(xa1, xa1.getByRole('button', { name: 'Lưu', exact: true }));
    res = await clickAndWait(xa1, xa1.getByRole('button', { name: 'Ban hành kế hoạch' }));
    assert.equal(res.status(), 200);
    assert.equal(pathOf(xa1).split('?')[0], childPath);

    // The first task: done, with a note, figures and a PDF as evidence.
    await clickAndWait(xa1, xa1.locator('table.task-table tbody a[href^="/nhiem-vu/"]').first());
    await checkPage(xa1, 'task');
    await xa1.getByLabel('Trạng thái').selectOption('done');
    await xa1.getByLabel('Nội dung, kết quả').fill('Đã xây dựng, ban hành kế hoạch của phường');
    await xa1.getByLabel('Số buổi, cuộc').fill('1');
    await xa1.getByLabel('Tệp minh chứng (PDF, Word, Excel, ảnh; tối đa 10 MB)').setInputFiles({
      name: 'ke-hoach-phuong.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% minh chung\ntrailer <<>>\n%%EOF\n'),
    });
    res = await clickAndWait(xa1, xa1.getByRole('button', { name: 'Ghi nhận' }));
    assert.equal(res.status(), 200);
    await assert.doesNotReject(xa1.getByText('Đã ghi nhận cập nhật tiến độ.').waitFor());
    await assert.doesNotReject(xa1.getByRole('link', { name: 'ke-hoach-phuong.pdf' }).waitFor());
    await assert.doesNotReject(xa1.locator('.badge', { hasText: 'Đã hoàn thành' }).first().waitFor());
    await bothWidths(xa1, 'task-tracking');
    await ctx.close();
  });

  step('3. the province sees the progress, and a reminder for an overdue task reaches the outbox', async () => {
    await tinh.goto(planPath);
    await assert.doesNotReject(tinh.getByText(/cấp dưới: 100% \(1\)/).first().waitFor());
    await assert.doesNotReject(tinh.getByText('Đã ban hành đúng hạn').first().waitFor());
    await tinh.goto(`${planPath}/tien-do`);
    await checkPage(tinh, 'plan dashboard');
    assert.ok(await tinh.locator('figure svg').count() >= 3, 'server-rendered charts');
    await assert.doesNotReject(tinh.getByRole('cell', { name: 'Phường Đông Kinh' }).first().waitFor());
    await bothWidths(tinh, 'plan-dashboard');

    await tinh.goto('/nhac-viec');
    const res = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Chạy nhắc việc ngay' }));
    assert.equal(res.status(), 200);
    await assert.doesNotReject(tinh.getByText('Đã gửi nhắc việc.').waitFor());
    await assert.doesNotReject(tinh.getByRole('cell', { name: 'Quá hạn' }).first().waitFor());

    const ctx = await newContext(browser, { viewport: DESKTOP });
    const admin = await ctx.newPage();
    assert.equal((await login(admin, 'admin', DEMO_PASSWORD)).status(), 200);
    await admin.goto('/he-thong/hop-thu');
    const page = await admin.content();
    assert.ok(page.includes('[pbgdpl] Nhắc việc hằng ngày') && page.includes('tinh@demo.pbgdpl.local'), 'a digest to tinh is in the outbox');
    const body = await admin.locator('pre.mail').allTextContents();
    assert.ok(body.some((b) => b.includes('Quá hạn') && b.includes(TITLE)), 'the digest names an overdue task of the plan');
    await ctx.close();
  });

  step('4. the DOCX export converts to PDF with LibreOffice, with the title and the date line', async () => {
    const res = await tinh.request.get(`${planPath}/tai-ve.docx`);
    assert.equal(res.status(), 200);
    const dir = mkdtempSync(join(tmpdir(), 'pbgdpl-docx-'));
    const docx = join(dir, 'ke-hoach.docx');
    writeFileSync(docx, await res.body());
    execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', dir, docx], {
      env: { ...process.env, HOME: dir }, timeout: 120_000, stdio: 'ignore',
    });
    execFileSync('pdftotext', ['-layout', join(dir, 'ke-hoach.pdf'), join(dir, 'ke-hoach.txt')]);
    const text = readFileSync(join(dir, 'ke-hoach.txt'), 'utf8').normalize('NFC').replace(/\s+/g, ' ');
    assert.ok(text.includes(TITLE), `title in the PDF: ${text.slice(0, 400)}`);
    assert.ok(text.includes(DATE_LINE), `date line in the PDF: ${text.slice(0, 400)}`);
    assert.ok(text.includes('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'));
    assert.ok(text.includes(`Số: ${NUMBER}`));
  });

  step('5. the plan downloads as PDF made by the server itself, complete to the Nơi nhận list', async () => {
    const link = tinh.getByRole('link', { name: 'Tải văn bản (.pdf)' });
    await tinh.goto(planPath);
    assert.equal(await link.count(), 1);
    const res = await tinh.request.get(`${planPath}/tai-ve.pdf`);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'pbgdpl-pdf-'));
    writeFileSync(join(dir, 'ke-hoach.pdf'), await res.body());
    execFileSync('pdftotext', ['-layout', join(dir, 'ke-hoach.pdf'), join(dir, 'ke-hoach.txt')]);
    const text = readFileSync(join(dir, 'ke-hoach.txt'), 'utf8').normalize('NFC').replace(/\s+/g, ' ');
    for (const part of [TITLE, DATE_LINE, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', `Số: ${NUMBER}`, 'Nơi nhận:', 'TM. HỘI ĐỒNG', 'PHÓ CHỦ TỊCH UBND TỈNH', 'Lưu']) {
      assert.ok(text.includes(part), `«${part}» in the PDF: ${text.slice(0, 600)}`);
    }
    const fonts = execFileSync('pdffonts', [join(dir, 'ke-hoach.pdf')], { encoding: 'utf8' });
    assert.match(fonts, /Serif/, 'a Times-compatible serif is embedded');
  });
});
