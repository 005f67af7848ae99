// `npm run authorize` end to end (the real script as a child process against the loopback Spotify emulator, the
// test acting as the browser), plus unit tests for the authorization helpers and the .env writer.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEnvUpdates, formatEnvValue, upsertEnvFile } from '../src/env-file.js';
import {
  AuthorizationCodeError,
  BOT_SCOPES,
  buildAuthorizeUrl,
  checkCallback,
  checkRedirectUri,
  createState,
  exchangeCode,
  maskSecret,
  missingScopes,
  parseRedirect,
  refreshTokenExpiry,
} from '../src/spotify/authorization.js';
import { SpotifyAuthError, SpotifyUnavailableError } from '../src/spotify/errors.js';
import { SpotifyEmulator } from '../emulators/spotify.js';
import { TEST_SPOTIFY_CLIENT_ID, TEST_SPOTIFY_CLIENT_SECRET } from '../emulators/env.js';

const ROOT = new URL('..', import.meta.url).pathname;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'npb-authorize-'));
const mode = (path: string): number => statSync(path).mode & 0o777;

let emulator: SpotifyEmulator;
beforeEach(async () => {
  emulator = await SpotifyEmulator.start({ clientId: TEST_SPOTIFY_CLIENT_ID, clientSecret: TEST_SPOTIFY_CLIENT_SECRET });
});
afterEach(async () => {
  await emulator.close();
});

// ------------------------------------------------------------------ the script as a child process

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

class ScriptRun {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: Record<string, string>) {
    // `--` before the script's own flags: Node 20 otherwise takes `--env-file PATH` for itself (nodejs/node#54232).
    this.child = spawn(process.execPath, ['--import', 'tsx', 'scripts/authorize.ts', '--', ...args], {
      cwd: ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (s: string) => (this.stdout += s));
    this.child.stderr?.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  /** Resolves with the first match of `pattern` in stdout, checked on every output event; rejects if the script exits first. */
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const m = pattern.exec(this.stdout);
        if (!m) return false;
        this.child.stdout?.off('data', check);
        resolve(m);
        return true;
      };
      if (check()) return;
      this.child.stdout?.on('data', check);
      void this.exited.then(({ code, stdout, stderr }) => {
        if (!check()) reject(new Error(`script exited (${code}) before printing ${pattern}\n${stdout}\n${stderr}`));
      });
    });
  }

  /** The authorize URL the script printed. */
  async authorizeUrl(): Promise<URL> {
    const m = await this.waitForStdout(/^\s*(https?:\/\/\S+\/authorize\?\S+)\s*$/m);
    return new URL(m[1] ?? '');
  }

  write(text: string): void {
    this.child.stdin?.write(text);
  }

  endInput(): void {
    this.child.stdin?.end();
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}

const runs: ScriptRun[] = [];
afterEach(() => {
  for (const r of runs.splice(0)) r.kill();
});

function childEnv(extra: Record<string, string> = {}, withCredentials = true): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(SPOTIFY_|DISCORD_)/.test(k) && k !== 'BROWSER' && k !== 'DISPLAY' && k !== 'WAYLAND_DISPLAY') env[k] = v;
  }
  env.SPOTIFY_ACCOUNTS_URL = emulator.accountsUrl;
  if (withCredentials) {
    env.SPOTIFY_CLIENT_ID = TEST_SPOTIFY_CLIENT_ID;
    env.SPOTIFY_CLIENT_SECRET = TEST_SPOTIFY_CLIENT_SECRET;
  }
  return { ...env, ...extra };
}

function run(args: string[], env: Record<string, string> = childEnv()): ScriptRun {
  const r = new ScriptRun(args, env);
  runs.push(r);
  return r;
}

function expectNoSecrets(exit: Exit, secrets: string[]): void {
  for (const secret of secrets) {
    expect(exit.stdout).not.toContain(secret);
    expect(exit.stderr).not.toContain(secret);
  }
}

const EXISTING_ENV = [
  '# Discord',
  'DISCORD_TOKEN=abc.def.ghi',
  '',
  '# Spotify — written by npm run authorize',
  'export SPOTIFY_REFRESH_TOKEN=AQD-old-token-000000000000000000000',
  '   ',
  '# SPOTIFY_REFRESH_TOKEN=commented-out-stays',
  'STORAGE_URL=sqlite://data/bot.sqlite',
  'LOG_LEVEL=debug # inline comment',
  '',
].join('\n');

describe('npm run authorize (listener)', () => {
  it('ignores a wrong state, then exchanges the approved code and rewrites only its lines in .env', async () => {
    const dir = tmp();
    const envFile = join(dir, '.env');
    writeFileSync(envFile, EXISTING_ENV, { mode: 0o644 });
    chmodSync(envFile, 0o644);

    const script = run(['--no-browser', '--port', '0', '--env-file', envFile]);
    const url = await script.authorizeUrl();
    const q = url.searchParams;
    expect(`${url.origin}${url.pathname}`).toBe(`${emulator.accountsUrl}/authorize`);
    expect(q.get('client_id')).toBe(TEST_SPOTIFY_CLIENT_ID);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('scope')).toBe(BOT_SCOPES.join(' '));
    expect(q.get('show_dialog')).toBe('true');
    expect(q.get('state')).toMatch(/^[\w-]{32}$/);
    const redirectUri = q.get('redirect_uri') ?? '';
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(redirectUri).not.toMatch(/:0\//);
    // The URI to register is printed on its own line, identical to the one in the authorize URL.
    expect(script.stdout.split('\n').map((l) => l.trim())).toContain(redirectUri);

    // A forged or stale callback: 400, nothing written, still waiting.
    const wrong = await fetch(`${redirectUri}?code=AQforged&state=not-this-run`);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/state/i);
    const missing = await fetch(`${redirectUri}?code=AQforged`);
    expect(missing.status).toBe(400);
    const forgedDenial = await fetch(`${redirectUri}?error=access_denied&state=nope`);
    expect(forgedDenial.status).toBe(400);
    expect((await fetch(`${new URL(redirectUri).origin}/favicon.ico`)).status).toBe(404);
    expect(readFileSync(envFile, 'utf8')).toBe(EXISTING_ENV);
    expect(emulator.count('authorization_code')).toBe(0);
    expect(script.running).toBe(true);

    // The real redirect.
    const before = Date.now();
    const redirected = emulator.approve(url.toString());
    const code = new URL(redirected).searchParams.get('code') ?? '';
    const page = await fetch(redirected);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/linked/i);
    const exit = await script.exited;
    const after = Date.now();
    expect(exit.code).toBe(0);

    const token = emulator.issuedRefreshTokens[0] ?? '';
    expect(token).toMatch(/^AQ/);
    const written = readFileSync(envFile, 'utf8');
    const grantedAt = parseDotenv(written).SPOTIFY_REFRESH_TOKEN_GRANTED_AT ?? '';
    expect(Date.parse(grantedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(grantedAt)).toBeLessThanOrEqual(after);
    expect(grantedAt).toBe(new Date(Date.parse(grantedAt)).toISOString());
    expect(written).toBe(
      EXISTING_ENV.replace('export SPOTIFY_REFRESH_TOKEN=AQD-old-token-000000000000000000000', `export SPOTIFY_REFRESH_TOKEN=${token}`) +
        `SPOTIFY_REFRESH_TOKEN_GRANTED_AT=${grantedAt}\n`,
    );
    expect(mode(envFile)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['.env']); // no temp file left behind
    expect(emulator.count('authorization_code')).toBe(1);

    expect(exit.stdout).toContain(BOT_SCOPES.join(' '));
    expect(exit.stdout).toMatch(/6 months/);
    expect(exit.stdout).toContain(refreshTokenExpiry(new Date(grantedAt)).toISOString().slice(0, 10));
    expect(exit.stdout).toContain(maskSecret(token));
    expectNoSecrets(exit, [TEST_SPOTIFY_CLIENT_SECRET, token, code, 'AQD-old-token-000000000000000000000']);
  });

  it('access_denied: error page, clear message, exit 1, nothing written', async () => {
    const envFile = join(tmp(), '.env');
    const script = run(['--no-browser', '--port', '0', '--env-file', envFile]);
    const url = await script.authorizeUrl();
    const page = await fetch(emulator.approve(url.toString(), { deny: true }));
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('access_denied');
    const exit = await script.exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/declined.*access_denied/);
    expect(existsSync(envFile)).toBe(false);
    expectNoSecrets(exit, [TEST_SPOTIFY_CLIENT_SECRET]);
  });

  it('a wrong client secret fails the exchange with a clear message and writes nothing', async () => {
    const envFile = join(tmp(), '.env');
    const wrongSecret = '0000000000000000ffffffffffffffff';
    const script = run(['--no-browser', '--port', '0', '--env-file', envFile], childEnv({ SPOTIFY_CLIENT_SECRET: wrongSecret }));
    const url = await script.authorizeUrl();
    const redirected = emulator.approve(url.toString());
    const page = await fetch(redirected);
    expect(page.status).toBe(502);
    const exit = await script.exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/invalid_client.*SPOTIFY_CLIENT_SECRET/);
    expect(existsSync(envFile)).toBe(false);
    expectNoSecrets(exit, [wrongSecret, new URL(redirected).searchParams.get('code') ?? '']);
  });

  it('times out with a clear message and exit 1', async () => {
    const envFile = join(tmp(), '.env');
    const exit = await run(['--no-browser', '--port', '0', '--env-file', envFile, '--timeout', '1']).exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/Timed out after 1 second.*nothing was saved/);
    expect(existsSync(envFile)).toBe(false);
  });

  it('port in use: clear message suggesting --port, exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const exit = await run(['--no-browser', '--port', String(port), '--env-file', join(tmp(), '.env')]).exited;
      expect(exit.code).toBe(1);
      expect(exit.stderr).toMatch(new RegExp(`Port ${port} is already in use.*--port`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a localhost redirect URI is refused with the 127.0.0.1 fix, before anything else happens', async () => {
    const envFile = join(tmp(), '.env');
    const exit = await run(['--no-browser', '--env-file', envFile], childEnv({ SPOTIFY_REDIRECT_URI: 'http://localhost:8888/callback' })).exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('localhost');
    expect(exit.stderr).toContain('http://127.0.0.1:8888/callback');
    expect(exit.stderr).toMatch(/register that exact URI/);
    expect(exit.stdout).not.toMatch(/authorize\?/);
    expect(existsSync(envFile)).toBe(false);
  });

  it('SPOTIFY_REDIRECT_URI from .env overrides the default, and the listener serves its path', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    await new Promise((resolve) => blocker.close(resolve));
    const envFile = join(tmp(), '.env');
    const redirectUri = `http://127.0.0.1:${port}/spotify/done`;
    writeFileSync(envFile, `SPOTIFY_REDIRECT_URI=${redirectUri}\n`);
    const script = run(['--no-browser', '--env-file', envFile]);
    const url = await script.authorizeUrl();
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect((await fetch(`http://127.0.0.1:${port}/callback`)).status).toBe(404);
    expect((await fetch(emulator.approve(url.toString()))).status).toBe(200);
    expect((await script.exited).code).toBe(0);
    expect(parseDotenv(readFileSync(envFile)).SPOTIFY_REFRESH_TOKEN).toBe(emulator.issuedRefreshTokens[0]);
    expect(readFileSync(envFile, 'utf8')).toMatch(new RegExp(`^SPOTIFY_REDIRECT_URI=${redirectUri}\\n`));
  });

  it('opens the browser from $BROWSER (and a browser that fails to start changes nothing)', async () => {
    const dir = tmp();
    const fakeBrowser = join(dir, 'fake-browser.sh');
    writeFileSync(fakeBrowser, `#!/bin/sh\nprintf '%s' "$1" > '${join(dir, 'opened.txt')}'\n`, { mode: 0o755 });
    const envFile = join(dir, '.env');
    const script = run(['--port', '0', '--env-file', envFile], childEnv({ BROWSER: fakeBrowser }));
    const url = await script.authorizeUrl();
    await script.waitForStdout(/Waiting for Spotify/);
    await expect.poll(() => (existsSync(join(dir, 'opened.txt')) ? readFileSync(join(dir, 'opened.txt'), 'utf8') : '')).toBe(url.toString());
    expect((await fetch(emulator.approve(url.toString()))).status).toBe(200);
    expect((await script.exited).code).toBe(0);

    const broken = run(['--port', '0', '--env-file', envFile], childEnv({ BROWSER: join(dir, 'no-such-browser') }));
    const url2 = await broken.authorizeUrl();
    await broken.waitForStdout(/Waiting for Spotify/);
    expect((await fetch(emulator.approve(url2.toString()))).status).toBe(200);
    expect((await broken.exited).code).toBe(0);
  });

  // The terminal prompts need a real TTY; util-linux `script` provides one where it exists.
  it.skipIf(process.platform !== 'linux' || !existsSync('/usr/bin/script'))(
    'asks for missing credentials on a terminal without echoing the secret, and saves them with the token',
    async () => {
      const dir = tmp();
      const envFile = join(dir, '.env');
      writeFileSync(envFile, '# mine\nLOG_LEVEL=info\n');
      const command = `'${process.execPath}' --import tsx scripts/authorize.ts -- --no-browser --port 0 --env-file '${envFile}'`;
      const child = spawn('/usr/bin/script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env: childEnv({}, false), stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      const seen = (text: string): Promise<void> =>
        new Promise((resolve) => {
          const check = (): void => {
            if (!output.includes(text)) return;
            child.stdout.off('data', check);
            resolve();
          };
          child.stdout.on('data', check);
          check();
        });
      child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      try {
        await seen('SPOTIFY_CLIENT_ID: ');
        child.stdin.write(`${TEST_SPOTIFY_CLIENT_ID}\r`);
        await seen('(input hidden): ');
        child.stdin.write(`${TEST_SPOTIFY_CLIENT_SECRET}\r`);
        await seen('Waiting for Spotify');
        const url = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(output)?.[1] ?? '';
        expect((await fetch(emulator.approve(url))).status).toBe(200);
        expect(await exited).toBe(0);
      } finally {
        child.kill();
      }
      expect(output).not.toContain(TEST_SPOTIFY_CLIENT_SECRET);
      expect(output).toContain(TEST_SPOTIFY_CLIENT_ID); // typed visibly
      const token = emulator.issuedRefreshTokens[0] ?? '';
      expect(output).not.toContain(token);
      const written = readFileSync(envFile, 'utf8');
      expect(written.startsWith(`# mine\nLOG_LEVEL=info\nSPOTIFY_CLIENT_ID=${TEST_SPOTIFY_CLIENT_ID}\nSPOTIFY_CLIENT_SECRET=${TEST_SPOTIFY_CLIENT_SECRET}\nSPOTIFY_REFRESH_TOKEN=${token}\n`)).toBe(true);
      expect(mode(envFile)).toBe(0o600);
    },
  );

  it('missing credentials without a terminal: clear error, exit 1', async () => {
    const envFile = join(tmp(), '.env');
    const exit = await run(['--no-browser', '--env-file', envFile], childEnv({}, false)).exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET are missing/);
    expect(existsSync(envFile)).toBe(false);
  });

  it('rejects bad flags with the usage text', async () => {
    const exit = await run(['--bogus']).exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/Usage: npm run authorize/);
  });
});

describe('npm run authorize --manual', () => {
  it('reads the pasted redirected URL (credentials from .env), ignores one from another run, writes .env', async () => {
    const dir = tmp();
    const envFile = join(dir, '.env');
    const original = `SPOTIFY_CLIENT_ID=${TEST_SPOTIFY_CLIENT_ID}\r\nSPOTIFY_CLIENT_SECRET=${TEST_SPOTIFY_CLIENT_SECRET}\r\n# end`;
    writeFileSync(envFile, original);
    const script = run(['--manual', '--no-browser', '--env-file', envFile], childEnv({}, false));
    const url = await script.authorizeUrl();
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:8888/callback');
    await script.waitForStdout(/paste/i);

    const stale = new URL(emulator.approve(url.toString()));
    stale.searchParams.set('state', 'from-another-run');
    script.write(`${stale.toString()}\n`);
    const redirected = emulator.approve(url.toString());
    script.write(`  ${redirected}  \n`);
    const exit = await script.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toMatch(/different authorization attempt/);

    const token = emulator.issuedRefreshTokens[0] ?? '';
    const written = readFileSync(envFile, 'utf8');
    expect(written.startsWith(`${original}\r\nSPOTIFY_REFRESH_TOKEN=${token}\r\nSPOTIFY_REFRESH_TOKEN_GRANTED_AT=`)).toBe(true);
    expect(mode(envFile)).toBe(0o600);
    expect(exit.stdout).toContain(BOT_SCOPES.join(' '));
    expectNoSecrets(exit, [TEST_SPOTIFY_CLIENT_SECRET, token, new URL(redirected).searchParams.get('code') ?? '']);
  });

  it('accepts a bare pasted code', async () => {
    const envFile = join(tmp(), '.env');
    const script = run(['--manual', '--no-browser', '--env-file', envFile]);
    const url = await script.authorizeUrl();
    const code = new URL(emulator.approve(url.toString())).searchParams.get('code') ?? '';
    script.write(`${code}\n`);
    const exit = await script.exited;
    expect(exit.code).toBe(0);
    expect(parseDotenv(readFileSync(envFile)).SPOTIFY_REFRESH_TOKEN).toBe(emulator.issuedRefreshTokens[0]);
    expectNoSecrets(exit, [code, emulator.issuedRefreshTokens[0] ?? '']);
  });

  it('a pasted denial exits 1; input ending without a code exits 1', async () => {
    const envFile = join(tmp(), '.env');
    const denied = run(['--manual', '--no-browser', '--env-file', envFile]);
    const url = await denied.authorizeUrl();
    denied.write(`${emulator.approve(url.toString(), { deny: true })}\n`);
    const exit = await denied.exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('access_denied');

    const ended = run(['--manual', '--no-browser', '--env-file', envFile]);
    await ended.authorizeUrl();
    ended.write('not a url or a code\n');
    ended.endInput();
    const exit2 = await ended.exited;
    expect(exit2.code).toBe(1);
    expect(exit2.stderr).toMatch(/Couldn't find a code|Input ended/);
    expect(existsSync(envFile)).toBe(false);
  });
});

// ------------------------------------------------------------------ unit tests

describe('buildAuthorizeUrl / createState', () => {
  it('builds the /authorize URL with every parameter', () => {
    const url = new URL(
      buildAuthorizeUrl({
        accountsUrl: 'https://accounts.spotify.com/',
        clientId: 'abc',
        redirectUri: 'http://127.0.0.1:8888/callback',
        state: 's+/=',
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.spotify.com/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'abc',
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:8888/callback',
      scope: 'user-read-currently-playing user-read-playback-state user-top-read user-read-recently-played',
      state: 's+/=',
      show_dialog: 'true',
    });
    expect(url.search).toContain('scope=user-read-currently-playing%20user-read-playback-state');
  });

  it('takes custom scopes and show_dialog=false', () => {
    const url = new URL(
      buildAuthorizeUrl({ accountsUrl: 'http://x', clientId: 'a', redirectUri: 'https://e.com/cb', state: 's', scopes: ['user-top-read'], showDialog: false }),
    );
    expect(url.searchParams.get('scope')).toBe('user-top-read');
    expect(url.searchParams.get('show_dialog')).toBe('false');
  });

  it('creates distinct url-safe states', () => {
    const states = new Set(Array.from({ length: 50 }, createState));
    expect(states.size).toBe(50);
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

describe('checkRedirectUri', () => {
  it.each(['http://127.0.0.1:8888/callback', 'http://[::1]:8888/callback', 'https://bot.example.com/spotify/callback', 'http://127.0.0.1/cb'])(
    'accepts %s',
    (uri) => expect(checkRedirectUri(uri)).toBeNull(),
  );

  it('refuses localhost and gives the 127.0.0.1 equivalent to register', () => {
    const problem = checkRedirectUri('http://localhost:3000/callback') ?? '';
    expect(problem).toContain('localhost');
    expect(problem).toContain('http://127.0.0.1:3000/callback');
    expect(problem).toMatch(/register that exact URI/);
    expect(checkRedirectUri('https://LOCALHOST:3000/cb')).toContain('http://127.0.0.1:3000/cb');
  });

  it.each([
    ['http://example.com/cb', /https/],
    ['http://192.168.1.5:8888/cb', /https/],
    ['ftp://127.0.0.1/cb', /https/],
    ['not a url', /not a valid URL/],
    ['http://127.0.0.1:8888/cb#x', /fragment/],
  ])('refuses %s', (uri, why) => expect(checkRedirectUri(uri)).toMatch(why));
});

describe('parseRedirect / checkCallback', () => {
  it('reads the full redirected URL, its query string, or a bare code', () => {
    expect(parseRedirect('http://127.0.0.1:8888/callback?code=AQabc-_.~&state=xyz')).toEqual({ code: 'AQabc-_.~', state: 'xyz' });
    expect(parseRedirect('?code=AQabc&state=xyz')).toEqual({ code: 'AQabc', state: 'xyz' });
    expect(parseRedirect('code=AQabc&state=xyz')).toEqual({ code: 'AQabc', state: 'xyz' });
    expect(parseRedirect('  AQbareCode123  \n')).toEqual({ code: 'AQbareCode123' });
    expect(parseRedirect('"http://127.0.0.1:8888/callback?code=AQq&state=s"')).toEqual({ code: 'AQq', state: 's' });
    expect(parseRedirect('127.0.0.1:8888/callback?code=AQq&state=s#_=_')).toEqual({ code: 'AQq', state: 's' });
    expect(parseRedirect('http://127.0.0.1:8888/callback?error=access_denied&state=s')).toEqual({ error: 'access_denied', state: 's' });
    expect(parseRedirect('\u001b[200~AQpasted\u001b[201~')).toEqual({ code: 'AQpasted' });
  });

  it('returns nothing for empty or unreadable input', () => {
    expect(parseRedirect('')).toEqual({});
    expect(parseRedirect('   ')).toEqual({});
    expect(parseRedirect('not a code')).toEqual({});
    expect(parseRedirect('http://127.0.0.1:8888/callback')).toEqual({});
  });

  it('checks the state before anything else, also for errors', () => {
    expect(checkCallback({ code: 'c', state: 's' }, 's')).toEqual({ kind: 'code', code: 'c' });
    expect(checkCallback({ code: 'c', state: 'other' }, 's')).toEqual({ kind: 'state_mismatch' });
    expect(checkCallback({ code: 'c' }, 's')).toEqual({ kind: 'state_mismatch' });
    expect(checkCallback({ error: 'access_denied', state: 'x' }, 's')).toEqual({ kind: 'state_mismatch' });
    expect(checkCallback({ error: 'access_denied', state: 's' }, 's')).toEqual({ kind: 'denied', error: 'access_denied' });
    expect(checkCallback({ state: 's' }, 's')).toEqual({ kind: 'no_code' });
    expect(checkCallback({ code: 'c' }, 's', { allowMissingState: true })).toEqual({ kind: 'code', code: 'c' });
    expect(checkCallback({ code: 'c', state: 'x' }, 's', { allowMissingState: true })).toEqual({ kind: 'state_mismatch' });
  });
});

describe('exchangeCode', () => {
  const redirectUri = 'http://127.0.0.1:8888/callback';
  const approvedCode = (): string => {
    const url = buildAuthorizeUrl({ accountsUrl: emulator.accountsUrl, clientId: TEST_SPOTIFY_CLIENT_ID, redirectUri, state: 's' });
    return new URL(emulator.approve(url)).searchParams.get('code') ?? '';
  };
  const base = () => ({ accountsUrl: emulator.accountsUrl, clientId: TEST_SPOTIFY_CLIENT_ID, clientSecret: TEST_SPOTIFY_CLIENT_SECRET, redirectUri });

  it('returns the grant, and a reused code is invalid_grant with a clear message', async () => {
    const code = approvedCode();
    const grant = await exchangeCode({ ...base(), code });
    expect(grant.refreshToken).toBe(emulator.issuedRefreshTokens[0]);
    expect(grant.accessToken).toMatch(/^BQ/);
    expect(grant.expiresInSeconds).toBe(3600);
    expect(grant.scope).toBe(BOT_SCOPES.join(' '));
    const again = exchangeCode({ ...base(), code });
    await expect(again).rejects.toBeInstanceOf(AuthorizationCodeError);
    await expect(again).rejects.toThrow(/already used or expired — run the flow again/);
  });

  it('a different redirect URI is explained', async () => {
    await expect(exchangeCode({ ...base(), code: approvedCode(), redirectUri: 'http://127.0.0.1:9999/callback' })).rejects.toThrow(
      /redirect URI differs/,
    );
  });

  it('invalid_client → SpotifyAuthError; 5xx and network → SpotifyUnavailableError', async () => {
    const wrong = exchangeCode({ ...base(), code: approvedCode(), clientSecret: '0'.repeat(32) });
    await expect(wrong).rejects.toBeInstanceOf(SpotifyAuthError);
    await expect(wrong).rejects.toMatchObject({ reason: 'invalid_client' });
    emulator.fail('token', { status: 503 });
    await expect(exchangeCode({ ...base(), code: approvedCode() })).rejects.toBeInstanceOf(SpotifyUnavailableError);
    const accountsUrl = emulator.accountsUrl;
    await emulator.close();
    await expect(exchangeCode({ ...base(), accountsUrl, code: 'AQx', timeoutMs: 2000 })).rejects.toBeInstanceOf(SpotifyUnavailableError);
  });
});

describe('small helpers', () => {
  it('masks secrets and computes the 6-month expiry', () => {
    expect(maskSecret('AQD1234567890abcdefx9Zk')).toBe('AQD…x9Zk');
    expect(maskSecret('short')).toBe('…');
    expect(refreshTokenExpiry(new Date('2026-11-28T12:00:00.000Z')).toISOString()).toBe('2027-05-28T12:00:00.000Z');
    expect(missingScopes('user-top-read user-read-currently-playing')).toEqual(['user-read-playback-state', 'user-read-recently-played']);
  });
});

describe('upsertEnvFile', () => {
  it('creates a missing file with mode 0600', async () => {
    const path = join(tmp(), '.env');
    const result = await upsertEnvFile(path, { A: '1', B: 'two' });
    expect(readFileSync(path, 'utf8')).toBe('A=1\nB=two\n');
    expect(mode(path)).toBe(0o600);
    expect(result).toMatchObject({ created: true, replaced: [], added: ['A', 'B'] });
  });

  it('replaces in place, appends missing keys, and keeps every other byte', async () => {
    const path = join(tmp(), '.env');
    const before = '# top\n\nexport A=old # note\n  B = old\n# A=commented\nC="keep me"\n\n\n# tail';
    writeFileSync(path, before);
    chmodSync(path, 0o644);
    const result = await upsertEnvFile(path, { A: 'new', B: 'b2', D: 'd' });
    expect(readFileSync(path, 'utf8')).toBe('# top\n\nexport A=new\n  B =b2\n# A=commented\nC="keep me"\n\n\n# tail\nD=d\n');
    expect(mode(path)).toBe(0o600);
    expect(result).toMatchObject({ created: false, replaced: ['A', 'B'], added: ['D'] });
  });

  it('keeps CRLF line endings and replaces every duplicate', () => {
    expect(applyEnvUpdates('A=1\r\nX=y\r\nA=2\r\n', { A: '3', N: 'n' }).content).toBe('A=3\r\nX=y\r\nA=3\r\nN=n\r\n');
  });

  it('replaces a multi-line quoted value entirely', () => {
    const content = 'KEY="line one\nline two\nline three"\nOTHER=1\n';
    expect(applyEnvUpdates(content, { KEY: 'v' }).content).toBe('KEY=v\nOTHER=1\n');
    expect(parseDotenv(content).KEY).toContain('line two'); // the case is real dotenv syntax
  });

  it('quotes only when needed, and dotenv reads every value back unchanged', () => {
    expect(formatEnvValue('AQD-abc_123.xyz')).toBe('AQD-abc_123.xyz');
    expect(formatEnvValue('2026-11-28T12:00:00.000Z')).toBe('2026-11-28T12:00:00.000Z');
    const values: Record<string, string> = {
      PLAIN: 'AQD-abc_123',
      SPACES: 'a b  c',
      EDGES: ' padded ',
      HASH: 'abc#def',
      SINGLE: "it's",
      BOTH: `it's "quoted"`,
      NEWLINE: 'one\ntwo',
      EMPTY: '',
      URL: 'http://127.0.0.1:8888/callback?x=1&y=2',
    };
    const { content } = applyEnvUpdates('', values);
    expect(content).toContain('PLAIN=AQD-abc_123\n');
    expect(content).toContain("SPACES='a b  c'\n");
    expect(parseDotenv(content)).toEqual(values);
  });

  it('writes through a symlink and leaves no temp files', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'real.env'), 'A=1\n');
    symlinkSync(join(dir, 'real.env'), join(dir, '.env'));
    await upsertEnvFile(join(dir, '.env'), { A: '2' });
    expect(readFileSync(join(dir, 'real.env'), 'utf8')).toBe('A=2\n');
    expect(readdirSync(dir).sort()).toEqual(['.env', 'real.env']);
  });

  it('refuses invalid names and a missing directory', async () => {
    await expect(upsertEnvFile(join(tmp(), '.env'), { 'BAD KEY': 'x' })).rejects.toThrow(/not a valid/);
    await expect(upsertEnvFile(join(tmp(), 'nope', '.env'), { A: '1' })).rejects.toThrow(/does not exist/);
  });
});
