// An empty variable is an unset one, for every setting the bot reads (Compose's env_file, systemd's Environment=
// and `export X=` all turn .env.example's `KEY=` lines into empty variables), and discord.js never reads a setting
// from process.env behind config's back.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { validEnv } from '../emulators/env.js';
import { ConfigError, loadConfig, loadShardAssignment, readArgs, readEnv, type Env } from '../src/config.js';
import { createDiscordClient } from '../src/discord/client.js';

const ROOT = join(import.meta.dirname, '..');
const EXAMPLE = parseDotenv(readFileSync(join(ROOT, '.env.example')));

/** What loadConfig makes of `env`: the config, or its problems. */
function outcome(env: Env): unknown {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** Every variable loadConfig reads, found by watching it read a complete environment. */
function settingsRead(): string[] {
  const read = new Set<string>();
  const env = new Proxy(validEnv(), {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name) as unknown;
    },
  });
  loadConfig(env);
  return [...read].sort();
}

describe('an empty variable is not set', () => {
  const settings = settingsRead();

  it('config reads every key of .env.example (so each one is covered below)', () => {
    expect(Object.keys(EXAMPLE).length).toBeGreaterThan(20);
    expect(settings).toEqual(expect.arrayContaining(Object.keys(EXAMPLE)));
  });

  it.each(settings)('%s: empty or blank in the environment is the same as absent', (name) => {
    const without = { ...validEnv() };
    delete without[name];
    for (const empty of ['', '  ']) expect(outcome({ ...without, [name]: empty })).toEqual(outcome(without));
  });

  it.each(settings)('%s: an empty variable does not hide the value in .env, and an empty .env line is absent', (name) => {
    const dir = mkdtempSync(join(tmpdir(), 'npb-empty-'));
    const file = join(dir, '.env');
    writeFileSync(file, `${name}=from-file\n`);
    expect(readEnv({ [name]: '' }, file)[name]).toBe('from-file');
    expect(readEnv({ [name]: 'from-env' }, file)[name]).toBe('from-env');
    writeFileSync(file, `${name}=\n`);
    expect(readEnv({}, file)).not.toHaveProperty(name);
    expect(readEnv({ [name]: ' ' }, file)).not.toHaveProperty(name);
  });
});

describe('discord.js reads no setting from process.env', () => {
  const LIBRARY_ENV = ['SHARDS', 'SHARD_COUNT', 'DISCORD_TOKEN', 'SHARDING_MANAGER', 'SHARDING_MANAGER_MODE'];

  /** Runs `body` with these variables set in process.env, restoring what was there before. */
  function withProcessEnv(values: Record<string, string>, body: () => void): void {
    const before = new Map(Object.keys(values).map((name) => [name, process.env[name]]));
    Object.assign(process.env, values);
    try {
      body();
    } finally {
      for (const [name, value] of before) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }

  it.each([
    ['empty', ''],
    ['set to something else', '7'],
  ])('one process: the client is shard 0 of 1 whatever SHARDS/SHARD_COUNT are (%s), and they are left as they were', (_what, value) => {
    const values = Object.fromEntries(LIBRARY_ENV.map((name) => [name, value]));
    withProcessEnv(values, () => {
      const client = createDiscordClient('http://127.0.0.1:1/api');
      expect(client.options.shards).toEqual([0]);
      expect(client.options.shardCount).toBe(1);
      expect(client.token).toBeNull();
      expect(client.shard).toBeNull();
      for (const name of LIBRARY_ENV) expect(process.env[name]).toBe(value);
      void client.destroy();
    });
  });

  it("a shard process: its shards come from config's reading of the manager's SHARDS and SHARD_COUNT", () => {
    const shard = loadShardAssignment({ SHARDS: '1', SHARD_COUNT: '2' });
    expect(shard).toEqual({ ids: [1], count: 2 });
    expect(loadShardAssignment({ SHARDS: '[0,2]', SHARD_COUNT: '3' })).toEqual({ ids: [0, 2], count: 3 });
    for (const env of [{}, { SHARDS: '', SHARD_COUNT: '' }, { SHARDS: '2', SHARD_COUNT: '2' }, { SHARDS: 'x', SHARD_COUNT: '2' }, { SHARDS: '0' }]) {
      expect(() => loadShardAssignment(env)).toThrow(/a shard process needs SHARDS/);
    }
    withProcessEnv({ SHARDS: '', SHARD_COUNT: '' }, () => {
      const client = createDiscordClient('http://127.0.0.1:1/api', { shard });
      expect(client.options.shards).toEqual([1]);
      expect(client.options.shardCount).toBe(2);
      void client.destroy();
    });
  });
});

describe('command-line settings', () => {
  it('--heartbeat-file sets HEARTBEAT_FILE (both spellings); anything else is a clear error', () => {
    expect(readArgs([])).toEqual({});
    expect(readArgs(['--heartbeat-file=/app/data/.heartbeat'])).toEqual({ HEARTBEAT_FILE: '/app/data/.heartbeat' });
    expect(readArgs(['--heartbeat-file', 'data/.hb'])).toEqual({ HEARTBEAT_FILE: 'data/.hb' });
    expect(() => readArgs(['--heartbeat-file='])).toThrow(/--heartbeat-file needs a value/);
    expect(() => readArgs(['--shards=2'])).toThrow(/unknown argument "--shards=2" — the bot takes only --heartbeat-file/);
    // The flag wins over the environment, as the image's CMD means it to.
    const config = loadConfig({ ...validEnv({ HEARTBEAT_FILE: 'elsewhere' }), ...readArgs(['--heartbeat-file=/app/data/.heartbeat']) });
    expect(config.heartbeatFile).toBe('/app/data/.heartbeat');
  });
});
