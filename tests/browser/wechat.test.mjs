// WeChat's in-app browser, where many readers open links shared into their groups.
//
// It is no engine of its own: on iOS it is the system's WKWebView, that is the Safari
// of the phone's iOS; on Android it is Tencent's XWeb (a Chromium), on older phones
// the X5 kernel (a Chromium of about version 66). So the theme's scripts are held to
// what the oldest of these run:
//   - syntax of ES2019. iPhone 6 and 5s stop at iOS 12, whose Safari 12 parses ES2019
//     but not ES2020's `?.` and `??` (Safari 13.1): a single one makes the whole file
//     a syntax error there, and the page loses search, notes and self-tests;
//   - no API that Safari 12 or Chrome 66 lacks (NEWER_* below) unless the code tests for
//     it first and does without (GUARDED), and no regular expression lookbehind, which
//     Safari parsed only from 16.4.
// The pages must also load clean in Chromium under both of WeChat's user agents, at
// phone width: nothing in the site may sniff the agent and take another path.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { parse } from 'acorn';

import { browserAvailable, pageKinds, repo, servedSite } from './support.mjs';

const THEME = join(repo, 'themes/default/static');

// Newer than Safari 12 / Chrome 66, with where they arrived: methods and constructors
// reached through an object (`list.replaceChildren()`, `new Intl.Segmenter()`), and
// globals.
const NEWER_MEMBERS = {
  replaceChildren: 'Safari 14, Chrome 86',
  replaceAll: 'Safari 13.1, Chrome 85',
  matchAll: 'Safari 13, Chrome 73',
  allSettled: 'Safari 13, Chrome 76',
  any: 'Promise.any: Safari 14, Chrome 85',
  at: 'Safari 15.4, Chrome 92',
  hasOwn: 'Safari 15.4, Chrome 93',
  findLast: 'Safari 15.4, Chrome 97',
  findLastIndex: 'Safari 15.4, Chrome 97',
  toSorted: 'Safari 16, Chrome 110',
  toReversed: 'Safari 16, Chrome 110',
  fromEntries: 'Safari 12.1, Chrome 73',
  flat: 'Chrome 69',
  flatMap: 'Chrome 69',
  toggleAttribute: 'Chrome 69',
  showModal: 'Safari 15.4',
  randomUUID: 'Safari 15.4, Chrome 92',
  stream: 'Blob.stream: Safari 14.1, Chrome 76',
  requestFullscreen: 'never on iPhone; Safari 16.4 on iPad',
  Segmenter: 'Intl.Segmenter: Safari 14.1, Chrome 87',
  ListFormat: 'Safari 14.1, Chrome 72',
  RelativeTimeFormat: 'Safari 14, Chrome 71',
  DisplayNames: 'Safari 14.1, Chrome 81',
};
const NEWER_GLOBALS = {
  globalThis: 'Safari 12.1, Chrome 71',
  queueMicrotask: 'Safari 12.1, Chrome 71',
  requestIdleCallback: 'no Safari',
  structuredClone: 'Safari 15.4, Chrome 98',
  ResizeObserver: 'Safari 13.1',
  IntersectionObserver: 'Safari 12.1',
  DecompressionStream: 'Safari 16.4, Chrome 80',
  CompressionStream: 'Safari 16.4, Chrome 80',
  BigInt: 'Safari 14, Chrome 67',
  WeakRef: 'Safari 14.1, Chrome 84',
  AggregateError: 'Safari 14, Chrome 85',
};

// Used only after testing that they exist, with another way when they do not.
const GUARDED = {
  'search.js': {
    Segmenter: 'partial matches fall back to pairs of characters',
    DecompressionStream: 'inflate() unpacks the index instead',
    stream: 'only in the DecompressionStream branch',
  },
  'slides.js': { requestFullscreen: 'the full-screen key does nothing' },
};

/** Every syntax node of an acorn tree. */
function* nodes(node) {
  if (typeof node?.type === 'string') yield node;
  for (const value of Object.values(node)) {
    if (value && typeof value === 'object') yield* nodes(value);
  }
}

/** What in `source` (the theme's `file`) WeChat's oldest engines cannot run, each as
 *  `file:line:column: why`. */
function problems(file, source = readFileSync(join(THEME, file), 'utf8')) {
  let tree;
  try {
    tree = parse(source, { ecmaVersion: 2019, sourceType: 'script', locations: true });
  } catch (error) {
    return [`${file}:${error.loc.line}:${error.loc.column + 1}: not ES2019: ${error.message}`];
  }
  const found = [];
  for (const node of nodes(tree)) {
    const at = (n) => `${file}:${n.loc.start.line}:${n.loc.start.column + 1}`;
    // Methods when called (`list.replaceChildren()`, `new Intl.Segmenter()`): a
    // property of the theme's own objects may share a name (`snippet.at`).
    const callee = (node.type === 'CallExpression' || node.type === 'NewExpression') && node.callee;
    let name, newer, where;
    if (callee?.type === 'MemberExpression' && !callee.computed) {
      [name, newer, where] = [callee.property.name, NEWER_MEMBERS, callee.property];
    }
    if (node.type === 'Identifier') [name, newer, where] = [node.name, NEWER_GLOBALS, node];
    if (newer && Object.hasOwn(newer, name) && !GUARDED[file]?.[name]) {
      found.push(`${at(where)}: ${name} (${newer[name]})`);
    }
    if (node.regex && /\(\?<[=!]/.test(node.regex.pattern)) {
      found.push(`${at(node)}: lookbehind in /${node.regex.pattern}/ (Safari 16.4)`);
    }
  }
  return found;
}

// Android (XWeb) and iOS user agents as WeChat 8 sends them.
const AGENTS = {
  android:
    'Mozilla/5.0 (Linux; Android 10; V1916A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5075 MMWEBSDK/20230405 MMWEBID/1234 MicroMessenger/8.0.35.2360(0x2800235D) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
  ios: 'Mozilla/5.0 (iPhone; CPU iPhone OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.35(0x18002331) NetType/WIFI Language/zh_CN',
};

describe('WeChat', () => {
  test('the theme scripts are ES2019 and use nothing newer than WeChat’s oldest engines run', () => {
    const files = readdirSync(THEME).filter((f) => f.endsWith('.js'));
    assert.ok(files.length >= 5, files.join(', '));
    assert.deepEqual(files.flatMap((file) => problems(file)), []);
  });

  test('the check finds newer syntax, APIs and lookbehind', () => {
    assert.match(problems('x.js', 'a?.b')[0], /^x\.js:1:3: not ES2019/);
    assert.deepEqual(problems('x.js', 'if (1) {\n  list.replaceChildren();\n}'), [
      'x.js:2:8: replaceChildren (Safari 14, Chrome 86)',
    ]);
    assert.deepEqual(problems('x.js', 'new Intl.Segmenter()'), ['x.js:1:10: Segmenter (Intl.Segmenter: Safari 14.1, Chrome 87)']);
    assert.deepEqual(problems('x.js', '/(?<=a)b/.test(s)'), ['x.js:1:1: lookbehind in /(?<=a)b/ (Safari 16.4)']);
  });

  describe('pages under its user agents', { skip: !browserAvailable() && 'chromium is not installed' }, () => {
    let server, browser;
    servedSite((site) => ({ server, browser } = site));

    for (const [system, userAgent] of Object.entries(AGENTS)) {
      test(`${system}: every page kind loads without a console error and fits a phone`, async () => {
        const context = await browser.newContext({
          userAgent,
          viewport: { width: 360, height: 740 },
          isMobile: true,
          hasTouch: true,
          locale: 'zh-CN',
        });
        const page = await context.newPage();
        const errors = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()}`));
        page.on('pageerror', (e) => errors.push(`${page.url()}: ${e}`));
        for (const [kind, path] of Object.entries(pageKinds)) {
          await page.goto(server.base + path + (kind === 'search' ? '?q=' + encodeURIComponent('下党') : ''));
          if (kind === 'search') await page.waitForSelector('[data-results] .result');
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${kind} overflows by ${overflow}px`);
        }
        assert.equal(await page.evaluate(() => navigator.userAgent), userAgent);
        assert.deepEqual(errors, []);
        await context.close();
      });
    }
  });
});
