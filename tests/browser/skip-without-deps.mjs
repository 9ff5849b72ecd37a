// `npm test` on a fresh clone: without `npm ci` the browser tests cannot run. Outside CI
// say so and skip (exit 0); in CI a missing dependency is a failure, never a skip.
import { existsSync } from 'node:fs';

const needed = ['playwright-core', 'axe-core', 'ws', 'acorn'];
if (needed.some((name) => !existsSync(new URL(`../../node_modules/${name}`, import.meta.url)))) {
  if (process.env.CI === 'true') {
    console.error('node_modules is missing: run `npm ci` first');
    process.exit(1);
  }
  console.log('Browser tests skipped: node_modules is missing. Run `npm ci` once, then `npm test`.');
  process.exit(78);
}
