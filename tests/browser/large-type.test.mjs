// Large type for older readers: the 标准 / 大 / 特大 control at phone width, remembered
// across pages, with no sideways scrolling even at the largest size on a 320 px screen
// (what a 640 px window at 200% zoom gives, WCAG 1.4.4).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { artifact, browserAvailable, servedSite } from './support.mjs';

const CASE = 'cases/%E4%B8%89%E8%BF%9B%E4%B8%8B%E5%85%9A/index.html';
const LESSON = 'lessons/%E5%AD%A6%E4%B9%A0%E5%9B%9B%E4%B8%8B%E5%9F%BA%E5%B1%82-%E8%B7%B5%E8%A1%8C%E7%BE%A4%E4%BC%97%E8%B7%AF%E7%BA%BF/index.html';

describe('large type', { skip: !browserAvailable() && 'chromium is not installed' }, () => {
  let out, server, browser;
  servedSite((site) => ({ out, server, browser } = site));

  test('特大 is kept across pages and nothing overflows at 375 and 320 px', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.base + CASE);
    const control = page.getByRole('group', { name: '字号' });
    await control.waitFor();
    const standard = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    await control.getByRole('button', { name: '特大' }).click();
    assert.equal(await control.getByRole('button', { name: '特大' }).getAttribute('aria-pressed'), 'true');
    const large = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(large >= standard * 1.45, `body text grows from ${standard}px to ${large}px`);
    await page.screenshot({ path: artifact('large-type-case-375.png'), fullPage: false });
    // Another page opens at the chosen size, set before it is drawn.
    await page.goto(server.base + LESSON);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.textSize), 'xlarge');
    await page.screenshot({ path: artifact('large-type-lesson-375.png'), fullPage: false });
    for (const width of [375, 320]) {
      await page.setViewportSize({ width, height: 800 });
      for (const path of [CASE, LESSON, 'index.html', 'timeline/index.html', 'search/index.html']) {
        await page.goto(server.base + path);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${path} overflows by ${overflow}px at ${width}px with 特大`);
      }
    }
    await page.getByRole('button', { name: '标准' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.textSize), undefined);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
