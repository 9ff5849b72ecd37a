// `casebook serve` in a real browser: an edit reloads the open page by itself, a broken
// file shows its problems over the last good page, and the fix takes the overlay away.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { browserAvailable, casebookBinary, launch, repo } from './support.mjs';

/** Starts `casebook serve --port 0` inside `site`, as an editor would; resolves to its origin. */
function startServer(site) {
  const child = spawn(casebookBinary(), ['serve', '--port', '0'], { cwd: site });
  const origin = new Promise((ok, fail) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const found = seen.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (found) ok(`http://127.0.0.1:${found[1]}`);
    });
    child.on('exit', (code) => fail(new Error(`casebook serve exited with ${code}`)));
  });
  return { child, origin };
}

describe('live reload', { skip: !browserAvailable() && 'chromium is not installed' }, () => {
  let site, server, origin, browser;

  before(async () => {
    site = mkdtempSync(join(tmpdir(), 'casebook-serve-'));
    cpSync(join(repo, 'tests/fixtures/valid'), site, { recursive: true });
    server = startServer(site);
    origin = await server.origin;
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    server?.child.kill();
    rmSync(site, { recursive: true, force: true });
  });

  test('an edit reloads the page; a broken file shows an overlay until it is fixed', async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(origin + '/案例/霞浦/');
    assert.equal(await page.textContent('h1'), '霞浦接待日');
    // Give the reload channel a moment to open, then edit.
    await page.waitForTimeout(500);
    const file = join(site, 'content/案例/霞浦.md');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('霞浦接待日', '霞浦接待日（修订）'));
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === '霞浦接待日（修订）', null, {
      timeout: 15000,
    });
    writeFileSync(file, '---\ntitle: 坏\ndate: 1989-13-01\n---\n');
    await page.waitForSelector('#casebook-problems', { timeout: 15000 });
    assert.match(await page.textContent('#casebook-problems'), /content\/案例\/霞浦\.md:3/);
    assert.equal(await page.textContent('h1'), '霞浦接待日（修订）', 'the last good page stays');
    writeFileSync(file, good);
    await page.waitForFunction(
      () => document.querySelector('h1')?.textContent === '霞浦接待日' && !document.getElementById('casebook-problems'),
      null,
      { timeout: 15000 },
    );
    assert.deepEqual(errors, []);
    await page.close();
  });
});
