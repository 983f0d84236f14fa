// Foundation journey in headless Chromium (issue: "admin creates a commune justice officer, who
// must change the password and then sees only its own commune"; a screenshot of each step).
//
//   BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=… DB_LABEL=sqlite node --test tests/browser/
//
// The server must run with the demo data (`pbgdpl serve --demo`). Reruns against the same
// database work: the new account's username carries DB_LABEL and a timestamp.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  DB_LABEL, DEMO_PASSWORD, DESKTOP, MOBILE,
  checkPage, clickAndWait, launch, login, navLabels, newContext, pathOf, requireEnv, screenshot,
  journeySteps,
} from './support.mjs';

const STAMP = Date.now().toString(36);
const LABEL = DB_LABEL.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 10) || 'db';
const USERNAME = `cttp-${LABEL}-${STAMP}`; // ≤ 32 chars of [a-z0-9-]
const FULL_NAME = 'Lương Thị Thử Nghiệm';
const EMAIL = `${USERNAME}@example.org`;
const TOO_SHORT = 'Ngan-1';
const INITIAL_PASSWORD = 'Khoi-tao-2026x';
const NEW_PASSWORD = 'Doi-moi-2026-ok';

// The commune the account is created for (a demo commune with its own agencies) and the other
// demo commune, whose data the new officer must not see.
const COMMUNE = { name: 'Phường Đông Kinh', code: '05977', search: 'dong kinh' };
const OTHER_COMMUNE_AGENCY = 'Ủy ban nhân dân xã Đoàn Kết';

const ACCOUNT_CREATED = 'Đã tạo tài khoản. Người dùng phải đổi mật khẩu ở lần đăng nhập đầu tiên.';

/** The <dd> that follows the <dt> with this text in the dashboard's facts list. */
function fact(page, term) {
  return page.locator('dl.facts dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
}

describe('foundation journey: admin creates a commune justice officer, who then sees only its commune', () => {
  let browser;
  let adminContext;
  let admin; // page
  let officerContext;
  let officer; // page
  let otherCommuneAgencyPath; // e.g. /co-quan/23, looked up by the administrator

  // Steps depend on each other: once one fails, the rest are reported as skipped.
  const step = journeySteps(test, 30_000);

  before(async () => {
    requireEnv();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  step('1. admin logs in (360 px)', async () => {
    adminContext = await newContext(browser, { viewport: MOBILE });
    admin = await adminContext.newPage();
    const res = await admin.goto('/dang-nhap');
    assert.equal(res.status(), 200);
    await checkPage(admin, 'login');
    await admin.getByLabel('Tên đăng nhập').fill('admin');
    await admin.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_PASSWORD);
    await screenshot(admin, '01-admin-login.png');
    const done = await clickAndWait(admin, admin.getByRole('button', { name: 'Đăng nhập' }));
    assert.equal(done.status(), 200, 'admin signs in (is DEMO_PASSWORD the demo password, is the server started with --demo?)');
    assert.equal(pathOf(admin), '/');
    assert.equal((await admin.getByRole('heading', { level: 1 }).textContent()).trim(), 'Tổng quan');
    assert.ok((await navLabels(admin)).includes('Tài khoản'), 'the administrator has the accounts menu');
    await checkPage(admin, 'dashboard (admin)');
  });

  step('2. admin finds units by name without diacritics and opens a commune (360 px)', async () => {
    await clickAndWait(admin, admin.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Đơn vị hành chính' }));
    assert.equal(pathOf(admin), '/don-vi');
    await checkPage(admin, 'unit browser');

    const search = admin.getByLabel('Tìm theo tên (có hoặc không dấu)');
    await search.fill('huu lung');
    await clickAndWait(admin, admin.getByRole('button', { name: 'Xem' }));
    assert.match(pathOf(admin), /^\/don-vi\?.*q=huu\+lung/);
    const row = admin.locator('tbody tr', { has: admin.getByRole('link', { name: 'Xã Hữu Lũng', exact: true }) });
    assert.equal(await row.count(), 1, 'searching "huu lung" finds "Xã Hữu Lũng"');
    assert.equal((await row.locator('td').first().textContent()).trim(), '06385');
    await checkPage(admin, 'unit search results');
    // Frame the search field and its results together.
    await admin.evaluate(() => window.scrollTo(0, document.querySelector('form.filters').getBoundingClientRect().top + window.scrollY - 8));
    await screenshot(admin, '02-unit-search.png');

    await search.fill(COMMUNE.search);
    await clickAndWait(admin, admin.getByRole('button', { name: 'Xem' }));
    const target = admin.locator('tbody tr', { hasText: COMMUNE.code }).getByRole('link', { name: COMMUNE.name, exact: true });
    assert.equal(await target.count(), 1, `searching "${COMMUNE.search}" finds ${COMMUNE.name} (${COMMUNE.code})`);
    await clickAndWait(admin, target);
    assert.match(pathOf(admin), /^\/don-vi\/\d+$/);
    assert.equal((await admin.getByRole('heading', { level: 1 }).textContent()).trim(), COMMUNE.name);
    assert.match(await admin.getByRole('navigation', { name: 'Vị trí' }).textContent(), /Tỉnh Lạng Sơn/);
    await checkPage(admin, 'unit page');
  });

  step('3. admin opens the account form from the unit page (1280 px)', async () => {
    await admin.setViewportSize(DESKTOP);
    const unitPath = pathOf(admin);
    const link = admin.getByRole('link', { name: 'Tạo tài khoản cho đơn vị này' });
    assert.equal(await link.getAttribute('href'), `/tai-khoan/moi?don_vi=${unitPath.split('/').pop()}`);
    const res = await clickAndWait(admin, link);
    assert.equal(res.status(), 200);
    assert.match(pathOf(admin), /^\/tai-khoan\/moi\?don_vi=\d+$/);
    assert.equal((await admin.getByRole('heading', { level: 1 }).textContent()).trim(), 'Tạo tài khoản');
    assert.equal(await admin.getByLabel('Mã đơn vị').inputValue(), COMMUNE.code, 'the unit is preselected');
    assert.match(await admin.locator('#unit-hint').textContent(), new RegExp(COMMUNE.name));
    assert.equal(await admin.getByLabel('Vai trò').inputValue(), 'justice_officer');
    await checkPage(admin, 'account form');

    await admin.getByLabel('Tên đăng nhập').fill(USERNAME);
    await admin.getByLabel('Họ và tên').fill(FULL_NAME);
    await admin.getByLabel('Thư điện tử (để đặt lại mật khẩu)').fill(EMAIL);
    await admin.getByLabel('Vai trò').selectOption({ label: 'Công chức tư pháp' });
    await admin.getByLabel('Mật khẩu ban đầu').fill(TOO_SHORT);
    await screenshot(admin, '03-create-account.png');
  });

  step('4. a too-short password is refused beside the field and the typed values are kept', async () => {
    const res = await clickAndWait(admin, admin.getByRole('button', { name: 'Tạo tài khoản', exact: true }));
    assert.equal(res.status(), 422);
    assert.equal(pathOf(admin), '/tai-khoan/moi');
    assert.match(await admin.getByRole('alert').first().textContent(), /Biểu mẫu còn lỗi/);

    const password = admin.getByLabel('Mật khẩu ban đầu');
    const error = admin.locator('#pw-err');
    assert.match(await error.textContent(), /ít nhất 10 ký tự/);
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    assert.ok((await password.getAttribute('aria-describedby')).split(/\s+/).includes('pw-err'),
      'the error is announced with the password field');
    const beside = await admin.evaluate(() => {
      const input = document.getElementById('password');
      const err = document.getElementById('pw-err');
      // The error follows the field within its group (field, hint, error) and is drawn near it.
      let el = input.nextElementSibling;
      for (let i = 0; el && i < 3; i++, el = el.nextElementSibling) {
        if (el === err) {
          const a = input.getBoundingClientRect();
          const b = err.getBoundingClientRect();
          return b.top >= a.top && b.top - a.bottom < 120;
        }
      }
      return false;
    });
    assert.ok(beside, 'the password error is shown right after the password field');
    assert.equal(await admin.locator('.field-error').count(), 1, 'only the password is in error');

    assert.equal(await admin.getByLabel('Họ và tên').inputValue(), FULL_NAME, 'the full name is kept');
    assert.equal(await admin.getByLabel('Tên đăng nhập').inputValue(), USERNAME, 'the username is kept');
    assert.equal(await admin.getByLabel('Thư điện tử (để đặt lại mật khẩu)').inputValue(), EMAIL);
    assert.equal(await admin.getByLabel('Vai trò').inputValue(), 'justice_officer');
    assert.equal(await admin.getByLabel('Mã đơn vị').inputValue(), COMMUNE.code);
    assert.equal(await password.inputValue(), '', 'the password is not sent back');
    await checkPage(admin, 'account form with errors');

    // Frame the error summary, the kept values and the password error together.
    await admin.evaluate(() => window.scrollTo(0, document.querySelector('.error-box').getBoundingClientRect().top + window.scrollY - 16));
    assert.ok(await error.isVisible());
    await screenshot(admin, '04-validation-error.png');
  });

  step('5. admin creates the account with a valid password', async () => {
    await admin.getByLabel('Mật khẩu ban đầu').fill(INITIAL_PASSWORD);
    const res = await clickAndWait(admin, admin.getByRole('button', { name: 'Tạo tài khoản', exact: true }));
    assert.equal(res.status(), 200);
    assert.equal(pathOf(admin), '/tai-khoan?tb=account_created');
    assert.equal((await admin.locator('.flash[role=status]').textContent()).trim(), ACCOUNT_CREATED);
    const row = admin.locator('tbody tr', { hasText: USERNAME });
    assert.equal(await row.count(), 1, 'the new account is listed');
    const cells = (await row.locator('td').allTextContents()).map((s) => s.trim());
    assert.equal(cells[0], FULL_NAME);
    assert.equal(cells[1], USERNAME);
    assert.equal(cells[2], 'Công chức tư pháp');
    assert.equal(cells[3], COMMUNE.name);
    await checkPage(admin, 'account list');
    await screenshot(admin, '05-account-created.png');
  });

  step('6. admin looks up an agency of the other demo commune, then logs out', async () => {
    // Kept for step 10: the officer must not be able to open it by its address.
    await admin.goto(`/co-quan?q=${encodeURIComponent('doan ket')}`);
    const link = admin.getByRole('link', { name: OTHER_COMMUNE_AGENCY, exact: true });
    assert.equal(await link.count(), 1, `the administrator sees "${OTHER_COMMUNE_AGENCY}"`);
    otherCommuneAgencyPath = await link.getAttribute('href');
    assert.match(otherCommuneAgencyPath, /^\/co-quan\/\d+$/);

    await clickAndWait(admin, admin.getByRole('button', { name: 'Đăng xuất' }));
    assert.equal(pathOf(admin), '/dang-nhap');
    // "/" is now the public home page for a visitor; an account's page asks to sign in.
    await admin.goto('/ca-nhan');
    assert.equal(pathOf(admin), '/dang-nhap', 'the session is gone');
    await adminContext.close();
  });

  step('7. the new officer must change the initial password first (360 px)', async () => {
    officerContext = await newContext(browser, { viewport: MOBILE });
    officer = await officerContext.newPage();
    const res = await login(officer, USERNAME, INITIAL_PASSWORD);
    assert.equal(res.status(), 200, 'the new account signs in with its initial password');
    assert.equal(pathOf(officer), '/doi-mat-khau');
    assert.equal((await officer.getByRole('heading', { level: 1 }).textContent()).trim(), 'Đổi mật khẩu');
    assert.match(await officer.locator('p.notice').textContent(), /cần đổi mật khẩu trước khi tiếp tục/);
    assert.deepEqual(await navLabels(officer), [], 'no menu before the password is changed');
    await checkPage(officer, 'forced password change');

    for (const path of ['/tai-khoan', '/', '/co-quan', '/don-vi']) {
      await officer.goto(path);
      assert.equal(pathOf(officer), '/doi-mat-khau', `${path} leads back to the password change`);
    }

    await officer.getByLabel('Mật khẩu hiện tại').fill(INITIAL_PASSWORD);
    await officer.getByLabel('Mật khẩu mới', { exact: true }).fill(NEW_PASSWORD);
    await officer.getByLabel('Nhập lại mật khẩu mới').fill(NEW_PASSWORD);
    await screenshot(officer, '06-forced-password-change.png');
    const done = await clickAndWait(officer, officer.getByRole('button', { name: 'Đổi mật khẩu' }));
    assert.equal(done.status(), 200);
    assert.equal(pathOf(officer), '/?tb=password_changed');
    assert.equal((await officer.locator('.flash[role=status]').textContent()).trim(), 'Đã đổi mật khẩu.');
  });

  step('8. the officer\'s dashboard shows its commune and no administration menus (360 px)', async () => {
    assert.equal((await officer.getByRole('heading', { level: 1 }).textContent()).trim(), 'Tổng quan');
    assert.equal((await fact(officer, 'Đơn vị').textContent()).trim(), COMMUNE.name);
    assert.equal((await fact(officer, 'Vai trò').textContent()).trim(), 'Công chức tư pháp');
    assert.match(await officer.locator('header .who').textContent(), new RegExp(`${FULL_NAME}.*${COMMUNE.name}`));
    const nav = await navLabels(officer);
    assert.ok(nav.includes('Tổng quan') && nav.includes('Cơ quan, tổ chức'), `menu: ${nav.join(' | ')}`);
    assert.ok(!nav.includes('Tài khoản'), `no accounts menu: ${nav.join(' | ')}`);
    assert.ok(!nav.includes('Nhật ký hệ thống'), `no audit menu: ${nav.join(' | ')}`);
    const adminLinks = await officer.locator('a[href^="/tai-khoan"], a[href^="/nhat-ky"], a[href^="/he-thong"]').count();
    assert.equal(adminLinks, 0, 'no link to administration pages anywhere on the dashboard');
    await checkPage(officer, 'dashboard (officer)');
    await screenshot(officer, '07-officer-dashboard.png');
  });

  step('9. the officer is refused the account pages (360 px)', async () => {
    const list = await officer.goto('/tai-khoan');
    assert.equal(list.status(), 403);
    const text = await officer.locator('body').innerText();
    assert.match(text, /Bạn không có quyền/);
    assert.doesNotMatch(text, /Tên đăng nhập|Đăng nhập gần nhất/, 'no account list is shown');
    await checkPage(officer, '403 page');
    await screenshot(officer, '08-officer-forbidden.png');

    // Account 1 is the first demo account (admin); any other account of another unit would do.
    for (const path of ['/tai-khoan/1', '/tai-khoan/2', '/tai-khoan/moi', '/nhat-ky', '/he-thong/hop-thu']) {
      const res = await officer.goto(path);
      assert.ok([403, 404].includes(res.status()), `${path} answers ${res.status()}`);
      const body = await officer.locator('body').innerText();
      assert.doesNotMatch(body, /@demo\.pbgdpl\.local|Quản trị hệ thống|Nguyễn Thị Hoà|Đặt mật khẩu tạm thời/, `${path} shows no account data`);
      assert.equal(await officer.locator('form input:not([type=hidden])').count(), 0, `${path} shows no form`);
    }
  });

  step('10. the officer sees agencies of its commune and the province, not of the other commune (1280 px)', async () => {
    await officer.setViewportSize(DESKTOP);
    await officer.goto('/');
    await clickAndWait(officer, officer.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Cơ quan, tổ chức' }));
    assert.equal(pathOf(officer), '/co-quan');
    const text = await officer.locator('main').innerText();
    assert.match(text, /Ủy ban nhân dân phường Đông Kinh/, 'its own commune\'s agencies are listed');
    assert.match(text, /Sở Tư pháp tỉnh Lạng Sơn/, 'the province\'s agencies are listed');
    assert.ok(!text.includes(OTHER_COMMUNE_AGENCY), `"${OTHER_COMMUNE_AGENCY}" must not be listed`);
    assert.ok(!text.includes('Đoàn Kết'), 'nothing of Xã Đoàn Kết is listed');
    const units = new Set((await officer.locator('tbody tr td:nth-child(4)').allTextContents()).map((s) => s.trim()));
    assert.deepEqual([...units].sort(), [COMMUNE.name, 'Tỉnh Lạng Sơn'].sort(), 'agencies come from the commune and the province only');
    await checkPage(officer, 'agency list (officer)');

    const res = await officer.goto(otherCommuneAgencyPath);
    assert.ok([403, 404].includes(res.status()), `${otherCommuneAgencyPath} answers ${res.status()}`);
    assert.ok(!(await officer.locator('body').innerText()).includes('Đoàn Kết'), `${otherCommuneAgencyPath} shows nothing of Xã Đoàn Kết`);
    await officerContext.close();
  });
});

describe('without JavaScript', () => {
  let browser;
  before(async () => {
    requireEnv();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('xa2 logs in with JavaScript disabled and sees Xã Đoàn Kết (360 px)', { timeout: 30_000 }, async () => {
    const context = await newContext(browser, { viewport: MOBILE, javaScriptEnabled: false });
    const page = await context.newPage();
    const res = await login(page, 'xa2', DEMO_PASSWORD);
    assert.equal(res.status(), 200, 'xa2 signs in (is DEMO_PASSWORD the demo password?)');
    assert.equal(pathOf(page), '/');
    assert.equal((await fact(page, 'Đơn vị').textContent()).trim(), 'Xã Đoàn Kết');
    await clickAndWait(page, page.getByRole('button', { name: 'Đăng xuất' }));
    assert.equal(pathOf(page), '/dang-nhap', 'logging out works without JavaScript too');
    await context.close();
  });
});
