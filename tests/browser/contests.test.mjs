// Online contest journey in headless Chromium (issue 15, the citizen's path): on a 360 px phone
// and without JavaScript, a citizen with no account opens the demo contest's public page, reads
// its rules, finds the commune by today's name and by its pre-2025 name, registers (a too-young
// birth year first), reads the one-time code from the outbox (as an SMS gateway would: admin's
// /he-thong/hop-thu), confirms it and starts an attempt: one form per question, and the page
// does not tell which option is correct. Half the answers are saved with the forms' buttons; a
// reload resumes the same attempt with its answers and the server's time running on; the rest
// are saved by the page's script as they are chosen; the citizen submits and sees the score and
// the time. The organiser (tinh, whose province runs the demo contest) then sees the entrant in
// the round's ranking, without the phone number, and on a phone sets the collective prizes and
// a commune's headcount.
//
//   BASE_URL=http://127.0.0.1:18195 DEMO_PASSWORD=… DB_LABEL=sqlite node --test tests/browser/contests.test.mjs

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  DB_LABEL, DEMO_PASSWORD, DESKTOP, MOBILE,
  bothWidths, checkPage, clickAndWait, launch, login, newContext, pathOf, requireEnv,
  journeySteps,
} from './support.mjs';

// The demo contest (crates/contests/src/demo.rs): its round draws 10 of these 30 questions.
const CONTEST = 'Cuộc thi trực tuyến tìm hiểu pháp luật về bầu cử và hòa giải ở cơ sở';
const QUESTIONS = 10;
/** The start of each demo question and its correct option. */
const KEY = [
  ['Công dân nước Cộng hòa xã hội chủ nghĩa', 'Đủ 18 tuổi'],
  ['Công dân đủ bao nhiêu tuổi trở lên có quyền ứng cử', 'Đủ 21 tuổi'],
  ['Việc bầu cử đại biểu Quốc hội được tiến hành', 'Phổ thông, bình đẳng, trực tiếp và bỏ phiếu kín'],
  ['Nhiệm kỳ của mỗi khóa Quốc hội', '5 năm'],
  ['Ngày bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân phải là', 'Ngày Chủ nhật'],
  ['Ngày bầu cử được công bố chậm nhất', '115 ngày'],
  ['Cử tri ốm đau, già yếu', 'Tổ bầu cử mang hòm phiếu phụ và phiếu bầu đến chỗ ở của cử tri'],
  ['Cử tri không tự viết được phiếu bầu', 'Nhờ người khác viết hộ nhưng phải tự mình bỏ phiếu'],
  ['Hội đồng bầu cử quốc gia do cơ quan nào', 'Quốc hội'],
  ['Người bị kết án tử hình', 'Không'],
  ['Luật Hòa giải ở cơ sở được Quốc hội thông qua', 'Năm 2013'],
  ['Tổ hòa giải có ít nhất', '3 hòa giải viên'],
  ['Ai ra quyết định công nhận hòa giải viên', 'Chủ tịch Ủy ban nhân dân cấp xã'],
  ['Hòa giải ở cơ sở phải tôn trọng', 'Sự tự nguyện của các bên'],
  ['Tổ trưởng tổ hòa giải được chọn', 'Do các hòa giải viên trong tổ bầu'],
  ['Việc nào sau đây không được hòa giải', 'Hành vi vi phạm pháp luật mà theo quy định phải bị truy cứu trách nhiệm hình sự'],
  ['Hòa giải viên có quyền nào', 'Được hưởng thù lao theo vụ việc'],
  ['Luật Hòa giải ở cơ sở có hiệu lực', '01/01/2014'],
  ['Hòa giải ở cơ sở nhằm mục đích gì', 'Giúp các bên tự nguyện đạt được thỏa thuận giải quyết mâu thuẫn, tranh chấp'],
  ['Khi các bên không đạt được thỏa thuận', 'Hướng dẫn các bên đề nghị cơ quan, tổ chức có thẩm quyền giải quyết'],
  ['Ngày Pháp luật nước Cộng hòa', 'Ngày 9 tháng 11'],
  ['Luật Phổ biến, giáo dục pháp luật được Quốc hội thông qua', 'Năm 2012'],
  ['Hiến pháp hiện hành', 'Năm 2013'],
  ['Luật Phổ biến, giáo dục pháp luật có hiệu lực', '01/01/2013'],
  ['Cơ quan nào giúp Chính phủ', 'Bộ Tư pháp'],
  ['Ai ra quyết định công nhận tuyên truyền viên', 'Chủ tịch Ủy ban nhân dân cấp xã'],
  ['Ngày Pháp luật được tổ chức hằng năm', 'Tôn vinh Hiến pháp, pháp luật và giáo dục ý thức thượng tôn pháp luật'],
  ['Hình thức nào sau đây là một hình thức', 'Tổ chức thi tìm hiểu pháp luật'],
  ['Báo cáo viên pháp luật ở địa phương', 'Chủ tịch Ủy ban nhân dân cấp tỉnh'],
  ['Người nào sau đây có thể được công nhận', 'Người có uy tín, có kiến thức pháp luật và khả năng truyền đạt'],
];

// A contact no other run uses (journeys share one server); the name is a plain Vietnamese name.
const STAMP = String(Date.now()).slice(-7);
const PHONE = `09${DB_LABEL === 'postgres' ? 1 : 0}${STAMP}`;
const NAME = 'Đinh Thị Thu Hà';
const BIRTH_YEAR = '1994';
const COMMUNE = 'Phường Đông Kinh';
const FORMER = 'Phường Vĩnh Trại';

/** The question forms of the attempt page now shown: [{ pos, text, options: [label text] }]. */
async function questionsOf(page) {
  return page.locator('form.ct-q:has(fieldset)').evaluateAll((forms) => forms.map((f) => ({
    pos: f.querySelector('input[name=pos]').value,
    text: f.querySelector('legend').textContent.replace(/^Câu \d+\.\s*/, '').trim(),
    options: [...f.querySelectorAll('label.check')].map((l) => l.textContent.trim()),
    checked: [...f.querySelectorAll('input[type=radio]')].findIndex((r) => r.checked),
  })));
}

/** The shown index of the option to choose: the correct one, or a wrong one when `wrong`. */
function pick(q, wrong) {
  const entry = KEY.find(([start]) => q.text.startsWith(start));
  assert.ok(entry, `a demo question: ${q.text}`);
  const right = q.options.indexOf(entry[1]);
  assert.ok(right >= 0, `the correct option of «${q.text}» is among ${JSON.stringify(q.options)}`);
  return wrong ? (right + 1) % q.options.length : right;
}

describe('contests journey: a citizen registers with a code and takes an attempt on a phone; the organiser ranks it', () => {
  let browser;
  let citizen;
  let contestPath;
  let attemptPath;
  let asked;
  let remainingBefore;
  const chosen = new Map();

  const step = journeySteps(test, 180_000);

  before(async () => {
    requireEnv();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  step('1. a citizen without an account opens the demo contest on a 360 px phone without JavaScript', async () => {
    citizen = await (await newContext(browser, { viewport: MOBILE, javaScriptEnabled: false })).newPage();
    await citizen.goto('/cuoc-thi');
    await checkPage(citizen, 'contests-public-list');
    await clickAndWait(citizen, citizen.getByRole('link', { name: CONTEST }));
    contestPath = pathOf(citizen);
    assert.match(contestPath, /^\/cuoc-thi\/\d+$/);
    const main = await citizen.locator('main').innerText();
    assert.match(main, /Thể lệ/);
    assert.match(main, /Mỗi lượt thi gồm 10 câu hỏi/);
    assert.match(main, /Thời gian làm bài: 15 phút/);
    assert.match(main, /Đăng ký dự thi/);
    await bothWidths(citizen, 'contest-public');
  });

  step('2. finds the commune by today\'s name and by its pre-2025 name, and registers', async () => {
    const search = async (q) => {
      await citizen.getByLabel(/Tìm xã, phường, đặc khu/).fill(q);
      const r = await clickAndWait(citizen, citizen.getByRole('button', { name: 'Tìm', exact: true }));
      assert.equal(r.status(), 200);
      return citizen.getByLabel('Xã, phường, đặc khu', { exact: true }).locator('option').allTextContents();
    };
    // Today's name, typed without diacritics.
    let options = await search('dong kinh');
    assert.ok(options.includes(COMMUNE), `today's name found: ${JSON.stringify(options)}`);
    // The name before the 2025 reorganisation leads to today's ward.
    options = await search('Vĩnh Trại');
    const formerly = `${COMMUNE} (trước đây: ${FORMER})`;
    assert.ok(options.includes(formerly), `the pre-2025 name found: ${JSON.stringify(options)}`);
    await checkPage(citizen, 'contest-commune-search');
    const fill = async (birthYear) => {
      await citizen.getByLabel('Họ và tên').fill(NAME);
      await citizen.getByLabel('Năm sinh').fill(birthYear);
      await citizen.getByLabel('Số điện thoại hoặc thư điện tử (để nhận mã xác nhận)').fill(PHONE);
      return clickAndWait(citizen, citizen.getByRole('button', { name: 'Đăng ký và nhận mã' }));
    };
    await citizen.getByLabel('Xã, phường, đặc khu', { exact: true }).selectOption({ label: formerly });
    // Too young for the contest (15 and over): the form comes back with what was typed.
    let r = await fill(String(new Date().getFullYear() - 10));
    assert.equal(r.status(), 422);
    assert.match(await citizen.locator('main').innerText(), /15 tuổi/);
    assert.equal(await citizen.getByLabel('Họ và tên').inputValue(), NAME);
    assert.equal(await citizen.getByLabel('Số điện thoại hoặc thư điện tử (để nhận mã xác nhận)').inputValue(), PHONE);
    const picked = citizen.getByLabel('Xã, phường, đặc khu', { exact: true }).locator('option:checked');
    assert.equal((await picked.textContent()).trim(), COMMUNE, 'the commune stays chosen, under today\'s name');
    await bothWidths(citizen, 'contest-register-error');
    r = await fill(BIRTH_YEAR);
    assert.equal(r.status(), 200);
    assert.equal(pathOf(citizen), `${contestPath}/xac-nhan?tb=code_sent`);
    const html = await citizen.content();
    assert.ok(!html.includes(PHONE) && !html.includes(PHONE.slice(-4)), 'the code page does not show the phone number');
    assert.match(await citizen.locator('main').innerText(), /đã được gửi tới số điện thoại hoặc thư điện tử Ông\/Bà đã nhập \(nếu đã đăng ký\)/);
    await bothWidths(citizen, 'contest-verify');
  });

  step('3. the one-time code, read from the outbox, confirms the registration (a wrong code first)', async () => {
    // The code as an SMS gateway would deliver it: the outbox, read by the system administrator.
    const admin = await (await newContext(browser, { viewport: DESKTOP })).newPage();
    assert.equal((await login(admin, 'admin', DEMO_PASSWORD)).status(), 200);
    await admin.goto('/he-thong/hop-thu');
    await checkPage(admin, 'contest-outbox');
    const mail = admin.locator('article').filter({ hasText: `sms:${PHONE}` });
    assert.equal(await mail.count(), 1, 'one code sent to the phone');
    const body = await mail.locator('pre').innerText();
    assert.ok(body.includes(CONTEST), body);
    const code = body.match(/là: (\d{6})\b/)[1];
    await admin.context().close();

    const wrong = code === '000000' ? '111111' : '000000';
    await citizen.getByLabel('Mã xác nhận').fill(wrong);
    let r = await clickAndWait(citizen, citizen.getByRole('button', { name: 'Xác nhận' }));
    assert.equal(r.status(), 422);
    await checkPage(citizen, 'contest-verify-error');
    await citizen.getByLabel('Mã xác nhận').fill(code);
    r = await clickAndWait(citizen, citizen.getByRole('button', { name: 'Xác nhận' }));
    assert.equal(r.status(), 200);
    assert.equal(pathOf(citizen), `${contestPath}?tb=verified`);
    await assert.doesNotReject(citizen.getByRole('heading', { name: `Xin chào ${NAME}` }).waitFor());
    assert.equal(await citizen.getByLabel('Họ và tên').count(), 0, 'no registration form once verified');
    await bothWidths(citizen, 'contest-entrant');
  });

  step('4. starts an attempt: one form per question, and the page does not tell the correct option', async () => {
    const r = await clickAndWait(citizen, citizen.getByRole('button', { name: 'Bắt đầu làm bài' }));
    assert.equal(r.status(), 200);
    attemptPath = pathOf(citizen);
    assert.match(attemptPath, new RegExp(`^${contestPath}/bai/\\d+$`));
    asked = await questionsOf(citizen);
    assert.equal(asked.length, QUESTIONS);
    assert.deepEqual(asked.map((q) => q.pos), asked.map((_, i) => String(i + 1)));
    for (const q of asked) {
      assert.equal(q.options.length, 4);
      assert.equal(q.checked, -1, 'nothing chosen yet');
      pick(q, false);
    }
    const html = await citizen.content();
    assert.ok(Buffer.byteLength(html) < 30_000, `the attempt page is small (${Buffer.byteLength(html)} bytes)`);
    // Nothing in the page singles out the correct option: every option's markup is the same
    // but for its position and its text, and no explanation, legal source or key is sent.
    const shapes = await citizen.locator('label.check').evaluateAll((labels) => labels.map((l) => {
      const c = l.cloneNode(true);
      const input = c.querySelector('input');
      input.removeAttribute('value');
      return `${c.attributes.length}|${[...c.attributes].map((a) => `${a.name}=${a.value}`).join(' ')}|${input.outerHTML}|${c.children.length}`;
    }));
    assert.equal(new Set(shapes).size, 1, `options differ in markup: ${[...new Set(shapes)].join(' / ')}`);
    for (const word of ['Đáp án', 'Căn cứ', 'correct', 'Luật Hòa giải ở cơ sở năm 2013', 'Luật Phổ biến, giáo dục pháp luật năm 2012']) {
      assert.ok(!html.includes(word), `the attempt page contains «${word}»`);
    }
    remainingBefore = Number(await citizen.locator('#ct-timer').getAttribute('data-remaining'));
    assert.ok(remainingBefore > 14 * 60 && remainingBefore <= 15 * 60, `15 minutes on the server's clock: ${remainingBefore}`);
    await bothWidths(citizen, 'contest-attempt');
  });

  step('5. answers half the questions with the forms\' buttons; a reload resumes the same attempt', async () => {
    for (const q of asked.slice(0, QUESTIONS / 2)) {
      const form = citizen.locator(`form#cau-${q.pos}`);
      const i = pick(q, false);
      await form.locator('input[type=radio]').nth(i).check();
      const r = await clickAndWait(citizen, form.getByRole('button', { name: `Lưu câu ${q.pos}` }));
      assert.equal(r.status(), 200);
      assert.equal(pathOf(citizen), `${attemptPath}?tb=saved_answer`);
      chosen.set(q.pos, i);
    }
    assert.match(await citizen.locator('main').innerText(), /Đã lưu câu trả lời/);
    await checkPage(citizen, 'contest-attempt-saved');
    await citizen.waitForTimeout(1500);
    await citizen.goto(attemptPath);
    const again = await questionsOf(citizen);
    assert.deepEqual(again.map((q) => [q.text, q.options]), asked.map((q) => [q.text, q.options]), 'the same questions in the same order');
    for (const q of again) assert.equal(q.checked, chosen.has(q.pos) ? chosen.get(q.pos) : -1, `answer kept for question ${q.pos}`);
    assert.match(await citizen.locator('main').innerText(), new RegExp(`Đã trả lời ${QUESTIONS / 2}/${QUESTIONS} câu`));
    const remaining = Number(await citizen.locator('#ct-timer').getAttribute('data-remaining'));
    assert.ok(remaining < remainingBefore && remaining > remainingBefore - 120, `the server's time runs on: ${remainingBefore} → ${remaining}`);
    // The contest page leads back to the attempt and offers no second one meanwhile.
    await citizen.goto(contestPath);
    assert.equal(await citizen.getByRole('button', { name: 'Bắt đầu làm bài' }).count(), 0);
    await clickAndWait(citizen, citizen.getByRole('link', { name: 'đang làm bài, tiếp tục' }));
    assert.equal(pathOf(citizen), attemptPath);
  });

  step('6. with JavaScript, the other answers and the prediction are saved as they are chosen', async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    await context.addCookies(await citizen.context().cookies());
    const page = await context.newPage();
    await page.goto(attemptPath);
    assert.equal(pathOf(page), attemptPath, 'the same attempt on a page with the script');
    await assert.doesNotReject(page.waitForFunction(() => /^\d+:\d\d$/.test(document.getElementById('ct-timer').textContent)));
    const last = asked[asked.length - 1].pos;
    for (const q of asked.slice(QUESTIONS / 2)) {
      // One answer is wrong on purpose, so the score tells the answers were checked.
      const i = pick(q, q.pos === last);
      const form = page.locator(`form#cau-${q.pos}`);
      await Promise.all([
        page.waitForResponse((resp) => resp.url().endsWith('/tra-loi') && resp.status() === 204),
        form.locator('input[type=radio]').nth(i).check(),
      ]);
      await assert.doesNotReject(form.locator('.ct-saved').getByText('Đã lưu').waitFor());
      chosen.set(q.pos, i);
    }
    await Promise.all([
      page.waitForResponse((resp) => resp.url().endsWith('/tra-loi') && resp.status() === 204),
      page.getByLabel(/Câu dự đoán/).fill('12'),
    ]);
    await checkPage(page, 'contest-attempt-script');
    await context.close();
    // Back on the page without JavaScript: everything is there after a reload.
    await citizen.reload();
    const again = await questionsOf(citizen);
    for (const q of again) assert.equal(q.checked, chosen.get(q.pos), `answer kept for question ${q.pos}`);
    assert.equal(await citizen.getByLabel(/Câu dự đoán/).inputValue(), '12');
    assert.match(await citizen.locator('main').innerText(), new RegExp(`Đã trả lời ${QUESTIONS}/${QUESTIONS} câu`));
  });

  step('7. submits and sees the score and the time', async () => {
    const r = await clickAndWait(citizen, citizen.getByRole('button', { name: 'Nộp bài' }));
    assert.equal(r.status(), 200);
    assert.equal(pathOf(citizen), `${attemptPath}/ket-qua`);
    const kpis = await citizen.locator('ul.kpis').innerText();
    assert.match(kpis, new RegExp(`${QUESTIONS - 1}/${QUESTIONS}\\s+câu đúng`));
    assert.match(kpis, /\d+:\d\d\s+thời gian làm bài/);
    // The rules show the answers on submission, but the round allows more attempts: they wait
    // until the entrant has used them all or the round is over (a later attempt could reuse them).
    assert.equal(await citizen.getByText('Đáp án đúng:').count(), 0);
    assert.match(await citizen.locator('main').innerText(), /Đáp án sẽ được công bố sau khi Vòng 1 kết thúc \(\d\d\/\d\d\/\d{4}[^)]*\), hoặc khi Ông\/Bà đã dùng hết số lượt thi của vòng\./);
    await bothWidths(citizen, 'contest-result');
    // The attempt is over: its page leads to the result, and the contest page lists it.
    await citizen.goto(attemptPath);
    assert.equal(pathOf(citizen), `${attemptPath}/ket-qua`);
    await citizen.goto(contestPath);
    assert.match(await citizen.locator('#bai-thi').innerText(), new RegExp(`Lượt 1: ${QUESTIONS - 1}/${QUESTIONS} điểm`));
    await citizen.context().close();
  });

  step('8. the organiser tinh sees the entrant in the round\'s ranking, without the phone number', async () => {
    const page = await (await newContext(browser, { viewport: DESKTOP })).newPage();
    assert.equal((await login(page, 'tinh', DEMO_PASSWORD)).status(), 200);
    await page.goto('/cuoc-thi/quan-ly');
    await checkPage(page, 'contests-manage-list');
    await clickAndWait(page, page.getByRole('link', { name: CONTEST }));
    await checkPage(page, 'contest-manage');
    await clickAndWait(page, page.locator('#vong-thi ~ .table-wrap').getByRole('link', { name: 'Vòng 1' }));
    assert.match(pathOf(page), /^\/cuoc-thi\/quan-ly\/vong\/\d+$/);
    await checkPage(page, 'contest-round-settings');
    await clickAndWait(page, page.getByRole('link', { name: 'Xếp hạng và số liệu' }));
    assert.match(pathOf(page), /^\/cuoc-thi\/quan-ly\/vong\/\d+\/xep-hang$/);
    await bothWidths(page, 'contest-ranking');
    const rows = await page.locator('table tbody tr').filter({ hasText: NAME }).allInnerTexts();
    assert.ok(rows.some((row) => row.includes(BIRTH_YEAR) && row.includes(COMMUNE) && row.includes(`${QUESTIONS - 1}/${QUESTIONS}`)),
      `the entrant ranked: ${JSON.stringify(rows)}`);
    assert.ok(!(await page.content()).includes(PHONE), 'the ranking shows no phone number');
    // The most-missed questions come from the counters (too few closed attempts yet to list any).
    assert.match(await page.locator('#sai-nhieu').innerText(), /Câu hỏi trả lời sai nhiều nhất/);
    await page.context().close();
  });

  step('9. on a phone, the organiser sets the collective prizes (a wrong line keeps what was typed) and a commune\'s headcount', async () => {
    const page = await (await newContext(browser, { viewport: MOBILE })).newPage();
    assert.equal((await login(page, 'tinh', DEMO_PASSWORD)).status(), 200);
    await page.goto('/cuoc-thi/quan-ly');
    await clickAndWait(page, page.getByRole('link', { name: CONTEST }));
    await clickAndWait(page, page.getByRole('link', { name: 'Giải tập thể' }));
    assert.match(pathOf(page), /^\/cuoc-thi\/quan-ly\/\d+\/giai-tap-the$/);
    await page.getByLabel('Cách xét').selectOption('rate_plus_points');
    await page.getByLabel('Cấp đơn vị dự xét').selectOption('commune');
    await page.getByLabel(/Điểm quy đổi/).fill('Giải Nhất; mười');
    await page.getByLabel(/Cơ cấu giải tập thể/).fill('');
    assert.equal((await clickAndWait(page, page.getByRole('button', { name: 'Lưu cách xét' }))).status(), 422);
    await bothWidths(page, 'contest-collective-error');
    assert.equal(await page.getByLabel(/Điểm quy đổi/).inputValue(), 'Giải Nhất; mười');
    assert.match(await page.locator('.error-summary').innerText(), /Dòng 1 của điểm quy đổi/);
    await page.getByLabel(/Điểm quy đổi/).fill('Giải Nhất; 10\nGiải Nhì; 8\nGiải Ba; 6');
    await page.getByLabel(/Cơ cấu giải tập thể/).fill('Giải tập thể xuất sắc; 1; 3.000.000');
    assert.equal((await clickAndWait(page, page.getByRole('button', { name: 'Lưu cách xét' }))).status(), 200);
    assert.match(await page.locator('body').innerText(), /Đã lưu cách xét giải tập thể/);
    // The entrant's commune is ranked; a headcount gives it a participation rate.
    const row = page.locator('#xep-hang ~ .table-wrap tbody tr').filter({ hasText: COMMUNE });
    assert.equal(await row.count(), 1, 'the commune with an entrant is ranked');
    await page.getByLabel(COMMUNE, { exact: true }).fill('2000');
    assert.equal((await clickAndWait(page, page.getByRole('button', { name: 'Lưu số đối tượng' }))).status(), 200);
    assert.match(await page.locator('#xep-hang ~ .table-wrap tbody tr').filter({ hasText: COMMUNE }).innerText(), /2\.000\s+0,\d+%/);
    await bothWidths(page, 'contest-collective');
    await page.context().close();
  });
});
