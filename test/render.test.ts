// The card and the chart, decoded and checked pixel by pixel; the text pipeline (fonts from npm, no boxes, right to
// left, grapheme-safe ellipsis); the album derivation; and that importing src/render loads no canvas.

import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createCanvas, GlobalFonts, loadImage, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImageCdn, type ImageCdn } from '../emulators/image-cdn.js';
import { CARD_LAYOUT, hasCard, renderNowPlayingCard, type CardState, type CardTrack } from '../src/render/card.js';
import { loadCanvas } from '../src/render/canvas.js';
import { chartTileRect, deriveTopAlbums, renderChart, type ChartTile, type ChartTrack } from '../src/render/chart.js';
import { CoverArt } from '../src/render/cover-art.js';
import { fontFor } from '../src/render/fonts.js';
import { releaseIdle, spareSurfaces } from '../src/render/surfaces.js';
import { baseDirection, drawLine, ELLIPSIS, fitText, graphemes, applyTextStyle } from '../src/render/text-layout.js';

let cdn: ImageCdn;
let covers: CoverArt;

beforeAll(async () => {
  cdn = await startImageCdn();
  covers = new CoverArt({ fetchOverride: cdn.urlFor });
});

afterAll(async () => {
  await cdn.close();
});

interface Decoded {
  width: number;
  height: number;
  canvas: Canvas;
  px(x: number, y: number): [number, number, number, number];
}

async function decode(data: Buffer): Promise<Decoded> {
  const image = await loadImage(data);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const all = ctx.getImageData(0, 0, image.width, image.height).data;
  return {
    width: image.width,
    height: image.height,
    canvas,
    px: (x, y) => {
      const i = (Math.round(y) * image.width + Math.round(x)) * 4;
      return [all[i]!, all[i + 1]!, all[i + 2]!, all[i + 3]!];
    },
  };
}

function close(a: readonly number[], b: readonly number[], tolerance: number): boolean {
  return a.slice(0, 3).every((v, i) => Math.abs(v - b[i]!) <= tolerance);
}

/** Pixels that differ between two same-sized images, with their bounding box. */
function diff(a: Decoded, b: Decoded, tolerance = 8): { count: number; box: { x0: number; y0: number; x1: number; y1: number } } {
  let count = 0;
  const box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      if (!close(a.px(x, y), b.px(x, y), tolerance)) {
        count++;
        box.x0 = Math.min(box.x0, x);
        box.y0 = Math.min(box.y0, y);
        box.x1 = Math.max(box.x1, x);
        box.y1 = Math.max(box.y1, y);
      }
    }
  }
  return { count, box };
}

function track(overrides: Partial<CardTrack> = {}): CardTrack {
  return {
    kind: 'track',
    title: 'Señorita',
    artists: [{ name: 'Beyoncé' }],
    album: { name: 'Ørkenvandring' },
    imageUrl: cdn.spotifyUrl('card-cover'),
    isLocal: false,
    isPlaying: true,
    progressMs: 60_000,
    durationMs: 240_000,
    ...overrides,
  };
}

async function card(state: CardState, displayName = 'Zoë') {
  return renderNowPlayingCard({ state, listener: { displayName } }, { covers });
}

describe('entry point', () => {
  it('importing src/render loads no canvas; the first render does', async () => {
    const script = `
      const native = () => process.report.getReport().sharedObjects.some((p) => p.includes('skia'));
      const render = await import('./src/render/index.ts');
      const before = native() || Object.keys(globalThis).includes('__napi_canvas');
      const { loadCanvas } = await import('./src/render/canvas.ts');
      await loadCanvas();
      console.log(JSON.stringify({ exported: typeof render.renderNowPlayingCard, before, after: native() }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: join(import.meta.dirname, '..') },
    );
    expect(JSON.parse(stdout.trim())).toEqual({ exported: 'function', before: false, after: true });
  });
});

describe('hasCard', () => {
  it('tracks and episodes get a card; ads, nothing and unknown get the text reply', () => {
    expect(hasCard({ kind: 'track' })).toBe(true);
    expect(hasCard({ kind: 'episode' })).toBe(true);
    expect(hasCard({ kind: 'ad' })).toBe(false);
    expect(hasCard({ kind: 'nothing' })).toBe(false);
    expect(hasCard({ kind: 'unknown' })).toBe(false);
  });
});

describe('now-playing card', () => {
  it('is an 800×280 JPEG under 500 KiB with the cover drawn where the cover goes', async () => {
    const result = await card(track());
    expect(result.name).toBe('nowplaying.jpg');
    expect(result.contentType).toBe('image/jpeg');
    expect([...result.data.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(result.data.length).toBeLessThan(500 * 1024);
    expect(result.coverFailures).toEqual([]);
    const img = await decode(result.data);
    expect([img.width, img.height]).toEqual([800, 280]);

    const cover = await covers.get(cdn.spotifyUrl('card-cover'));
    if (!cover.ok) throw new Error(cover.reason);
    const { x, y, size } = CARD_LAYOUT.cover;
    const stored = cover.image.getContext('2d');
    const scale = cover.image.width / size;
    for (const [u, v] of [[0.5, 0.5], [0.2, 0.3], [0.8, 0.7]] as const) {
      const got = img.px(x + u * size, y + v * size);
      const want = stored.getImageData(Math.floor(u * size * scale), Math.floor(v * size * scale), 1, 1).data;
      expect(close(got, [...want], 30), `cover at ${u},${v}: ${got} vs ${[...want]}`).toBe(true);
    }
    // Opaque to the corners (Discord rounds them), and the corner is the dark background, not a light fill.
    expect(img.px(0, 0)[3]).toBe(255);
    expect(img.px(799, 279)[3]).toBe(255);
    const corner = img.px(799, 279);
    expect(corner[0] + corner[1] + corner[2]).toBeLessThan(3 * 40);
  });

  for (const fraction of [0.25, 0.8]) {
    it(`fills ${fraction * 100}% of the progress bar`, async () => {
      const img = await decode((await card(track({ progressMs: 240_000 * fraction }))).data);
      const y = CARD_LAYOUT.bar.y + CARD_LAYOUT.bar.height / 2;
      let white = 0;
      for (let x = CARD_LAYOUT.textX; x < CARD_LAYOUT.textRight; x++) if (close(img.px(x, y), [255, 255, 255], 20)) white++;
      const width = CARD_LAYOUT.textRight - CARD_LAYOUT.textX;
      expect(Math.abs(white / width - fraction)).toBeLessThan(0.02);
    });
  }

  it('draws the paused bar grey, not white', async () => {
    const img = await decode((await card(track({ isPlaying: false, progressMs: 120_000 }))).data);
    const y = CARD_LAYOUT.bar.y + CARD_LAYOUT.bar.height / 2;
    const inside = img.px(CARD_LAYOUT.textX + 100, y);
    expect(close(inside, [255, 255, 255], 20)).toBe(false);
    expect(inside[0]).toBeGreaterThan(120);
  });

  it('draws the title in the title band and the artists in theirs', async () => {
    const base = await decode((await card(track())).data);
    const otherTitle = await decode((await card(track({ title: 'Something else entirely' }))).data);
    const t = diff(base, otherTitle, 48); // JPEG: the encoder's tiny shifts elsewhere are not drawing
    expect(t.count).toBeGreaterThan(500);
    expect(t.box.x0).toBeGreaterThanOrEqual(CARD_LAYOUT.textX - 2);
    expect(t.box.y0).toBeGreaterThan(CARD_LAYOUT.headerY);
    expect(t.box.y1).toBeLessThan(CARD_LAYOUT.line2Y - 20);

    const otherArtists = await decode((await card(track({ artists: [{ name: 'Sigur Rós' }] }))).data);
    const a = diff(base, otherArtists, 48);
    expect(a.count).toBeGreaterThan(200);
    expect(a.box.y0).toBeGreaterThan(CARD_LAYOUT.titleY);
    expect(a.box.y1).toBeLessThan(CARD_LAYOUT.line3Y - 15);

    const otherName = await decode((await card(track(), 'Somebody Else')).data);
    const n = diff(base, otherName, 48);
    expect(n.count).toBeGreaterThan(100);
    expect(n.box.y1).toBeLessThan(CARD_LAYOUT.headerY + 10);
  });

  describe('each text line sits at the edge its own direction starts from (as Discord aligns it)', () => {
    const L = CARD_LAYOUT;
    const bands = {
      title: [L.headerY + 12, L.titleY + 14],
      artists: [L.titleY + 16, L.line2Y + 10],
      album: [L.line2Y + 12, L.line3Y + 12],
    } as const;
    /** Leftmost and rightmost columns of light text pixels in a line's band of the text column. */
    function ink(img: Decoded, band: keyof typeof bands): { x0: number; x1: number } {
      const [y0, y1] = bands[band];
      let x0 = Infinity;
      let x1 = -Infinity;
      for (let y = y0; y <= y1; y++) {
        for (let x = L.textX - 12; x < img.width; x++) {
          const [r, g, b] = img.px(x, y);
          if (r + g + b > 300) {
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
          }
        }
      }
      return { x0, x1 };
    }
    const expectLeft = (box: { x0: number; x1: number }, what: string) => {
      expect(Math.abs(box.x0 - L.textX), `${what} starts at the left edge: ${box.x0}`).toBeLessThanOrEqual(6);
      expect(box.x1, `${what} does not reach the right edge`).toBeLessThan(L.textRight - 60);
    };
    const expectRight = (box: { x0: number; x1: number }, what: string) => {
      expect(Math.abs(box.x1 - L.textRight), `${what} ends at the right edge: ${box.x1}`).toBeLessThanOrEqual(6);
      expect(box.x0, `${what} does not reach the left edge`).toBeGreaterThan(L.textX + 60);
    };

    const cases: Array<[string, Partial<CardTrack>, Record<keyof typeof bands, 'left' | 'right'>]> = [
      ['Latin', {}, { title: 'left', artists: 'left', album: 'left' }],
      ['CJK', { title: '夜に駆ける', artists: [{ name: 'YOASOBI' }], album: { name: 'THE BOOK' } }, { title: 'left', artists: 'left', album: 'left' }],
      ['Arabic', { title: 'تملي معاك', artists: [{ name: 'عمرو دياب' }], album: { name: 'تملي معاك' } }, { title: 'right', artists: 'right', album: 'right' }],
      ['Hebrew', { title: 'שיר לשבת', artists: [{ name: 'עומר אדם' }], album: { name: 'אלבום' } }, { title: 'right', artists: 'right', album: 'right' }],
      // Each line on its own, by its first strong character: digits and brackets decide nothing.
      ['mixed lines', { title: '(2020) אהבה', artists: [{ name: 'Omer Adam, עומר' }], album: { name: 'تملي معاك' } }, { title: 'right', artists: 'left', album: 'right' }],
    ];
    for (const [what, overrides, want] of cases) {
      it(`${what}: title ${want.title}, artists ${want.artists}, album ${want.album}`, async () => {
        const img = await decode((await card(track(overrides))).data);
        for (const band of Object.keys(bands) as Array<keyof typeof bands>) {
          const box = ink(img, band);
          expect(box.x1, `${band} has ink`).toBeGreaterThan(box.x0);
          (want[band] === 'left' ? expectLeft : expectRight)(box, `${what} ${band}`);
        }
      });
    }

    it('a right-to-left title too long for the column is cut at its end, which is on the left', async () => {
      const img = await decode((await card(track({ title: 'אהבה '.repeat(40) }))).data);
      const box = ink(img, 'title');
      expect(Math.abs(box.x1 - L.textRight)).toBeLessThanOrEqual(6);
      expect(box.x0 - L.textX).toBeLessThan(40); // the whole column, less what a word and the ellipsis leave over
    });
  });

  it('a local file without art gets the placeholder cover and no failure', async () => {
    const before = cdn.totalFetches();
    const result = await card(track({ imageUrl: null, isLocal: true, title: 'demo_v3' }));
    expect(result.coverFailures).toEqual([]);
    expect(cdn.totalFetches()).toBe(before);
    const img = await decode(result.data);
    const { x, y, size } = CARD_LAYOUT.cover;
    // The placeholder: a dark tile with a light note, all opaque.
    expect(img.px(x + 5, y + size / 2)[0]).toBeLessThan(90);
    expect(img.px(x + size / 2, y + size / 2)[3]).toBe(255);
  });

  for (const fault of ['hang', 'too-big'] as const) {
    it(`a cover that ${fault === 'hang' ? 'times out' : 'is too big'} gets the placeholder and a typed failure`, async () => {
      const id = `card-${fault}`;
      cdn.setFault(id, fault);
      const impatient = new CoverArt({ fetchOverride: cdn.urlFor, timeoutMs: 300 });
      const state = track({ imageUrl: cdn.spotifyUrl(id), title: 'Same' });
      const faulty = await renderNowPlayingCard({ state, listener: { displayName: 'Zoë' } }, { covers: impatient });
      const none = await card(track({ imageUrl: null, title: 'Same' }));
      expect(faulty.coverFailures).toEqual([{ url: cdn.spotifyUrl(id), reason: fault === 'hang' ? 'timeout' : 'too-big' }]);
      expect(diff(await decode(faulty.data), await decode(none.data)).count).toBe(0);
      cdn.setFault(id, null);
    });
  }

  it('an episode shows its show where the album goes', async () => {
    const episode: CardState = {
      kind: 'episode',
      title: 'Episode 1',
      show: { name: 'The Show' },
      publisher: 'Pub',
      imageUrl: null,
      isPlaying: true,
      progressMs: 0,
      durationMs: 3_600_000,
    };
    const a = await decode((await card(episode)).data);
    const b = await decode((await card({ ...episode, show: { name: 'Another Show Name' } })).data);
    const d = diff(a, b, 48);
    expect(d.box.y0).toBeGreaterThan(CARD_LAYOUT.titleY);
    expect(d.box.y1).toBeLessThan(CARD_LAYOUT.line3Y - 15);
  });
});

describe('text', () => {
  const NOTDEF = '\u{10FFFD}'; // a private-use code point no font has: draws the .notdef box

  function glyphCanvas(draw: (ctx: SKRSContext2D) => void): Uint8ClampedArray {
    const canvas = createCanvas(96, 64);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, 96, 64);
    draw(ctx);
    return ctx.getImageData(0, 0, 96, 64).data;
  }

  function differing(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
    let n = 0;
    for (let i = 0; i < a.length; i += 4) if (Math.abs(a[i]! - b[i]!) > 40) n++;
    return n;
  }

  const samples: Array<[string, string]> = [
    ['Japanese', '駆'],
    ['Chinese', '晴'],
    ['Hangul', '봄'],
    ['Arabic', 'ع'],
    ['Hebrew', 'ש'],
    ['Cyrillic', 'Ж'],
    ['Latin with diacritics', 'ễ'],
    ['emoji', '🔥'],
  ];
  for (const [script, ch] of samples) {
    it(`${script} draws a real glyph, not the .notdef box`, async () => {
      const canvas = await loadCanvas();
      const real = glyphCanvas((ctx) => drawLine(canvas, ctx, ch, { x: 20, y: 48, maxWidth: 90, size: 40, color: '#fff' }));
      const box = glyphCanvas((ctx) => {
        applyTextStyle(canvas, ctx, ch, { size: 40, color: '#fff' }); // the same fonts…
        ctx.fillText(NOTDEF, 20, 48); // …asked for a character none of them has
      });
      expect(differing(real, glyphCanvas(() => undefined))).toBeGreaterThan(30); // something is drawn
      expect(differing(real, box)).toBeGreaterThan(30);
    });
  }

  it('the .notdef comparison does catch a box (control: a CJK character with Latin-only fonts)', async () => {
    const canvas = await loadCanvas();
    const latinOnly = fontFor(canvas, 'abc', 400, 40).font;
    const draw = (text: string) =>
      glyphCanvas((ctx) => {
        ctx.font = latinOnly;
        ctx.fillStyle = '#fff';
        ctx.fillText(text, 20, 48);
      });
    expect(differing(draw('駆'), draw(NOTDEF))).toBe(0);
  });

  for (const [script, text, file, lang] of [
    ['Arabic', 'تملي', 'noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff2', 'ar'],
    ['Hebrew', 'שלום', 'noto-sans-hebrew/files/noto-sans-hebrew-hebrew-400-normal.woff2', 'he'],
    ['Cyrillic', 'Группа', 'noto-sans/files/noto-sans-cyrillic-400-normal.woff2', 'en'],
  ] as const) {
    it(`${script} glyphs come from the npm Noto font, not from the machine's fonts`, async () => {
      const canvas = await loadCanvas();
      const fontsource = dirname(dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans/package.json')));
      GlobalFonts.registerFromPath(join(fontsource, file), `Test ${script}`);
      const ours = glyphCanvas((ctx) => drawLine(canvas, ctx, text, { x: 2, y: 48, maxWidth: 1000, size: 20, color: '#fff' }));
      const direct = glyphCanvas((ctx) => {
        ctx.font = `400 20px "Test ${script}"`;
        ctx.lang = lang;
        ctx.textAlign = 'left';
        ctx.direction = baseDirection(text);
        ctx.fillStyle = '#fff';
        ctx.fillText(text, 2, 48);
      });
      const system = glyphCanvas((ctx) => {
        ctx.font = '400 20px "DejaVu Sans"';
        ctx.lang = lang;
        ctx.textAlign = 'left';
        ctx.direction = baseDirection(text);
        ctx.fillStyle = '#fff';
        ctx.fillText(text, 2, 48);
      });
      expect(differing(ours, direct)).toBe(0);
      expect(differing(ours, system)).toBeGreaterThan(20);
    });
  }

  it('Arabic letters are joined (shaped), not drawn as isolated forms', async () => {
    const canvas = await loadCanvas();
    const joined = glyphCanvas((ctx) => drawLine(canvas, ctx, 'سلام', { x: 2, y: 48, maxWidth: 90, size: 30, color: '#fff' }));
    // ZWNJ between the letters forbids joining: the isolated forms.
    const isolated = glyphCanvas((ctx) =>
      drawLine(canvas, ctx, 'س\u200cل\u200cا\u200cم', { x: 2, y: 48, maxWidth: 90, size: 30, color: '#fff' }),
    );
    expect(differing(joined, isolated)).toBeGreaterThan(50);
  });

  it('right-to-left text runs right to left: in "שלום abc" the Latin word is drawn first from the left', async () => {
    const canvas = await loadCanvas();
    expect(baseDirection('שלום abc')).toBe('rtl');
    expect(baseDirection('تملي معاك')).toBe('rtl');
    expect(baseDirection('123 abc שלום')).toBe('ltr');
    expect(baseDirection('(2020) שלום')).toBe('rtl');
    expect(baseDirection('\u2067abc\u2069 שלום')).toBe('rtl'); // inside an isolate: skipped (P2)
    expect(baseDirection('\u200f123')).toBe('rtl'); // RLM is strong
    expect(baseDirection('123')).toBe('ltr');
    const mixed = createCanvas(400, 64);
    const latin = createCanvas(400, 64);
    drawLine(canvas, mixed.getContext('2d'), 'שלום abc', { x: 10, y: 48, maxWidth: 380, size: 30, color: '#fff' });
    const abc = drawLine(canvas, latin.getContext('2d'), 'abc', { x: 10, y: 48, maxWidth: 380, size: 30, color: '#fff' });
    const region = (c: Canvas) => c.getContext('2d').getImageData(10, 0, Math.ceil(abc.width), 64).data;
    expect(differing(region(mixed), region(latin))).toBe(0);
    // And left to right, the Hebrew word would be there instead.
    const ltr = createCanvas(400, 64);
    const ctx = ltr.getContext('2d');
    applyTextStyle(canvas, ctx, 'שלום abc', { size: 30, color: '#fff' });
    ctx.direction = 'ltr';
    ctx.fillText('שלום abc', 10, 48);
    expect(differing(region(ltr), region(latin))).toBeGreaterThan(30);
  });

  it('shortens long text with an ellipsis at a grapheme boundary', async () => {
    const canvas = await loadCanvas();
    const ctx = createCanvas(10, 10).getContext('2d');
    const family = '👩‍👩‍👧‍👦';
    const text = `${'Ünïcödé '.repeat(3)}${family.repeat(10)} é\u0301 tail`;
    applyTextStyle(canvas, ctx, text, { size: 20, color: '#fff' });
    const whole = graphemes(text);
    for (const maxWidth of [60, 120, 170, 200, 240, 260, 300]) {
      const shown = fitText(ctx, text, maxWidth);
      expect(shown.endsWith(ELLIPSIS), `${maxWidth}`).toBe(true);
      expect(ctx.measureText(shown).width).toBeLessThanOrEqual(maxWidth);
      const kept = graphemes(shown.slice(0, -1));
      // Every kept grapheme is a whole grapheme of the original, in order (trailing spaces trimmed).
      expect(kept).toEqual(whole.slice(0, kept.length));
    }
    expect(fitText(ctx, 'short', 1000)).toBe('short');
  });
});

describe('deriveTopAlbums', () => {
  const t = (title: string, album: string, artist = 'A', imageUrl: string | null = `https://i.scdn.co/image/${album}`): ChartTrack => ({
    title,
    album,
    artists: [{ name: artist }],
    imageUrl,
  });

  it('ranks albums by how many top tracks they hold and how high', () => {
    // 6 tracks: points 6,5,4,3,2,1.
    const albums = deriveTopAlbums([t('1', 'X'), t('2', 'Y'), t('3', 'Y'), t('4', 'Z'), t('5', 'Z'), t('6', 'Z')]);
    expect(albums.map((a) => [a.name, a.trackCount, a.bestRank, a.score])).toEqual([
      ['Y', 2, 2, 9],
      ['Z', 3, 4, 6], // ties with X on points; more tracks wins
      ['X', 1, 1, 6],
    ]);
  });

  it('breaks ties by track count, then best rank', () => {
    // X: rank 2 → 3 points; Y: ranks 3 → 2 and... build equal scores.
    const albums = deriveTopAlbums([t('1', 'A'), t('2', 'B'), t('3', 'C'), t('4', 'C')]);
    // points: A 4, B 3, C 2+1=3 → B and C tie on 3; C has more tracks.
    expect(albums.map((a) => a.name)).toEqual(['A', 'C', 'B']);
  });

  it('tells apart albums with the same name by cover, and recognises local albums by name and artist', () => {
    const albums = deriveTopAlbums([
      t('1', 'Greatest Hits', 'Queen', 'https://i.scdn.co/image/q'),
      t('2', 'Greatest Hits', 'ABBA', 'https://i.scdn.co/image/a'),
      t('3', 'Demos', 'Me', null),
      t('4', 'Demos', 'Me', null),
      t('5', 'Demos', 'You', null),
    ]);
    expect(albums.map((a) => `${a.name}/${a.artists}/${a.trackCount}`)).toEqual([
      'Demos/Me/2',
      'Greatest Hits/Queen/1',
      'Greatest Hits/ABBA/1',
      'Demos/You/1',
    ]);
  });

  it('is empty for no tracks', () => {
    expect(deriveTopAlbums([])).toEqual([]);
  });
});

describe('chart', () => {
  const tiles = (n: number, prefix: string, missing: number[] = []): ChartTile[] =>
    Array.from({ length: n }, (_, i) => ({
      title: `Album ${i + 1}`,
      subtitle: 'Artist',
      imageUrl: missing.includes(i) ? null : cdn.spotifyUrl(`${prefix}${i}`),
    }));

  it('a 5×5 chart fetches each of its 25 covers once, draws them, and fits in 2 MiB', async () => {
    const art = new CoverArt({ fetchOverride: cdn.urlFor, concurrency: 4 });
    cdn.resetCounts();
    const input = { kind: 'albums' as const, size: 5 as const, tiles: tiles(30, 'g5-') };
    const result = await renderChart(input, { covers: art });
    expect(result.data.length).toBeLessThan(2 * 1024 * 1024);
    expect(cdn.totalFetches()).toBe(25);
    for (let i = 0; i < 25; i++) expect(cdn.fetchCount(`g5-${i}`)).toBe(1);
    expect(cdn.maxInFlight()).toBeLessThanOrEqual(4);
    await renderChart(input, { covers: art });
    expect(cdn.totalFetches()).toBe(25);

    const img = await decode(result.data);
    expect([img.width, img.height]).toEqual([960, 960]);
    // A spot near each tile's top right (clear of the rank badge and the text scrim) shows that tile's cover.
    for (const i of [0, 7, 24]) {
      const { x, y, side } = chartTileRect(5, i, false);
      const cover = await art.get(cdn.spotifyUrl(`g5-${i}`));
      if (!cover.ok) throw new Error(cover.reason);
      const s = cover.image.width / side;
      const want = cover.image.getContext('2d').getImageData(Math.floor(side * 0.8 * s), Math.floor(side * 0.2 * s), 1, 1).data;
      expect(close(img.px(x + side * 0.8, y + side * 0.2), [...want], 40), `tile ${i}`).toBe(true);
    }
  });

  it('draws every cover even when the cache holds fewer than the chart has (evicted covers are kept until drawn)', async () => {
    const small = new CoverArt({ fetchOverride: cdn.urlFor, cacheBytes: 3 * 192 * 192 * 4 });
    const result = await renderChart({ kind: 'albums', size: 5, tiles: tiles(25, 'g5-') }, { covers: small });
    const img = await decode(result.data);
    const reference = new CoverArt({ fetchOverride: cdn.urlFor });
    for (const i of [0, 6, 12, 18]) {
      const { x, y, side } = chartTileRect(5, i, false);
      const cover = await reference.get(cdn.spotifyUrl(`g5-${i}`), side);
      if (!cover.ok) throw new Error(cover.reason);
      const want = cover.image.getContext('2d').getImageData(Math.floor(side * 0.8), Math.floor(side * 0.2), 1, 1).data;
      expect(close(img.px(x + side * 0.8, y + side * 0.2), [...want], 40), `tile ${i}`).toBe(true);
    }
    expect(small.stats().entries).toBeLessThanOrEqual(3);
  });

  it('draws a placeholder for missing art, and the rank and name over the cover at the tile bottom', async () => {
    const with3 = await renderChart({ kind: 'albums', size: 3, tiles: tiles(9, 'g3-', [4]) }, { covers });
    const img = await decode(with3.data);
    expect([img.width, img.height]).toEqual([960, 960]);
    expect(with3.coverFailures).toEqual([]);
    // Missing art: the opaque placeholder (dark edge), not a hole.
    const { x, y, side } = chartTileRect(3, 4, false);
    const edge = img.px(x + 4, y + side / 2);
    expect(edge[0] + edge[1] + edge[2]).toBeLessThan(3 * 110);

    // Changing one name changes pixels only in that tile's lower part.
    const renamed = tiles(9, 'g3-', [4]);
    renamed[2] = { ...renamed[2]!, title: 'Renamed' };
    const other = await decode((await renderChart({ kind: 'albums', size: 3, tiles: renamed }, { covers })).data);
    const d = diff(img, other, 48); // JPEG: tiny shifts elsewhere are the encoder's, not the drawing's
    const tile2 = chartTileRect(3, 2, false);
    expect(d.count).toBeGreaterThan(100);
    expect(d.box.x0).toBeGreaterThanOrEqual(tile2.x);
    expect(d.box.y0).toBeGreaterThan(tile2.y + tile2.side * 0.6);
    expect(d.box.y1).toBeLessThan(tile2.y + tile2.side);

    // The rank badge sits at the top left of each tile, drawn over the cover.
    const plain = await decode(
      (await renderChart({ kind: 'albums', size: 3, tiles: tiles(9, 'g3-', [4]).map((t) => ({ ...t, title: '', subtitle: '' })) }, { covers })).data,
    );
    const badge = img.px(tile2.x + side * 0.055 + 4, tile2.y + side * 0.055 + 15);
    expect(close(badge, plain.px(tile2.x + side * 0.055 + 4, tile2.y + side * 0.055 + 15), 10)).toBe(true);
  });

  it('with a heading it is taller, and empty places stay clean when there are fewer items than tiles', async () => {
    const result = await renderChart({ kind: 'artists', size: 4, tiles: tiles(5, 'g4-').map(({ title, imageUrl }) => ({ title, imageUrl })), heading: 'Top artists' }, { covers });
    const img = await decode(result.data);
    expect([img.width, img.height]).toEqual([960, 1024]);
    const empty = chartTileRect(4, 15, true);
    const px = img.px(empty.x + empty.side / 2, empty.y + empty.side / 2);
    expect(px[0] + px[1] + px[2]).toBeLessThan(3 * 40);
  });
});

describe('reused surfaces', () => {
  it('pictures drawn at the same time come out as when drawn one by one, and surfaces are kept and freed', async () => {
    const titles = ['First Song', 'Second Song', 'Third Song', 'Fourth Song', 'Fifth Song'];
    const alone: Decoded[] = [];
    for (const title of titles) alone.push(await decode((await card(track({ title, progressMs: title.length * 9000 }))).data));
    const chartInput = { kind: 'albums' as const, size: 3 as const, tiles: [{ title: 'Album', subtitle: 'Artist', imageUrl: null }] };
    const chartAlone = await decode((await renderChart(chartInput, { covers })).data);
    expect(spareSurfaces()).toBeGreaterThanOrEqual(2); // one card surface, one chart surface
    const [chartTogether, ...together] = await Promise.all([
      renderChart(chartInput, { covers }).then((r) => decode(r.data)),
      ...titles.map(async (title) => decode((await card(track({ title, progressMs: title.length * 9000 }))).data)),
    ]);
    together.forEach((img, i) => expect(diff(img, alone[i]!, 2).count, titles[i]).toBe(0));
    expect(diff(chartTogether!, chartAlone, 2).count).toBe(0);
    // A reused surface starts clean: a card after a different one matches a card drawn on a fresh surface.
    releaseIdle();
    expect(spareSurfaces()).toBe(0);
    const fresh = await decode((await card(track({ title: titles[0] }))).data);
    await card(track({ title: 'Something Much Longer Drawn In Between', isPlaying: false }));
    const reused = await decode((await card(track({ title: titles[0] }))).data);
    expect(diff(reused, fresh, 2).count).toBe(0);
    // And text still draws after Skia's caches were cleared: the title band differs from an untitled card's.
    const untitled = await decode((await card(track({ title: ' ' }))).data);
    expect(diff(reused, untitled, 48).count).toBeGreaterThan(500);
  });
});

describe('hostile text', () => {
  it('a 200 000-character title is cut quickly and well-formed', async () => {
    const canvas = await loadCanvas();
    const ctx = createCanvas(800, 100).getContext('2d');
    const title = '👩‍👩‍👧‍👦é\u0301'.repeat(20_000);
    const started = performance.now();
    const shown = drawLine(canvas, ctx, title, { x: 0, y: 50, maxWidth: 480, size: 38, weight: 700, color: '#fff' });
    expect(performance.now() - started).toBeLessThan(2000); // generous: quadratic segmenting would take minutes
    expect(shown.text.endsWith(ELLIPSIS)).toBe(true);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(shown.text)).toBe(false);
    const kept = graphemes(shown.text.slice(0, -1));
    expect(kept).toEqual(graphemes(title.slice(0, 1000)).slice(0, kept.length));
  });
});
