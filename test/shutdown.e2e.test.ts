// `npm start` as a process manager runs it: the real entry point, compiled, against both emulators.
// SIGTERM/SIGINT to npm → the bot stops the job, leaves the gateway, closes storage and exits 0 within 5 s,
// and no process of the bot outlives it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulators/discord.js';
import { makeTrack, playing } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import { emulatorEnv, validEnv, TEST_DISCORD_TOKEN } from '../emulators/env.js';
import { startSpotifyEmulator } from './support/spotify-app.js';

const ROOT = join(import.meta.dirname, '..');

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const child of children.get(p) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

let spotify: SpotifyEmulator | null = null;
let discord: DiscordEmulator | null = null;
let child: ChildProcess | null = null;
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await discord?.close();
  await spotify?.close();
});

describe('npm start', () => {
  it.each([
    ['SIGTERM', 1],
    ['SIGINT', 1],
    ['SIGTERM', 2],
  ] as const)('exits 0 within 5 s on %s sent to npm (shards: %i), leaving no process behind', async (signal, shards) => {
    spotify = await startSpotifyEmulator();
    spotify.setCurrentlyPlaying(playing(makeTrack()));
    discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN, shardCount: shards, maxConcurrency: shards });
    const dataDir = mkdtempSync(join(tmpdir(), 'npb-start-'));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      ...(validEnv({
        ...emulatorEnv(discord, spotify),
        STORAGE_URL: `sqlite://${join(dataDir, 'bot.sqlite')}`,
        PRESENCE_CRON: '*/1 * * * * *',
        ...(shards > 1 ? { SHARDS: String(shards) } : {}),
      }) as Record<string, string>),
    };
    let output = '';
    child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exit = exited(child);

    // Every shard shows the owner's track before we stop it.
    for (let shard = 0; shard < shards; shard++) {
      const shows = (): boolean => (discord?.currentPresence(shard)?.activities.length ?? 0) > 0;
      if (!shows()) await discord.waitFor('presence', () => shows(), 60_000);
    }
    const tree = descendants(child.pid!);
    expect(tree.length).toBeGreaterThanOrEqual(shards);

    const signalledAt = Date.now();
    child.kill(signal);
    const { code } = await exit;
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    expect(code, output).toBe(0);
    expect(output).toMatch(/shutting down/);
    expect(output).toMatch(/stopped/);
    for (const pid of tree) expect(existsSync(`/proc/${pid}`), `process ${pid} outlived npm start`).toBe(false);
    expect(output).not.toContain(TEST_DISCORD_TOKEN);
  }, 90_000);

  it('a missing or malformed environment is one startup error listing every problem', async () => {
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const p = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/index.ts')], {
        cwd: mkdtempSync(join(tmpdir(), 'npb-noenv-')),
        env: { PATH: process.env.PATH ?? '', DISCORD_CLIENT_ID: 'nope' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      p.stdout.on('data', (d: Buffer) => (text += d.toString()));
      p.stderr.on('data', (d: Buffer) => (text += d.toString()));
      p.once('exit', (code) => resolve({ code, text }));
    }).catch((e: unknown) => ({ code: -1, text: String(e) }));
    // Run from an empty folder so no .env is read; the entry point is resolved from the project.
    expect(out.code).toBe(1);
    expect(out.text).toMatch(/configuration problems/);
    for (const name of ['DISCORD_TOKEN', 'DISCORD_CLIENT_ID', 'SPOTIFY_CLIENT_ID', 'SPOTIFY_CLIENT_SECRET', 'SPOTIFY_REFRESH_TOKEN']) {
      expect(out.text).toContain(name);
    }
    expect(out.text.match(/^ {2}- /gm)?.length).toBe(5);
  }, 30_000);
});

describe('Ctrl-C in a terminal (SIGINT to the whole process group, npm forwarding another)', () => {
  /** The real entry point in its own process group, as a terminal runs it; resolves once every shard shows the track. */
  async function startInOwnGroup(shards: number): Promise<{ output: () => string; exit: ReturnType<typeof exited>; tree: number[] }> {
    spotify = await startSpotifyEmulator();
    spotify.setCurrentlyPlaying(playing(makeTrack()));
    discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN, shardCount: shards, maxConcurrency: shards });
    const dataDir = mkdtempSync(join(tmpdir(), 'npb-ctrl-c-'));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      TMPDIR: process.env.TMPDIR ?? tmpdir(),
      ...(validEnv({
        ...emulatorEnv(discord, spotify),
        STORAGE_URL: `sqlite://${join(dataDir, 'bot.sqlite')}`,
        PRESENCE_CRON: '*/1 * * * * *',
        LOG_LEVEL: 'debug',
        ...(shards > 1 ? { SHARDS: String(shards) } : {}),
      }) as Record<string, string>),
    };
    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: ROOT, // shards are started with `--import tsx` too, resolved from here
      env,
      detached: true, // its own process group, like a job in a terminal
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exit = exited(child);
    for (let shard = 0; shard < shards; shard++) {
      const shows = (): boolean => (discord?.currentPresence(shard)?.activities.length ?? 0) > 0;
      if (!shows()) await discord.waitFor('presence', () => shows(), 60_000);
    }
    const tree = descendants(child.pid!);
    expect(tree.length).toBeGreaterThanOrEqual(shards - 1);
    return { output: () => output, exit, tree };
  }

  /** `count` SIGINTs to the child's process group, 1 ms apart. */
  async function interrupt(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 1));
      process.kill(-child!.pid!, 'SIGINT');
    }
  }

  it.each([1, 2])('two SIGINTs 1 ms apart: one graceful shutdown, storage closed, "stopped", exit 0 (shards: %i)', async (shards) => {
    const bot = await startInOwnGroup(shards);
    const signalledAt = Date.now();
    await interrupt(2);
    const { code, signal } = await bot.exit;
    const output = bot.output();
    expect({ code, signal }, output).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    // One shutdown. (Under load the kernel may merge two pending SIGINTs into one; then nothing is ignored.)
    expect(output.match(/info +shutting down/g), output).toHaveLength(1);
    const closedAt = output.indexOf('storage closed');
    expect(closedAt, output).toBeGreaterThan(0);
    expect(output.indexOf('stopped', closedAt), output).toBeGreaterThan(closedAt);
    expect(output).not.toMatch(/exiting now|unhandled|restarting it/);
    if (shards > 1) {
      // Each shard got the group's SIGINTs too; the manager stops it (SIGTERM), so none is killed mid-stop.
      expect(output.match(/shard stopping why=SIGTERM/g), output).toHaveLength(shards);
      expect(output).not.toMatch(/shard stopping why=SIGINT/);
    }
    for (const pid of bot.tree) expect(existsSync(`/proc/${pid}`), `process ${pid} outlived the bot`).toBe(false);
  }, 90_000);
});
