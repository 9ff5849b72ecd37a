// A lesson's presenter view in a real browser: clicker keys move the slides, the clock
// runs against the lesson's length, the speaker view shows the next slide and the
// notes, it works from file:// under the strict policy, and print gives A4 landscape
// pages. Screenshots at projector sizes go to tests/browser/artifacts/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';

import { artifact, browserAvailable, servedSite } from './support.mjs';

const LESSON = 'lessons/学习四下基层-践行群众路线/';

describe('presenter view', { skip: !browserAvailable() && 'chromium is not installed' }, () => {
  let out, server, browser;
  servedSite((site) => ({ out, server, browser } = site));

  /** A page at `size` that records console errors and refused policies. */
  async function open(url, size) {
    const context = await browser.newContext({ viewport: size });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForSelector('html.presenting');
    return { page, errors, context };
  }

  const current = (page) => page.evaluate(() => [...document.querySelectorAll('.slide')].findIndex((s) => !s.hidden));

  test('the lesson page links to its slides, packet and Word file', async () => {
    const { page, context } = await open(server.base + encodeURI(LESSON + 'slides/index.html'), { width: 1024, height: 768 });
    await page.goto(server.base + encodeURI(LESSON + 'index.html'));
    for (const href of ['slides/index.html', 'packet.html', 'lesson.docx']) {
      assert.equal(await page.locator(`.lesson-files a[href$="${href}"]`).count(), 1, href);
    }
    await page.click('.lesson-files a[href$="slides/index.html"]');
    await page.waitForSelector('html.presenting');
    assert.equal(await current(page), 0);
    await context.close();
  });

  test('keys move the slides, the clock runs, notes stay off the slide', async () => {
    const { page, errors, context } = await open(server.base + encodeURI(LESSON + 'slides/index.html'), { width: 1024, height: 768 });
    const total = await page.locator('.slide').count();
    assert.ok(total >= 8, `title, six sections and the discussion: ${total}`);
    assert.equal(await page.locator('.slide:not([hidden])').count(), 1, 'one slide at a time');
    assert.match(await page.textContent('.slide-title'), /90 分钟/);
    await page.screenshot({ path: artifact('slides-1024-title.png') });

    await page.keyboard.press('ArrowRight');
    assert.equal(await current(page), 1);
    assert.equal((await page.textContent('.slide:not([hidden]) .slide-minutes')).trim(), '5 分钟');
    assert.equal(await page.locator('.slide:not([hidden]) .speaker-notes').count(), 1);
    assert.equal(await page.locator('.slide:not([hidden]) .speaker-notes').isVisible(), false, 'notes hidden from the audience');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('Space');
    assert.equal(await current(page), 3);
    await page.screenshot({ path: artifact('slides-1024-case.png') });
    // The text fits on the slide: nothing spills below it.
    const fits = await page.evaluate(() => {
      const s = [...document.querySelectorAll('.slide')].find((x) => !x.hidden);
      return s.scrollHeight <= s.clientHeight + 1;
    });
    assert.ok(fits, 'the long case slide is shrunk to fit');
    await page.keyboard.press('PageUp');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await current(page), 1);
    await page.keyboard.press('End');
    assert.equal(await current(page), total - 1);
    assert.match(await page.textContent('.slide:not([hidden]) h2'), /讨论题/);
    await page.keyboard.press('Home');
    assert.equal(await current(page), 0);
    assert.match(page.url(), /#slide-1$/);

    assert.match(await page.textContent('[data-clock]'), /^90 分钟 · 已用 0:0\d$/);
    await page.waitForFunction(() => document.querySelector('[data-elapsed]').textContent !== '0:00', null, { timeout: 5000 });
    assert.match(await page.textContent('[data-elapsed]'), /^0:0[1-9]$/);

    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('p');
    assert.equal(await page.locator('[data-speaker]').isVisible(), true);
    assert.match(await page.textContent('[data-notes]'), /讲稿：先不公布答案/);
    assert.match(await page.textContent('[data-next]'), /第一部分/);
    await page.screenshot({ path: artifact('slides-1024-speaker.png') });
    await page.keyboard.press('p');
    assert.equal(await page.locator('[data-speaker]').isVisible(), false);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('at 1920×1080 the type is large and the slide fills the screen', async () => {
    const { page, errors, context } = await open(server.base + encodeURI(LESSON + 'slides/index.html#slide-3'), { width: 1920, height: 1080 });
    assert.equal(await current(page), 2, 'the hash picks the slide');
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.slide:not([hidden]) p:not(.slide-minutes)')).fontSize));
    assert.ok(size >= 32, `body text is ${size}px`);
    await page.screenshot({ path: artifact('slides-1920-part-one.png') });
    await page.keyboard.press('Home');
    await page.screenshot({ path: artifact('slides-1920-title.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('works from file:// and prints one slide per A4 landscape page', async () => {
    const url = pathToFileURL(join(out, LESSON, 'slides/index.html')).href;
    const { page, errors, context } = await open(url, { width: 1024, height: 768 });
    await page.keyboard.press('ArrowRight');
    assert.equal(await current(page), 1);
    await page.emulateMedia({ media: 'print' });
    const shown = await page.evaluate(() => [...document.querySelectorAll('.slide')].filter((s) => getComputedStyle(s).display !== 'none').length);
    assert.equal(shown, await page.locator('.slide').count(), 'print shows every slide');
    assert.equal(await page.locator('.deck-bar').isVisible(), false);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.equal(pages, shown, 'one page per slide');
    const box = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\]/);
    assert.ok(box && Number(box[1]) > Number(box[2]), `landscape: ${box}`);
    assert.ok(Math.abs(Number(box[1]) - 842) < 2, `A4 width: ${box[1]}`);
    await page.screenshot({ path: artifact('slides-print.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
