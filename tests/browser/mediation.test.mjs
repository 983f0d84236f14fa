// Grassroots mediation journey in headless Chromium (issue 12): xa1 creates a team in a new
// village and imports a roster of five mediators from XLSX (one row wrong: every error shown,
// nothing imported; then fixed), with the leader marked; the demo team's leader hgv1 (a
// mediator account) records a land dispute on a 360 px phone and ends it as "thành"; xa1
// downloads the tracking book and sees the remuneration list; tinh opens the current 6-month
// mediation round and xa1's report arrives prefilled from the cases, one more case and one
// more success than before the journey; xa1 submits it; tinh sees the province's figures and
// no party's name anywhere.
//
//   BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=… DB_LABEL=sqlite node --test tests/browser/
//
// The reports journey owns the first half-year's round, so from January to June step 4 (which
// needs the current half's round) is skipped; from July it runs.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  DEMO_PASSWORD, DESKTOP, MOBILE,
  bothWidths, checkPage, clickAndWait, launch, login, newContext, pathOf, requireEnv,
  journeySteps,
} from './support.mjs';

const NOW = new Date();
const PARTS = Object.fromEntries(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: 'numeric' })
  .formatToParts(NOW).map((p) => [p.type, p.value]));
const YEAR = PARTS.year;
const SECOND_HALF = Number(PARTS.month) >= 7;
const PERIOD = `6 tháng cuối năm ${YEAR}`;
const SCHEDULE = 'Báo cáo kết quả hòa giải ở cơ sở 6 tháng';
const VILLAGE = 'Thôn Pác Luống';
const PARTY = 'Triệu Văn Phong';

/** An XLSX made from CSV rows by LibreOffice (installed by scripts/test.sh). */
function xlsx(rows) {
  const dir = mkdtempSync(join(tmpdir(), 'pbgdpl-roster-'));
  const csv = join(dir, 'danh-sach.csv');
  writeFileSync(csv, rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\n'));
  execFileSync('soffice', ['--headless', '--infilter=CSV:44,34,76', '--convert-to', 'xlsx', '--outdir', dir, csv], { stdio: 'ignore', timeout: 120_000 });
  return readFileSync(join(dir, 'danh-sach.xlsx'));
}

const HEADER = ['Họ và tên', 'Giới tính', 'Năm sinh', 'Dân tộc', 'Điện thoại', 'Tổ trưởng'];
const ROWS = [
  ['Hoàng Văn Hải', 'Nam', '1967', 'Tày', '0912000111', 'x'],
  ['Lý Thị Nga', 'Nữ', '1980', 'Nùng', '', ''],
  ['Vi Văn Cường', 'Nam', '1975', 'Tày', '', ''],
  ['Nông Thị Lụa', 'Nữ', '1988', 'Tày', '', ''],
  ['Lục Văn Quân', 'Nam', '1970', 'Kinh', '', ''],
];

describe('mediation journey: team and roster, a case on a phone, book and remuneration, prefilled report', () => {
  let browser;
  let xa1;
  let teamPath;
  let before_ = { received: 0, settled: 0 };

  const step = journeySteps(test, 180_000);

  before(async () => {
    requireEnv();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  /** The figures of Phường Đông Kinh on /hoa-giai for the current half-year. */
  async function communeFigures(page) {
    const from = SECOND_HALF ? `01/07/${YEAR}` : `01/01/${YEAR}`;
    const to = SECOND_HALF ? `31/12/${YEAR}` : `30/06/${YEAR}`;
    await page.goto(`/hoa-giai?tu=${encodeURIComponent(from)}&den=${encodeURIComponent(to)}`);
    const cells = await page.locator('#so-lieu tbody tr').filter({ hasText: 'Đông Kinh' }).first().locator('td').allInnerTexts();
    return { received: Number(cells[6]), settled: Number(cells[7]) };
  }

  step('1. xa1 creates a team and imports its roster from XLSX, fixing one wrong row', async () => {
    xa1 = await (await newContext(browser, { viewport: DESKTOP })).newPage();
    assert.equal((await login(xa1, 'xa1', DEMO_PASSWORD)).status(), 200);
    before_ = await communeFigures(xa1);
    await xa1.goto('/hoa-giai');
    await checkPage(xa1, 'mediation index (commune)');
    await xa1.getByLabel('Hoặc tên thôn mới').fill(VILLAGE);
    await xa1.getByLabel('Tên tổ hòa giải').fill(`Tổ hòa giải ${VILLAGE}`);
    await xa1.getByLabel('Số quyết định thành lập').fill('27/QĐ-UBND');
    let r = await clickAndWait(xa1, xa1.getByRole('button', { name: 'Thành lập tổ' }));
    assert.equal(r.status(), 200);
    await assert.doesNotReject(xa1.getByText('Đã lưu tổ hòa giải.').waitFor());
    teamPath = pathOf(xa1).replace(/\?.*$/, '');
    assert.match(teamPath, /^\/hoa-giai\/to\/\d+$/);
    assert.match(await xa1.locator('#warnings').innerText(), /ít hơn 3 người/);
    // One wrong row (gender "?"): the errors are listed, nothing is imported.
    const wrong = ROWS.map((r) => [...r]);
    wrong[2][1] = '?';
    await xa1.locator('#roster-file').setInputFiles({ name: 'danh-sach.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx([HEADER, ...wrong]) });
    r = await clickAndWait(xa1, xa1.getByRole('button', { name: 'Nhập danh sách' }));
    assert.equal(r.status(), 422);
    assert.match(await xa1.locator('#import-errors').innerText(), /Dòng 4, cột «Giới tính»/);
    assert.equal(await xa1.locator('#roster').count(), 0, 'nothing imported');
    await bothWidths(xa1, 'mediation-roster-errors');
    await xa1.locator('#roster-file').setInputFiles({ name: 'danh-sach.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx([HEADER, ...ROWS]) });
    r = await clickAndWait(xa1, xa1.getByRole('button', { name: 'Nhập danh sách' }));
    assert.equal(r.status(), 200);
    await assert.doesNotReject(xa1.getByText('Đã nhập danh sách hòa giải viên.').waitFor());
    assert.equal(await xa1.locator('#roster tbody tr').count(), 5);
    assert.match(await xa1.locator('#leader').innerText(), /Hoàng Văn Hải/);
    assert.equal(await xa1.locator('#warnings').count(), 0, 'three or more, with women and ethnic minorities');
    await bothWidths(xa1, 'mediation-team');
  });

  step('2. the leader hgv1 records a land dispute on a 360 px phone and ends it as "thành"', async () => {
    const page = await (await newContext(browser, { viewport: MOBILE })).newPage();
    assert.equal((await login(page, 'hgv1', DEMO_PASSWORD)).status(), 200);
    await page.goto('/hoa-giai');
    await checkPage(page, 'mediation index (mediator)');
    await clickAndWait(page, page.locator('#teams a').first());
    await clickAndWait(page, page.getByRole('link', { name: 'Ghi vụ, việc mới' }));
    await checkPage(page, 'case intake (mobile)');
    // Saved without a party: the form comes back with what was typed.
    await page.getByLabel('Lĩnh vực').selectOption('land');
    await page.getByLabel('Nội dung chính của vụ, việc').fill('Tranh chấp ranh giới ruộng bậc thang');
    let r = await clickAndWait(page, page.getByRole('button', { name: 'Lưu vụ, việc' }));
    assert.equal(r.status(), 422);
    assert.equal(await page.getByLabel('Nội dung chính của vụ, việc').inputValue(), 'Tranh chấp ranh giới ruộng bậc thang');
    await bothWidths(page, 'mediation-case-errors');
    // The typed draft survives a reload (kept in the browser until saved).
    await page.getByLabel('Bên thứ nhất: họ và tên').fill(PARTY);
    await page.goto(pathOf(page).replace(/\/vu-viec$/, '/vu-viec/moi'));
    assert.equal(await page.getByLabel('Bên thứ nhất: họ và tên').inputValue(), PARTY, 'draft restored after a reload');
    await page.getByLabel('Bên thứ hai: họ và tên').fill('Hoàng Thị Duyên');
    r = await clickAndWait(page, page.getByRole('button', { name: 'Lưu vụ, việc' }));
    assert.equal(r.status(), 200);
    await assert.doesNotReject(page.getByText('Đã ghi vụ, việc hòa giải.').waitFor());
    assert.equal((await page.locator('#status').innerText()).trim(), 'Đã tiếp nhận');
    // Assign himself, start, end as "thành".
    await page.locator('#buoc-assign input[name="mediator"]').first().check();
    r = await clickAndWait(page, page.getByRole('button', { name: 'Phân công' }));
    assert.equal(r.status(), 200);
    r = await clickAndWait(page, page.getByRole('button', { name: 'Ghi bắt đầu' }));
    assert.equal(r.status(), 200);
    await page.getByLabel('Nội dung thỏa thuận của các bên').fill('Hai bên cắm lại mốc giới theo bản đồ địa chính năm 2015.');
    r = await clickAndWait(page, page.getByRole('button', { name: 'Ghi hòa giải thành' }));
    assert.equal(r.status(), 200);
    assert.equal((await page.locator('#status').innerText()).trim(), 'Hòa giải thành');
    assert.match(await page.locator('#parties').innerText(), new RegExp(PARTY));
    await bothWidths(page, 'mediation-case');
    await page.context().close();
  });

  step('3. xa1 downloads the tracking book and sees the remuneration list', async () => {
    await xa1.goto('/hoa-giai');
    await clickAndWait(xa1, xa1.locator('#teams a', { hasText: 'Thôn Nà Cạn' }).first());
    const [download] = await Promise.all([xa1.waitForEvent('download'), xa1.getByRole('link', { name: /Sổ theo dõi năm \d+ \(Excel\)/ }).click()]);
    const dir = mkdtempSync(join(tmpdir(), 'pbgdpl-book-'));
    const file = join(dir, 'so.xlsx');
    await download.saveAs(file);
    execFileSync('soffice', ['--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):59,34,76', '--outdir', dir, file], { stdio: 'ignore', timeout: 120_000 });
    const csv = readFileSync(join(dir, 'so.csv'), 'utf8');
    assert.match(csv, /SỔ THEO DÕI HOẠT ĐỘNG HÒA GIẢI Ở CƠ SỞ/);
    assert.match(csv, new RegExp(PARTY));
    assert.match(csv, /PHẦN II/);
    // The same book as DOCX (Nghị định 30 layout), read back as text.
    const [word] = await Promise.all([xa1.waitForEvent('download'), xa1.getByRole('link', { name: /Sổ theo dõi năm \d+ \(Word\)/ }).click()]);
    const docx = join(dir, 'so.docx');
    await word.saveAs(docx);
    execFileSync('soffice', ['--headless', '--convert-to', 'txt:Text', '--outdir', dir, docx], { stdio: 'ignore', timeout: 120_000 });
    const text = readFileSync(join(dir, 'so.txt'), 'utf8');
    assert.match(text, /SỔ THEO DÕI/);
    assert.match(text, new RegExp(PARTY));
    assert.match(text, /TỔ TRƯỞNG/);
    await xa1.goto('/hoa-giai/thu-lao');
    await checkPage(xa1, 'mediation remuneration');
    assert.match(await xa1.locator('#payments').innerText(), /200\.000/);
    await bothWidths(xa1, 'mediation-remuneration');
  });

  step('4. tinh opens the 6-month round; xa1\'s report arrives prefilled and is submitted', async (t) => {
    if (!SECOND_HALF) {
      t.skip('January to June: the reports journey owns the first half-year round');
      return;
    }
    const tinh = await (await newContext(browser, { viewport: DESKTOP })).newPage();
    assert.equal((await login(tinh, 'tinh', DEMO_PASSWORD)).status(), 200);
    await tinh.goto('/bao-cao');
    await clickAndWait(tinh, tinh.getByRole('link', { name: SCHEDULE }));
    await clickAndWait(tinh, tinh.getByRole('link', { name: PERIOD }));
    let r = await clickAndWait(tinh, tinh.getByRole('button', { name: 'Mở kỳ báo cáo' }));
    assert.equal(r.status(), 200);
    const now = await communeFigures(xa1);
    assert.deepEqual(now, { received: before_.received + 1, settled: before_.settled + 1 }, 'one more case, one more success');
    await xa1.goto('/bao-cao');
    await clickAndWait(xa1, xa1.getByRole('row').filter({ hasText: PERIOD }).filter({ hasText: 'hòa giải' }).getByRole('link').first());
    assert.equal(await xa1.getByLabel('Số vụ việc tiếp nhận', { exact: true }).inputValue(), String(now.received));
    assert.equal(await xa1.getByLabel('Số vụ việc hòa giải thành', { exact: true }).inputValue(), String(now.settled));
    assert.equal(await xa1.getByLabel('Số tổ hòa giải', { exact: true }).inputValue(), '2');
    await assert.doesNotReject(xa1.locator('.prefilled a[href^="/hoa-giai"]').first().waitFor());
    await bothWidths(xa1, 'mediation-report-prefilled');
    r = await clickAndWait(xa1, xa1.getByRole('button', { name: 'Gửi báo cáo' }));
    assert.equal(r.status(), 200, await xa1.content());
    await assert.doesNotReject(xa1.getByText('Đã gửi báo cáo lên cấp trên.').waitFor());
    await tinh.context().close();
  });

  step('5. tinh sees the province\'s figures and no party\'s name', async () => {
    const tinh = await (await newContext(browser, { viewport: MOBILE })).newPage();
    assert.equal((await login(tinh, 'tinh', DEMO_PASSWORD)).status(), 200);
    await tinh.goto('/hoa-giai');
    await checkPage(tinh, 'mediation index (province)');
    assert.match(await tinh.locator('#so-lieu').innerText(), /Tổng cộng/);
    await clickAndWait(tinh, tinh.locator('#teams a', { hasText: 'Thôn Nà Cạn' }).first());
    const html = await tinh.content();
    assert.ok(!html.includes(PARTY), 'no party name on the team page');
    assert.equal(await tinh.locator('#cases').count(), 0);
    await bothWidths(tinh, 'mediation-province');
    await tinh.context().close();
  });
});
