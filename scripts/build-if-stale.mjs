// The build when it is stale: tsc -p tsconfig.build.json runs only when a source is newer than the last successful
// build. Used by scripts/run-built.mjs (npm run authorize, deploy, history) and by the bench's child processes that
// measure what is deployed. Plain JavaScript because it runs before anything is built.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Builds dist/ unless it is current and holds `target` (a path under the project; default: the bot's entry). */
export function ensureBuilt(target = join(ROOT, 'dist', 'src', 'index.js')) {
  if (!isCurrent(resolve(ROOT, target))) build();
}

export { ROOT };
