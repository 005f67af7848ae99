// The child process of the history bench's memory rows (bench/history.ts spawns it with the production Node flags
// and --expose-gc): one job per run, one JSON line on stdout with the figures in MB.
//
//   import <history URL> <file>   open the store; idle RSS; import the file through the real path (collectPaths +
//                                 importEntries + the store) sampling RSS every 10 ms; RSS after a gc and a settle
//   idle <history URL> <user> <from> <to>
//                                 open the store, run one member's month (totals + top 10 artists), gc, settle: RSS
//
// Peak: the highest 10 ms sample, or the process's high-water mark (resourceUsage().maxRSS) when that rose during
// the import — a synchronous JSON.parse blocks the sampling timer, the kernel's mark does not miss it.
//
// The code measured is the build in dist/ (bench/history.ts builds it when stale), as the bot and `npm run history`
// run it: from source, the SQLite worker thread would load tsx's loader too (measured: +34 MB when it starts, against
// +17 MB built), inside the import's peak.
import { performance } from 'node:perf_hooks';
import type { HistoryUser } from '../src/history/play.js';
import type { HistoryStore } from '../src/history/store.js';
import { rssKb } from './lib/bot-process.js';
import { sleep } from './lib/stats.js';

const built = (path: string): string => new URL(`../dist/src/${path}`, import.meta.url).href;
const { importEntries, storeTarget } = (await import(built('history/import/importer.js'))) as typeof import('../src/history/import/importer.js');
const { collectPaths } = (await import(built('history/import/sources.js'))) as typeof import('../src/history/import/sources.js');
const { silentLogger } = (await import(built('logger.js'))) as typeof import('../src/logger.js');
const { openHistoryStore } = (await import(built('sql/history-store.js'))) as typeof import('../src/sql/history-store.js');
const { openHistoryInWorker } = (await import(built('sql/history-thread.js'))) as typeof import('../src/sql/history-thread.js');
const { openHistoryDatabase } = (await import(built('sql/open.js'))) as typeof import('../src/sql/open.js');

const mb = (kb: number): number => kb / 1024;
const WORKER_IDLE_MS = 1_000;
const rss = (): number => mb(rssKb(process.pid));

async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(300);
  }
}

async function main(): Promise<void> {
  const [job, url, ...rest] = process.argv.slice(2);
  if (!url || (job !== 'import' && job !== 'idle')) throw new Error('usage: history-probe.ts import URL FILE | idle URL USER FROM TO');
  // As the bot opens it: SQLite in its worker thread, PostgreSQL on this one.
  const database = url.startsWith('sqlite://') ? null : await openHistoryDatabase(url, silentLogger);
  // The worker stops 1 s after its last call here (10 s in the bot), so "after" is the bot's state once it has.
  const store: HistoryStore = database
    ? await openHistoryStore(database, { logger: silentLogger })
    : await openHistoryInWorker(url, { logger: silentLogger, idleMs: WORKER_IDLE_MS });
  try {
    if (job === 'idle') {
      const [user, from, to] = rest as [HistoryUser, string, string];
      const period = { from: Number(from), to: Number(to) };
      await store.totals([user], period);
      await store.topItems([user], 'artist', period, 10);
      await settle();
      process.stdout.write(`${JSON.stringify({ rssMb: rss() })}\n`);
      return;
    }
    const file = rest[0]!;
    await settle();
    const idleMb = rss();
    const maxBefore = mb(process.resourceUsage().maxRSS);
    let sampled = idleMb;
    const sampler = setInterval(() => (sampled = Math.max(sampled, rss())), 10);
    const started = performance.now();
    const entries = await collectPaths([file]);
    const summary = await importEntries(
      entries,
      storeTarget(store, 'owner'),
      { now: Date.now },
    );
    const ms = performance.now() - started;
    clearInterval(sampler);
    sampled = Math.max(sampled, rss());
    const maxAfter = mb(process.resourceUsage().maxRSS);
    const peakMb = maxAfter > maxBefore ? Math.max(sampled, maxAfter) : sampled;
    await sleep(WORKER_IDLE_MS + 500);
    await settle();
    process.stdout.write(`${JSON.stringify({ idleMb, peakMb, afterMb: rss(), ms, added: summary.added, duplicates: summary.duplicates })}\n`);
  } finally {
    await store.close();
    await database?.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`history probe failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
