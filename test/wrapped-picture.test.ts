// The /wrapped picture on its own, decoded: a 1080×1920 JPEG; the top artist's cover fetched (from the image CDN
// emulator) and drawn where the layout says, a placeholder when there is none or it fails; names in any script and
// of any length cut to fit. With WRAPPED_PICTURES_DIR set, PNG copies are written there to look at.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImageCdn, type ImageCdn } from '../emulators/image-cdn.js';
import { wrappedPictureInput } from '../src/features/wrapped/replies.js';
import { translatorFor } from '../src/i18n/translator.js';
import type { Wrapped, WrappedTop } from '../src/features/wrapped/service.js';
import { CoverArt } from '../src/render/cover-art.js';
import { renderWrapped, WRAPPED_HEIGHT, WRAPPED_LAYOUT, WRAPPED_WIDTH } from '../src/render/wrapped.js';

let cdn: ImageCdn;
let covers: CoverArt;
beforeAll(async () => {
  cdn = await startImageCdn();
  covers = new CoverArt({ fetchOverride: cdn.urlFor });
});
afterAll(async () => {
  await cdn?.close();
});

const HOUR = 3_600_000;
const top = (name: string, artist: string | null, plays: number): WrappedTop => ({ name, artist, plays, ms: plays * 200_000 });

function wrapped(over: Partial<Wrapped>): Wrapped {
  return {
    userId: '1',
    year: 2026,
    timeZone: 'UTC',
    totals: { plays: 15_000, ms: 15_000 * 200_000, tracks: 2_400, artists: 610, albums: 900 },
    topArtists: [top('Dua Lipa', null, 812), top('The Weeknd', null, 640), top('Taylor Swift', null, 600), top('Daft Punk', null, 420), top('Kendrick Lamar', null, 300)],
    topTracks: [
      top('Levitating', 'Dua Lipa', 140),
      top('Blinding Lights', 'The Weeknd', 120),
      top('Anti-Hero', 'Taylor Swift', 99),
      top('One More Time', 'Daft Punk', 80),
      top('HUMBLE.', 'Kendrick Lamar', 75),
    ],
    topArtistImageId: 'ab67616d0000b273dualipa',
    months: Array.from({ length: 12 }, () => 0),
    busiestMonth: { when: '2026-03', ms: 41 * HOUR + 12 * 60_000, plays: 900 },
    busiestDay: { when: '2026-03-14', ms: 6 * HOUR + 12 * 60_000, plays: 110 },
    fan: { userId: '2', plays: 930 },
    stored: null,
    ...over,
  };
}

const CASES: Array<{ file: string; w: Wrapped; name: string; fan: string | null; cover: boolean }> = [
  { file: 'latin', w: wrapped({}), name: 'Mia', fan: 'Leo', cover: true },
  {
    file: 'cjk',
    w: wrapped({
      topArtists: [top('宇多田ヒカル', null, 500), top('YOASOBI', null, 300), top('방탄소년단', null, 200), top('周杰倫', null, 90), top('米津玄師', null, 80)],
      topTracks: [top('First Love', '宇多田ヒカル', 90), top('夜に駆ける', 'YOASOBI', 80), top('봄날', '방탄소년단', 70), top('晴天', '周杰倫', 60), top('Lemon', '米津玄師', 50)],
      topArtistImageId: null,
    }),
    name: 'さくら',
    fan: '美咲',
    cover: false,
  },
  {
    file: 'arabic',
    w: wrapped({
      topArtists: [top('عمرو دياب', null, 400), top('فيروز', null, 350), top('أم كلثوم', null, 200), top('Cairokee', null, 90), top('محمد منير', null, 80)],
      topTracks: [top('تملي معاك', 'عمرو دياب', 90), top('كيفك إنت', 'فيروز', 85), top('ألف ليلة وليلة', 'أم كلثوم', 70), top('Marboot Be Astek', 'Cairokee', 60), top('حدوتة مصرية', 'محمد منير', 50)],
      topArtistImageId: 'ab67616d0000b273amrdiab',
    }),
    name: 'ليلى',
    fan: 'يوسف',
    cover: true,
  },
  {
    file: 'one-play',
    w: wrapped({
      totals: { plays: 1, ms: 150_000, tracks: 1, artists: 1, albums: 1 },
      topArtists: [{ ...top('Zoë Solo', null, 1), ms: 150_000 }],
      topTracks: [{ ...top('Only Song', 'Zoë Solo', 1), ms: 150_000 }],
      topArtistImageId: null,
      busiestMonth: { when: '2019-07', ms: 150_000, plays: 1 },
      busiestDay: { when: '2019-07-04', ms: 150_000, plays: 1 },
      fan: null,
      year: 2019,
    }),
    name: 'Zoë',
    fan: null,
    cover: false,
  },
  {
    file: 'long-names',
    w: wrapped({
      topArtists: Array.from({ length: 5 }, (_, i) => top(`The Extraordinarily Long-Named Philharmonic Orchestra and Choir of Somewhere ${i + 1}`, null, 12_345 - i)),
      topTracks: Array.from({ length: 5 }, (_, i) =>
        top(`Symphony No. ${i + 1} in C Minor, Op. 67: I. Allegro con brio (Remastered 2026 Deluxe Edition)`, 'Ludwig van Beethoven, Berliner Philharmoniker, Herbert von Karajan', 1_234 - i),
      ),
      totals: { plays: 123_456, ms: 9_876_543 * 60_000, tracks: 9_999, artists: 999, albums: 999 },
      busiestMonth: { when: '2026-09', ms: 123 * HOUR + 59 * 60_000, plays: 9_999 },
      busiestDay: { when: '2026-09-30', ms: 23 * HOUR + 59 * 60_000, plays: 999 },
      fan: { userId: '2', plays: 12_345 },
    }),
    name: 'Maximilian Alexander von Habsburg-Lothringen the Third of His Name',
    fan: 'Wolfgang Amadeus Theophilus Mozart-Fanclub-President',
    cover: true,
  },
];

async function decode(data: Buffer) {
  const image = await loadImage(data);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return { image, canvas, ctx };
}

/** How many distinct colours (coarsely) a square shows: a cover is busy, the placeholder a smooth gradient. */
function distinctColours(ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>, x: number, y: number, size: number): number {
  const px = ctx.getImageData(x, y, size, size).data;
  const seen = new Set<number>();
  for (let i = 0; i < px.length; i += 4) seen.add(((px[i]! >> 4) << 8) | ((px[i + 1]! >> 4) << 4) | (px[i + 2]! >> 4));
  return seen.size;
}

describe('the /wrapped picture', () => {
  it.each(CASES)('$file: a tall JPEG with the cover (or a placeholder) where the layout puts it', async ({ file, w, name, fan, cover }) => {
    const imageUrl = w.topArtistImageId ? cdn.spotifyUrl(w.topArtistImageId) : null;
    const rendered = await renderWrapped(wrappedPictureInput(w, name, fan ? { name: fan } : null, true, imageUrl), { covers });
    expect(rendered.contentType).toBe('image/jpeg');
    expect(rendered.coverFailures).toEqual([]);
    const { image, canvas, ctx } = await decode(rendered.data);
    expect([image.width, image.height]).toEqual([WRAPPED_WIDTH, WRAPPED_HEIGHT]);
    const { x, y, size } = WRAPPED_LAYOUT.cover;
    const colours = distinctColours(ctx, x + 40, y + 40, size - 80);
    if (cover) expect(colours, 'a cover is drawn').toBeGreaterThan(40);
    else expect(colours, 'a placeholder is drawn').toBeLessThan(40);
    // The corners stay background: nothing spills off the layout.
    expect(distinctColours(ctx, 0, WRAPPED_HEIGHT - 20, 20)).toBeLessThan(6);
    const dir = process.env.WRAPPED_PICTURES_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `wrapped-${file}.png`), await canvas.encode('png'));
    }
  });

  it('a cover that fails to load gets the placeholder and is reported', async () => {
    const w = wrapped({ topArtistImageId: 'missing' });
    const failing = new CoverArt({ fetchOverride: () => 'http://127.0.0.1:9/image/missing', timeoutMs: 500 });
    const rendered = await renderWrapped(wrappedPictureInput(w, 'Mia', null, false, cdn.spotifyUrl('missing')), { covers: failing });
    expect(rendered.coverFailures).toHaveLength(1);
    const { ctx } = await decode(rendered.data);
    const { x, y, size } = WRAPPED_LAYOUT.cover;
    expect(distinctColours(ctx, x + 40, y + 40, size - 80)).toBeLessThan(40);
  });
});

describe("the /wrapped picture in the asker's language", () => {
  it.each([
    ['de', 'Top-Monat', 'März', 'Minuten gehört · 15.000 Wiedergaben', /^Sa\., 14\. März$/],
    ['ja', '一番聴いた月', '3月', '分間再生 · 15,000回の再生', /^3月14日\(土\)$/],
  ] as const)('%s: its words, month and weekday names from Intl, drawn in any script', async (locale, label, month, minutes, day) => {
    const tr = await translatorFor(locale);
    const w = wrapped({ topArtists: [top('Dua Lipa', null, 812), top('宇多田ヒカル', null, 500)], topTracks: [top('Levitating', 'Dua Lipa', 1), top('夜に駆ける', 'YOASOBI', 2)] });
    const input = wrappedPictureInput(w, locale === 'de' ? 'Jörg' : 'さくら', { name: '美咲' }, true, cdn.spotifyUrl(w.topArtistImageId!), tr);
    expect(input.tiles[0]).toMatchObject({ label, value: month });
    expect(input.tiles[1]!.value).toMatch(day);
    expect(input.minutesLabel).toBe(minutes);
    expect(input.topTracks[0]!.plays).toBe(locale === 'de' ? '1 Wiedergabe' : '1回の再生');
    const rendered = await renderWrapped(input, { covers }, tr);
    const { image, canvas } = await decode(rendered.data);
    expect([image.width, image.height]).toEqual([WRAPPED_WIDTH, WRAPPED_HEIGHT]);
    const dir = process.env.WRAPPED_PICTURES_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `i18n-wrapped-${locale}.png`), await canvas.encode('png'));
    }
  });
});
