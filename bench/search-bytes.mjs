// Bytes of index a search downloads, as a reader's browser fetches them (gzip, as a web
// server sends them), on a built site:
//   node bench/search-bytes.mjs OUTPUT_DIR [QUERIES]
// A cold query opens the search page with ?q= in a fresh browser; later queries are
// typed into the same page, on the search page (ten results with snippets) and in the
// header box (five titles). Queries are phrases cut from the pages' own text (2 to 6
// characters) and unspaced sentences. Prints medians and the worst case.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, inflateSync } from 'node:zlib';

import { launch, serve } from '../tests/browser/support.mjs';

const [out, count = '40'] = process.argv.slice(2);
if (!out) throw new Error('usage: node bench/search-bytes.mjs OUTPUT_DIR [QUERIES]');
const payload = (file) => {
  const text = readFileSync(file, 'utf8');
  return JSON.parse(text.slice(text.indexOf(',', text.indexOf(',') + 1) + 1, text.lastIndexOf(')')));
};
const docs = readdirSync(join(out, 'search/s')).length;
let seed = 3;
const next = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const queries = [];
while (queries.length < Number(count)) {
  const body = inflateSync(Buffer.from(payload(join(out, `search/s/${Math.floor(next() * docs)}.js`)), 'base64')).toString();
  const runs = body.split(/[^\p{Script=Han}]+/u).filter((r) => r.length >= 8);
  if (!runs.length) continue;
  const run = runs[Math.floor(next() * runs.length)];
  const length = queries.length % 4 === 3 ? Math.min(run.length, 14) : 2 + Math.floor(next() * 5);
  queries.push(run.slice(0, length));
}

const server = await serve(out);
const browser = await launch();
const sizes = (page) => {
  const seen = [];
  page.on('response', async (response) => {
    if (!/\/search\/.+\.js$/.test(new URL(response.url()).pathname)) return;
    seen.push(gzipSync(await response.body()).length);
  });
  return seen;
};
const cold = [];
const warm = [];
const box = [];
for (const [i, query] of queries.entries()) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = sizes(page);
  await page.goto(server.base + 'search/index.html?q=' + encodeURIComponent(query));
  await page.waitForFunction(() => document.querySelector('[data-summary]').textContent !== '');
  await page.waitForTimeout(50);
  cold.push(seen.reduce((a, b) => a + b, 0));
  // A later query in the same tab.
  seen.length = 0;
  const other = queries[(i + 1) % queries.length];
  await page.evaluate(async (q) => { await window.casebookSearch.search(q); }, other);
  await page.waitForTimeout(50);
  warm.push(seen.reduce((a, b) => a + b, 0));
  // The same as the header box does while typing: five results, no texts.
  seen.length = 0;
  await page.evaluate(async (q) => { await window.casebookSearch.search(q, { limit: 5, texts: false }); }, queries[(i + 2) % queries.length]);
  await page.waitForTimeout(50);
  box.push(seen.reduce((a, b) => a + b, 0));
  await context.close();
}
await browser.close();
await server.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => (n / 1000).toFixed(1) + ' kB';
console.log(`${queries.length} queries on ${docs} pages (gzip)`);
console.log(`cold query (search page): median ${kb(median(cold))}, worst ${kb(Math.max(...cold))}`);
console.log(`later query, same tab:    median ${kb(median(warm))}, worst ${kb(Math.max(...warm))}`);
console.log(`later query, header box:  median ${kb(median(box))}, worst ${kb(Math.max(...box))}`);
