// Periodic reports journey in headless Chromium (issue 4): the province opens the 6-month
// mediation round; xa1 hits a validation error, fixes it and submits; xa2 submits; the
// province approves one report and returns the other with a comment; the provincial total
// holds only the approved report and completeness shows 1 of 2; the aggregate XLSX is read back
// (converted to CSV by LibreOffice) to check the numbers.
//
//   BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=… DB_LABEL=sqlite node --test tests/browser/
//
// Needs a fresh demo database (the round can be opened once).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  DEMO_PASSWORD, DESKTOP, MOBILE,
  bothWidths, checkPage, clickAndWait, launch, login, newContext, pathOf, requireEnv, screenshot,
  journeySteps,
} from './support.mjs';

const YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date());
const SCHEDULE = 'Báo cáo kết quả hòa giải ở cơ sở 6 tháng';
const PERIOD = `6 tháng đầu năm ${YEAR}`;

describe('reports journey: open, validate, submit, approve and return, totals, completeness, XLSX', () => {
  let browser;
  let tinh;
  let roundPath; // /bao-cao/ky/ID

  const step = journeySteps(test, 90_000);

  before(async () => {
    requireEnv();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  async function commune(username, { viewport = MOBILE } = {}) {
    const ctx = await newContext(browser, { viewport });
    const page = await ctx.newPage();
    assert.equal((await login(page, username, DEMO_PASSWORD)).status(), 200);
    await page.goto('/bao-cao');
    await clickAndWait(page, page.getByRole('row').filter({ hasText: PERIOD }).filter({ hasText: 'hòa giải' }).getByRole('link').first());
    assert.match(pathOf(page), /^\/bao-cao\/\d+$/);
    return page;
  }

  async function fill(page, values) {
    for (const [label, value] of Object.entries(values)) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
  }

  step('1. tinh opens the 6-month period', async () => {
    const ctx = await newContext(browser, { viewport: DESKTOP });
    tinh = await ctx.newPage();
    assert.equal((await login(tinh, 'tinh', DEMO_PASSWORD)).status(), 200);
    await tinh.goto('/bao-cao');
    await checkPage(tinh, 'reports index');
    await clickAndWait(tinh, tinh.getByRole('link', { name: SCHEDULE }));
    await clickAndWait(tinh, tinh.getByRole('link', { name: PERIOD }));
    roundPath = pathOf(tinh).replace(/\?.*$/, '');
    assert.match(roundPath, /^\/bao-cao\/ky\/\d+$/);
    await checkPage(tinh, 'planned round');
    const due = await tinh.getByLabel('Hạn nộp (dd/mm/yyyy)').inputValue();
    assert.match(due, /^\d{2}\/\d{2}\/\d{4}$/);
    const r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Mở kỳ báo cáo' }));
    assert.equal(r.status(), 200);
    await assert.doesNotReject(tinh.getByText('Đã mở kỳ báo cáo').waitFor());
    assert.match(await tinh.locator('#completeness').innerText(), /Đã nộp 0\/2/);
  });

  step('2. xa1 hits a validation error, fixes it and submits', async () => {
    // The home page says what to do: the report just opened, linking to it.
    const home = await (await newContext(browser, { viewport: MOBILE })).newPage();
    assert.equal((await login(home, 'xa1', DEMO_PASSWORD)).status(), 200);
    const todo = home.locator('ul.todo a').filter({ hasText: `Gửi báo cáo Tình hình tổ chức và kết quả hoạt động hòa giải ở cơ sở, ${PERIOD}` });
    assert.equal(await todo.count(), 1, 'the opened report is a thing to do on the home page');
    await bothWidths(home, 'home-commune');
    await home.context().close();
    const page = await commune('xa1');
    await checkPage(page, 'report entry (mobile)');
    await fill(page, {
      'Số tổ hòa giải': '3',
      'Số vụ việc tiếp nhận': '10',
      'Số vụ việc hòa giải thành': '8',
      'Số vụ việc hòa giải không thành': '5',
    });
    let r = await clickAndWait(page, page.getByRole('button', { name: 'Gửi báo cáo' }));
    assert.equal(r.status(), 422);
    const error = page.locator('tr.has-error .field-error').first();
    await assert.doesNotReject(error.waitFor());
    assert.match(await error.innerText(), /không được lớn hơn/);
    assert.equal(await page.getByLabel('Số vụ việc hòa giải thành', { exact: true }).inputValue(), '8', 'typed value kept');
    await error.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 260));
    await bothWidths(page, 'report-validation');
    await fill(page, { 'Số vụ việc hòa giải thành': '6', 'Số vụ việc hòa giải không thành': '3' });
    r = await clickAndWait(page, page.getByRole('button', { name: 'Gửi báo cáo' }));
    assert.equal(r.status(), 200);
    await assert.doesNotReject(page.getByText('Đã gửi báo cáo lên cấp trên.').waitFor());
    assert.equal((await page.locator('#report-state').innerText()).trim(), 'Đã gửi, chờ duyệt');
    await page.context().close();
  });

  step('3. xa2 submits', async () => {
    const page = await commune('xa2');
    await fill(page, { 'Số vụ việc tiếp nhận': '5', 'Số vụ việc hòa giải thành': '5' });
    const r = await clickAndWait(page, page.getByRole('button', { name: 'Gửi báo cáo' }));
    assert.equal(r.status(), 200);
    await assert.doesNotReject(page.getByText('Đã gửi báo cáo lên cấp trên.').waitFor());
    await page.context().close();
  });

  step('4. tinh approves one report and returns the other with a comment', async () => {
    await tinh.goto(roundPath);
    await clickAndWait(tinh, tinh.locator('#reporters').getByRole('link', { name: 'Phường Đông Kinh' }));
    await checkPage(tinh, 'report review');
    let r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Phê duyệt' }));
    assert.equal(r.status(), 200);
    await assert.doesNotReject(tinh.getByText('Đã phê duyệt báo cáo').waitFor());
    await tinh.goto(roundPath);
    await clickAndWait(tinh, tinh.locator('#reporters').getByRole('link', { name: 'Xã Đoàn Kết' }));
    await tinh.getByLabel('Ý kiến khi trả lại').fill('Đề nghị bổ sung số tổ hòa giải và số hòa giải viên.');
    r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Trả lại' }));
    assert.equal(r.status(), 200);
    await assert.doesNotReject(tinh.getByText('Đã trả lại báo cáo kèm ý kiến.').waitFor());
  });

  step('5. the provincial total holds only the approved report; completeness shows 1 of 2', async () => {
    await tinh.goto(roundPath);
    await checkPage(tinh, 'round totals');
    assert.match(await tinh.locator('#completeness').innerText(), /Đã nộp 1\/2/);
    const row = tinh.locator('#totals tr').filter({ has: tinh.getByRole('cell', { name: 'Số vụ việc tiếp nhận', exact: true }) });
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[3].trim(), '10', `total of cases received: ${cells.join(' | ')}`);
    const rate = tinh.locator('#totals tr').filter({ has: tinh.getByRole('cell', { name: 'Tỷ lệ hòa giải thành', exact: true }) });
    assert.equal((await rate.locator('td').allInnerTexts())[3].trim(), '60,0 %');
    await bothWidths(tinh, 'report-round');
  });

  step('6. the aggregate exports to XLSX, read back with the same numbers', async () => {
    const [download] = await Promise.all([
      tinh.waitForEvent('download'),
      tinh.getByRole('link', { name: 'Tải biểu tổng hợp (.xlsx)' }).click(),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'pbgdpl-xlsx-'));
    const xlsx = join(dir, 'tong-hop.xlsx');
    await download.saveAs(xlsx);
    execFileSync('soffice', ['--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):59,34,76', '--outdir', dir, xlsx], { stdio: 'ignore', timeout: 120_000 });
    const csvName = readdirSync(dir).find((f) => f.endsWith('.csv'));
    assert.ok(csvName, 'LibreOffice produced a CSV');
    const lines = readFileSync(join(dir, csvName), 'utf8').split(/\r?\n/);
    // Rows are named by the form's own codes: 5 = cases received, 6 = settled.
    const find = (code) => lines.map((l) => l.split(';')).find((cols) => cols[3] === code);
    const received = find('5');
    assert.ok(received && received[1] === 'Số vụ việc tiếp nhận', `a row 5 for cases received in:\n${lines.slice(0, 40).join('\n')}`);
    assert.equal(Number(received[4].replace(/[.\s"]/g, '')), 10);
    assert.equal(Number(find('6')[4].replace(/[.\s"]/g, '')), 6);
    assert.ok(!lines.some((l) => /[a-z]+_[a-z]+/.test(l)), 'no internal keys in the sheet');
    assert.ok(lines.some((l) => l.includes('1/2 báo cáo đã phê duyệt')), 'scope line says 1 of 2');
  });

  step('7. the round report downloads as PDF made by the server itself', async () => {
    const res = await tinh.request.get(`${roundPath}/bao-cao.pdf`);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'pbgdpl-pdf-'));
    const pdf = join(dir, 'bao-cao.pdf');
    writeFileSync(pdf, await res.body());
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
    for (const part of ['BÁO CÁO', 'Số vụ việc tiếp nhận', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Nơi nhận:']) {
      assert.ok(text.includes(part), `«${part}» in the PDF: ${text.slice(0, 600)}`);
    }
  });
});