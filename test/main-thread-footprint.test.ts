// What the bot's main thread holds once started (README's Benchmark: RSS 3 s after ready at 1,000 guilds): with
// SQLite storage and history, Kysely lives only in history's worker thread (the key-value store uses plain
// statements), and no Intl.Segmenter (ICU's break rules, ~2 MB) is made until a picture or a text cut needs one.
// Checked in a child process: this test runner has loaded Kysely itself.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('the main thread after start', () => {
  it('loads no Kysely with SQLite storage and history, and makes no grapheme segmenter until one is needed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'npb-footprint-'));
    const url = `sqlite://${join(dir, 'bot.sqlite')}`;
    const script = `
      import { getHeapSnapshot } from 'node:v8';
      let segmenters = 0;
      Intl.Segmenter = new Proxy(Intl.Segmenter, { construct: (target, args) => (segmenters++, new target(...args)) });
      // Everything the bot imports (src/index.ts would start it).
      await import('./src/app.ts');
      await import('./src/bot.ts');
      await import('./commands/index.ts');
      const { openDatabases } = await import('./src/databases.ts');
      const { silentLogger } = await import('./src/logger.ts');
      const url = ${JSON.stringify(url)};
      const databases = await openDatabases({ storageUrl: url, history: { enabled: true, url, retentionDays: null } }, silentLogger);
      await databases.storage.set('footprint', 'kept');
      const read = await databases.storage.get('footprint');
      const plays = (await databases.history.status('owner')).plays;
      const before = segmenters;
      const { graphemes } = await import('./src/render/text-layout.ts');
      graphemes('👍🏽ok');
      // Script names of this thread's heap (the worker's isolate is not in it).
      const chunks = [];
      for await (const chunk of getHeapSnapshot()) chunks.push(chunk);
      const { strings } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const kysely = strings.some((s) => s.includes('/node_modules/kysely/'));
      await databases.close();
      console.log(JSON.stringify({ read, plays, kysely, segmentersAtStart: before, segmentersAfterUse: segmenters }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
      maxBuffer: 1 << 20,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
      read: 'kept',
      plays: 0,
      kysely: false,
      segmentersAtStart: 0,
      segmentersAfterUse: 1,
    });
  });

  it('loads libsql without a diagnostic report where /usr/bin/ldd names the C library, and gives process.report back, also to two loads at once', async () => {
    const script = `
      import { readFileSync } from 'node:fs';
      let reports = 0;
      const report = process.report;
      const getReport = report.getReport.bind(report);
      report.getReport = (...args) => (reports++, getReport(...args));
      let ldd = '';
      try { ldd = readFileSync('/usr/bin/ldd', 'latin1'); } catch {}
      const { openSqliteHandle } = await import('./src/sql/sqlite-file.ts');
      // Two at once (storage and a test's second database): each must find the real report to give back.
      const [handle, other] = await Promise.all([openSqliteHandle(':memory:'), openSqliteHandle(':memory:')]);
      const answer = handle.prepare('select 41 + 1 as n').get([]).n;
      handle.close();
      other.close();
      const named = process.platform === 'linux' && (ldd.includes('GNU C Library') || ldd.includes('musl'));
      console.log(JSON.stringify({ answer, reportsWhereLddNames: named ? reports : 0, restored: process.report === report }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ answer: 42, reportsWhereLddNames: 0, restored: true });
  });

  it('lets every language’s command names go once the commands are localized for a sync', async () => {
    const script = `
      const { localizedDefinitions } = await import('./src/discord/command-sync.ts');
      const { loadCommandTexts } = await import('./src/i18n/locales.ts');
      const { commands } = await import('./commands/index.ts');
      let texts = await loadCommandTexts();
      const german = new WeakRef(texts.get('de').commands);
      const japanese = new WeakRef(texts.get('ja').commands);
      texts = null;
      const localized = await localizedDefinitions(commands.map((c) => c.data));
      const named = localized.find((d) => d.name === 'nowplaying').toJSON().name_localizations.de;
      // A WeakRef is kept at least until the current job ends.
      await new Promise((resolve) => setTimeout(resolve, 0));
      globalThis.gc();
      console.log(JSON.stringify({ named, kept: [german.deref() !== undefined, japanese.deref() !== undefined] }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ named: 'läuft-gerade', kept: [false, false] });
  });
});
