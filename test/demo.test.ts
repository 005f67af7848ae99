// `npm run demo` end to end: a fresh process with no Discord/Spotify settings at all runs the scripted session
// against the emulators, prints the user's view and exits 0, quickly.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function envWithoutAccounts(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('DISCORD_') || key.startsWith('SPOTIFY_')) delete env[key];
  }
  return env;
}

describe('npm run demo', () => {
  it('runs the scripted session without accounts and exits 0 within 60 s', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      cwd: ROOT,
      env: envWithoutAccounts(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const [code] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    clearTimeout(killer);
    const elapsed = Date.now() - started;

    expect(code, `stderr:\n${stderr}\nstdout:\n${stdout}`).toBe(0);
    expect(elapsed).toBeLessThan(60_000);
    expect(stdout).toContain(`${commands.length} slash commands registered: ${commands.map((c) => `/${c.data.name}`).join(' ')}`);
    expect(stdout).toMatch(/🟢 Spotify Bot — Listening to Blinding Lights\n\s+The Weeknd/);
    expect(stdout).toMatch(/Listening to Save Your Tears .*\n\s+The Weeknd, Ariana Grande/);
    // Every reply names whose listening it shows: the owner's name first (#10).
    expect(stdout).toContain('> /nowplaying\n    │ Jordan · ▶ Now playing\n    │ Blinding Lights\n');
    expect(stdout).toMatch(/│ 1:0\d .* 3:20/);
    expect(stdout).toContain('Spotify Bot — (no activity)');
    expect(stdout).toContain('│ Jordan · ⏸ Paused');
    // A member links their own Spotify and compares.
    expect(stdout).toContain('Spotify Riley R. (riley-spotify) is now linked to ');
    expect(stdout).toContain('│ Riley · ▶ Now playing\n    │ Midnight City');
    expect(stdout).toMatch(/user:@riley \(alex compares\)\n\s+│ 🎧 Riley\n\s+│ Top tracks/);
    expect(stdout).toContain('Page 1/3');
    expect(stdout).toContain('[ Next ▶ ]');
    expect(stdout).toContain('Page 2/3');
    expect(stdout).toContain('(the same message, updated in place)');
    expect(stdout).toContain('Top artists · Last year');
    expect(stdout).toMatch(/Spotify requests made: \d+ token, \d+ currently-playing, \d+ top/);
    // /listening from members' Discord status, grouped; an announce post in #music.
    expect(stdout).toContain('│ 3 listening to Espresso by Sabrina Carpenter');
    expect(stdout).toMatch(/│ 2 listening to Dua Lipa\n\s+│ └ @ana Levitating 0:3\d in/);
    // Mentions read as Discord shows them: names, never <@id> or <#id>.
    expect(stdout).toMatch(/│ @joe — Bohemian Rhapsody by Queen/);
    expect(stdout).toContain('is posted to #music.');
    expect(stdout).not.toMatch(/<[@#]!?\d+>/);
    // The owner's recent plays and the link's health.
    expect(stdout).toMatch(/> \/recent limit:5\n\s+│ 🎧 Jordan\n\s+│ Recently played\n\s+│ 1\. Save Your Tears/);
    expect(stdout).toMatch(/\/spotify status\n\s+│ Spotify status/);
    expect(stdout).toMatch(/│ 2 of 5 used/);
    // Saved pictures are named after their command in whole words.
    const saved = [...stdout.matchAll(/saved as (\S+)\.jpg/g)].map((m) => m[1]!);
    expect(saved.length).toBeGreaterThan(5);
    for (const name of saved) expect(name, name).not.toMatch(/-$/);
    expect(saved.some((name) => name.endsWith('-chart-kind-Artists-range-Last-year-size-4x4'))).toBe(true);
    expect(stdout).toMatch(/#music:\n\s+│ 🎵 Now playing\n\s+│ Heat Waves\n\s+│ by Glass Animals/);
    expect(stdout).toMatch(/Discord presence updates sent: 4/);
    expect(stdout).toContain('Stopped the bot and both emulators.');
    // The bot's own log lines stay out of the user's view.
    expect(stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (debug|info)/);
  }, 70_000);
});
