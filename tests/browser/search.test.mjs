// Search in a real browser: the tokenizer agrees with Rust's, the quality table, the
// header box, the search page, filters, file://, XSS payloads and axe.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { artifact, browserAvailable, buildSite, launch, repo, serve } from './support.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const tokenCases = JSON.parse(readFileSync(join(repo, 'tests/search-tokens.json'), 'utf8'));

// query → pages that must be in the top 3, and pages that must not appear at all.
const QUERIES = [
  ['下党', ['三进下党'], []],
  ['三进下党', ['三进下党'], ['乡下党员的一天']],
  ['进下', ['三进下党'], []],
  ['寿宁', ['九进寿宁'], []],
  ['接待群众', ['霞浦接待日'], []],
  ['现场办公', ['三项活动', '四下基层的由来'], ['乡下党员的一天']],
  ['滴水穿石', ['四下基层的由来'], []],
  ['1989', ['三项活动', '三进下党'], []],
  ['1989年7月', ['三进下党'], ['三项活动']],
  ['晋江经验', ['七下晋江'], []],
  ['下党 回信', ['一封回信'], ['鸾峰桥', '三进下党']],
  ['四下基层', ['四下基层的由来'], ['四下无人']],
  ['casebook', ['Notes in English'], []],
  ['grass', ['Notes in English'], []],
  ['完全不存在的词语', [], ['三进下党']],
  // Pinyin of titles, places and topics, whole, as a prefix and as initials.
  ['sanjinxiadang', ['三进下党'], []],
  ['sanjin', ['三进下党'], []],
  ['sjxd', ['三进下党'], []],
  ['xiadangxiang', ['三进下党', '一封回信'], []],
];

describe('search', { skip: !browserAvailable() && 'chromium is not installed' }, () => {
  let out, server, browser;

  before(async () => {
    out = buildSite(join(repo, 'tests/fixtures/search'));
    server = await serve(out);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function home() {
    const page = await browser.newPage();
    page.on('dialog', (d) => { throw new Error('a dialog opened: ' + d.message()); });
    await page.goto(server.base + 'index.html');
    return page;
  }

  test('the browser tokenizer and hash agree with the Rust ones', async () => {
    const page = await home();
    for (const { text, tokens } of tokenCases) {
      const got = await page.evaluate((t) => window.casebookSearch.tokenize(t).map((x) => [x.text, x.pos]), text);
      assert.deepEqual(got, tokens, text);
    }
    // The values src/search/mod.rs pins for bucket_of.
    assert.equal(await page.evaluate(() => window.casebookSearch.hash('下党')), 1563985234);
    assert.equal(await page.evaluate(() => window.casebookSearch.hash('casebook')), 1380254436);
    await page.close();
  });

  test('the quality table: each query finds its pages first and never the wrong ones', async () => {
    const page = await home();
    const failures = [];
    for (const [query, top, never] of QUERIES) {
      const titles = await page.evaluate(async (q) => (await window.casebookSearch.search(q, { limit: 20 })).results.map((r) => r.title), query);
      for (const t of top) if (!titles.slice(0, 3).includes(t)) failures.push(`${query}: ${t} not in top 3 of ${titles.join('、')}`);
      for (const t of never) if (titles.includes(t)) failures.push(`${query}: ${t} should not match (${titles.join('、')})`);
      if (!top.length && titles.length) failures.push(`${query}: expected no results, got ${titles.join('、')}`);
    }
    assert.deepEqual(failures, []);
    await page.close();
  });

  test('the header box: type, see results, arrow down, Enter opens the page at the heading', async () => {
    const page = await home();
    await page.fill('#site-search-input', '扶持资金');
    await page.waitForSelector('#site-search-results:not([hidden]) [role=option]');
    assert.equal(await page.getAttribute('#site-search-input', 'aria-expanded'), 'true');
    await page.keyboard.press('ArrowDown');
    const active = await page.getAttribute('#site-search-input', 'aria-activedescendant');
    assert.ok(active, 'an option is active');
    assert.equal(await page.getAttribute('#' + active, 'aria-selected'), 'true');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.match(decodeURIComponent(page.url()), /cases\/xiadang\/index\.html#扶持资金$/);
    await page.close();
  });

  test('Enter without a chosen result opens the search page, which keeps the query in the URL', async () => {
    const page = await home();
    await page.fill('#site-search-input', '下党');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.match(decodeURIComponent(page.url()), /search\/index\.html\?q=下党$/);
    await page.waitForSelector('.result');
    const titles = await page.$$eval('.result h2', (n) => n.map((x) => x.textContent));
    assert.equal(titles[0], '三进下党');
    assert.ok(await page.locator('.result-snippet mark').count(), 'snippets mark the query');
    await page.screenshot({ path: artifact('search-1280.png'), fullPage: true });
    // Reload restores the same results; a section filter narrows them.
    await page.reload();
    await page.waitForSelector('.result');
    await page.selectOption('select[name=section]', '笔记');
    await page.waitForFunction(() => /section=/.test(location.search));
    await page.waitForFunction(() => [...document.querySelectorAll('.result h2')].every((h) => h.textContent !== '三进下党'));
    const filtered = await page.$$eval('.result h2', (n) => n.map((x) => x.textContent));
    assert.ok(filtered.length >= 1 && !filtered.includes('三进下党'), filtered.join('、'));
    await page.close();
  });

  test('snippets show the text as written and mark only what the query says', async () => {
    const page = await home();
    const found = await page.evaluate(async () => (await window.casebookSearch.search('下党')).results);
    const first = found[0];
    assert.equal(first.title, '三进下党');
    // The page's own full-width comma stays; the snippet starts at the match's line.
    assert.match(first.snippet.text, /，/);
    assert.doesNotMatch(first.snippet.text, /,/);
    for (const r of found) {
      const marked = r.snippet.marks.map(([a, b]) => r.snippet.text.slice(a, b));
      assert.ok(marked.length, `${r.title}: something is marked in ${r.snippet.text}`);
      assert.ok(marked.every((m) => m === '下党'), `${r.title}: only 下党 is marked, not ${marked.join('、')}`);
    }
    // A snippet cut in the middle of a paragraph opens with an ellipsis and still marks.
    const deep = await page.evaluate(async () => (await window.casebookSearch.search('鸾峰桥')).results[0].snippet);
    assert.ok(deep.marks.length, deep.text);
    await page.close();
  });

  test('the inflate for browsers without DecompressionStream reads what the build wrote', async () => {
    const page = await home();
    const same = await page.evaluate(async () => {
      const texts = [];
      window.casebookSearchData = ((original) => (kind, n, payload) => { texts.push(payload); original(kind, n, payload); })(window.casebookSearchData);
      const found = await window.casebookSearch.search('三进下党');
      for (const q of ['现场办公会', '寿宁', '鸾峰桥', '晋江经验', '滴水穿石']) await window.casebookSearch.search(q);
      const blobs = texts.filter((t) => typeof t === 'string');
      const results = [];
      for (const text of blobs) {
        const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
        const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
        const native = new Uint8Array(await new Response(stream).arrayBuffer());
        const ours = window.casebookSearch.inflate(bytes.subarray(2));
        results.push(native.length > 0 && native.length === ours.length && native.every((b, i) => b === ours[i]));
      }
      return { count: results.length, all: results.every(Boolean), hits: found.results.length };
    });
    assert.ok(same.count >= 6, `${same.count} compressed files read`);
    assert.ok(same.all, 'every file inflates to the same bytes');
    await page.close();
  });

  test('search works opened from file://', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(out, 'search/index.html')).href + '?q=' + encodeURIComponent('寿宁'));
    await page.waitForSelector('.result');
    assert.equal(await page.textContent('.result h2'), '九进寿宁');
    await page.close();
  });

  test('XSS payloads in the query, a title or a body run nothing and show as text', async () => {
    const page = await browser.newPage();
    let dialogs = 0;
    page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
    await page.goto(server.base + 'search/index.html?q=' + encodeURIComponent('<img src=x onerror=alert(1)>'));
    await page.waitForFunction(() => document.querySelector('[data-summary]').textContent !== '');
    await page.goto(server.base + 'search/index.html?q=' + encodeURIComponent('标题测试'));
    await page.waitForSelector('.result');
    assert.equal(await page.locator('.search-results img, .search-results script').count(), 0);
    assert.match(await page.textContent('.result h2'), /<img src=x onerror=alert\(1\)>/);
    await page.fill('#site-search-input', 'onerror');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#site-search-results img').count(), 0);
    assert.equal(dialogs, 0, 'a payload ran');
    await page.close();
  });

  test('without JavaScript the search page says search needs it', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.base + 'search/index.html?q=x');
    assert.match(await page.textContent('[data-needs-script]'), /JavaScript/);
    await context.close();
  });

  test('the search page has no serious or critical axe violations', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(server.base + 'search/index.html?q=' + encodeURIComponent('下党'));
    await page.waitForSelector('.result');
    await page.fill('#site-search-input', '寿宁');
    await page.waitForSelector('#site-search-results:not([hidden])');
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), []);
    await context.close();
  });

  test("the example site: 下党 gives the 三进下党 case first", async () => {
    const site = buildSite();
    const local = await serve(site);
    const page = await browser.newPage();
    await page.goto(local.base + 'index.html');
    const titles = await page.evaluate(async () => (await window.casebookSearch.search('下党')).results.map((r) => r.title));
    assert.equal(titles[0], '三进下党');
    await page.close();
    await local.close();
  });
});
