// The timeline page in a real browser: filters, the URL hash, file://, layout, axe.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { artifact, browserAvailable, buildSite, launch, repo, serve } from './support.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

describe('timeline', { skip: !browserAvailable() && 'chromium is not installed' }, () => {
  let out, server, browser;

  before(async () => {
    out = buildSite(join(repo, 'tests/fixtures/timeline'));
    server = await serve(out);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const visibleTitles = (page) =>
    page.$$eval('.event:not([hidden]) .event-title', (nodes) => nodes.map((n) => n.textContent.trim()));
  const shownCount = (page) => page.textContent('[data-shown]');

  test('filtering by place shows exactly the matching events and updates the count', async () => {
    const page = await browser.newPage();
    await page.goto(server.base + 'timeline/index.html');
    assert.equal((await visibleTitles(page)).length, 9);
    await page.selectOption('select[name=place]', '寿宁');
    assert.deepEqual(await visibleTitles(page), ['第一次', '第二次', '第三次']);
    assert.equal(await shownCount(page), '3');
    assert.equal(decodeURIComponent(new URL(page.url()).hash), '#place=寿宁');
    // Years without a match are hidden too.
    assert.equal(await page.isHidden('#y1988'), true);
    // Combined with a topic; then a topic alone.
    await page.selectOption('select[name=topic]', '调查研究');
    assert.equal(await shownCount(page), '3');
    await page.selectOption('select[name=place]', '');
    await page.selectOption('select[name=topic]', '县域经济');
    assert.deepEqual(await visibleTitles(page), ['一九八九年内', '存疑一九八九', '七下晋江', '约一九九六', '远在时期之外']);
    await page.click('button[type=reset]');
    await page.waitForFunction(() => document.querySelector('[data-shown]').textContent === '9');
    await page.close();
  });

  test('the URL hash restores a filter on load, and the filters are reachable by keyboard', async () => {
    const page = await browser.newPage();
    await page.goto(server.base + 'timeline/index.html#place=' + encodeURIComponent('霞浦'));
    assert.deepEqual(await visibleTitles(page), ['霞浦页']);
    assert.equal(await page.inputValue('select[name=place]'), '霞浦');
    await page.reload();
    assert.deepEqual(await visibleTitles(page), ['霞浦页']);
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.name === 'place');
    }
    assert.ok(reached, 'the place filter is not reachable with Tab');
    await page.close();
  });

  test('filters work opened from file://', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(out, 'timeline/index.html')).href + '#section=' + encodeURIComponent('案例'));
    assert.equal(await shownCount(page), '9');
    await page.selectOption('select[name=place]', '晋江');
    assert.deepEqual(await visibleTitles(page), ['七下晋江']);
    await page.close();
  });

  test('without JavaScript every event is listed and the filters stay hidden', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.base + 'timeline/index.html');
    assert.equal((await visibleTitles(page)).length, 9);
    assert.equal(await page.isHidden('[data-filters]'), true);
    await context.close();
  });

  for (const width of [375, 1280]) {
    test(`the example site's timeline at ${width}px: no overflow, no axe violations`, async () => {
      const site = buildSite();
      const local = await serve(site);
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(local.base + 'timeline/index.html');
      await page.screenshot({ path: artifact(`timeline-${width}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `overflows by ${overflow}px`);
      await page.close();
      const axeContext = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const axePage = await axeContext.newPage();
      await axePage.goto(local.base + 'timeline/index.html');
      await axePage.addScriptTag({ content: axeSource });
      const result = await axePage.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), []);
      await axeContext.close();
      await local.close();
    });
  }
});
