// Phone layout over the whole route table (issue 10 §1): every GET page route is loaded at
// 360 px as every demo role (and signed out), and the test fails on horizontal overflow of the
// page, on any tap target under 24×24 px (WCAG 2.2 AA, 2.5.8), or on English words in the
// page's text (every user-facing string is Vietnamese).
//
//   ROUTES_JSON=target/test-env/routes.json BASE_URL=… DEMO_PASSWORD=… node --test tests/browser/walk.test.mjs
//
// The route table comes from `pbgdpl routes` (ROUTES_JSON), so a new capability's pages are
// covered without new test code. Routes without parameters are opened directly; a route with
// parameters (`/ke-hoach/{id}`) is opened through the first link to it that the walk finds,
// starting from the home page. A GET route that no role reaches fails the test, unless it is
// listed in NOT_PAGES with the reason.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, MOBILE, chartProblems, englishWords, launch, login, newContext, requireEnv, saveHtml } from './support.mjs';

/** GET routes that are not HTML pages, or are reached only with a one-time token. */
const NOT_PAGES = new Map([
  ['/healthz', 'health probe (text)'],
  ['/metrics', 'Prometheus metrics (text)'],
  ['/static/app.css', 'stylesheet'],
  ['/dat-lai-mat-khau', 'needs a one-time reset token from an e-mail; checked in the foundation journey'],
  ['/static/khao-sat.js', 'the survey page script'],
  ['/static/hoa-giai.js', 'the mediation intake script'],
  ['/static/cong-thong-tin.css', 'the public portal stylesheet'],
  ['/tin-tuc/feed.atom', 'the portal news feed (Atom XML); checked in the portal HTTP tests'],
  ['/sitemap.xml', 'the sitemap (XML); checked in the portal HTTP tests'],
  ['/khao-sat/{token}/cam-on', 'shown after an answer is sent (a POST); checked in the surveys HTTP tests'],
  ['/static/hoi-dap.js', 'the proof-of-work script of the question form'],
  ['/static/cuoc-thi.js', 'the contest attempt script'],
  ['/cuoc-thi/{id}/xac-nhan', 'needs a registration (a session cookie); checked in the contests journey'],
  ['/cuoc-thi/{id}/bai/{attempt}', 'an entrant\'s attempt, reached with a verified registration; checked in the contests journey'],
  ['/cuoc-thi/{id}/bai/{attempt}/ket-qua', 'an entrant\'s result, after a submission; checked in the contests journey'],
  ['/cuoc-thi/chung-nhan/{code}', 'a certificate\'s page, reached from a published round (none in the demo); checked in the contests HTTP tests'],
  ['/anh/{name}', 'a picture of an article (JPEG); checked in the portal HTTP tests and the search journey'],
  ['/du-thao/{id}/tep', 'a draft\'s original file (DOCX or PDF; the demo draft has none); checked in the drafts HTTP tests'],
  ['/du-thao-quan-ly/{id}/tep', 'a draft\'s original file for its officers (DOCX or PDF); checked in the drafts HTTP tests'],
]);

/** Path suffixes of downloads (XLSX, DOCX, PDF, CSV, JSON, SVG files). */
const DOWNLOAD = /\.(xlsx|docx|pdf|csv|json|svg|txt)$|\/(tai-ve|xuat)(\/|$)|^\/tep\/|^\/chuan-tiep-can\/minh-chung\/|^\/pho-bien\/tep\/|^\/tu-sach\/tep\/|^\/hoa-giai\/to\/[^/]+\/quyet-dinh$/;

const ROLES = ['admin', 'tinh', 'xa1', 'xa2', 'congan', 'hgv1', 'bcv1', 'bientap', 'btc'];
/** Pages opened per route pattern and role (different ids can render differently). */
const PER_PATTERN = 2;

function loadRoutes() {
  const file = process.env.ROUTES_JSON;
  assert.ok(file, 'ROUTES_JSON must name the output of `pbgdpl routes`');
  const rows = JSON.parse(readFileSync(file, 'utf8'));
  return rows.filter((r) => r.method === 'GET' && !NOT_PAGES.has(r.path) && !DOWNLOAD.test(r.path)).map((r) => ({
    ...r,
    re: new RegExp('^' + r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$'),
    hasParams: r.path.includes('{'),
  }));
}

/** Measures the page now shown; returns a list of problems (empty when fine). */
async function inspect(page) {
  return page.evaluate(() => {
      const problems = [];
    const vw = window.innerWidth;
    if (document.documentElement.scrollWidth > vw + 1) {
      const wide = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > vw + 1 && !el.closest('.table-wrap, .scroll')) {
          wide.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''}`);
          if (wide.length >= 4) break;
        }
      }
      problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} px wide (${wide.join(', ')})`);
    }
    const visible = (el) => {
      const s = getComputedStyle(el);
      if (s.display === 'none' || s.visibility === 'hidden' || el.getClientRects().length === 0) return false;
      if (el.closest('.sr, .skip')) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    // WCAG 2.5.8 "inline" exception: a link inside a sentence, sized by the text's line.
    const inSentence = (el) => {
      if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
      const block = el.parentElement;
      if (!block) return false;
      const own = (el.textContent || '').trim().length;
      const around = (block.textContent || '').trim().length - own;
      return around > 0 && !block.matches('li, td, th, dd, nav *');
    };
    const targets = document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]');
    for (const el of targets) {
      if (!visible(el) || inSentence(el)) continue;
      // A control wrapped in (or named by) a label that is itself large enough is tapped
      // through the label.
      const r = el.getBoundingClientRect();
      let w = r.width;
      let h = r.height;
      if ((el.type === 'checkbox' || el.type === 'radio') && el.labels?.length) {
        const l = el.labels[0].getBoundingClientRect();
        w = Math.max(w, l.width);
        h = Math.max(h, l.height);
      }
      if (w < 23.5 || h < 23.5) {
        const name = (el.textContent || el.getAttribute('aria-label') || el.name || el.type || '').trim().replace(/\s+/g, ' ').slice(0, 40);
        problems.push(`tap target ${Math.round(w)}×${Math.round(h)} px: <${el.tagName.toLowerCase()}> "${name}"`);
      }
    }
    return [...new Set(problems)];
  });
}

describe('every page route at 360 px, as every role', () => {
  let browser;
  const routes = loadRoutes();
  const reached = new Set();
  /** problem → pages where it was seen. */
  const problems = new Map();

  before(async () => {
    requireEnv();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  /** Walks the route table as one account (or signed out when `username` is null). */
  async function walk(username) {
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      if (username) {
        const res = await login(page, username, DEMO_PASSWORD);
        assert.equal(res.status(), 200, `${username} signs in`);
      }
      const opened = new Map(); // route path → count
      const seen = new Set();
      const queue = ['/'];
      for (const r of routes) if (!r.hasParams) queue.push(r.path);
      while (queue.length > 0) {
        const path = queue.shift();
        if (seen.has(path)) continue;
        seen.add(path);
        // A literal route wins over a pattern that also matches it (/cuoc-thi/quan-ly, not /cuoc-thi/{id}).
        const bare = path.split('?')[0];
        const route = routes.find((r) => !r.hasParams && r.path === bare) ?? routes.find((r) => r.re.test(bare));
        if (!route) continue;
        if ((opened.get(route.path) || 0) >= PER_PATTERN) continue;
        const res = await page.goto(path);
        if (!res || !(res.headers()['content-type'] || '').startsWith('text/html')) continue;
        if (!opened.has(route.path)) await saveHtml(page, `walk-${username ?? 'khach'}-${route.path}`, await res.text());
        opened.set(route.path, (opened.get(route.path) || 0) + 1);
        // Reached only when the route itself answered (not a redirect to the sign-in page or home).
        const landed = new URL(page.url()).pathname;
        if (res.status() < 400 && (route.hasParams ? route.re.test(landed) : landed === route.path)) reached.add(route.path);
        const english = await englishWords(page);
        const found = [...await inspect(page), ...await chartProblems(page)];
        if (english.length > 0) found.push(`English words on the page: ${english.join(', ')}`);
        for (const p of found) {
          if (!problems.has(p)) problems.set(p, []);
          problems.get(p).push(`${username ?? 'khách'} ${path}`);
        }
        const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
        for (const href of links) {
          if (!href || !href.startsWith('/') || href.startsWith('//')) continue;
          const p = href.split('#')[0];
          if (DOWNLOAD.test(p.split('?')[0]) || seen.has(p)) continue;
          queue.push(p);
        }
      }
    } finally {
      await context.close();
    }
  }

  for (const who of [null, ...ROLES]) {
    test(`walk as ${who ?? 'a visitor'}`, { timeout: 240_000 }, async () => {
      await walk(who);
    });
  }

  test('no overflow and no small tap target on any page', () => {
    const list = [...problems].map(([p, pages]) =>
      `${p} — on ${pages.length} page(s): ${pages.slice(0, 3).join(', ')}${pages.length > 3 ? ', …' : ''}`);
    assert.deepEqual(list, [], `${list.length} distinct layout problems`);
  });

  test('every GET page route was reached by some role', () => {
    const missed = routes.filter((r) => !reached.has(r.path)).map((r) => r.path);
    assert.deepEqual(missed, [], 'routes no role reached (add a link to them, or list them in NOT_PAGES with the reason)');
  });
});
