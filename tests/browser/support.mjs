// Shared helpers for the browser journeys: configuration from the environment, launching
// Debian's Chromium through playwright-core (never a downloaded browser), page sanity checks
// and README screenshots.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || '';
export const DB_LABEL = process.env.DB_LABEL || 'local';
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const MOBILE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };

/**
 * README screenshots are written only on the SQLite run, so the PostgreSQL run leaves them
 * alone; BROWSER_SCREENSHOTS=0 turns them off on the SQLite run too.
 */
export const SCREENSHOTS = DB_LABEL === 'sqlite' && process.env.BROWSER_SCREENSHOTS !== '0';
const SCREENSHOT_DIR = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function requireEnv() {
  assert.ok(process.env.BASE_URL, 'BASE_URL must be set (e.g. http://127.0.0.1:18181)');
  assert.ok(DEMO_PASSWORD, 'DEMO_PASSWORD must be set to the demo accounts\' password');
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
}

/** A fresh, isolated browser context (own cookies) with Vietnamese locale. */
export async function newContext(browser, { viewport = DESKTOP, javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    javaScriptEnabled,
    isMobile: false,
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

/** The path (with query) of the page's current URL. */
export function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

/**
 * Accessibility and mobile sanity of the page currently shown:
 * - `<html lang="vi">`;
 * - every visible input/select/textarea (not type=hidden) has an associated <label>;
 * - at 360 px the document does not scroll horizontally (checked by resizing to 360 px if the
 *   page is wider, then restoring the size).
 * Throws an AssertionError naming the page and every problem found.
 */
export async function checkPage(page, name) {
  const problems = [];
  const facts = await page.evaluate(() => {
    const visible = (el) => {
      const s = getComputedStyle(el);
      return s.display !== 'none' && s.visibility !== 'hidden' && el.getClientRects().length > 0;
    };
    const unlabelled = [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => !(el.tagName === 'INPUT' && el.type === 'hidden'))
      .filter(visible)
      .filter((el) => !el.labels || el.labels.length === 0)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}[name=${el.getAttribute('name') ?? ''}]`);
    // An error summary's links lead to fields that exist.
    const deadLinks = [...document.querySelectorAll('.error-summary a[href^="#"]')]
      .filter((a) => !document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1))))
      .map((a) => a.getAttribute('href'));
    return { lang: document.documentElement.getAttribute('lang'), unlabelled, deadLinks };
  });
  if (facts.lang !== 'vi') problems.push(`<html lang> is ${JSON.stringify(facts.lang)}, expected "vi"`);
  for (const f of facts.unlabelled) problems.push(`form control without <label>: ${f}`);
  for (const h of facts.deadLinks) problems.push(`error summary links to a missing field: ${h}`);

  const size = page.viewportSize();
  const resized = size && size.width !== MOBILE.width;
  if (resized) await page.setViewportSize({ width: MOBILE.width, height: size.height });
  const widths = await page.evaluate(() => {
    const offenders = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && !el.closest('.table-wrap')) {
          offenders.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} (right=${Math.round(r.right)})`);
          if (offenders.length >= 5) break;
        }
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, offenders };
  });
  if (resized) await page.setViewportSize(size);
  if (widths.scrollWidth > MOBILE.width + 1) {
    problems.push(`horizontal overflow at ${MOBILE.width} px: scrollWidth=${widths.scrollWidth}; ` +
      `widest elements: ${widths.offenders.join(', ') || '(none outside .table-wrap)'}`);
  }
  const english = await englishWords(page);
  if (english.length > 0) problems.push(`English words on the page: ${english.join(', ')}`);
  problems.push(...await chartProblems(page));
  await saveHtml(page, `journey-${name}`);
  assert.deepEqual(problems, [], `page sanity of ${name} (${pathOf(page)})`);
}

/**
 * English words that must not appear on a Vietnamese page (issue 10 §6): every user-facing
 * string comes from the templates and the message catalogues, in Vietnamese. Matched as whole
 * words (letters with diacritics count as letters), ignoring URLs, file names, `<code>` and
 * what is typed in text areas.
 */
const ENGLISH = /(?<![\p{L}\p{N}_])(the|and|with|from|this|that|which|should|must|unverified|assumed|submitted|approved|returned|draft|error|null|true|false|undefined|NaN|state|status|report|plan|task|indicator|columns?|values?|none|pending|issued)(?![\p{L}\p{N}_])/giu;

/** The English words visible on the page now shown (empty when none). */
export async function englishWords(page) {
  const text = await page.evaluate(() => {
    const clone = document.body.cloneNode(true);
    for (const el of clone.querySelectorAll('code, script, style, textarea, .sr')) el.remove();
    return clone.innerText || clone.textContent || '';
  });
  const found = new Set();
  // URLs and file names are data, not interface text.
  const plain = text.replace(/https?:\/\/\S+/g, ' ').replace(/[\p{L}\p{N}_.-]+\.(txt|md|docx|xlsx|pdf|csv|json)\b/giu, ' ');
  for (const m of plain.matchAll(ENGLISH)) found.add(m[0]);
  return [...found];
}

/**
 * Chart text as rendered (issue 10 §3): every label of every SVG chart on the page is between
 * 11 and 20 px high on screen and lies inside its chart's viewBox (no cut tick). Returns the
 * problems found.
 */
export async function chartProblems(page) {
  return page.evaluate(() => {
    const out = [];
    for (const svg of document.querySelectorAll('svg.chart')) {
      const vb = svg.viewBox.baseVal;
      for (const t of svg.querySelectorAll('text')) {
        const ctm = t.getScreenCTM();
        if (!ctm || !t.textContent.trim()) continue;
        const px = parseFloat(getComputedStyle(t).fontSize) * ctm.a;
        const box = t.getBBox();
        const name = `${svg.getAttribute('aria-label')}: «${t.textContent.trim().slice(0, 20)}»`;
        if (px < 11 || px > 20) out.push(`chart text ${px.toFixed(1)} px (wants 11-20): ${name}`);
        if (box.x < vb.x - 0.5 || box.x + box.width > vb.x + vb.width + 0.5) out.push(`chart text cut at the edge: ${name}`);
      }
    }
    return [...new Set(out)];
  });
}

/**
 * Saves a page's HTML for the validator (vnu) that scripts/test.sh runs after the journeys, when
 * HTML_DIR is set. `html` is the document as served; without it, the page's DOM is serialised.
 */
export async function saveHtml(page, name, html) {
  const dir = process.env.HTML_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = `${DB_LABEL}-${name}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-').slice(0, 120);
  writeFileSync(`${dir}/${file}.html`, html ?? await page.content());
}

/** Viewport screenshot for the README, on the SQLite run only. */
export async function screenshot(page, file) {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: SCREENSHOT_DIR + file, fullPage: false, animations: 'disabled', caret: 'hide' });
}

/**
 * Clicks something that submits a form (or follows a link) and waits for the resulting page:
 * returns the final, non-redirect document response (e.g. 200 after a 303, or 422).
 */
export async function clickAndWait(page, locator) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() &&
      !(r.status() >= 300 && r.status() < 400)),
    locator.click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** Fills and submits the login form; returns the final document response. */
export async function login(page, username, password) {
  await page.goto('/dang-nhap');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  return clickAndWait(page, page.getByRole('button', { name: 'Đăng nhập' }));
}

/** Link texts of the main navigation ("Chức năng"). */
export async function navLabels(page) {
  const nav = page.getByRole('navigation', { name: 'Chức năng' });
  if ((await nav.count()) === 0) return [];
  return (await nav.getByRole('link').allTextContents()).map((s) => s.trim());
}

/**
 * Checks the page now shown at 1280 px and at 360 px (checkPage: labels, overflow, English,
 * charts, HTML saved for vnu) and takes a screenshot at each width for docs/screenshots/
 * (`<name>-1280.png`, `<name>-360.png`); the viewport is restored afterwards.
 */
export async function bothWidths(page, name) {
  const size = page.viewportSize();
  for (const vp of [DESKTOP, MOBILE]) {
    await page.setViewportSize(vp);
    await checkPage(page, `${name} (${vp.width} px)`);
    // A page with an error summary is shown from it (it has the focus and links to the fields).
    await page.evaluate(() => document.querySelector('.error-summary')?.scrollIntoView({ block: 'start' }));
    await screenshot(page, `${name}-${vp.width}.png`);
  }
  if (size) await page.setViewportSize(size);
}

/** Number words of the anti-spam text question ("… ba cộng bốn bằng mấy?"). */
const NUMBER_WORDS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];

/**
 * Answers the text question a public form shows without JavaScript instead of the proof of
 * work (label of `#challenge`: "… tự động: X cộng Y bằng mấy?"); returns the sum typed.
 */
export async function answerChallenge(page) {
  const label = await page.locator('label[for="challenge"]').textContent();
  const m = label.match(/tự động: (\S+) cộng (\S+) bằng mấy/);
  assert.ok(m, label);
  const sum = NUMBER_WORDS.indexOf(m[1].toLowerCase()) + NUMBER_WORDS.indexOf(m[2].toLowerCase());
  await page.getByLabel(/Câu hỏi chống gửi tự động/).fill(String(sum));
  return sum;
}

/**
 * The steps of one journey: `step(name, fn)` registers a test that is skipped once an earlier
 * step of the same journey failed (later steps build on what earlier ones did).
 */
export function journeySteps(test, timeout = 120_000) {
  let failed = false;
  return (name, fn) => test(name, { timeout }, async (t) => {
    if (failed) {
      t.skip('an earlier step failed');
      return;
    }
    try {
      await fn(t);
    } catch (e) {
      failed = true;
      throw e;
    }
  });
}
