// `npm run history -- import|status|export|delete` on the host, while the bot runs on the same SQLite file: the
// running bot sees imported plays at once; importing again adds nothing; a file that is not streaming history is
// refused by name with nothing written.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendedFiles, extendedHistory, exportZip } from '../emulators/spotify-export.js';
import { readStreamingHistory } from '../src/history/import/readers.js';
import { embedText, startHarness, type Harness } from './support/bot-harness.js';

const ROOT = resolve(import.meta.dirname, '..');
const MEMBER = '1180000000000000301';

let dir = '';
let h: Harness;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'npb-history-script-'));
  h = await startHarness({ env: { HISTORY: 'on', STORAGE_URL: `sqlite://${join(dir, 'bot.sqlite')}` } });
});
afterAll(async () => {
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The script as `npm run history --` runs it (from source here), in a folder with no .env. */
function history(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'scripts/history.ts'), ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', STORAGE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, TMPDIR: tmpdir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

const status = async (): Promise<string> =>
  embedText(await h.discord.slashCommand({ name: 'history', subcommand: 'status', userId: MEMBER }).finalMessage(10_000));

describe('npm run history', () => {
  const generated = extendedHistory({ rows: 400, seed: 7, start: '2024-03-01T00:00:00Z' });
  const zipPath = (): string => join(dir, 'my_spotify_data.zip');

  it('imports an export zip while the bot runs; the bot sees the plays at once; a second import adds nothing', async () => {
    writeFileSync(zipPath(), exportZip(extendedFiles(generated)));
    const expected = readStreamingHistory('x.json', Object.values(extendedFiles(generated))[0]!).plays.length;
    const first = await history(['import', '--user', MEMBER, zipPath()]);
    expect(first.stderr).toMatch(/reading .*Streaming_History_Audio/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`${expected.toLocaleString('en-US')} plays added`));
    expect(await status()).toContain(`${expected.toLocaleString('en-US')} plays`);

    const again = await history(['import', '--user', MEMBER, zipPath()]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 plays added/);
    expect(again.stdout).toContain(`${expected.toLocaleString('en-US')} already there`);
  });

  it('refuses a file that is not streaming history, naming it, and imports nothing', async () => {
    const userdata = join(dir, 'Userdata.json');
    writeFileSync(userdata, JSON.stringify({ username: 'x', email: 'x@example.com', country: 'DE' }));
    const before = await status();
    const refused = await history(['import', '--user', MEMBER, userdata]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Userdata.json');
    expect(refused.stderr).toContain('not Spotify streaming history');
    expect(await status()).toBe(before);
  });

  it('exports what it imported, and delete needs --yes', async () => {
    const out = join(dir, 'out.json');
    const exported = await history(['export', '--user', MEMBER, '--out', out]);
    expect(exported.code).toBe(0);
    const plays = readStreamingHistory('out.json', new Uint8Array(readFileSync(out))).plays;
    expect(exported.stdout).toContain(`${plays.length.toLocaleString('en-US')} plays written`);
    expect((await history(['delete', '--user', MEMBER])).code).toBe(1);
    const deleted = await history(['delete', '--user', MEMBER, '--yes']);
    expect(deleted.code).toBe(0);
    expect(await status()).toContain('No plays stored yet');
  });

  it('--help explains the commands; a bad --user is refused', async () => {
    const help = await history(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('import <file|folder|zip>');
    const bad = await history(['status', '--user', 'nobody']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--user must be a Discord user id');
  });
});
