// Cover art from Spotify's image CDN, safely and cheaply.
//
// Safety: only https URLs on Spotify's image hosts are fetched; the check is made on the URL as Spotify sent it.
// `fetchOverride` (tests, demo, bench: the image CDN emulator) only rewrites where an already allowed URL is fetched;
// it is a constructor option set from config, so a Spotify payload can never point the bot at another host.
// Redirects are not followed. A response must be 200, say image/jpeg|png|webp, fit in `maxBytes` (checked while
// streaming, not just from Content-Length), arrive within `timeoutMs`, start with that format's signature and declare
// at most `maxDimension` pixels a side (read from the header before decoding: a small file must not decode into a
// huge bitmap).
// Cheapness: concurrent requests for one URL and size share one fetch; at most `concurrency` fetches run at once; a
// decoded, downscaled square copy at the size it is drawn (the card's 240 px, a 5×5 chart's 192 px…) is kept in an
// LRU bounded by bytes, so a cached cover costs no decode and no resampling. A size not cached yet is cut from a
// larger cached copy of the same cover when there is one, else fetched.
// Failures are remembered for `failureTtlMs` so a broken cover is not refetched on every render.

import { readCappedBody } from '../http-body.js';
import { loadCanvas, type Canvas, type CanvasModule } from './canvas.js';

/** Spotify's image hosts: album/track/episode/artist art (i.scdn.co), playlist mosaics, uploaded playlist covers. */
export const SPOTIFY_IMAGE_HOSTS: readonly string[] = [
  'i.scdn.co',
  'mosaic.scdn.co',
  'image-cdn-ak.spotifycdn.com',
  'image-cdn-fa.spotifycdn.com',
];

export type CoverFailure =
  /** Not an https URL on an allowed host: nothing was fetched. */
  | 'not-allowed'
  /** Any answer but 200 (404, 5xx, a redirect). */
  | 'http-status'
  /** Content-Type not image/jpeg, image/png or image/webp. */
  | 'wrong-type'
  | 'too-big'
  | 'timeout'
  | 'network'
  /** Bytes that are not a JPEG/PNG/WebP, or that fail to decode. */
  | 'decode'
  /** An image header declaring more than maxDimension pixels a side. */
  | 'too-many-pixels';

export type CoverResult = { ok: true; image: Canvas } | { ok: false; reason: CoverFailure };

export interface CoverArtOptions {
  /** Hosts fetched over https; default SPOTIFY_IMAGE_HOSTS. */
  allowedHosts?: readonly string[];
  /** Where an allowed URL is fetched from instead (emulators). From config only, never from payload data. */
  fetchOverride?: (url: URL) => string;
  /** Default 2 MiB. */
  maxBytes?: number;
  /** Whole request, headers and body. Default 3000 ms. */
  timeoutMs?: number;
  /** Decoded covers kept in memory, in bytes of pixels. Default 12 MiB (≈ 55 card covers at 240 px). */
  cacheBytes?: number;
  /** Fetches in flight at once. Default 6. */
  concurrency?: number;
  /** Side of the square copy made when `get` is given no size. Default 320 px (a 3×3 chart tile). */
  storeSize?: number;
  /** Largest width or height decoded. Default 2048 (Spotify serves 640). */
  maxDimension?: number;
  /** How long a failed URL answers its failure without a new fetch. Default 60 s. */
  failureTtlMs?: number;
  now?: () => number;
}

export interface CoverArtStats {
  /** HTTP requests started. */
  fetches: number;
  hits: number;
  entries: number;
  bytes: number;
}

interface Failure {
  reason: CoverFailure;
  until: number;
}

const EMPTY = new Uint8Array(0);

/** Releases a canvas's pixels now (a 0×0 surface replaces them). */
function free(canvas: Canvas): void {
  canvas.width = 0;
  canvas.height = 0;
}

class CoverError extends Error {
  constructor(readonly reason: CoverFailure) {
    super(reason);
  }
}

/** A cached copy costs about twice its pixel bytes (see `store`); the cache bound counts that. */
export const COPY_COST_FACTOR = 2;

export class CoverArt {
  private readonly allowedHosts: ReadonlySet<string>;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly cacheBytes: number;
  private readonly concurrency: number;
  private readonly storeSize: number;
  private readonly maxDimension: number;
  private readonly failureTtlMs: number;
  private readonly now: () => number;
  /** LRU keyed by "<size> <url>": Map iteration order is insertion order; a hit re-inserts. */
  private readonly cache = new Map<string, { url: string; size: number; image: Canvas; bytes: number }>();
  /** The sizes cached per URL, to cut a smaller copy from a larger one. */
  private readonly sizes = new Map<string, Set<number>>();
  private cachedBytes = 0;
  private readonly failures = new Map<string, Failure>();
  private readonly inflight = new Map<string, Promise<CoverResult>>();
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private fetches = 0;
  private hits = 0;
  /** Renders in progress (see `hold`), and the evicted copies they may still draw. */
  private holds = 0;
  private readonly evicted: Canvas[] = [];
  /** @napi-rs/canvas, once a cover was decoded (cutting a smaller copy needs it synchronously). */
  private canvas: CanvasModule | undefined;

  constructor(private readonly options: CoverArtOptions = {}) {
    this.allowedHosts = new Set((options.allowedHosts ?? SPOTIFY_IMAGE_HOSTS).map((h) => h.toLowerCase()));
    this.maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.cacheBytes = options.cacheBytes ?? 12 * 1024 * 1024;
    this.concurrency = Math.max(1, options.concurrency ?? 6);
    this.storeSize = options.storeSize ?? 320;
    this.maxDimension = options.maxDimension ?? 2048;
    this.failureTtlMs = options.failureTtlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The URL to fetch if `raw` is an https URL on an allowed host (as Spotify sent it), else null. */
  allowed(raw: string): URL | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return null;
    }
    if (url.protocol !== 'https:' || url.username || url.password || url.port !== '') return null;
    return this.allowedHosts.has(url.hostname.toLowerCase()) ? url : null;
  }

  /**
   * The cover at `raw`, decoded and squared at `size` px a side (default storeSize; smaller when the image is); or
   * why not. Never throws. Draw it at that size: it is the cached copy, so do not draw on it. Its pixels are freed
   * when it leaves the cache (V8 does not see them, so waiting for a GC piles them up): use it before the next `get`,
   * or `hold()` the cache while a picture is made.
   */
  get(raw: string, size = this.storeSize): Promise<CoverResult> {
    const url = this.allowed(raw);
    if (!url) return Promise.resolve({ ok: false, reason: 'not-allowed' });
    const side = Math.max(1, Math.round(size));
    const key = `${side} ${url.href}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      this.hits++;
      return Promise.resolve({ ok: true, image: hit.image });
    }
    const derived = this.fromLarger(url.href, side);
    if (derived) {
      this.hits++;
      return Promise.resolve({ ok: true, image: derived });
    }
    const failed = this.failures.get(url.href);
    if (failed && failed.until > this.now()) return Promise.resolve({ ok: false, reason: failed.reason });
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.load(url, side).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** Keeps every image handed out valid until the returned function is called (once). */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0) for (const image of this.evicted.splice(0)) free(image);
    };
  }

  stats(): CoverArtStats {
    return { fetches: this.fetches, hits: this.hits, entries: this.cache.size, bytes: this.cachedBytes };
  }

  /** Drop every cached cover and remembered failure. */
  clear(): void {
    for (const [key, entry] of this.cache) this.evict(key, entry);
    this.cachedBytes = 0;
    this.failures.clear();
  }

  /** A `side` px copy cut from the smallest cached copy of `href` at least that large (stored), or null. */
  private fromLarger(href: string, side: number): Canvas | null {
    let best: { image: Canvas; bytes: number } | undefined;
    for (const s of this.sizes.get(href) ?? []) {
      const entry = this.cache.get(`${s} ${href}`);
      if (entry && entry.image.width >= side && (!best || entry.image.width < best.image.width)) best = entry;
    }
    if (!best || !this.canvas) return null;
    if (best.image.width === side) return best.image;
    const copy = this.canvas.createCanvas(side, side);
    const ctx = copy.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(best.image, 0, 0, side, side);
    this.store(href, side, copy);
    return copy;
  }

  private async load(url: URL, side: number): Promise<CoverResult> {
    const href = url.href;
    try {
      await this.acquire();
      let bytes: Buffer;
      try {
        bytes = await this.download(url);
      } finally {
        this.release();
      }
      const image = await this.decode(bytes, side);
      this.store(href, side, image);
      this.failures.delete(href);
      return { ok: true, image };
    } catch (error) {
      const reason = error instanceof CoverError ? error.reason : 'decode';
      if (this.failures.size >= 1024) this.failures.clear();
      this.failures.set(href, { reason, until: this.now() + this.failureTtlMs });
      return { ok: false, reason };
    }
  }

  private async download(url: URL): Promise<Buffer> {
    const target = this.options.fetchOverride ? this.options.fetchOverride(url) : url.href;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    this.fetches++;
    try {
      const response = await fetch(target, {
        signal: controller.signal,
        redirect: 'manual',
        headers: { accept: 'image/jpeg, image/png, image/webp' },
      });
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        throw new CoverError('http-status');
      }
      const type = response.headers.get('content-type') ?? '';
      if (!/^image\/(jpeg|png|webp)\s*(;|$)/i.test(type)) {
        await response.body?.cancel().catch(() => undefined);
        throw new CoverError('wrong-type');
      }
      const body = await readCappedBody(response, this.maxBytes, () => new CoverError('too-big'));
      if (body === null) throw new CoverError('decode');
      return Buffer.from(body); // its own copy: the cache counts and frees exactly these bytes
    } catch (error) {
      if (error instanceof CoverError) throw error;
      throw new CoverError(controller.signal.aborted ? 'timeout' : 'network');
    } finally {
      clearTimeout(timer);
    }
  }

  private async decode(bytes: Buffer, storeSize: number): Promise<Canvas> {
    const size = imageSize(bytes);
    if (!size) throw new CoverError('decode');
    if (size.width > this.maxDimension || size.height > this.maxDimension) throw new CoverError('too-many-pixels');
    const canvas = await loadCanvas();
    this.canvas = canvas;
    let image: Awaited<ReturnType<typeof canvas.loadImage>>;
    try {
      image = await canvas.loadImage(bytes);
    } catch {
      throw new CoverError('decode');
    }
    if (!(image.width > 0 && image.height > 0)) throw new CoverError('decode');
    // Keep a square, centre-cropped copy no larger than storeSize: covers are drawn square.
    const side = Math.min(image.width, image.height);
    const out = Math.max(1, Math.min(storeSize, side));
    const copy = canvas.createCanvas(out, out);
    const ctx = copy.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(image, (image.width - side) / 2, (image.height - side) / 2, side, side, 0, 0, out, out);
    // Free the full-size bitmap (1.6 MB for Spotify's 640 px) now rather than at whatever GC collects the Image:
    // V8 does not see native pixels, and 25 covers decoded at once would otherwise stay mapped until then.
    // An empty src discards the image, as in a browser (its error event goes to loadImage's settled promise).
    image.src = EMPTY;
    return copy;
  }

  private store(url: string, size: number, image: Canvas): void {
    // What a cached copy really costs: its RGBA pixels, plus the image snapshot Skia keeps once the copy has been
    // drawn from (measured: 40 copies at 192 px, 5.6 MiB of pixels, cost +10.3 MiB RSS; at 240 px 8.8 → +12.5 MiB).
    const bytes = image.width * image.height * 4 * COPY_COST_FACTOR;
    if (bytes > this.cacheBytes) return;
    const key = `${size} ${url}`;
    const old = this.cache.get(key);
    if (old) this.evict(key, old);
    this.cache.set(key, { url, size, image, bytes });
    this.cachedBytes += bytes;
    let sizes = this.sizes.get(url);
    if (!sizes) this.sizes.set(url, (sizes = new Set()));
    sizes.add(size);
    for (const [oldKey, entry] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes) break;
      this.evict(oldKey, entry);
    }
  }

  private evict(key: string, entry: { url: string; size: number; image: Canvas; bytes: number }): void {
    this.cache.delete(key);
    // A smaller copy cut from a larger one is a separate canvas; an entry is never shared.
    if (this.holds > 0) this.evicted.push(entry.image);
    else free(entry.image);
    this.cachedBytes -= entry.bytes;
    const sizes = this.sizes.get(entry.url);
    sizes?.delete(entry.size);
    if (sizes?.size === 0) this.sizes.delete(entry.url);
  }

  private acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** Width and height from a JPEG, PNG or WebP header; null for anything else. */
export function imageSize(b: Uint8Array): { width: number; height: number } | null {
  const u16be = (i: number) => (b[i]! << 8) | b[i + 1]!;
  const u32be = (i: number) => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
  const u24le = (i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
  const ascii = (i: number, s: string) => [...s].every((c, k) => b[i + k] === c.charCodeAt(0));
  // PNG: signature, then the IHDR chunk.
  if (b.length >= 24 && b[0] === 0x89 && ascii(1, 'PNG') && ascii(12, 'IHDR')) {
    return { width: u32be(16), height: u32be(20) };
  }
  // JPEG: walk the marker segments to the first start-of-frame.
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1]!;
      if (marker === 0xff) {
        i++;
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2;
        continue;
      }
      const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isFrame) return { height: u16be(i + 5), width: u16be(i + 7) };
      if (marker === 0xd9 || marker === 0xda) return null;
      i += 2 + u16be(i + 2);
    }
    return null;
  }
  // WebP: RIFF container, then a VP8 (lossy), VP8L (lossless) or VP8X (extended) chunk.
  if (b.length >= 30 && ascii(0, 'RIFF') && ascii(8, 'WEBP')) {
    if (ascii(12, 'VP8 ')) return { width: (b[26]! | (b[27]! << 8)) & 0x3fff, height: (b[28]! | (b[29]! << 8)) & 0x3fff };
    if (ascii(12, 'VP8L')) {
      return {
        width: 1 + (b[21]! | ((b[22]! & 0x3f) << 8)),
        height: 1 + ((b[22]! >> 6) | (b[23]! << 2) | ((b[24]! & 0x0f) << 10)),
      };
    }
    if (ascii(12, 'VP8X')) return { width: 1 + u24le(24), height: 1 + u24le(27) };
  }
  return null;
}
