// Study aids in a real browser: self-tests, read marks and progress, notes, export and
// import, the printable packet, axe.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { browserAvailable, buildSite, launch, repo, serve } from './support.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

describe('study aids', { skip: !browserAvailable() && 'chromium is not installed' }, () => {
  let out, server, browser, context;

  before(async () => {
    out = buildSite(join(repo, 'tests/fixtures/study'));
    server = await serve(out);
    browser = await launch();
    context = await browser.newContext({ acceptDownloads: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('answering a question shows right or wrong and the explanation', async () => {
    const page = await context.newPage();
    await page.goto(server.base + 'lessons/a/index.html');
    await page.check('input[name=q1][value=A]');
    await page.click('[data-question=q1] [data-check]');
    assert.match(await page.textContent('[data-question=q1] [data-result]'), /回答正确/);
    assert.equal(await page.getAttribute('[data-question=q1] details', 'open'), '');
    await page.check('input[name=q3][value=true]');
    await page.click('[data-question=q3] [data-check]');
    assert.match(await page.textContent('[data-question=q3] [data-result]'), /回答有误/);
    await page.fill('input[name=q4]', '五无');
    await page.click('[data-question=q4] [data-check]');
    assert.match(await page.textContent('[data-question=q4] [data-result]'), /回答正确/);
    await page.check('input[name=q2][value=A]');
    await page.click('[data-question=q2] [data-check]');
    assert.match(await page.textContent('[data-question=q2] [data-result]'), /回答有误/, 'a missing option is wrong');
    await page.close();
  });

  test('read marks, progress and notes survive a reload; export, clear, import restores them', async () => {
    const page = await context.newPage();
    await page.goto(server.base + 'lessons/a/index.html');
    await page.click('[data-read-toggle]');
    await page.fill('[data-note]', '我的第一条笔记');
    await page.reload();
    assert.equal(await page.getAttribute('[data-read-toggle]', 'aria-pressed'), 'true');
    assert.equal(await page.inputValue('[data-note]'), '我的第一条笔记');
    await page.goto(server.base + 'lessons/index.html');
    assert.equal(await page.textContent('[data-progress-text]'), '已读 1 / 2 篇');
    assert.equal(await page.locator('.card.is-read').count(), 1);

    await page.goto(server.base + 'my-notes/index.html');
    assert.match(await page.textContent('[data-notes-list]'), /第一课[\s\S]*我的第一条笔记/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-export]')]);
    const file = await download.path();
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(exported.read['lessons/a/'] && exported.notes['lessons/a/']);

    await page.evaluate(() => localStorage.clear());
    await page.reload();
    assert.equal(await page.isVisible('[data-notes-empty]'), true);
    await page.setInputFiles('[data-import]', file);
    await page.waitForFunction(() => document.querySelector('[data-backup-status]').textContent === '已导入。');
    assert.match(await page.textContent('[data-notes-list]'), /我的第一条笔记/);
    await page.goto(server.base + 'lessons/index.html');
    assert.equal(await page.textContent('[data-progress-text]'), '已读 1 / 2 篇');
    await page.close();
  });

  test('an imported file cannot plant a link that runs script or leaves the site', async () => {
    const page = await context.newPage();
    await page.goto(server.base + 'my-notes/index.html');
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    const crafted = JSON.stringify({
      casebook: 1,
      notes: {
        'javascript:alert(document.domain)//': { title: '恶意', text: 'x', updated: 3 },
        ' JAVASCRIPT:alert(1)': { title: '恶意2', text: 'x', updated: 2 },
        '//evil.example/': { title: '外站', text: 'x', updated: 1 },
        '../../etc/': { title: '上级', text: 'x', updated: 1 },
        'lessons/a/': { title: '正常', text: '好的笔记', updated: 4 },
        'lessons/b/': { title: 42, text: ['not text'] },
      },
      read: { 'data:text/html,x': 1, 'lessons/a/': 5 },
    });
    await page.setInputFiles('[data-import]', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from(crafted) });
    await page.waitForFunction(() => document.querySelector('[data-backup-status]').textContent === '已导入。');
    const links = await page.$$eval('[data-notes-list] a', (as) => as.map((a) => [a.textContent, a.href]));
    assert.deepEqual(links.map(([t]) => t), ['正常']);
    assert.ok(links.every(([, href]) => href.startsWith(server.base)), JSON.stringify(links));
    // Not a casebook record at all: refused with a message, nothing changed.
    await page.setInputFiles('[data-import]', { name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"notes": 1}') });
    await page.waitForFunction(() => document.querySelector('[data-backup-status]').textContent.includes('无法读取'));
    assert.equal(await page.locator('[data-notes-list] li').count(), 1);
    await page.close();
  });

  test('the study packet prints without navigation and nothing wider than the page', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.goto(server.base + 'lessons/packet.html');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).display), 'none');
    assert.equal(await page.locator('.packet-item').count(), 2);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length,
    );
    assert.equal(wide, 0);
    await page.close();
  });

  test('the lesson, notes and packet pages have no serious or critical axe violations', async () => {
    const axeContext = await browser.newContext({ bypassCSP: true });
    for (const path of ['lessons/a/index.html', 'my-notes/index.html', 'lessons/packet.html', 'lessons/index.html']) {
      const page = await axeContext.newPage();
      await page.goto(server.base + path);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(bad.map((v) => `${path} ${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), []);
      await page.close();
    }
    await axeContext.close();
  });
});
