// `npm run authorize` and `npm run deploy` run their built script from dist/ and build it first only when a source
// is newer than the last good build (scripts/run-built.mjs): help, and every run after the first, needs no tsc.
// Run in a copy of the checkout, so this test's builds never rewrite dist/ under another test's feet.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const copy = mkdtempSync(join(tmpdir(), 'npb-built-'));
for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'commands', 'scripts']) {
  cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
}
symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
const BUILT = join(copy, 'dist/scripts/authorize.js');
const STAMP = join(copy, 'dist/.build-ok');

afterAll(() => rmSync(copy, { recursive: true, force: true }));

async function npm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', ...args], { cwd: copy, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const mtime = (path: string): number => statSync(path).mtimeMs;

describe('npm run authorize / deploy', () => {
  it('build once, then answer --help without running tsc, and build again once a source is newer than the build', async () => {
    const first = await npm('authorize', '--', '--help'); // a fresh checkout: no dist/ yet
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Usage: npm run authorize');
    const built = mtime(BUILT);
    const stamped = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs;

    const [authorize, deploy] = await Promise.all([npm('authorize', '--', '--help'), npm('deploy', '--', '--help')]);
    expect(authorize.code, authorize.stderr).toBe(0);
    expect(authorize.stdout).toContain('--manual');
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stdout).toContain('Usage: npm run deploy');
    // Nothing was compiled: tsc rewrites every output file, and the stamp is written only after a build.
    expect(mtime(BUILT)).toBe(built);
    expect(mtime(STAMP)).toBe(stamped);

    // A source newer than the build (an edit, a `git pull`): built again before the script runs.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(copy, 'src/config.ts'), later, later);
    const stale = await npm('authorize', '--', '--help');
    expect(stale.code, stale.stderr).toBe(0);
    expect(stale.stdout).toContain('Usage: npm run authorize');
    expect(mtime(BUILT)).toBeGreaterThan(built);
  }, 240_000);
});
