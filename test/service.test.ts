// The systemd recipe, as far as a machine without a running systemd can check it: the shipped unit passes
// `systemd-analyze verify`, and `deploy/install.sh` in a root-owned checkout leaves the bot runnable by its own
// system user — the unit's ExecStart, run as the unit's User with no new privileges, reads the 0640 .env,
// connects (Discord and Spotify emulators), and writes nothing outside data/.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulators/discord.js';
import { makeTrack, playing } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import { emulatorEnv, validEnv, TEST_DISCORD_TOKEN } from '../emulators/env.js';
import { LEAN_NODE_FLAGS, MALLOC_ENV } from '../src/node-flags.js';
import { startSpotifyEmulator } from './support/spotify-app.js';

const ROOT = join(import.meta.dirname, '..');
const UNIT = join(ROOT, 'deploy/nowplaying-bot.service');

/** `[Section]` → key → values (a key may repeat). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

function one(unit: Map<string, Map<string, string[]>>, key: string): string {
  const values = unit.get('Service')?.get(key) ?? [];
  expect(values, `[Service] ${key}=`).toHaveLength(1);
  return values[0]!;
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(command, args, { ...options, encoding: 'utf8', timeout: 240_000 });
  return { code: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

describe('deploy/nowplaying-bot.service', () => {
  const unit = parseUnit(readFileSync(UNIT, 'utf8'));

  it('runs the built bot directly, with the lean flags, restarts on failure, and is hardened', () => {
    const workDir = one(unit, 'WorkingDirectory');
    expect(one(unit, 'ExecStart').split(' ')).toEqual(['/usr/bin/env', 'node', ...LEAN_NODE_FLAGS, 'dist/src/index.js']);
    expect(one(unit, 'User')).toBe('nowplaying');
    expect(one(unit, 'Restart')).toBe('on-failure');
    expect(one(unit, 'NoNewPrivileges')).toBe('yes');
    expect(one(unit, 'ProtectSystem')).toBe('strict');
    expect(one(unit, 'ReadWritePaths')).toBe(`${workDir}/data`);
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('sets the malloc environment of src/node-flags.ts, as the Dockerfile does', () => {
    const environment = (unit.get('Service')?.get('Environment') ?? []).flatMap((e) => e.split(' '));
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(Object.keys(MALLOC_ENV).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(MALLOC_ENV)) {
      expect(environment).toContain(`${name}=${value}`);
      expect(dockerfile).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
    }
  });

  it('passes systemd-analyze verify', (context) => {
    if (!has('systemd-analyze')) {
      console.warn('skipped: systemd-analyze is not installed (Debian package systemd)');
      context.skip();
    }
    const { code, out } = run('systemd-analyze', ['verify', UNIT]);
    expect(out).toBe('');
    expect(code).toBe(0);
  });
});

// Needs root (useradd, setpriv) and util-linux's setpriv; CI runs as root.
const canRunAsUser = process.getuid?.() === 0 && has('useradd') && has('userdel') && has('setpriv');
if (!canRunAsUser) console.warn('skipped: the install-and-run-as-service-user test needs root, useradd and setpriv');

describe.skipIf(!canRunAsUser)('deploy/install.sh, then the unit as its User', () => {
  const user = `npbt${randomBytes(4).toString('hex')}`;
  // Made in beforeAll, not here: this body runs even when the describe is skipped, and then afterAll does not.
  let base = '';
  let app = '';
  let spotify: SpotifyEmulator | null = null;
  let discord: DiscordEmulator | null = null;
  let bot: ChildProcess | null = null;

  beforeAll(() => {
    // Under /tmp itself, not $TMPDIR: every folder on the way must be open to the service user, as /opt is.
    base = mkdtempSync('/tmp/npb-service-');
    app = join(base, 'app');
  });

  afterAll(async () => {
    if (bot && bot.exitCode === null && bot.signalCode === null) bot.kill('SIGKILL');
    await discord?.close();
    await spotify?.close();
    spawnSync('userdel', [user]);
    spawnSync('groupdel', [user]);
    if (base) rmSync(base, { recursive: true, force: true });
  });

  /** Every file and folder under `dir` but data/, with its modification time and size. */
  function snapshot(dir: string): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const path = join(d, name);
        if (path === join(app, 'data') || path === join(app, 'node_modules')) continue;
        const s = lstatSync(path);
        out.set(path, `${s.mtimeMs}:${s.size}:${s.mode}:${s.uid}`);
        if (s.isDirectory()) walk(path);
      }
    };
    walk(dir);
    return out;
  }

  function ownedBy(uid: number, dirs: string[]): string[] {
    const out: string[] = [];
    for (const dir of dirs) {
      if (!existsSync(dir)) continue;
      const r = spawnSync('find', [dir, '-xdev', '-uid', String(uid)], { encoding: 'utf8' });
      out.push(...r.stdout.split('\n').filter(Boolean));
    }
    return out;
  }

  it('starts, shows the track, stops on SIGTERM with exit 0, and wrote only under data/', async () => {
    spotify = await startSpotifyEmulator();
    spotify.setCurrentlyPlaying(playing(makeTrack()));
    discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN });

    // A checkout owned by root, readable by all (as a git clone in /opt is), with the installed dependencies.
    chmodSync(base, 0o755);
    mkdirSync(app, { mode: 0o755 });
    for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'commands', 'scripts', 'deploy']) {
      cpSync(join(ROOT, entry), join(app, entry), { recursive: true });
    }
    // Hard links where possible, so the service user needn't reach the real checkout's folders.
    if (statSync(ROOT).dev === statSync(base).dev) {
      const copied = run('cp', ['-al', join(ROOT, 'node_modules'), join(app, 'node_modules')]);
      expect(copied.code, copied.out).toBe(0);
    } else {
      symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
    }
    // .env as `npm run authorize` run by root leaves it: root's, 0600.
    const settings = validEnv({ ...emulatorEnv(discord, spotify), PRESENCE_CRON: '*/1 * * * * *' });
    writeFileSync(
      join(app, '.env'),
      Object.entries(settings)
        .map(([k, v]) => `${k}="${v ?? ''}"`)
        .join('\n') + '\n',
      { mode: 0o600 },
    );

    const unitDir = join(base, 'systemd');
    const installed = run('sh', [join(app, 'deploy/install.sh')], {
      env: { PATH: process.env.PATH ?? '', NOWPLAYING_USER: user, UNIT_DIR: unitDir, SKIP_NPM_CI: '1' },
    });
    expect(installed.code, installed.out).toBe(0);
    const uid = Number(run('id', ['-u', user]).out.trim());
    expect(uid).toBeGreaterThan(0);
    expect(statSync(join(app, 'data')).uid).toBe(uid);
    const envStat = statSync(join(app, '.env'));
    expect([envStat.uid, envStat.mode & 0o777]).toEqual([0, 0o640]);
    expect(existsSync(join(app, 'dist/src/index.js'))).toBe(true);

    const rendered = join(unitDir, 'nowplaying-bot.service');
    if (has('systemd-analyze')) {
      const verified = run('systemd-analyze', ['verify', rendered]);
      expect(verified.out + String(verified.code)).toBe('0');
    }
    const unit = parseUnit(readFileSync(rendered, 'utf8'));
    expect(one(unit, 'User')).toBe(user);
    expect(one(unit, 'WorkingDirectory')).toBe(app);
    expect(one(unit, 'ReadWritePaths')).toBe(join(app, 'data'));
    const exec = one(unit, 'ExecStart').split(' ');
    expect(exec[0]).toMatch(/^\//);
    const environment = (unit.get('Service')?.get('Environment') ?? []).flatMap((e) => e.split(' '));

    // As systemd would: the unit's User, no new privileges, a clean environment, the unit's working directory.
    const asService = (): ChildProcess =>
      spawn(
        'setpriv',
        ['--reuid', user, '--regid', user, '--init-groups', '--no-new-privs', '--reset-env', '/usr/bin/env', ...environment, ...exec],
        { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] },
      );
    const before = snapshot(app);
    let output = '';
    bot = asService();
    bot.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    bot.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exit = new Promise<number | null>((resolve) => bot?.once('exit', (code) => resolve(code)));
    const shows = (): boolean => (discord?.currentPresence()?.activities.length ?? 0) > 0;
    await Promise.race([
      shows() ? Promise.resolve() : discord.waitFor('presence', () => shows(), 60_000),
      exit.then((code) => {
        throw new Error(`the bot exited (${code}) before showing the track:\n${output}`);
      }),
    ]);
    expect(discord.currentPresence()?.activities[0]?.name, output).toBeTruthy();
    bot.kill('SIGTERM');
    expect(await exit, output).toBe(0);

    expect(statSync(join(app, 'data/bot.sqlite')).uid).toBe(uid);
    const outside = ownedBy(uid, [app, '/tmp', '/var/tmp', '/dev/shm']).filter((p) => !p.startsWith(join(app, 'data')));
    expect(outside, 'files the service user created outside data/').toEqual([]);
    expect(snapshot(app), 'the checkout changed outside data/').toEqual(before);
    expect(output).not.toContain(TEST_DISCORD_TOKEN);

    // The failure the old recipe had: a .env only root can read (as `npm run authorize` leaves it, until
    // install.sh runs again) stops the bot at start.
    chownSync(join(app, '.env'), 0, 0);
    chmodSync(join(app, '.env'), 0o600);
    let failed = '';
    bot = asService();
    bot.stdout?.on('data', (d: Buffer) => (failed += d.toString()));
    bot.stderr?.on('data', (d: Buffer) => (failed += d.toString()));
    const code = await new Promise<number | null>((resolve) => bot?.once('exit', (c) => resolve(c)));
    expect(code).not.toBe(0);
    expect(failed).toMatch(/EACCES|permission denied/i);
  }, 300_000);
});
