// Shared set-up for the browser tests: build a site with the real casebook binary,
// serve it over real HTTP on 127.0.0.1, and drive Debian's chromium headless.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

export const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const artifacts = join(repo, 'tests/browser/artifacts');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

const LESSON = 'lessons/%E5%AD%A6%E4%B9%A0%E5%9B%9B%E4%B8%8B%E5%9F%BA%E5%B1%82-%E8%B7%B5%E8%A1%8C%E7%BE%A4%E4%BC%97%E8%B7%AF%E7%BA%BF/';
/** A page of every kind on the example site, by path under the site root. */
export const pageKinds = {
  home: 'index.html',
  section: 'cases/index.html',
  case: 'cases/%E4%B8%89%E8%BF%9B%E4%B8%8B%E5%85%9A/index.html',
  lesson: LESSON + 'index.html',
  slides: LESSON + 'slides/index.html',
  timeline: 'timeline/index.html',
  search: 'search/index.html',
  notes: 'my-notes/index.html',
  tags: 'tags/index.html',
  term: 'tags/%E5%9B%9B%E4%B8%8B%E5%9F%BA%E5%B1%82/index.html',
};

/** Whether the browser is here; in CI (CI=true) its absence is a failure, not a skip. */
export function browserAvailable() {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${chromiumPath} not found: CI must install Debian's chromium`);
  }
  return false;
}

/** Builds the casebook binary (a no-op when cargo test already did) and returns it. */
export function casebookBinary() {
  const built = spawnSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('cargo build failed');
  return join(repo, 'target/debug/casebook');
}

/** The sites this test file built; removed when its process ends, so that runs do not
 *  fill the disk with copies of the site. */
const builtSites = [];
process.on('exit', () => {
  for (const dir of builtSites) rmSync(dir, { recursive: true, force: true });
});

/** Builds the site at `root` into a fresh temp folder and returns that folder. */
export function buildSite(root = repo, extra = []) {
  const out = mkdtempSync(join(tmpdir(), 'casebook-browser-'));
  builtSites.push(out);
  const result = spawnSync(casebookBinary(), ['build', '--quiet', '--root', root, '--output', out, ...extra], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`casebook build failed:\n${result.stderr}`);
  return out;
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** A strict policy: the site must work with no inline script or style and no other origin. */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Serves `dir` at http://127.0.0.1:<port><prefix>, as a static host would. */
export async function serve(dir, prefix = '/') {
  const root = resolve(dir);
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    let path;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    if (!path.startsWith(prefix)) {
      response.writeHead(404).end();
      return;
    }
    let file = normalize(join(root, path.slice(prefix.length)));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(404).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404, { 'content-type': types['.html'] });
      response.end(existsSync(join(root, '404.html')) ? readFileSync(join(root, '404.html')) : 'not found');
      return;
    }
    response.writeHead(200, {
      'content-type': types[extname(file)] || 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy,
    });
    response.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  // Browsers keep connections alive; close them too, or close() waits on them.
  const close = () =>
    new Promise((ok) => {
      server.close(ok);
      server.closeAllConnections();
    });
  return { origin, base: origin + prefix, close };
}

/** Launches chromium headless with the flags this closed network needs. Playwright
 *  gives every launch a fresh, empty profile. */
export async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where screenshots go (kept as CI artefacts, ignored by git); `name` may hold a folder. */
export function artifact(name) {
  const path = join(artifacts, name);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

/** In a suite: builds the site at `root` and serves it, and starts chromium, before the
 *  tests (handing all three to `use`); closes the browser and the server after them. */
export function servedSite(use, root = repo, extra = []) {
  let server, browser;
  before(async () => {
    const out = buildSite(root, extra);
    server = await serve(out);
    browser = await launch();
    use({ out, server, browser });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}
