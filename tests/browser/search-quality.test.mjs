// Search quality on generated pages with a realistic vocabulary (bench/gen_corpus.py,
// words drawn by frequency from jieba's dictionary), in a real browser:
// - a 4-character phrase found on exactly one page gives that page first;
// - a sentence of a page, with a word dropped and two swapped, typed without spaces,
//   finds the page in the top 10;
// - a phrase on more pages than any list could be cut to is found on every one of them.
// The truth is the pages' own text, read from the built index (search/s/<n>.js).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';

import { browserAvailable, buildSite, launch, repo, serve } from './support.mjs';

const PAGES = 1000;

/** Whether the generator can run: it needs jieba's word list (pip install jieba). */
function generatorAvailable() {
  const probe = spawnSync('python3', ['-c', 'import jieba'], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  if (process.env.CI === 'true') throw new Error('CI must install jieba (pip install jieba) for the search quality test');
  return false;
}

// A small seeded generator, so the test picks the same queries every run.
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const isHan = (c) => /\p{Script=Han}/u.test(c);

/** Each indexed page's title and text, by reading the index as search.js does. */
function pagesOf(out) {
  const data = (file) => {
    const text = readFileSync(file, 'utf8');
    return JSON.parse(text.slice(text.indexOf(',', text.indexOf(',') + 1) + 1, text.lastIndexOf(')')));
  };
  const meta = data(join(out, 'search/meta.js'));
  const pages = [];
  for (let n = 0; n < meta.docs; n++) {
    const title = data(join(out, `search/r/${n}.js`))[0];
    const body = inflateSync(Buffer.from(data(join(out, `search/s/${n}.js`)), 'base64')).toString('utf8');
    pages.push({ title, body: body.normalize('NFKC').toLowerCase() });
  }
  return pages;
}

describe('search quality on realistic text', { skip: (!browserAvailable() && 'chromium is not installed') || (!generatorAvailable() && 'jieba is not installed') }, () => {
  let out, server, browser, page, pages;

  before(async () => {
    const site = mkdtempSync(join(tmpdir(), 'casebook-corpus-'));
    const made = spawnSync('python3', [join(repo, 'bench/gen_corpus.py'), String(PAGES), site], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(made.stderr);
    out = buildSite(site);
    pages = pagesOf(out);
    assert.equal(pages.length, readdirSync(join(out, 'search/r')).length);
    server = await serve(out);
    browser = await launch();
    page = await browser.newPage();
    await page.goto(server.base + 'search/index.html');
    await page.waitForFunction(() => window.casebookSearch);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const titlesFor = (query, limit) =>
    page.evaluate(async ([q, l]) => (await window.casebookSearch.search(q, { limit: l })).results.map((r) => r.title), [query, limit]);

  test('a phrase found on exactly one page gives that page first', async (t) => {
    const next = random(7);
    const queries = [];
    for (let tries = 0; queries.length < 200 && tries < 20000; tries++) {
      const p = pages[Math.floor(next() * pages.length)];
      const at = Math.floor(next() * (p.body.length - 4));
      const phrase = p.body.slice(at, at + 4);
      if (![...phrase].every(isHan) || queries.some((q) => q.phrase === phrase)) continue;
      if (pages.filter((x) => x.body.includes(phrase) || x.title.includes(phrase)).length !== 1) continue;
      queries.push({ phrase, title: p.title });
    }
    assert.equal(queries.length, 200, 'enough unique phrases');
    const misses = [];
    for (const { phrase, title } of queries) {
      const titles = await titlesFor(phrase, 3);
      if (titles[0] !== title) misses.push(`${phrase}: ${title} → ${titles.join('、')}`);
    }
    t.diagnostic(`${200 - misses.length}/200 first`);
    assert.ok(misses.length <= 10, `${200 - misses.length}/200 first; misses:\n${misses.join('\n')}`);
  });

  test('an unspaced sentence with a word dropped and two swapped finds its page in the top 10', async (t) => {
    const next = random(11);
    const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
    const queries = [];
    for (let tries = 0; queries.length < 50 && tries < 5000; tries++) {
      const p = pages[Math.floor(next() * pages.length)];
      const clauses = p.body.split(/[^\p{Script=Han}]+/u).filter((c) => c.length >= 12 && c.length <= 30);
      if (!clauses.length) continue;
      const clause = clauses[Math.floor(next() * clauses.length)];
      const words = [...segmenter.segment(clause)].map((s) => s.segment);
      if (words.length < 5) continue;
      words.splice(1 + Math.floor(next() * (words.length - 2)), 1);
      const i = Math.floor(next() * (words.length - 1));
      [words[i], words[i + 1]] = [words[i + 1], words[i]];
      const query = words.join('');
      if (pages.some((x) => x.body.includes(query))) continue;
      queries.push({ query, title: p.title });
    }
    assert.equal(queries.length, 50, 'enough sentences');
    const misses = [];
    for (const { query, title } of queries) {
      const titles = await titlesFor(query, 10);
      if (!titles.includes(title)) misses.push(`${query}: ${title} → ${titles.slice(0, 3).join('、')}`);
    }
    t.diagnostic(`${50 - misses.length}/50 in the top 10`);
    assert.ok(misses.length <= 2, `${50 - misses.length}/50 in the top 10; misses:\n${misses.join('\n')}`);
  });

  test('a phrase on hundreds of pages is found on every one of them', async (t) => {
    // A 3-character phrase of one page's text that hundreds of pages share, but not all.
    const counts = new Map();
    const sample = pages[0].body;
    for (let i = 0; i + 3 <= sample.length; i++) {
      const phrase = sample.slice(i, i + 3);
      if ([...phrase].every(isHan) && !counts.has(phrase)) counts.set(phrase, pages.filter((x) => x.body.includes(phrase) || x.title.includes(phrase)).length);
    }
    const [phrase, expected] = [...counts].filter(([, n]) => n < pages.length * 0.9).sort((a, b) => b[1] - a[1])[0];
    assert.ok(expected > 150, `${phrase} is on ${expected} pages`);
    t.diagnostic(`${phrase} is on ${expected} pages`);
    const found = await page.evaluate(async (q) => {
      const titles = [];
      for (let offset = 0; ; offset += 100) {
        const { results } = await window.casebookSearch.search(q, { limit: 100, offset });
        titles.push(...results.map((r) => r.title));
        if (results.length < 100) return titles;
      }
    }, phrase);
    const want = pages.filter((x) => x.body.includes(phrase) || x.title.includes(phrase)).map((x) => x.title).sort();
    assert.deepEqual([...new Set(found)].sort(), want, `every page holding ${phrase}`);
    assert.equal(found.length, want.length, 'each page once');
  });
});
