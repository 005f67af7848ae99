// The bot as `docker compose up` runs it, against the emulators: Compose's `env_file: .env` passes every line of a
// .env copied from .env.example as a real environment variable (its `KEY=` lines as EMPTY variables) on top of the
// image's ENV, and runs the image's CMD in its WORKDIR; Docker then runs the HEALTHCHECK command with the same
// environment. Both are read from .env.example and the Dockerfile here, so a new key or a changed CMD is covered.
// Docker itself isn't needed: the image's /app is a temp folder holding what the Dockerfile copies there.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulators/discord.js';
import { emulatorEnv, TEST_DISCORD_TOKEN, validEnv } from '../emulators/env.js';
import { makeTrack, playing } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import { startSpotifyEmulator } from './support/spotify-app.js';

const ROOT = join(import.meta.dirname, '..');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A .env copied from .env.example with the required settings filled in, pointed at the emulators. */
function composeEnvFile(discord: DiscordEmulator, spotify: SpotifyEmulator): Record<string, string> {
  const example = parseDotenv(readFileSync(join(ROOT, '.env.example')));
  // Filled in as set-up steps 1–4 would; the endpoints point at the emulators (tests have no internet).
  const filled = { ...validEnv(), ...emulatorEnv(discord, spotify) } as Record<string, string>;
  for (const name of Object.keys(filled)) expect(example, `.env.example lists ${name}`).toHaveProperty(name);
  expect(Object.values(example).filter((value) => value === '').length).toBeGreaterThan(5);
  return { ...example, ...filled };
}

async function emulators(): Promise<{ discord: DiscordEmulator; spotify: SpotifyEmulator }> {
  const spotify = await startSpotifyEmulator();
  spotify.setCurrentlyPlaying(playing(makeTrack()));
  const discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN });
  cleanups.push(() => spotify.close());
  cleanups.push(() => discord.close());
  return { discord, spotify };
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function run(command: string[], cwd: string, env: Record<string, string>): Run {
  let output = '';
  const child = spawn(process.execPath, command, {
    cwd,
    // Only what the container has: the environment Compose builds, and the test run's temp folder.
    env: { PATH: process.env.PATH ?? '', TMPDIR: process.env.TMPDIR ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => output, exit };
}

/** Resolves once the bot's output matches `pattern`, or rejects with its output if it exits first. */
function logged(bot: Run, pattern: RegExp): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (!pattern.test(bot.output())) return;
      cleanup();
      resolve();
    };
    const exited = (code: number | null): void => {
      cleanup();
      reject(new Error(`the bot exited (${code}) before logging ${pattern}:\n${bot.output()}`));
    };
    const cleanup = (): void => {
      bot.child.stdout?.off('data', check);
      bot.child.stderr?.off('data', check);
      bot.child.off('exit', exited);
    };
    bot.child.stdout?.on('data', check);
    bot.child.stderr?.on('data', check);
    bot.child.once('exit', exited);
    check();
  });
}

/** Resolves once the bot is connected: the emulator saw it ready and the bot said so. */
async function connected(discord: DiscordEmulator, bot: Run): Promise<void> {
  await logged(bot, /connected to Discord/);
  expect(discord.connectedShards(), bot.output()).toEqual([0]);
}

describe('every key of .env.example as an environment variable, as Compose passes them', () => {
  it('the real entry point connects (empty SHARDS=, HEARTBEAT_FILE= … mean "not set")', async () => {
    const { discord, spotify } = await emulators();
    const cwd = mkdtempSync(join(tmpdir(), 'npb-compose-env-')); // no .env here: everything comes from the environment
    const bot = run(['--import', import.meta.resolve('tsx'), join(ROOT, 'src/index.ts')], cwd, composeEnvFile(discord, spotify));
    await connected(discord, bot);
    expect(discord.identifies.map((i) => i.shard)).toEqual([[0, 1]]);
    bot.child.kill('SIGTERM');
    expect(await bot.exit, bot.output()).toBe(0);
    expect(bot.output()).not.toMatch(/Can't reach|could not connect|unhandled/i);
    expect(bot.output()).not.toContain(TEST_DISCORD_TOKEN);
  }, 90_000);
});

/** The runtime stage of the Dockerfile: its ENV, WORKDIR, CMD and HEALTHCHECK command. */
function imageOf(dockerfile: string): { env: Record<string, string>; workdir: string; cmd: string[]; healthcheck: string[] } {
  const stages = dockerfile.split(/^FROM /m);
  const lines = stages[stages.length - 1]!.split('\n');
  const env: Record<string, string> = {};
  let workdir = '/';
  let cmd: string[] = [];
  let healthcheck: string[] = [];
  for (const line of lines) {
    const envLine = /^ENV (\w+)=(.*)$/.exec(line);
    if (envLine) env[envLine[1]!] = envLine[2]!;
    const dir = /^WORKDIR (.+)$/.exec(line);
    if (dir) workdir = dir[1]!;
    const command = /^CMD (\[.*\])$/.exec(line);
    if (command) cmd = JSON.parse(command[1]!) as string[];
    const check = /^HEALTHCHECK .*\bCMD (\[.*\])$/.exec(line);
    if (check) healthcheck = JSON.parse(check[1]!) as string[];
  }
  return { env, workdir, cmd, healthcheck };
}

describe('the image under Compose: the HEALTHCHECK', () => {
  const image = imageOf(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  // The image's /app: package.json, node_modules and dist (built from this checkout), and data/ (RUN mkdir -p data).
  const app = mkdtempSync(join(tmpdir(), 'npb-image-'));
  const inImage = (value: string): string => value.split(image.workdir).join(app);

  beforeAll(() => {
    expect(image.workdir).toBe('/app');
    expect(image.cmd[0]).toBe('node');
    expect(image.healthcheck[0]).toBe('node');
    cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
    mkdirSync(join(app, 'data'));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(app, 'dist')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  }, 180_000);

  it('is unhealthy before the bot connects, healthy once it is, unhealthy after it stopped — with HEARTBEAT_FILE= empty', async () => {
    const { discord, spotify } = await emulators();
    const fromEnvFile = composeEnvFile(discord, spotify);
    expect(fromEnvFile.HEARTBEAT_FILE).toBe('');
    // Compose: env_file values replace the image's ENV of the same name.
    const env = { ...Object.fromEntries(Object.entries(image.env).map(([k, v]) => [k, inImage(v)])), ...fromEnvFile };
    const healthcheck = (): { code: number | null; out: string } => {
      const r = spawnSync(process.execPath, image.healthcheck.slice(1).map(inImage), {
        cwd: app,
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
      });
      return { code: r.status, out: r.stdout + r.stderr };
    };

    // Discord answers 503 at first: the bot is up but not connected (it retries in 2 s).
    discord.failRest({ method: 'GET', path: /^\/gateway\/bot$/ }, { status: 503 });
    const bot = run(image.cmd.slice(1).map(inImage), app, env);
    await logged(bot, /Retrying in/);
    expect(healthcheck()).toMatchObject({ code: 1, out: expect.stringMatching(/^unhealthy: no heartbeat/) });

    await connected(discord, bot);
    // The bot beats as soon as it is ready; give it a few seconds to have written the file.
    const deadline = Date.now() + 10_000;
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        const result = healthcheck();
        if (result.code === 0) resolve();
        else if (bot.child.exitCode !== null || Date.now() > deadline) reject(new Error(`${result.out}\n${bot.output()}`));
        else setTimeout(check, 100);
      };
      check();
    });
    expect(healthcheck()).toMatchObject({ code: 0, out: expect.stringMatching(/^healthy/) });
    expect(existsSync(join(app, 'data/.heartbeat'))).toBe(true);

    bot.child.kill('SIGTERM'); // `docker compose stop`
    expect(await bot.exit, bot.output()).toBe(0);
    expect(healthcheck()).toMatchObject({ code: 1, out: expect.stringMatching(/^unhealthy/) });
    expect(existsSync(join(app, 'data/bot.sqlite'))).toBe(true); // STORAGE_URL=sqlite://data/bot.sqlite, in WORKDIR
  }, 90_000);
});
