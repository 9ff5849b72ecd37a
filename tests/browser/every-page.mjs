// The suite firefox.test.mjs and webkit.test.mjs run (one file each, so that each has
// the runner's time limit to itself): every page kind opened from file:// and over
// http, no console errors, a screenshot of each in tests/browser/artifacts/<engine>/,
// search results the same as Chromium's, and the spacing between Chinese and digits
// drawn without overlap.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { engineAvailable } from './engines.mjs';
import { artifact, browserAvailable, buildSite, launch, pageKinds, serve } from './support.mjs';

// Phrases, a place, a date, a query the site's words only partly match (segmented by
// the engine's own Intl.Segmenter) and pinyin initials.
const QUERIES = ['下党', '寿宁', '接待群众', '1989年7月', '群众路线', '下党乡的干部群众怎样脱贫', 'sjxd'];

// ---- What runs in the page (the same functions in every engine) --------------------

/** The search page's results: title, page (relative to the site root), snippet. */
const searchResults = () => {
  const summary = document.querySelector('[data-summary]').textContent;
  if (!/共找到|没有找到/.test(summary)) return null;
  const root = new URL('../', location.href).href;
  return [...document.querySelectorAll('[data-results] .result')].map((item) => [
    item.querySelector('h2').textContent,
    item.querySelector('a').href.slice(root.length),
    item.querySelector('.result-snippet').textContent,
  ]);
};

/** Types `query` into the header's search box and returns what it offers. */
const typeIntoHeaderBox = async (query) => {
  const input = document.querySelector('#site-search-input');
  input.focus();
  input.value = query;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  const list = document.querySelector('#site-search-results');
  for (let waited = 0; list.hidden && waited < 10000; waited += 50) {
    await new Promise((ok) => setTimeout(ok, 50));
  }
  const root = new URL('./', location.href).href;
  return [...list.querySelectorAll('[role=option]')].map((o) => [
    o.querySelector('.result-title').textContent,
    o.dataset.href.slice(root.length),
  ]);
};

const click = (selector) => document.querySelector(selector).click();

const fill = (selector, value, event) => {
  const field = document.querySelector(selector);
  field.value = value;
  field.dispatchEvent(new Event(event, { bubbles: true }));
};

const text = (selector) => document.querySelector(selector)?.textContent.trim();

/** Adjacent characters that overlap (by more than half a pixel) more with the theme's
 *  spacing than without it, where a digit meets a Chinese character, at each of the
 *  three text sizes: in the page's own texts and in a sample added to its prose. The
 *  comparison matters: WebKit rounds character boxes to whole pixels, so neighbours at
 *  fractional positions (justified lines, smaller type) seem to overlap anyway. */
const overlappingCharacters = () => {
  const sample = document.createElement('p');
  sample.textContent = '1989年7月19日，步行7.5公里；2019年8月，3个县';
  sample.style.textAlign = 'start';
  document.querySelector('.prose').prepend(sample);
  const mixed = /[0-9][\u4e00-\u9fff]|[\u4e00-\u9fff][0-9]/;
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) if (mixed.test(walker.currentNode.data)) texts.push(walker.currentNode);
  // How far each character's box reaches back over the one before it on its line.
  const overlaps = (node) =>
    Array.from(node.data, (_, i) => {
      const box = (k) => {
        const range = document.createRange();
        range.setStart(node, k);
        range.setEnd(node, k + 1);
        return range.getBoundingClientRect();
      };
      if (i === 0) return 0;
      const [before, here] = [box(i - 1), box(i)];
      return Math.abs(here.top - before.top) < 1 && here.width ? before.right - here.left : 0;
    });
  const found = [];
  for (const size of ['', 'large', 'xlarge']) {
    document.documentElement.dataset.textSize = size;
    for (const node of texts) {
      const themed = overlaps(node);
      node.parentElement.style.setProperty('text-autospace', 'no-autospace');
      const plain = overlaps(node);
      node.parentElement.style.removeProperty('text-autospace');
      themed.forEach((overlap, i) => {
        if (overlap > plain[i] + 0.5) {
          found.push(`${size || 'standard'}: ${node.data.slice(i - 1, i + 1)} in “${node.data.trim().slice(0, 20)}”`);
        }
      });
    }
  }
  delete document.documentElement.dataset.textSize;
  sample.remove();
  return { count: texts.length, found };
};

/** How much wider a line of dates is with the theme's spacing than without any. */
const spacingAdded = () => {
  const line = document.createElement('span');
  line.textContent = '1989年7月19日，7.5公里';
  document.querySelector('main').append(line);
  const themed = line.getBoundingClientRect().width;
  line.style.setProperty('text-autospace', 'no-autospace');
  const plain = line.getBoundingClientRect().width;
  line.remove();
  return themed - plain;
};

// ---- The run ------------------------------------------------------------------------

/** The suite for the engine `name`, driven by what `launchEngine()` returns. */
export function everyPageIn(name, launchEngine) {
  const skip = (!browserAvailable() && 'chromium is not installed') || (!engineAvailable(name) && `${name} is not installed`);
  describe(name, { skip }, () => {
    let out, server, chromium, driver;

    before(async () => {
      out = buildSite();
      server = await serve(out);
      chromium = await chromiumAnswers(server);
      driver = await launchEngine();
    });

    after(async () => {
      await driver?.close();
      await server?.close();
      if (out) rmSync(out, { recursive: true, force: true });
    });

    for (const origin of ['file', 'http']) {
      test(`every page kind from ${origin}: works, no console errors, a screenshot each`, async () => {
        const base = origin === 'file' ? pathToFileURL(out).href + '/' : server.base;
        const shot = (kind) => driver.screenshot(artifact(join(name, `${origin}-${kind}.png`)));
        // Each page opened, once (the search page with its first query).
        const visited = new Map();
        const open = async (path) => {
          if (!visited.has(path.split('?')[0])) visited.set(path.split('?')[0], base + path);
          await driver.goto(base + path);
        };

        await open(pageKinds.home);
        assert.equal(await driver.run(() => getComputedStyle(document.querySelector('.site-header')).borderBottomWidth), '3px');
        assert.deepEqual(await driver.run(typeIntoHeaderBox, '寿宁'), chromium.box, 'the header box offers what chromium offers');
        await shot('home');

        for (const kind of ['section', 'case', 'tags', 'term']) {
          await open(pageKinds[kind]);
          assert.ok(await driver.run(text, 'h1'), `${kind} has a heading`);
          await shot(kind);
        }

        // A self-test answered, and a note written, then read back after a reload.
        await open(pageKinds.lesson);
        await driver.run(click, 'input[name=q1][value=A]');
        await driver.run(click, '[data-question=q1] [data-check]');
        assert.match(await driver.run(text, '[data-question=q1] [data-result]'), /回答(正确|有误)/);
        const note = `在${name}里写的笔记`;
        await driver.run(fill, '[data-note]', note, 'input');
        await shot('lesson');
        await open(pageKinds.lesson);
        assert.equal(await driver.run(() => document.querySelector('[data-note]').value), note);

        await open(pageKinds.notes);
        assert.match(await driver.run(text, '[data-notes-list]'), new RegExp(note));
        await shot('notes');

        await open(pageKinds.slides);
        assert.match(await driver.run(text, '[data-count]'), /^1 \/ \d+$/);
        await driver.run(() => document.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true })));
        assert.match(await driver.run(text, '[data-count]'), /^2 \/ \d+$/);
        await shot('slides');

        await open(pageKinds.timeline);
        const all = await driver.run(() => document.querySelectorAll('.event:not([hidden])').length);
        await driver.run(fill, 'select[name=place]', '寿宁', 'change');
        assert.match(await driver.run(() => decodeURIComponent(location.hash)), /place=寿宁/);
        const shown = await driver.run(() => document.querySelectorAll('.event:not([hidden])').length);
        assert.ok(shown > 0 && shown < all, `the place filter shows ${shown} of ${all} events`);
        await shot('timeline');

        for (const query of QUERIES) {
          await open(pageKinds.search + '?q=' + encodeURIComponent(query));
          const results = await driver.waitFor(searchResults);
          assert.deepEqual(results, chromium.results[query], `results for ${query} differ from chromium's`);
          if (query === QUERIES[0]) await shot('search');
        }

        // The not-found page: opened as a file, or as what the server answers for a
        // missing address.
        await open(origin === 'file' ? '404.html' : 'no/such/page/');
        assert.ok(await driver.run(text, 'h1'));
        await shot('404');

        const errors = [...driver.errors.splice(0), ...(await driver.loadErrors([...visited.values()]))];
        assert.deepEqual(errors, [], 'console errors');
      });
    }

    test('digits and the Chinese characters beside them never overlap', async () => {
      await driver.goto(server.base + pageKinds.case);
      const { count, found } = await driver.run(overlappingCharacters);
      assert.ok(count >= 3, `${count} texts mixing digits and Chinese were measured`);
      assert.deepEqual(found, []);
      // Where the spacing draws right, it stays on.
      assert.ok(chromium.spacing > 2, `chromium spaces digits from Chinese (${chromium.spacing}px)`);
      if (name === 'firefox') {
        const spacing = await driver.run(spacingAdded);
        assert.ok(spacing > 2, `firefox spaces digits from Chinese (${spacing}px)`);
      }
    });
  });
}

/** Chromium's search results and header box offers, which the other engines must
 *  give too, and how much spacing it adds between digits and Chinese. */
async function chromiumAnswers(server) {
  const browser = await launch();
  const page = await browser.newPage();
  const results = {};
  for (const query of QUERIES) {
    await page.goto(server.base + pageKinds.search + '?q=' + encodeURIComponent(query));
    results[query] = await (await page.waitForFunction(searchResults)).jsonValue();
    assert.ok(results[query].length, `chromium finds something for ${query}`);
  }
  await page.goto(server.base + pageKinds.home);
  const box = await page.evaluate(typeIntoHeaderBox, '寿宁');
  assert.ok(box.length, 'the header box offers pages for 寿宁');
  await page.goto(server.base + pageKinds.case);
  const spacing = await page.evaluate(spacingAdded);
  await browser.close();
  return { results, box, spacing };
}
