// Render benchmark: `npx tsx bench/render.ts`. Prints a markdown table (measure, target, result, ✓/✗).
// Covers come from the image CDN emulator (emulators/image-cdn.ts) on 127.0.0.1. The memory phase runs in a child
// process (so the emulator's own images and this process's timing runs do not count), with V8's gc exposed:
// idle = src/render imported and one fetch() made (a running bot has long loaded undici for the Spotify API; its
// first fetch costs several MiB that are not the pictures'), nothing drawn yet. It runs twice: with node's defaults,
// and as deployed (Dockerfile, systemd unit): node flags LEAN_NODE_FLAGS and the glibc malloc environment MALLOC_ENV
// (src/node-flags.ts). Covers are Spotify-shaped 300 px album ids (what the bot fetches), served at 300 px.
//
// Options: --json (also print the raw numbers as JSON), --samples <dir> (only write sample cards and charts there, each
// also as a PNG copy for image viewers), --rss-child <origin> (internal).

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startImageCdn } from '../emulators/image-cdn.js';
import { CoverArt } from '../src/render/cover-art.js';
import { renderChart, type ChartTile } from '../src/render/chart.js';
import { renderNowPlayingCard, type CardState } from '../src/render/card.js';
import { registeredFontCount } from '../src/render/fonts.js';
import { LEAN_NODE_FLAGS, MALLOC_ENV } from '../src/node-flags.js';

const MiB = 1024 * 1024;

/**
 * A Spotify-shaped image id for a bench cover name: the 300 px album-cover prefix the bot picks (coverImage in
 * src/listening-state.ts) + 24 hex chars. The image CDN emulator serves it at 300 px, as Spotify would.
 */
function coverId(name: string): string {
  return `ab67616d00001e02${createHash('sha1').update(name).digest('hex').slice(0, 24)}`;
}

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `f`, returning wall ms and this process's CPU ms (all threads: the encoders run on the libuv pool). */
async function timed<T>(f: () => Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(cpu0);
  return { wall, cpu: (c.user + c.system) / 1000, value };
}

function getGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const TITLES: Array<[string, string, string]> = [
  ['Señorita (Déjà vu)', 'Beyoncé, Sigur Rós', 'Ørkenvandring'],
  ['夜に駆ける', 'YOASOBI', 'THE BOOK'],
  ['봄날', '방탄소년단', 'YOU NEVER WALK ALONE'],
  ['Группа крови', 'Кино', 'Группа крови'],
  ['تملي معاك', 'عمرو دياب', 'تملي معاك'],
  ['שיר לשלום', 'להקת הנח"ל', 'שירים'],
  ['🔥 Fire Song 🎵', 'DJ 😎', 'Emoji Hits ✨'],
  ['晴天', '周杰倫', '葉惠美'],
  ['The Longest Song Title Anyone Has Ever Written (Extended Deluxe Remastered Version)', 'Someone', 'Something'],
];

function cardState(i: number, imageUrl: string | null): CardState {
  const [title, artists, album] = TITLES[i % TITLES.length]!;
  return {
    kind: 'track',
    title,
    artists: artists.split(', ').map((name) => ({ name })),
    album: { name: album },
    imageUrl,
    isLocal: imageUrl === null,
    isPlaying: i % 3 !== 0,
    progressMs: (i * 7919) % 200_000,
    durationMs: 200_000,
  };
}

function chartTiles(url: (id: string) => string, n: number): ChartTile[] {
  return Array.from({ length: n }, (_, i) => ({
    title: TITLES[i % TITLES.length]![2],
    subtitle: TITLES[i % TITLES.length]![1],
    imageUrl: i === 3 ? null : url(`chart-${i}`),
  }));
}

async function mixedRenders(covers: CoverArt, url: (id: string) => string, count: number, offset: number): Promise<void> {
  for (let i = offset; i < offset + count; i++) {
    if (i % 10 === 9) {
      const size = ([3, 4, 5] as const)[i % 3]!;
      await renderChart({ kind: 'albums', size, tiles: chartTiles(url, 25), heading: 'Top albums' }, { covers });
    } else {
      // 40 distinct card covers in rotation (9 MiB at 240 px) plus the charts' tiles: about the 12 MiB cache.
      await renderNowPlayingCard(
        { state: cardState(i, i % 7 === 0 ? null : url(`mix-${i % 40}`)), listener: { displayName: 'Zoë' } },
        { covers },
      );
    }
  }
}

/** The memory phase, in its own process. Prints JSON {idle, first, after200, after400, fonts}. */
async function rssChild(origin: string): Promise<void> {
  const gc = getGc();
  const urlFor = (u: URL) => `${origin}${u.pathname}`;
  const url = (name: string) => `https://i.scdn.co/image/${coverId(name)}`;
  const covers = new CoverArt({ fetchOverride: urlFor });
  const rss = async () => {
    for (let k = 0; k < 3; k++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve)); // let native finalizers run
    }
    return process.memoryUsage().rss / MiB;
  };
  await (await fetch(`${origin}/warm-up`)).text(); // a 404: loads undici as the bot's Spotify client has
  const idle = await rss();
  await mixedRenders(covers, url, 1, 0);
  const first = await rss();
  await mixedRenders(covers, url, 199, 1);
  const after200 = await rss();
  await mixedRenders(covers, url, 200, 200);
  const after400 = await rss();
  process.stdout.write(JSON.stringify({ idle, first, after200, after400, fonts: registeredFontCount(), fetches: covers.stats().fetches }));
}

async function main(): Promise<void> {
  const cdn = await startImageCdn();
  try {
    const url = (name: string) => cdn.spotifyUrl(coverId(name));
    const results: Array<{ measure: string; target: string; result: string; ok: boolean }> = [];
    const raw: Record<string, unknown> = {};

    // First render in this process: loads canvas and registers the fonts it needs.
    const covers = new CoverArt({ fetchOverride: cdn.urlFor });
    await cdn.imageBytes(coverId('card'));
    let t = performance.now();
    await renderNowPlayingCard({ state: cardState(0, url('card')), listener: { displayName: 'Zoë' } }, { covers });
    raw.firstRenderMs = performance.now() - t;
    const loadAverage = (await import('node:os')).loadavg()[0]!;
    results.push({ measure: 'machine load average (1 min) at start', target: '—', result: loadAverage.toFixed(1), ok: true });
    results.push({ measure: 'first card in a process (loads canvas + fonts, fetches cover)', target: '—', result: `${(raw.firstRenderMs as number).toFixed(0)} ms`, ok: true });

    // Warm every script's fonts, then time cached-cover cards.
    for (let i = 0; i < TITLES.length; i++) await renderNowPlayingCard({ state: cardState(i, url('card')), listener: { displayName: 'Zoë' } }, { covers });
    const cached: number[] = [];
    const cachedCpu: number[] = [];
    let cardBytes = 0;
    for (let i = 0; i < 60; i++) {
      const r = await timed(() => renderNowPlayingCard({ state: cardState(i, url('card')), listener: { displayName: 'Zoë' } }, { covers }));
      cached.push(r.wall);
      cachedCpu.push(r.cpu);
      cardBytes = Math.max(cardBytes, r.value.data.length);
    }
    raw.cardCachedP50 = p50(cached);
    raw.cardCachedCpuP50 = p50(cachedCpu);
    results.push({ measure: 'card, cover cached (p50 of 60, mixed scripts)', target: '≤ 25 ms', result: `${p50(cached).toFixed(1)} ms (CPU ${p50(cachedCpu).toFixed(1)} ms)`, ok: p50(cached) <= 25 });

    // Cold: each render's cover is new, served after 80 ms.
    cdn.setLatency(80);
    for (let i = 0; i < 15; i++) await cdn.imageBytes(coverId(`cold-${i}`));
    const cold: number[] = [];
    const coldCpu: number[] = [];
    for (let i = 0; i < 15; i++) {
      const r = await timed(() => renderNowPlayingCard({ state: cardState(i, url(`cold-${i}`)), listener: { displayName: 'Zoë' } }, { covers }));
      cold.push(r.wall);
      coldCpu.push(r.cpu);
    }
    cdn.setLatency(0);
    raw.cardColdP50 = p50(cold);
    raw.cardColdCpuP50 = p50(coldCpu);
    results.push({ measure: 'card, one cover fetch at 80 ms latency (p50 of 15)', target: '≤ 120 ms', result: `${p50(cold).toFixed(1)} ms (CPU ${p50(coldCpu).toFixed(1)} ms, incl. the emulator serving it)`, ok: p50(cold) <= 120 });

    // 5×5 chart: first render fetches 25 covers; then cached.
    const tiles = Array.from({ length: 25 }, (_, i) => ({ title: TITLES[i % TITLES.length]![2], subtitle: TITLES[i % TITLES.length]![1], imageUrl: url(`g-${i}`) }));
    for (let i = 0; i < 25; i++) await cdn.imageBytes(coverId(`g-${i}`));
    cdn.resetCounts();
    const chartCovers = new CoverArt({ fetchOverride: cdn.urlFor });
    t = performance.now();
    const firstChart = await renderChart({ kind: 'albums', size: 5, tiles, heading: "Zoë's top albums · Last 4 weeks" }, { covers: chartCovers });
    raw.chartColdMs = performance.now() - t;
    const chartTimes: number[] = [];
    const chartCpu: number[] = [];
    for (let i = 0; i < 15; i++) {
      const r = await timed(() => renderChart({ kind: 'albums', size: 5, tiles, heading: "Zoë's top albums · Last 4 weeks" }, { covers: chartCovers }));
      chartTimes.push(r.wall);
      chartCpu.push(r.cpu);
    }
    raw.chartCachedP50 = p50(chartTimes);
    raw.chartCachedCpuP50 = p50(chartCpu);
    const eachOnce = cdn.totalFetches() === 25 && tiles.every((_, i) => cdn.fetchCount(coverId(`g-${i}`)) === 1);
    results.push({ measure: '5×5 chart, covers cached (p50 of 15)', target: '≤ 250 ms', result: `${p50(chartTimes).toFixed(1)} ms (CPU ${p50(chartCpu).toFixed(1)} ms)`, ok: p50(chartTimes) <= 250 });
    results.push({ measure: '5×5 chart, 25 covers fetched (first render; 16 renders in all)', target: '25 fetches, each once', result: `${cdn.totalFetches()} fetches, ${(raw.chartColdMs as number).toFixed(0)} ms first`, ok: eachOnce });
    results.push({ measure: 'card size (JPEG, largest seen)', target: '< 500 KiB', result: `${(cardBytes / 1024).toFixed(0)} KiB`, ok: cardBytes < 500 * 1024 });
    results.push({ measure: '5×5 chart size (JPEG)', target: '< 2 MiB', result: `${(firstChart.data.length / 1024).toFixed(0)} KiB`, ok: firstChart.data.length < 2 * MiB });

    // Memory, in a child process.
    const self = fileURLToPath(import.meta.url);
    // Node's defaults (no malloc settings either, whatever this process was given); then as deployed (Dockerfile,
    // systemd unit): the lean node flags and the malloc environment of src/node-flags.ts.
    const plainEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MALLOC_')));
    const deployedTag = ` (as deployed: ${LEAN_NODE_FLAGS.join(' ')}, ${Object.entries(MALLOC_ENV).map(([k, v]) => `${k}=${v}`).join(' ')})`;
    for (const flags of [[], [...LEAN_NODE_FLAGS]]) {
      const env = flags.length > 0 ? { ...plainEnv, ...MALLOC_ENV } : plainEnv;
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, [...flags, '--import', 'tsx', self, '--rss-child', cdn.origin], { maxBuffer: MiB, env }, (error, out) =>
          error ? reject(error) : resolve(out),
        );
      });
      const mem = JSON.parse(stdout) as { idle: number; first: number; after200: number; after400: number; fonts: number; fetches: number };
      const tag = flags.length > 0 ? deployedTag : '';
      raw[`memory${flags.length > 0 ? 'Deployed' : ''}`] = mem;
      results.push({ measure: `RSS idle${tag} (render module imported, nothing drawn)`, target: '—', result: `${mem.idle.toFixed(0)} MiB`, ok: true });
      results.push({ measure: `RSS after the first render${tag}`, target: '—', result: `+${(mem.first - mem.idle).toFixed(1)} MiB`, ok: true });
      results.push({ measure: `RSS after 200 mixed renders${tag}, vs idle`, target: '≤ +60 MB', result: `+${(mem.after200 - mem.idle).toFixed(1)} MiB`, ok: (mem.after200 - mem.idle) * MiB <= 60e6 });
      const growth = mem.after400 - mem.after200;
      results.push({ measure: `RSS over a further 200 renders${tag}`, target: 'not growing (≤ +5 MiB)', result: `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB`, ok: growth <= 5 });
      if (flags.length === 0) {
        results.push({ measure: 'font files registered / covers fetched by 400 mixed renders', target: '—', result: `${mem.fonts} / ${mem.fetches}`, ok: true });
      }
    }

    results.push({ measure: 'machine load average (1 min) at the end', target: '—', result: (await import('node:os')).loadavg()[0]!.toFixed(1), ok: true });
    console.log('| Measure | Target | Result | |');
    console.log('|---|---|---|---|');
    for (const r of results) console.log(`| ${r.measure} | ${r.target} | ${r.result} | ${r.ok ? '✓' : '✗'} |`);
    if (process.argv.includes('--json')) console.log(JSON.stringify(raw));
    process.exitCode = results.every((r) => r.ok) ? 0 : 1;
  } finally {
    await cdn.close();
  }
}

/** Sample pictures for a human to look at: every script, long text, episode, paused, missing art, each chart size. */
async function samples(dir: string): Promise<void> {
  const { loadImage, createCanvas } = await import('@napi-rs/canvas');
  await mkdir(dir, { recursive: true });
  const cdn = await startImageCdn();
  try {
    const covers = new CoverArt({ fetchOverride: cdn.urlFor });
    const url = (name: string) => cdn.spotifyUrl(coverId(name));
    const write = async (name: string, data: Buffer) => {
      await writeFile(join(dir, name), data);
      const image = await loadImage(data);
      const copy = createCanvas(image.width, image.height);
      copy.getContext('2d').drawImage(image, 0, 0);
      await writeFile(join(dir, name.replace(/\.\w+$/, '.png')), await copy.encode('png'));
    };
    const track = (title: string, artists: string, album: string, extra: Partial<CardState> = {}): CardState => ({
      kind: 'track',
      title,
      artists: artists.split(', ').map((name) => ({ name })),
      album: { name: album },
      imageUrl: url(`sample-${title.length}`),
      isPlaying: true,
      progressMs: 83_000,
      durationMs: 215_000,
      ...extra,
    } as CardState);
    const cards: Array<[string, CardState, string]> = [
      ['latin', track('Señorita (Déjà vu) — Ñandú', 'Beyoncé, Sigur Rós, Zoë Kravitz', 'Ørkenvandring · Ça ira'), 'Zoë Åström'],
      ['long', track(TITLES[8]![0], 'An Artist With A Very Long Name, Another Artist, And A Third One', 'The Album Name That Also Goes On And On Forever (Super Deluxe)'), 'Someone With A Really Long Display Name Indeed'],
      ['cjk', track('夜に駆ける', 'YOASOBI', 'THE BOOK'), '晴天'],
      ['hangul', track('봄날', '방탄소년단', 'YOU NEVER WALK ALONE'), '민지'],
      ['arabic', track('تملي معاك', 'عمرو دياب', 'تملي معاك'), 'سارة'],
      ['emoji', track('🔥 Fire Song 🎵 👩‍👩‍👧‍👦 🇯🇵', 'DJ 😎', 'Emoji Hits ✨'), 'Zoë 🎧'],
      ['paused', track('Paused Song', 'Band', 'Record', { isPlaying: false, progressMs: 190_000 }), 'Zoë'],
      ['local', track('demo_v3 (final) FINAL', 'Me', '', { imageUrl: null, isLocal: true }), 'Zoë'],
      [
        'episode',
        { kind: 'episode', title: 'Episode 212: How Compression Works', show: { name: 'The Tech Show' }, publisher: 'Pod Co', imageUrl: url('episode'), isPlaying: true, progressMs: 2_000_000, durationMs: 3_725_000 },
        'Zoë',
      ],
    ];
    for (const [name, state, displayName] of cards) {
      const image = await renderNowPlayingCard({ state, listener: { displayName, source: name === 'paused' ? 'discord-status' : 'spotify' } }, { covers });
      await write(`card-${name}.jpg`, image.data);
    }
    for (const size of [3, 5] as const) {
      const tiles = chartTiles(url, size * size);
      const image = await renderChart({ kind: 'albums', size, tiles, heading: "Zoë's top albums · Last 4 weeks" }, { covers });
      await write(`chart-${size}x${size}.jpg`, image.data);
    }
    const artists = chartTiles(url, 16).map(({ title, imageUrl }) => ({ title, imageUrl }));
    await write('chart-4x4-artists.jpg', (await renderChart({ kind: 'artists', size: 4, tiles: artists }, { covers })).data);
  } finally {
    await cdn.close();
  }
}

const childAt = process.argv.indexOf('--rss-child');
const samplesAt = process.argv.indexOf('--samples');
if (childAt >= 0) await rssChild(process.argv[childAt + 1]!);
else if (samplesAt >= 0) await samples(process.argv[samplesAt + 1] ?? '/tmp/render-check2');
else await main();
