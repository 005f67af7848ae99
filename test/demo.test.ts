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
    // What history shows: the owner, sam and kim import the last 30 days (generated exports, fixed seeds), ana has
    // her 2024 export and one play from her status. Every number below follows from those rows.
    expect(stdout).toMatch(/jordan> \/history import .*\n\s+│ Import finished\n\s+│ 571 plays added/);
    expect(stdout).toMatch(/sam> \/history import .*\n\s+│ Import finished\n\s+│ 720 plays added/);
    expect(stdout).toMatch(/kim> \/history import .*\n\s+│ Import finished\n\s+│ 416 plays added/);
    expect(stdout).toContain("sam> /stats (their last 30 days)\n    │ 📊 sam's listening · Last 30 days\n    │ 720 plays · 42 h 7 min listened\n    │ 456 tracks · 100 artists · 250 albums");
    expect(stdout).toContain('│ 1. The Midnight Owls · 46 plays');
    expect(stdout).toContain('> /serverstats\n    │ 📊 Emulated Guild 1 · Last 30 days\n    │ 5 recorded members together\n    │ 1,711 plays · 98 h 30 min listened');
    expect(stdout).toContain('│ Top listeners by plays\n    │ 1. @sam · 720 plays\n    │ 2. @Jordan · 574 plays\n    │ 3. @kim · 416 plays\n    │ 4. @ana · 1 play\n');
    expect(stdout).toMatch(/suggestions: (.+ · )?The Midnight Owls( · .+)?\n/);
    expect(stdout).toMatch(/suggestions: The[^\n]*\n/);
    expect(stdout).not.toMatch(/suggestions: [^\n]*· (?!The)[^\n]*\n/); // every suggestion starts with what was typed
    expect(stdout).toContain(
      'kim> /whoknows artist name:The Midnight Owls\n    │ Emulated Guild 1 · Who knows this artist\n    │ The Midnight Owls\n' +
        '    │ 👑 @ana · 49 plays\n    │ 2. @sam · 46 plays\n    │ 3. @Jordan · 27 plays\n    │ 4. @kim · 15 plays\n    │ All time · 4 listeners · 137 plays',
    );
    expect(stdout).toMatch(/> \/nowplaying \(with the history line\)\n(\s+│ .*\n){4}\s+│ 2nd play · 28 plays of The Midnight Owls · 4 listeners here\n/);
    expect(stdout).toContain('sam> /taste user:@kim\n    │ 🎧 sam & kim · All time\n    │ 76% taste match\n    │ sam: 720 plays · kim: 416 plays · 88 artists in common');
    expect(stdout).toContain("sam> /chart period:month\n    │ Sam's top albums · Last 30 days\n    │ 1. Satellite (Deluxe Edition) — The Midnight Owls · 27 plays");
    // /wrapped is this year's: the 30 days imported are all in it except in January.
    const year = new Date().getFullYear();
    if (new Date(Date.now() - 31 * 86_400_000).getFullYear() === year) {
      expect(stdout).toContain(`sam> /wrapped\n    │ 🎁 sam's ${year} Wrapped\n    │ 2,527 minutes listened · 720 plays\n    │ 456 tracks · 100 artists\n    │ Top artist: The Midnight Owls · 46 plays`);
    } else {
      expect(stdout).toMatch(/sam> \/wrapped\n\s+│ 🎁 sam's \d{4} Wrapped\n\s+│ [\d,]+ minutes listened · [\d,]+ plays/);
    }
    expect(stdout).toContain("> /serverchart kind:Artists\n    │ Emulated Guild 1's top artists · Last 30 days\n    │ 5 recorded members together\n    │ 1. The Midnight Owls · 88 plays");
    // The weekly recap: set "a week ago", posted by the bot's check with its chart.
    expect(stdout).toContain('is posted to #weekly');
    expect(stdout).toContain('to 1 server)\n#weekly:\n    │ 🗓️ Weekly recap · Emulated Guild 1\n    │ 414 plays · 24 h 3 min listened by 4 recorded members');
    expect(stdout).toContain('│ Top listeners\n    │ 1. @sam · 182 plays · 10 h 41 min\n    │ 2. @Jordan · 134 plays · 7 h 36 min\n    │ 3. @kim · 97 plays · 5 h 42 min\n    │ 4. @ana · 1 play · 3 min');
    expect(stdout).toContain('│ New artists this week: 2\n    │ The Weeknd · 3 plays\n    │ Dua Lipa · 1 play');
    for (const picture of ['sam-stats-their-last-30-days', 'serverstats', 'sam-chart-period-month', 'sam-wrapped', 'serverchart-kind-Artists', 'weekly-recap']) {
      expect(saved.some((name) => name.endsWith(`-${picture}`)), picture).toBe(true);
    }
    expect(stdout).toMatch(/wrapped\.jpg \(1080×1920, \d+ KiB\) saved as \S+-sam-wrapped\.jpg/);
    // Every member in their own language: localized command names, a German and a Japanese session, Polish in English.
    expect(stdout).toContain('In German, Discord lists: /läuft-gerade /statistik /wer-kennt /verlauf');
    expect(stdout).toContain('In Japanese: /再生中 /統計 /誰が聴いてる /再生履歴');
    expect(stdout).toContain('sam (de)> /nowplaying user:@Jordan\n    │ Jordan · ▶ Läuft gerade\n    │ Levitating\n    │ von Dua Lipa');
    expect(stdout).toContain('│ 1. Wiedergabe · 1 Wiedergabe von Dua Lipa · 1 Zuhörer:in hier');
    expect(stdout).toMatch(/\S+-sam-de-nowplaying-user-Jordan\.jpg/);
    expect(stdout).toMatch(/sam \(de\)> \/stats period:week\n\s+│ 📊 Hörstatistik von sam · Letzte 7 Tage\n\s+│ [\d.]+ Wiedergaben · \d+ Std\. \d+ Min\. gehört/);
    expect(stdout).toContain('│ 720 Wiedergaben gespeichert, seit dem ');
    expect(stdout).toContain('kim (ja)> /nowplaying user:@Jordan\n    │ Jordan · ▶ 再生中');
    expect(stdout).toContain('│ 1回目の再生 · Dua Lipa を1回再生 · このサーバーで1人が再生');
    expect(stdout).toMatch(/│ \S+以降、416回の再生を保存しています。/);
    expect(stdout).toContain('kim (pl)> /history status (Polish is not shipped: English)\n    │ Your listening history');
    expect(stdout).toContain('Stopped the bot and both emulators.');
    // The bot's own log lines stay out of the user's view.
    expect(stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (debug|info)/);
  }, 70_000);
});
