// Firefox and WebKit for the browser tests, driven through what each engine ships:
// Firefox ESR's built-in WebDriver BiDi (JSON over a WebSocket) and WebKitGTK's
// WebKitWebDriver (classic WebDriver, JSON over HTTP) on a virtual X display. Both
// drivers offer the same few calls, so a test runs the same steps in each:
//   goto(url) · run(fn, ...args) · waitFor(fn, ...args) · screenshot(file) · close()
//   errors (the console errors seen) · loadErrors(urls) (what loading them logs, where
//   the session cannot see it)
// `run` calls `fn` in the page (it may be async; arguments and result travel as JSON).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import WebSocket from 'ws';

const firefoxPath = process.env.FIREFOX || '/usr/bin/firefox-esr';
const webkitDriverPath = process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';
const xvfbPath = '/usr/bin/Xvfb';

/** WebKitGTK's own small browser: what WebKitWebDriver starts, and what the load check
 *  runs alone (its path holds the machine's architecture). */
function miniBrowserPath() {
  return readdirSync('/usr/lib')
    .map((folder) => `/usr/lib/${folder}/webkit2gtk-4.1/MiniBrowser`)
    .find((path) => existsSync(path));
}

const needs = {
  firefox: () => [firefoxPath],
  webkit: () => [webkitDriverPath, xvfbPath, miniBrowserPath() || 'MiniBrowser of libwebkit2gtk-4.1'],
};

/** Whether an engine is installed; in CI (CI=true) its absence is a failure, not a skip. */
export function engineAvailable(name) {
  const missing = needs[name]().filter((path) => !existsSync(path));
  if (!missing.length) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${missing.join(', ')} not found: CI must install firefox-esr, webkit2gtk-driver and xvfb`);
  }
  return false;
}

// Browsers and displays run in process groups of their own, ended with their children
// when the suite ends, or when the test runner stops it.
const groups = new Set();
const endAll = () =>
  groups.forEach((pid) => {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // Gone already.
    }
  });
process.on('exit', endAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    endAll();
    process.exit(1);
  });
}

/** Starts `command` in a process group of its own. */
function startGroup(command, args, options) {
  const child = spawn(command, args, { detached: true, ...options });
  groups.add(child.pid);
  child.once('exit', () => groups.delete(child.pid));
  return child;
}

/** Starts `command`, resolving with the process once `ready` matches its output (the
 *  match is returned too); rejects if it exits first or takes 60 s. */
function start(command, args, ready, options = {}) {
  const child = startGroup(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      stop(child);
      reject(new Error(`${command} did not start:\n${seen}`));
    }, 60_000);
    const look = (chunk) => {
      seen += chunk;
      const match = seen.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`${command} exited (${code}):\n${seen}`)));
  });
}

/** Ends a process started by `startGroup` together with the processes it started. */
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise((ok) => child.once('exit', ok));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return Promise.resolve();
  }
  return gone;
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** The calls both drivers share, on top of their own `run`. */
function withCommonCalls(driver) {
  driver.waitFor = async (fn, ...args) => {
    const until = Date.now() + 15_000;
    for (;;) {
      const value = await driver.run(fn, ...args);
      if (value) return value;
      if (Date.now() > until) throw new Error(`${driver.name}: timed out waiting for ${fn}`);
      await sleep(100);
    }
  };
  return driver;
}

// ---- Firefox: WebDriver BiDi -------------------------------------------------------

/** Firefox ESR headless in a fresh profile, its console read through `log.entryAdded`. */
export async function launchFirefox({ width = 1280, height = 900 } = {}) {
  // A fresh profile; the remote agent sets the preferences automation needs (no
  // updates, no first-run pages, no background connections).
  const profile = mkdtempSync(join(tmpdir(), 'casebook-firefox-'));
  const { child, match } = await start(
    firefoxPath,
    ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port=0', 'about:blank'],
    /WebDriver BiDi listening on (ws:\/\/\S+)/,
  );
  const socket = new WebSocket(`${match[1]}/session`);
  await new Promise((ok, fail) => {
    socket.once('open', ok);
    socket.once('error', fail);
  });
  let last = 0;
  const pending = new Map();
  const errors = [];
  let page = 'about:blank';
  socket.on('message', (data) => {
    const message = JSON.parse(data);
    if (message.id && pending.has(message.id)) {
      pending.get(message.id)(message);
      pending.delete(message.id);
    } else if (message.method === 'log.entryAdded' && message.params.level === 'error') {
      errors.push(`${page}: ${message.params.text}`);
    }
  });
  const send = (method, params) =>
    new Promise((ok, fail) => {
      const id = ++last;
      pending.set(id, (reply) =>
        reply.type === 'success' ? ok(reply.result) : fail(new Error(`${method}: ${reply.error} ${reply.message}`)),
      );
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send('session.new', { capabilities: {} });
  await send('session.subscribe', { events: ['log.entryAdded'] });
  const { contexts } = await send('browsingContext.getTree', {});
  const context = contexts[0].context;
  await send('browsingContext.setViewport', { context, viewport: { width, height } });
  return withCommonCalls({
    name: 'firefox',
    errors,
    async goto(url) {
      page = url;
      await send('browsingContext.navigate', { context, url, wait: 'complete' });
    },
    async run(fn, ...args) {
      const reply = await send('script.callFunction', {
        functionDeclaration: `async (args) => JSON.stringify(await (${fn})(...JSON.parse(args)) ?? null)`,
        arguments: [{ type: 'string', value: JSON.stringify(args) }],
        target: { context },
        awaitPromise: true,
      });
      if (reply.type === 'exception') throw new Error(`firefox: ${reply.exceptionDetails.text}`);
      return JSON.parse(reply.result.value);
    },
    async screenshot(file) {
      const { data } = await send('browsingContext.captureScreenshot', { context });
      writeFileSync(file, Buffer.from(data, 'base64'));
    },
    // The session's console log has seen them already.
    loadErrors: async () => [],
    async close() {
      await send('browser.close', {}).catch(() => {});
      socket.close();
      await stop(child);
      rmSync(profile, { recursive: true, force: true });
    },
  });
}

// ---- WebKit: classic WebDriver -----------------------------------------------------

/** A free TCP port on 127.0.0.1, for WebKitWebDriver to listen on. */
async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/** A virtual X display for WebKitGTK (what xvfb-run does, with the display number
 *  chosen by the server itself, so that suites running at once never share one). */
async function startDisplay() {
  const { child, match } = await start(
    xvfbPath,
    ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
    /^(\d+)$/m,
  );
  return { display: `:${match[1]}`, close: () => stop(child) };
}

// WebKitWebDriver has no console log, and in automation mode WebKitGTK does not print
// console messages; so the session records in the page what its console would show
// from the moment the recorder is installed (after each load). What loading itself
// logs is read by `webkitLoadErrors`, which opens the page in MiniBrowser alone.
const recordErrors = () => {
  if (window.__consoleErrors) return;
  const errors = (window.__consoleErrors = []);
  const error = console.error.bind(console);
  console.error = (...args) => {
    errors.push(args.map(String).join(' '));
    error(...args);
  };
  addEventListener('error', (e) => errors.push(e.message || `cannot load ${e.target.src || e.target.href}`), true);
  addEventListener('unhandledrejection', (e) => errors.push(`unhandled rejection: ${e.reason}`));
  addEventListener('securitypolicyviolation', (e) => errors.push(`CSP ${e.violatedDirective}: ${e.blockedURI}`));
};

/** WebKitGTK's MiniBrowser through WebKitWebDriver, on a display of its own. */
export async function launchWebKit({ width = 1280, height = 900 } = {}) {
  const { display, close: closeDisplay } = await startDisplay();
  const port = await freePort();
  const child = startGroup(webkitDriverPath, [`--port=${port}`], {
    stdio: 'ignore',
    env: { ...process.env, DISPLAY: display },
  });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const { value } = await response.json();
    if (!response.ok) throw new Error(`webkit ${path}: ${value.error}: ${value.message}`);
    return value;
  };
  let session;
  let page = 'about:blank';
  for (let tries = 0; !session; tries++) {
    try {
      session = (await call('POST', '/session', { capabilities: {} })).sessionId;
    } catch (error) {
      // Until the driver listens.
      if (tries > 100) {
        await stop(child);
        await closeDisplay();
        throw error;
      }
      await sleep(100);
    }
  }
  const at = `/session/${session}`;
  await call('POST', `${at}/window/rect`, { width, height });
  const errors = [];
  const driver = withCommonCalls({
    name: 'webkit',
    errors,
    async goto(url) {
      await driver.collectErrors();
      page = url;
      await call('POST', `${at}/url`, { url });
      await driver.run(recordErrors);
    },
    async run(fn, ...args) {
      const script = `const done = arguments[1];
        Promise.resolve().then(() => (${fn})(...arguments[0]))
          .then((value) => done({ value: value ?? null }), (error) => done({ error: String(error) + '\\n' + (error && error.stack) }));`;
      const reply = await call('POST', `${at}/execute/async`, { script, args: [args] });
      if (reply.error) throw new Error(`webkit: ${reply.error}`);
      return reply.value;
    },
    /** Moves what the recorder holds into `errors`. */
    async collectErrors() {
      const found = await driver.run(() => (window.__consoleErrors || []).splice(0)).catch(() => []);
      errors.push(...found.map((error) => `${page}: ${error}`));
    },
    async screenshot(file) {
      writeFileSync(file, Buffer.from(await call('GET', `${at}/screenshot`), 'base64'));
    },
    /** Opens each page in MiniBrowser alone, two at a time, for what loading logs. */
    async loadErrors(urls) {
      const found = [];
      for (let i = 0; i < urls.length; i += 2) {
        const pair = await Promise.all(urls.slice(i, i + 2).map((url) => webkitLoadErrors(display, url)));
        found.push(...pair.flat());
      }
      return found;
    },
    async close() {
      await call('DELETE', at).catch(() => {});
      await stop(child);
      await closeDisplay();
    },
  });
  return driver;
}

/** The console errors WebKit logs while loading `url` (scripts that do not parse or
 *  throw, blocked or missing files, policy violations), read from MiniBrowser's own
 *  console output: it prints every console message when not under automation. */
async function webkitLoadErrors(display, url) {
  const child = spawn(
    miniBrowserPath(),
    ['--enable-write-console-messages-to-stdout=true', '--exit-after-load', url],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: display } },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill(), 30_000);
  const code = await new Promise((ok) => child.on('exit', ok));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`MiniBrowser ${url} exited with ${code}:\n${output}`);
  return output.split('\n').filter((line) => / CONSOLE (\w+ )?ERROR /.test(line));
}
