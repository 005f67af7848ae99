import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, loadConfig, readEnv } from '../src/config.js';
import { TEST_DISCORD_TOKEN, TEST_REFRESH_TOKEN, TEST_SPOTIFY_CLIENT_SECRET, validEnv } from '../emulators/env.js';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(validEnv());
    expect(config.spotify.accountsUrl).toBe(DEFAULTS.SPOTIFY_ACCOUNTS_URL);
    expect(config.spotify.apiUrl).toBe('https://api.spotify.com/v1');
    expect(config.discord.apiUrl).toBe('https://discord.com/api');
    expect(config.presenceCron).toBe('*/15 * * * * *');
    expect(config.recapCron).toBe('0 10 * * 1');
    expect(config.storageUrl).toBe('sqlite://data/bot.sqlite');
    expect(config.logLevel).toBe('info');
    expect(config.discord.guildId).toBeNull();
    expect(config.discord.ownerId).toBeNull();
  });

  it('lists every problem at once, each with how to fix it', () => {
    const problems = problemsOf({ PRESENCE_CRON: 'every minute', LOG_LEVEL: 'loud', STORAGE_URL: 'mysql://x' });
    const text = problems.join('\n');
    for (const name of [
      'DISCORD_TOKEN is missing',
      'DISCORD_CLIENT_ID is missing',
      'SPOTIFY_CLIENT_ID is missing',
      'SPOTIFY_CLIENT_SECRET is missing',
      'SPOTIFY_REFRESH_TOKEN is missing — run `npm run authorize`',
      'PRESENCE_CRON',
      'LOG_LEVEL',
      'STORAGE_URL',
    ]) {
      expect(text).toContain(name);
    }
    expect(problems).toHaveLength(8);
    const error = (() => {
      try {
        loadConfig({});
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.message).toMatch(/5 configuration problems/);
  });

  it('reports malformed values without echoing secrets', () => {
    const badSecret = `${TEST_SPOTIFY_CLIENT_SECRET}zz`;
    const badToken = 'not a token at all but quite secret';
    const problems = problemsOf(
      validEnv({
        SPOTIFY_CLIENT_SECRET: badSecret,
        DISCORD_TOKEN: badToken,
        DISCORD_CLIENT_ID: 'abc',
        DISCORD_GUILD_ID: '12',
        BOT_OWNER_ID: 'me',
        SPOTIFY_API_URL: 'ftp://example',
      }),
    );
    const text = problems.join('\n');
    expect(problems).toHaveLength(6);
    expect(text).not.toContain(badSecret);
    expect(text).not.toContain(badToken);
    expect(text).toContain('SPOTIFY_CLIENT_SECRET doesn\'t look right');
    expect(text).toContain('DISCORD_GUILD_ID must be a Discord ID');
    expect(text).toContain('SPOTIFY_API_URL must be an http(s) URL');
  });

  it('reads SHARDS as a count or auto, and refuses localhost redirect URIs with the fix', () => {
    expect(loadConfig(validEnv({ SHARDS: '4' })).shards).toBe(4);
    expect(loadConfig(validEnv({ SHARDS: 'auto' })).shards).toBe('auto');
    const problems = problemsOf(validEnv({ SHARDS: 'many', SPOTIFY_REDIRECT_URI: 'http://localhost:8888/callback' }));
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/SHARDS must be a number/);
    expect(problems.join('\n')).toMatch(/http:\/\/127\.0\.0\.1:8888\/callback/);
  });

  it('validates the connection and heartbeat settings instead of ignoring bad values', () => {
    const config = loadConfig(validEnv({ DISCORD_CONNECT_TIMEOUT: '2.5', DISCORD_CONNECT_ATTEMPTS: '3', HEARTBEAT_FILE: 'data/.heartbeat' }));
    expect(config.discord).toMatchObject({ connectTimeoutMs: 2_500, connectAttempts: 3 });
    expect(config.heartbeatFile).toBe('data/.heartbeat');
    expect(loadConfig(validEnv()).discord).toMatchObject({ connectTimeoutMs: null, connectAttempts: null });
    let error: unknown;
    try {
      loadConfig(validEnv({ DISCORD_CONNECT_TIMEOUT: 'soon', DISCORD_CONNECT_ATTEMPTS: '0' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^DISCORD_CONNECT_TIMEOUT must be a number of seconds from 0.1 to 600 \(got "soon"\)/),
      expect.stringMatching(/^DISCORD_CONNECT_ATTEMPTS must be a whole number from 1 to 100 \(got "0"\)/),
    ]);
  });

  it('refuses a bad RECAP_CRON with one clear problem, and takes a valid one', () => {
    expect(problemsOf(validEnv({ RECAP_CRON: 'mondays' }))).toEqual([
      'RECAP_CRON "mondays" is not a valid cron expression — use e.g. "0 10 * * 1" (Mondays at 10:00, the default)',
    ]);
    expect(loadConfig(validEnv({ RECAP_CRON: '30 18 * * 0' })).recapCron).toBe('30 18 * * 0');
  });

  it('accepts off for the presence job and trims trailing slashes from URLs', () => {
    const config = loadConfig(validEnv({ PRESENCE_CRON: 'off', SPOTIFY_API_URL: 'http://127.0.0.1:9/v1/' }));
    expect(config.presenceCron).toBeNull();
    expect(config.spotify.apiUrl).toBe('http://127.0.0.1:9/v1');
  });

  it('reads .env, and real environment variables win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npb-config-'));
    const file = join(dir, '.env');
    writeFileSync(file, `# comment\nDISCORD_TOKEN=${TEST_DISCORD_TOKEN}\nLOG_LEVEL=debug\nSPOTIFY_REFRESH_TOKEN=${TEST_REFRESH_TOKEN}\n`);
    const env = readEnv({ LOG_LEVEL: 'warn' }, file);
    expect(env.DISCORD_TOKEN).toBe(TEST_DISCORD_TOKEN);
    expect(env.LOG_LEVEL).toBe('warn');
    expect(readEnv({}, join(dir, 'missing.env'))).toEqual({});
  });
});

describe('.env.example', () => {
  it('lists every setting the bot reads, and only those', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('dotenv');
    const example = Object.keys(parse(readFileSync(new URL('../.env.example', import.meta.url))));
    const source = readFileSync(new URL('../src/config.ts', import.meta.url), 'utf8');
    const read = new Set([...source.matchAll(/(?:value|required|optionalSnowflake|url)\(\s*'([A-Z_]+)'/g)].map((m) => m[1]));
    expect(new Set(example)).toEqual(read);
  });

  it('with the secrets filled in, its defaults make a valid configuration', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('dotenv');
    const example = parse(readFileSync(new URL('../.env.example', import.meta.url)));
    const filled = { ...example, ...validEnv() };
    const config = loadConfig(filled);
    expect(config.presenceCron).toBe('*/15 * * * * *');
    expect(config.shards).toBeNull();
    expect(config.spotify.redirectUri).toBe('http://127.0.0.1:8888/callback');
  });
});

describe('npm start', () => {
  it('runs node with the lean V8 flags and the malloc setting the benchmark measures', async () => {
    const { readFileSync } = await import('node:fs');
    const { LEAN_NODE_FLAGS, MALLOC_ENV } = await import('../src/node-flags.js');
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    const env = Object.entries(MALLOC_ENV).map(([k, v]) => `${k}=${v}`).join(' ');
    expect(pkg.scripts.start).toBe(`exec env ${env} node ${LEAN_NODE_FLAGS.join(' ')} dist/src/index.js`);
  });
});

describe('an unreadable .env is one start-up message', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const folder = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'npb-envfile-'));
    dirs.push(dir);
    return dir;
  };
  const ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));
  const TSX = import.meta.resolve('tsx');

  /** The real entry point (`npm start` runs the same module, built), in `cwd`, optionally behind a command prefix. */
  function start(cwd: string, prefix: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const command = [...prefix, process.execPath, '--import', TSX, ENTRY];
    // A clean environment: only .env could supply settings.
    const child = spawn(command[0]!, command.slice(1), {
      cwd,
      env: { PATH: process.env.PATH ?? '', TMPDIR: tmpdir(), HOME: cwd },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }

  function expectOneMessage(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^The bot can't start: 1 configuration problem\.\n {2}- /);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace
    expect(result.stderr).not.toMatch(/node:internal|Error:/);
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
  }

  it('readEnv turns a .env that is a folder into a ConfigError with the fix', () => {
    const dir = folder();
    mkdirSync(join(dir, '.env'));
    let error: unknown = null;
    try {
      readEnv({}, join(dir, '.env'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(1);
    expect((error as ConfigError).problems[0]).toMatch(/is a folder, not a file \(EISDIR\) — move the folder away/);
  });

  it('the entry point: a .env folder (EISDIR) exits 1 with one message, no stack', async () => {
    const dir = folder();
    mkdirSync(join(dir, '.env'));
    expectOneMessage(await start(dir), /\.env is a folder, not a file \(EISDIR\)/);
  }, 30_000);

  // EACCES needs a process that file modes apply to. Root ignores them — unless it runs without the capabilities
  // that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): setpriv drops them from the bounding set for the child.
  const root = process.getuid?.() === 0;
  const haveSetpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;
  const dropDac = ['setpriv', '--inh-caps=-all', '--bounding-set=-dac_override,-dac_read_search', '--'];
  const canTestEacces = !root || (haveSetpriv && spawnSync(dropDac[0]!, [...dropDac.slice(1), 'true']).status === 0);
  if (!canTestEacces) console.warn('skipped: the EACCES .env test runs as root and needs setpriv with CAP_SETPCAP to drop DAC capabilities');

  it.runIf(canTestEacces)('the entry point: a .env it may not read (EACCES) exits 1 with one message naming the fix', async () => {
    const dir = folder();
    writeFileSync(join(dir, '.env'), 'DISCORD_TOKEN=x\n', { mode: 0o000 });
    chmodSync(join(dir, '.env'), 0o000);
    const result = await start(dir, root ? dropDac : []);
    expectOneMessage(result, /\.env can't be read: permission denied \(EACCES\); the bot runs as \S+ — make the file readable by that user only, e.g. `chown \S+ \.env && chmod 600 \.env`/);
  }, 30_000);
});
