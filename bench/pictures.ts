// Pictures benchmark (#12): the card and the chart as the bot makes them — ListeningState/top list → the feature's
// input → Pictures (the one CoverArt per process, deadline, fallback) → WebP — with covers from the image CDN
// emulator on 127.0.0.1. `picturesRows()` returns rows for the main bench; `npx tsx bench/pictures.ts` prints them.
// The memory phase runs in a child process with V8's gc exposed; its idle point is the whole bot imported (every
// command module) and its Pictures built, nothing drawn: the canvas native module must not be mapped then.
//
// Options when run alone: --json (raw numbers too).

import { rowsTable, type BenchRow } from './lib/report.js';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startImageCdn } from '../emulators/image-cdn.js';
import { chartEntries } from '../src/features/chart/replies.js';
import { cardInputOf } from '../src/features/nowplaying/card.js';
import type { TopTrack } from '../src/features/top/service.js';
import type { TrackState } from '../src/listening-state.js';
import { createLogger } from '../src/logger.js';
import { LEAN_NODE_FLAGS, MALLOC_ENV } from '../src/node-flags.js';
import { Pictures } from '../src/render/pictures.js';

export type PictureRow = BenchRow;

const MiB = 1024 * 1024;

function p50(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const TITLES: Array<[string, string, string]> = [
  ['Blinding Lights', 'The Weeknd', 'After Hours'],
  ['夜に駆ける', 'YOASOBI', 'THE BOOK'],
  ['تملي معاك', 'عمرو دياب', 'تملي معاك'],
  ['Группа крови', 'Кино', 'Группа крови'],
  ['The Longest Song Title Anyone Has Ever Written (Extended Deluxe Remastered Version)', 'Someone, Someone Else', 'Something'],
];

/** A track as /nowplaying has it (a ListeningState), `i` picking title and position. */
export function trackState(i: number, imageUrl: string | null, now: number): TrackState {
  const [title, artists, album] = TITLES[i % TITLES.length]!;
  return {
    kind: 'track',
    title,
    url: 'https://open.spotify.com/track/0VjIjW4GlUZAMYd2vXMi3b',
    uri: 'spotify:track:0VjIjW4GlUZAMYd2vXMi3b',
    artists: artists.split(', ').map((name) => ({ name, url: null })),
    album: { name: album, url: null },
    imageUrl,
    isLocal: imageUrl === null,
    explicit: false,
    isPlaying: i % 3 !== 0,
    progressMs: (i * 7919) % 200_000,
    durationMs: 200_000,
    observedAt: now,
  };
}

/** `n` top tracks, each on its own album (n distinct covers). */
export function topTracks(n: number, url: (id: string) => string, prefix: string): TopTrack[] {
  return Array.from({ length: n }, (_, i) => {
    const [title, artists, album] = TITLES[i % TITLES.length]!;
    return {
      title,
      url: null,
      artists: artists.split(', ').map((name) => ({ name, url: null })),
      album: `${album} ${i + 1}`,
      imageUrl: url(`${prefix}-${i}`),
    };
  });
}

function card(pictures: Pictures, i: number, imageUrl: string | null) {
  const now = Date.now();
  const input = cardInputOf(trackState(i, imageUrl, now), { displayName: 'Zoë', source: 'spotify' }, now);
  if (!input) throw new Error('a track always has a card');
  return pictures.card(input);
}

function chart(pictures: Pictures, tracks: readonly TopTrack[], size: 3 | 4 | 5) {
  const entries = chartEntries('albums', { tracks }).slice(0, size * size);
  return pictures.chart({ kind: 'albums', size, heading: "Zoë's top albums · Last 4 weeks", tiles: entries.map((e) => e.tile) });
}

const silent = () => createLogger({ level: 'silent' });

/** 200-render phases for the memory check: 9 cards (40 covers in rotation, some local files) to 1 chart (one top list, 3 sizes). */
async function mixed(pictures: Pictures, url: (id: string) => string, count: number, offset: number): Promise<void> {
  for (let i = offset; i < offset + count; i++) {
    if (i % 10 === 9) await chart(pictures, topTracks(25, url, 'mem-chart'), ([3, 4, 5] as const)[i % 3]!);
    else await card(pictures, i, i % 7 === 0 ? null : url(`mem-${i % 40}`));
  }
}

interface MemoryReport {
  idle: number;
  canvasAtIdle: boolean;
  first: number;
  after200: number;
  after400: number;
}

async function memoryChild(origin: string): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const rss = async (): Promise<number> => {
    for (let k = 0; k < 3; k++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return process.memoryUsage().rss / MiB;
  };
  // Idle as a running bot has it: every module the bot imports, and its Pictures.
  await import('../commands/index.js');
  await import('../src/app.js');
  await import('../src/bot.js');
  const pictures = new Pictures({ logger: silent(), imagesUrl: origin });
  const url = (id: string) => `https://i.scdn.co/image/${id}`;
  const canvasAtIdle = process.report.getReport() as unknown as { sharedObjects: string[] };
  const idle = await rss();
  await mixed(pictures, url, 1, 0);
  const first = await rss();
  await mixed(pictures, url, 199, 1);
  const after200 = await rss();
  await mixed(pictures, url, 200, 200);
  const after400 = await rss();
  const report: MemoryReport = { idle, canvasAtIdle: canvasAtIdle.sharedObjects.some((p) => /skia|napi-rs/i.test(p)), first, after200, after400 };
  process.stdout.write(JSON.stringify(report));
}

function runChild(origin: string, env: NodeJS.ProcessEnv, flags: readonly string[]): Promise<MemoryReport> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...flags, '--import', 'tsx', self, '--memory-child', origin], { maxBuffer: MiB, env }, (error, out) =>
      error ? reject(error) : resolve(JSON.parse(out) as MemoryReport),
    );
  });
}

/** Every pictures row; `raw` receives the numbers. */
export async function picturesRows(raw: Record<string, unknown> = {}): Promise<PictureRow[]> {
  const rows: PictureRow[] = [];
  const cdn = await startImageCdn();
  try {
    const url = (id: string) => cdn.spotifyUrl(id);
    const pictures = new Pictures({ logger: silent(), imagesUrl: cdn.origin });

    // First picture of the process: loads canvas, registers fonts, fetches a cover.
    let t = performance.now();
    await card(pictures, 0, url('card'));
    raw.firstCardMs = performance.now() - t;
    rows.push({ metric: 'pictures: first card in a process (loads canvas + fonts, fetches its cover)', result: `${(raw.firstCardMs as number).toFixed(0)} ms`, target: '—', ok: null });

    // Cover cached: warm every script's fonts first.
    for (let i = 0; i < TITLES.length; i++) await card(pictures, i, url('card'));
    const cached: number[] = [];
    let cardBytes = 0;
    for (let i = 0; i < 50; i++) {
      t = performance.now();
      const image = await card(pictures, i, url('card'));
      cached.push(performance.now() - t);
      cardBytes = Math.max(cardBytes, image?.data.length ?? Number.POSITIVE_INFINITY);
    }
    raw.cardCachedP50 = p50(cached);
    rows.push({ metric: 'pictures: card, cover cached (p50 of 50)', result: `${p50(cached).toFixed(1)} ms`, target: '≤ 25 ms', ok: p50(cached) <= 25 });

    // Cold: each card's cover is new and served after 80 ms.
    for (let i = 0; i < 12; i++) await cdn.imageBytes(`cold-${i}`);
    cdn.setLatency(80);
    const cold: number[] = [];
    for (let i = 0; i < 12; i++) {
      t = performance.now();
      await card(pictures, i, url(`cold-${i}`));
      cold.push(performance.now() - t);
    }
    cdn.setLatency(0);
    raw.cardColdP50 = p50(cold);
    rows.push({ metric: 'pictures: card, one cover fetch at 80 ms latency (p50 of 12)', result: `${p50(cold).toFixed(1)} ms`, target: '≤ 120 ms', ok: p50(cold) <= 120 });

    // 5×5 chart: 25 new covers, then cached.
    const tracks = topTracks(40, url, 'grid');
    for (let i = 0; i < 25; i++) await cdn.imageBytes(`grid-${i}`);
    cdn.resetCounts();
    cdn.setLatency(80);
    t = performance.now();
    const firstChart = await chart(pictures, tracks, 5);
    raw.chartFirstMs = performance.now() - t;
    cdn.setLatency(0);
    const chartTimes: number[] = [];
    for (let i = 0; i < 12; i++) {
      t = performance.now();
      await chart(pictures, tracks, 5);
      chartTimes.push(performance.now() - t);
    }
    raw.chartCachedP50 = p50(chartTimes);
    const once = cdn.totalFetches() === 25 && Array.from({ length: 25 }, (_, i) => cdn.fetchCount(`grid-${i}`)).every((n) => n === 1);
    rows.push({ metric: 'pictures: 5×5 chart, covers cached (p50 of 12)', result: `${p50(chartTimes).toFixed(1)} ms`, target: '≤ 250 ms', ok: p50(chartTimes) <= 250 });
    rows.push({
      metric: 'pictures: 5×5 chart covers fetched (13 renders; first at 80 ms latency, at most 6 at once)',
      result: `${cdn.totalFetches()} fetches, max ${cdn.maxInFlight()} in flight; first chart ${(raw.chartFirstMs as number).toFixed(0)} ms`,
      target: '25, each once',
      ok: once && cdn.maxInFlight() <= 6,
    });
    const chartBytes = firstChart?.data.length ?? Number.POSITIVE_INFINITY;
    rows.push({ metric: 'pictures: card size (as uploaded, largest of 50)', result: `${(cardBytes / 1024).toFixed(0)} KiB`, target: '< 500 KiB', ok: cardBytes < 500 * 1024 });
    rows.push({ metric: 'pictures: 5×5 chart size (as uploaded)', result: `${(chartBytes / 1024).toFixed(0)} KiB`, target: '< 2 MiB', ok: chartBytes < 2 * MiB });

    // Memory, in a child process: plain node, then as the Docker image and the systemd unit run it (LEAN_NODE_FLAGS
    // and MALLOC_ENV, src/node-flags.ts).
    const plain = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MALLOC_')));
    for (const deployed of [false, true]) {
      const mem = await runChild(cdn.origin, deployed ? { ...plain, ...MALLOC_ENV } : plain, deployed ? [...LEAN_NODE_FLAGS] : []);
      const tag = deployed ? ` (as deployed: ${[...LEAN_NODE_FLAGS, ...Object.entries(MALLOC_ENV).map(([k, v]) => `${k}=${v}`)].join(' ')})` : ' (plain node)';
      raw[deployed ? 'memoryDeployed' : 'memory'] = mem;
      rows.push({
        metric: `pictures: idle RSS${tag}, whole bot imported, nothing drawn — canvas loaded?`,
        result: `${mem.idle.toFixed(0)} MiB, canvas ${mem.canvasAtIdle ? 'LOADED' : 'not loaded'}`,
        target: 'not loaded (lazy)',
        ok: !mem.canvasAtIdle,
      });
      rows.push({ metric: `pictures: RSS after the first picture${tag}`, result: `+${(mem.first - mem.idle).toFixed(1)} MiB`, target: '—', ok: null });
      const over = mem.after200 - mem.idle;
      rows.push({ metric: `pictures: RSS after 200 mixed renders${tag}, vs idle`, result: `+${over.toFixed(1)} MiB`, target: '≤ +60 MB', ok: over * MiB <= 60e6 });
      const growth = mem.after400 - mem.after200;
      rows.push({
        metric: `pictures: RSS over a further 200 renders${tag}`,
        result: `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB`,
        target: 'not growing (≤ +5 MiB)',
        ok: growth <= 5,
      });
    }
  } finally {
    await cdn.close();
  }
  return rows;
}

async function main(): Promise<void> {
  const raw: Record<string, unknown> = {};
  const rows = await picturesRows(raw);
  const { loadavg } = await import('node:os');
  console.log(`Load average (1 min) at the end: ${loadavg()[0]!.toFixed(1)}`);
  console.log(rowsTable(rows));
  if (process.argv.includes('--json')) console.log(JSON.stringify(raw));
}

const childAt = process.argv.indexOf('--memory-child');
if (childAt >= 0) await memoryChild(process.argv[childAt + 1]!);
else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
