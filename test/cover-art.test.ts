// CoverArt against the image CDN emulator over real HTTP on 127.0.0.1: the host allow-list, the caps (size, time,
// type, dimensions), shared fetches, the byte-bounded cache, remembered failures and the parallel-fetch cap.

import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startImageCdn, type ImageCdn } from '../emulators/image-cdn.js';
import { COPY_COST_FACTOR, CoverArt, imageSize } from '../src/render/cover-art.js';

let cdn: ImageCdn;

beforeAll(async () => {
  cdn = await startImageCdn();
});

afterAll(async () => {
  await cdn.close();
});

beforeEach(() => {
  cdn.setLatency(0);
  cdn.resetCounts();
});

function covers(options: ConstructorParameters<typeof CoverArt>[0] = {}): CoverArt {
  return new CoverArt({ fetchOverride: cdn.urlFor, ...options });
}

describe('host allow-list', () => {
  it('refuses anything but https on a Spotify image host, and fetches nothing for it', async () => {
    const art = covers();
    const refused = [
      `${cdn.origin}/image/direct`, // the emulator itself, as a payload might name it
      'http://i.scdn.co/image/plain-http',
      'https://evil.example/image/evil',
      'https://i.scdn.co.evil.example/image/suffix',
      'https://evil.example/i.scdn.co/image/path',
      'https://user:pass@i.scdn.co/image/userinfo',
      'https://i.scdn.co:8443/image/port',
      'https://scdn.co/image/apex',
      'file:///etc/passwd',
      'not a url',
      '',
    ];
    for (const url of refused) {
      expect(await art.get(url), url).toEqual({ ok: false, reason: 'not-allowed' });
    }
    expect(cdn.totalFetches()).toBe(0);
  });

  it('fetches the documented hosts (through the override, keeping the path)', async () => {
    const art = covers();
    for (const host of ['i.scdn.co', 'mosaic.scdn.co', 'image-cdn-ak.spotifycdn.com', 'image-cdn-fa.spotifycdn.com']) {
      const result = await art.get(`https://${host}/image/host-${host.replaceAll('.', '-')}`);
      expect(result.ok, host).toBe(true);
    }
    expect(cdn.totalFetches()).toBe(4);
  });
});

describe('fetching', () => {
  it('the emulator serves each Spotify image id at the size its prefix stands for', async () => {
    const pic = 'b0c1d2e3f4a5b6c7d8e9f0a1';
    expect(imageSize(await cdn.imageBytes(`ab67616d0000b273${pic}`))).toEqual({ width: 640, height: 640 });
    expect(imageSize(await cdn.imageBytes(`ab67616d00001e02${pic}`))).toEqual({ width: 300, height: 300 });
    expect(imageSize(await cdn.imageBytes(`ab67616100005174${pic}`))).toEqual({ width: 320, height: 320 });
    expect(imageSize(await cdn.imageBytes('no-prefix'))).toEqual({ width: 640, height: 640 });
  });

  it('returns the cover, squared and downscaled to storeSize, with the served pixels', async () => {
    const art = covers({ storeSize: 320 });
    const result = await art.get(cdn.spotifyUrl('pixels'));
    if (!result.ok) throw new Error(result.reason);
    expect([result.image.width, result.image.height]).toEqual([320, 320]);
    // The served 640 px JPEG at the same relative spot has (nearly) the same colour as the stored copy.
    const source = await loadImage(await cdn.imageBytes('pixels'));
    const full = createCanvas(640, 640);
    full.getContext('2d').drawImage(source, 0, 0);
    for (const [x, y] of [[80, 80], [160, 240], [300, 20]] as const) {
      const got = result.image.getContext('2d').getImageData(x, y, 1, 1).data;
      const want = full.getContext('2d').getImageData(x * 2, y * 2, 2, 2).data;
      for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - want[c]!), `(${x},${y}) channel ${c}`).toBeLessThan(40);
    }
  });

  it('shares one fetch between concurrent requests for a cover and serves repeats from the cache', async () => {
    cdn.setLatency(40);
    const art = covers();
    const url = cdn.spotifyUrl('shared');
    const results = await Promise.all(Array.from({ length: 8 }, () => art.get(url)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(cdn.fetchCount('shared')).toBe(1);
    expect((await art.get(url)).ok).toBe(true);
    expect(cdn.fetchCount('shared')).toBe(1);
    expect(art.stats()).toMatchObject({ fetches: 1, hits: 1, entries: 1 });
  });

  it('runs at most `concurrency` fetches at once', async () => {
    cdn.setLatency(60);
    const art = covers({ concurrency: 3 });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => art.get(cdn.spotifyUrl(`par${i}`))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(cdn.totalFetches()).toBe(10);
    expect(cdn.maxInFlight()).toBe(3);
  });

  it('keeps the cache within cacheBytes, evicting the least recently used cover', async () => {
    const one = 64 * 64 * 4 * COPY_COST_FACTOR; // what one cached 64 px copy counts against cacheBytes
    const art = covers({ storeSize: 64, cacheBytes: 2 * one });
    await art.get(cdn.spotifyUrl('lru-a'));
    await art.get(cdn.spotifyUrl('lru-b'));
    await art.get(cdn.spotifyUrl('lru-a')); // a is now the most recent
    await art.get(cdn.spotifyUrl('lru-c')); // evicts b
    expect(art.stats()).toMatchObject({ entries: 2, bytes: 2 * one });
    await art.get(cdn.spotifyUrl('lru-a'));
    expect(cdn.fetchCount('lru-a')).toBe(1);
    await art.get(cdn.spotifyUrl('lru-b'));
    expect(cdn.fetchCount('lru-b')).toBe(2);
  });
});

describe('sizes and freeing', () => {
  const colourAt = (image: { getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }, u: number, v: number, side: number) =>
    [...image.getContext('2d').getImageData(Math.floor(u * side), Math.floor(v * side), 1, 1).data];

  it('keeps a copy at each size asked for; a smaller size is cut from a cached larger one without a fetch', async () => {
    const art = covers();
    const url = cdn.spotifyUrl('sizes');
    const big = await art.get(url, 320);
    if (!big.ok) throw new Error(big.reason);
    expect(big.image.width).toBe(320);
    const small = await art.get(url, 192);
    if (!small.ok) throw new Error(small.reason);
    expect([small.image.width, small.image.height]).toEqual([192, 192]);
    expect(cdn.fetchCount('sizes')).toBe(1);
    // The same picture: a spot at the same relative place has (nearly) the same colour.
    for (const [u, v] of [[0.25, 0.25], [0.7, 0.4]] as const) {
      const a = colourAt(big.image, u, v, 320);
      const b = colourAt(small.image, u, v, 192);
      for (let c = 0; c < 3; c++) expect(Math.abs(a[c]! - b[c]!)).toBeLessThan(40);
    }
    expect((await art.get(url, 192)).ok).toBe(true);
    expect(art.stats()).toMatchObject({ fetches: 1, entries: 2 });
    // Larger than any cached copy: fetched again (an upscale would be blurry).
    const larger = await art.get(url, 400);
    if (!larger.ok) throw new Error(larger.reason);
    expect(larger.image.width).toBe(400);
    expect(cdn.fetchCount('sizes')).toBe(2);
  });

  it('frees an evicted cover at once, but not while the cache is held', async () => {
    const one = 64 * 64 * 4 * COPY_COST_FACTOR; // what one cached 64 px copy counts against cacheBytes
    const art = covers({ cacheBytes: one });
    const first = await art.get(cdn.spotifyUrl('free-a'), 64);
    if (!first.ok) throw new Error(first.reason);
    await art.get(cdn.spotifyUrl('free-b'), 64); // evicts a
    expect(first.image.width).toBe(0);

    const release = art.hold();
    const held = await art.get(cdn.spotifyUrl('free-c'), 64); // evicts b
    if (!held.ok) throw new Error(held.reason);
    await art.get(cdn.spotifyUrl('free-d'), 64); // evicts c, which is held
    expect(held.image.width).toBe(64);
    release();
    expect(held.image.width).toBe(0);
    release(); // a second call changes nothing
    expect(art.stats()).toMatchObject({ entries: 1, bytes: one });
  });
});

describe('faults give a typed reason, never an exception', () => {
  const cases = [
    ['hang', 'timeout'],
    ['too-big', 'too-big'],
    ['too-big-chunked', 'too-big'],
    ['wrong-type', 'wrong-type'],
    ['not-found', 'http-status'],
    ['redirect', 'http-status'],
    ['garbage', 'decode'],
    ['huge', 'too-many-pixels'],
  ] as const;
  for (const [fault, reason] of cases) {
    it(`${fault} → ${reason}`, async () => {
      const id = `fault-${fault}`;
      cdn.setFault(id, fault);
      const art = covers({ timeoutMs: 300 });
      expect(await art.get(cdn.spotifyUrl(id))).toEqual({ ok: false, reason });
      expect(cdn.fetchCount(id)).toBe(1);
      cdn.setFault(id, null);
    });
  }

  it('remembers a failure for failureTtlMs, then tries again', async () => {
    let now = 1_000_000;
    const art = covers({ failureTtlMs: 60_000, now: () => now });
    cdn.setFault('flaky', 'not-found');
    expect(await art.get(cdn.spotifyUrl('flaky'))).toEqual({ ok: false, reason: 'http-status' });
    cdn.setFault('flaky', null);
    expect(await art.get(cdn.spotifyUrl('flaky'))).toEqual({ ok: false, reason: 'http-status' });
    expect(cdn.fetchCount('flaky')).toBe(1);
    now += 60_001;
    expect((await art.get(cdn.spotifyUrl('flaky'))).ok).toBe(true);
    expect(cdn.fetchCount('flaky')).toBe(2);
  });
});

describe('imageSize', () => {
  it('reads width and height from PNG, JPEG and WebP headers', async () => {
    const canvas = createCanvas(123, 45);
    canvas.getContext('2d').fillRect(0, 0, 10, 10);
    expect(imageSize(canvas.toBuffer('image/png'))).toEqual({ width: 123, height: 45 });
    expect(imageSize(canvas.toBuffer('image/jpeg', 80))).toEqual({ width: 123, height: 45 });
    expect(imageSize(canvas.toBuffer('image/webp', 80))).toEqual({ width: 123, height: 45 });
    expect(imageSize(await canvas.encode('webp', 100))).toEqual({ width: 123, height: 45 });
  });

  it('answers null for anything else', () => {
    expect(imageSize(Buffer.from('<html>'))).toBeNull();
    expect(imageSize(Buffer.alloc(0))).toBeNull();
    expect(imageSize(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toBeNull();
  });
});
