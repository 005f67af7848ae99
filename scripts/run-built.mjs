// npm run authorize / npm run deploy: runs a script from dist/, building it with tsc first only when a source is
// newer than the last successful build, so `npm run authorize -- --help` answers at once when dist/ is current.
//   node scripts/run-built.mjs -- dist/scripts/authorize.js [args…]
// Plain JavaScript because it runs before anything is built; no shell syntax, so npm runs it the same on Windows.
// The script runs in this process (same stdin, signals and exit code), with process.argv as if node had started it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** Written after a build that succeeded, dated when that build started: a source saved during it counts as newer. */
const STAMP = join(ROOT, 'dist', '.build-ok');
/** What the build reads (tsconfig.build.json's folders, its settings, the installed dependencies). */
const INPUT_DIRS = ['src', 'commands', 'scripts'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json'];

function newestInput() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const dir of INPUT_DIRS) visit(join(ROOT, dir));
  for (const file of INPUT_FILES) visit(join(ROOT, file));
  return newest;
}

function isCurrent(target) {
  const stamp = statSync(STAMP, { throwIfNoEntry: false });
  return stamp !== undefined && existsSync(target) && stamp.mtimeMs > newestInput();
}

function build() {
  const started = new Date();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`The build (tsc -p tsconfig.build.json) failed${result.error ? `: ${result.error.message}` : ''}; nothing was run.\n`);
    process.exit(result.status ?? 1);
  }
  writeFileSync(STAMP, `${started.toISOString()}\n`);
  utimesSync(STAMP, started, started);
}

const args = process.argv.slice(2);
if (args[0] === '--') args.shift();
const [script, ...rest] = args;
if (!script) {
  process.stderr.write('usage: node scripts/run-built.mjs -- dist/<script>.js [args…]\n');
  process.exit(2);
}
const target = resolve(ROOT, script);
if (!isCurrent(target)) build();
process.argv = [process.argv[0], target, ...rest];
await import(pathToFileURL(target).href);
