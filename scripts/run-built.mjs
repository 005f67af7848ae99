// npm run authorize / npm run deploy: runs a script from dist/, building it with tsc first only when a source is
// newer than the last successful build, so `npm run authorize -- --help` answers at once when dist/ is current.
//   node scripts/run-built.mjs -- dist/scripts/authorize.js [args…]
// Plain JavaScript because it runs before anything is built; no shell syntax, so npm runs it the same on Windows.
// The script runs in this process (same stdin, signals and exit code), with process.argv as if node had started it.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, ROOT } from './build-if-stale.mjs';

const args = process.argv.slice(2);
if (args[0] === '--') args.shift();
const [script, ...rest] = args;
if (!script) {
  process.stderr.write('usage: node scripts/run-built.mjs -- dist/<script>.js [args…]\n');
  process.exit(2);
}
const target = resolve(ROOT, script);
ensureBuilt(target);
process.argv = [process.argv[0], target, ...rest];
await import(pathToFileURL(target).href);
