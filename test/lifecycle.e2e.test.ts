// Start-up failures of the real entry point (`node --import tsx src/index.ts`, one process and SHARDS=2/auto)
// against the Discord emulator, a closed port, an unresolvable host and a server that never answers: the process
// exits 1 within a bounded time with ONE message naming the cause, retries network failures with a logged backoff,
// never prints an unhandled rejection, and never echoes the token.
// DISCORD_CONNECT_TIMEOUT / DISCORD_CONNECT_ATTEMPTS (documented knobs) keep the transient cases short.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { DiscordEmulator, type DiscordEmulatorOptions } from '../emulators/discord.js';
import { emulatorEnv, TEST_DISCORD_TOKEN, validEnv } from '../emulators/env.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import { startShardedBot } from '../src/sharding/manager.js';
import { buildApp, captureShardOutput, startSpotifyEmulator } from './support/spotify-app.js';

const ROOT = join(import.meta.dirname, '..');
const WRONG_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAwMQ.GaBcDe.zyxwvutsrqponmlkjihgfedcba9876543210ZY';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emulator(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
  const discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN, ...options });
  cleanups.push(() => discord.close());
  return discord;
}

async function spotifyEmulator(): Promise<SpotifyEmulator> {
  const spotify = await startSpotifyEmulator();
  cleanups.push(() => spotify.close());
  return spotify;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and never says a word. */
async function silentServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; ms: number }>;
}

function startBot(env: Record<string, string>): Run {
  const started = Date.now();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      TMPDIR: process.env.TMPDIR ?? tmpdir(),
      ...(validEnv({ STORAGE_URL: 'memory://', PRESENCE_CRON: 'off', ...env }) as Record<string, string>),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, ms: Date.now() - started })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => output, exit };
}

/** Runs the bot to its exit and checks the common promises: exit 1, one message, no unhandled rejection, no token. */
async function failsWith(env: Record<string, string>, cause: RegExp, withinMs: number): Promise<string> {
  const run = startBot(env);
  const { code, ms } = await run.exit;
  const output = run.output();
  expect(code, output).toBe(1);
  expect(ms, output).toBeLessThan(withinMs);
  expect(output.match(/The bot could not connect to Discord/g)?.length, output).toBe(1);
  expect(output).toMatch(cause);
  expect(output).toMatch(/connecting to Discord…/);
  expect(output).not.toMatch(/unhandled|ShardingReadyDied|Check DISCORD_TOKEN/i);
  for (const token of [TEST_DISCORD_TOKEN, WRONG_TOKEN]) expect(output).not.toContain(token);
  return output;
}

const refusedToken = /Discord refused the token/;
const refusedIntents = /Discord refused the gateway intents/;

describe.each([
  ['one process', {}],
  ['SHARDS=2', { SHARDS: '2' }],
] as const)('fatal causes end the process (%s)', (_mode, shards) => {
  const shardCount = 'SHARDS' in shards ? 2 : 1;
  it('a token Discord refuses (401 on /gateway/bot)', async () => {
    const discord = await emulator({ shardCount, maxConcurrency: 2 });
    const output = await failsWith({ ...emulatorEnv(discord), DISCORD_TOKEN: WRONG_TOKEN, ...shards }, refusedToken, 45_000);
    expect(output).toMatch(/401/);
    expect(output).not.toMatch(/Retrying/);
  }, 60_000);

  it('a gateway that closes with 4004', async () => {
    const discord = await emulator({ shardCount, maxConcurrency: 2 });
    discord.on('identify', (record: { shard: [number, number] }) => discord.dropConnection(record.shard[0], 4004));
    const output = await failsWith({ ...emulatorEnv(discord), ...shards }, refusedToken, 45_000);
    expect(output).toMatch(/4004/);
    // The shard is not respawned: one IDENTIFY was enough to know.
    expect(discord.identifies).toHaveLength(1);
  }, 60_000);

  it('disallowed intents (close 4014)', async () => {
    const discord = await emulator({ shardCount, maxConcurrency: 2, disallowedIntents: 1 });
    const output = await failsWith({ ...emulatorEnv(discord), ...shards }, refusedIntents, 45_000);
    expect(output).toMatch(/4014/);
    expect(discord.closes.filter((c) => c.code === 4014)).toHaveLength(1);
  }, 60_000);
});

describe.each([
  ['one process', {}],
  ['SHARDS=2', { SHARDS: '2' }],
  ['SHARDS=auto', { SHARDS: 'auto' }],
] as const)('network failures are retried with a backoff, then end the process (%s)', (_mode, shards) => {
  it('connection refused', async () => {
    const port = await closedPort();
    const output = await failsWith(
      { DISCORD_API_URL: `http://127.0.0.1:${port}/api`, DISCORD_CONNECT_ATTEMPTS: '2', ...shards },
      /Can't reach 127\.0\.0\.1 \(DNS\/network\): connection failed \(ECONNREFUSED\); gave up after 2 attempts/,
      25_000,
    );
    expect(output.match(/Retrying in 2 s/g)).toHaveLength(1);
  }, 30_000);
});

describe('the other ways Discord can be out of reach', () => {
  it('DNS failure names DNS', async () => {
    const output = await failsWith(
      { DISCORD_API_URL: 'http://discord.invalid/api', DISCORD_CONNECT_ATTEMPTS: '1' },
      /Can't reach discord\.invalid \(DNS\/network\): DNS lookup failed/,
      25_000,
    );
    expect(output).not.toMatch(/Retrying/);
  }, 30_000);

  it.each([
    ['one process', {}],
    ['SHARDS=2', { SHARDS: '2' }],
  ] as const)('a server that never answers: "didn\'t answer within N s" (%s)', async (_mode, shards) => {
    const port = await silentServer();
    await failsWith(
      { DISCORD_API_URL: `http://127.0.0.1:${port}/api`, DISCORD_CONNECT_TIMEOUT: '1', DISCORD_CONNECT_ATTEMPTS: '2', ...shards },
      /Discord didn't answer within 1 s; gave up after 2 attempts/,
      25_000,
    );
  }, 30_000);
});

describe('SHARDS=auto', () => {
  it('asks /gateway/bot through DISCORD_API_URL for the shard count and runs that many shards', async () => {
    const discord = await emulator({ shardCount: 2, maxConcurrency: 2 });
    const spotify = await spotifyEmulator();
    const run = startBot({ ...emulatorEnv(discord, spotify), SHARDS: 'auto' });
    const bothReady = (): boolean => discord.connectedShards().length === 2;
    while (!bothReady()) await discord.waitFor('ready', undefined, 60_000);
    expect(discord.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(discord.restLog.some((r) => r.path === '/gateway/bot')).toBe(true);
    run.child.kill('SIGTERM');
    const { code } = await run.exit;
    expect(code, run.output()).toBe(0);
    expect(run.output()).toMatch(/Discord recommends shards shards=2/);
  }, 90_000);
});

describe('the shard supervisor', () => {
  it('a shard that never gets ready is retried with a backoff, then given up on (never_ready), without respawn storms', async () => {
    const discord = await emulator({ shardCount: 1 });
    const spotify = await spotifyEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'npb-shard-'));
    const shardFile = join(dir, 'crashing-shard.mjs');
    writeFileSync(shardFile, `process.stdout.write('spawned\\n'); process.exit(3);\n`);
    const { app, logs, storage } = await buildApp(spotify, { env: { ...emulatorEnv(discord), PRESENCE_CRON: 'off' } });
    cleanups.push(() => storage.close());
    const started = Date.now();
    const shardOutput = captureShardOutput();
    const sharded = await startShardedBot(app, {
      totalShards: 1,
      commands,
      shardFile,
      shardOutput: shardOutput.sink,
      execArgv: [],
      connect: { timeoutMs: 2_000, attempts: 3, backoffMs: 100, maxBackoffMs: 1_000 },
    });
    cleanups.push(() => sharded.stop());
    await expect(sharded.ready).rejects.toMatchObject({ kind: 'never_ready' });
    const failure = await sharded.failed;
    expect(failure.message).toMatch(/never became ready \(shard 0: 3 failed starts in a row; last: shard 0 exited before it was ready\)/);
    // 3 spawns, 2 waits of 100 and 200 ms in between: no loop.
    expect(logs.lines.filter((l) => l.includes('did not get ready'))).toHaveLength(2);
    expect(logs.lines.filter((l) => l.includes('shard spawned'))).toHaveLength(3);
    // What the shard printed each time is the test's to read, not the test run's output.
    expect(await shardOutput.waitFor(/^\[shard 0\] spawned$/, 3)).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});

describe.each([
  ['one process', {}],
  ['SHARDS=2', { SHARDS: '2' }],
] as const)('the container heartbeat (%s)', (_mode, shards) => {
  it('HEARTBEAT_FILE is written once connected, the health check passes, and a stale file fails it', async () => {
    const shardCount = 'SHARDS' in shards ? 2 : 1;
    const discord = await emulator({ shardCount, maxConcurrency: 2 });
    const file = join(mkdtempSync(join(tmpdir(), 'npb-heartbeat-')), '.heartbeat');
    const run = startBot({ ...emulatorEnv(discord), HEARTBEAT_FILE: file, ...shards });
    const healthcheck = (): { code: number | null; out: string } => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/healthcheck.ts'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HEARTBEAT_FILE: file },
        encoding: 'utf8',
      });
      return { code: r.status, out: r.stdout + r.stderr };
    };
    // Not connected yet: no heartbeat, unhealthy.
    expect(healthcheck().code).toBe(1);
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (existsSync(file)) resolve();
        else if (run.child.exitCode !== null) reject(new Error(run.output()));
        else setTimeout(check, 50);
      };
      check();
    });
    expect(healthcheck()).toMatchObject({ code: 0, out: expect.stringMatching(/^healthy/) });
    const old = new Date(Date.now() - 600_000);
    utimesSync(file, old, old);
    expect(healthcheck()).toMatchObject({ code: 1, out: expect.stringMatching(/unhealthy: last heartbeat/) });
    run.child.kill('SIGTERM');
    expect((await run.exit).code, run.output()).toBe(0);
  }, 60_000);
});

describe('a fatal close after ready (the token was reset while the bot ran)', () => {
  it('ends the process with one message and exit 1 instead of staying up with no gateway', async () => {
    const discord = await emulator();
    const run = startBot({ ...emulatorEnv(discord) });
    await discord.waitFor('ready', undefined, 30_000);
    discord.dropConnection(0, 4004);
    const { code } = await run.exit;
    const output = run.output();
    expect(code, output).toBe(1);
    expect(output.match(/The bot could not connect to Discord/g)?.length, output).toBe(1);
    expect(output).toMatch(/Discord refused the token/);
    expect(output).toMatch(/4004/);
    expect(output).not.toMatch(/unhandled/i);
    expect(output).not.toContain(TEST_DISCORD_TOKEN);
  }, 60_000);
});

describe('a PRESENCE_CRON faster than every 5 s', () => {
  it('is warned about at start, before connecting: even a bot that never connects says it', async () => {
    const port = await closedPort();
    const run = startBot({ DISCORD_API_URL: `http://127.0.0.1:${port}/api`, DISCORD_CONNECT_ATTEMPTS: '1', PRESENCE_CRON: '*/2 * * * * *' });
    expect((await run.exit).code, run.output()).toBe(1);
    const output = run.output();
    const warning = output.indexOf('PRESENCE_CRON polls Spotify more often than every 5 s');
    expect(warning, output).toBeGreaterThanOrEqual(0);
    expect(warning, output).toBeLessThan(output.indexOf('connecting to Discord…'));
    expect(output.match(/more often than every 5 s/g)).toHaveLength(1);
    expect(output).toMatch(/everyS=2/);
  }, 30_000);
});
