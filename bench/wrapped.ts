// /wrapped benchmark: a member's realistic year (15,000 plays over a Zipf catalogue, in sessions at the hours people
// listen; bench/history-data.ts) in a SQLite history file among 29 other members of a server, then the whole answer
// as the command makes it — WrappedFeature.year (totals, top 5s, moments for the busiest month and day, the server's
// biggest fan) → the reply's picture input → Pictures.wrapped (cover from the image CDN emulator, 1080×1920 JPEG) —
// warm: after a few runs, so fonts, the canvas module and the cover are loaded, as in a bot that has drawn before.
// `wrappedRows()` returns the rows for the main bench; `npx tsx bench/wrapped.ts` prints them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startImageCdn } from '../emulators/image-cdn.js';
import { wrappedPictureInput } from '../src/features/wrapped/replies.js';
import { WrappedFeature, yearRange } from '../src/features/wrapped/service.js';
import type { HistoryUser } from '../src/history/play.js';
import { createLogger } from '../src/logger.js';
import { Pictures } from '../src/render/pictures.js';
import { openHistoryDatabase } from '../src/sql/open.js';
import { openHistoryStore } from '../src/sql/history-store.js';
import { makeCatalogue, makeMembers, memberPlays } from './history-data.js';
import { rowsTable, runWhenMain, type BenchRow } from './lib/report.js';
import { fmt, percentile } from './lib/stats.js';

const YEAR = 2026;
const PLAYS = 15_000;
const OTHERS = 29;
const OTHER_PLAYS = 30_000;
const WARMUP = 3;
const RUNS = 20;

export async function wrappedRows(raw: Record<string, unknown> = {}): Promise<BenchRow[]> {
  const logger = createLogger({ level: 'silent' });
  const dir = mkdtempSync(join(tmpdir(), 'npb-bench-wrapped-'));
  const cdn = await startImageCdn();
  const database = await openHistoryDatabase(`sqlite://${join(dir, 'history.sqlite')}`, logger);
  const store = await openHistoryStore(database, { logger });
  try {
    const span = yearRange(YEAR);
    const catalogue = makeCatalogue({ artists: 3_000, albums: 6_000, tracks: 20_000 });
    const [subject] = makeMembers(catalogue, 1, PLAYS, span, 21).map((m) => ({ ...m, joinedAt: span.from }));
    // Ids of their own (makeMembers numbers from 0 each time).
    const others = makeMembers(catalogue, OTHERS, OTHER_PLAYS, span, 22).map((m, i) => ({ ...m, user: `14000000000000${String(i).padStart(5, '0')}` as HistoryUser }));
    let stored = 0;
    for (const [i, member] of [subject!, ...others].entries()) {
      for (const batch of memberPlays(catalogue, member, span.to - 1, 5_000, 100 + i)) stored += (await store.addPlays(member.user, batch)).added;
    }
    const ids = [subject!, ...others].map((m) => m.user as string);
    const wrapped = new WrappedFeature({
      store,
      history: { userFor: (id) => id as HistoryUser },
      // Everyone here may be counted (consent is measured in the server-view bench, not here).
      consent: { serverCandidates: async () => ids },
      ownerId: null,
      now: () => span.to - 1,
    });
    const pictures = new Pictures({ logger, imagesUrl: cdn.origin });
    const query: number[] = [];
    const draw: number[] = [];
    const total: number[] = [];
    let plays = 0;
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const t0 = performance.now();
      const year = await wrapped.year(subject!.user, YEAR, ids);
      const t1 = performance.now();
      const imageUrl = year.topArtistImageId ? cdn.spotifyUrl(year.topArtistImageId) : null;
      const image = await pictures.wrapped(wrappedPictureInput(year, 'Mia', year.fan ? { name: 'Leo' } : null, true, imageUrl));
      const t2 = performance.now();
      if (!image) throw new Error('the /wrapped picture was not drawn');
      plays = year.totals.plays;
      if (run < WARMUP) continue;
      query.push(t1 - t0);
      draw.push(t2 - t1);
      total.push(t2 - t0);
    }
    const p50 = (xs: number[]): number => percentile(xs, 50);
    raw.wrapped = { stored, plays, query, draw, total };
    return [
      {
        metric: `/wrapped: a year of ${fmt(plays)} plays (${fmt(stored)} stored, ${OTHERS + 1} members) → numbers + picture, warm p50 (SQLite)`,
        result: `${p50(total).toFixed(0)} ms (query ${p50(query).toFixed(0)} ms, picture ${p50(draw).toFixed(0)} ms; p95 ${percentile(total, 95).toFixed(0)} ms)`,
        target: '≤ 300 ms',
        ok: p50(total) <= 300,
      },
    ];
  } finally {
    await store.close();
    await cdn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runWhenMain(import.meta.url, async () => {
  const raw: Record<string, unknown> = {};
  console.log(rowsTable(await wrappedRows(raw)));
  if (process.argv.includes('--json')) console.log(JSON.stringify(raw));
});
