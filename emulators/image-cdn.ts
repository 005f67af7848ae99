// A loopback stand-in for Spotify's image CDN (i.scdn.co): `GET /image/<id>` answers a deterministic square JPEG per
// id (at the size the id's Spotify size prefix stands for, IMAGE_SIZE_BY_PREFIX: 640, 300, 64…, else 640; a gradient
// with a pattern and some grain, like a photo cover compresses), generated once per id with @napi-rs/canvas and cached.
// Options: latency; per-id faults (hang, too big, wrong content type, 404, undecodable bytes, a header declaring a
// huge image, a redirect); a fetch counter per id.
// `urlFor` maps an allowed Spotify image URL to this server: pass it to CoverArt as `fetchOverride`.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { IMAGE_SIZE_BY_PREFIX } from './spotify-fixtures.js';

export type ImageFault =
  /** Headers never come. */
  | 'hang'
  /** 3 MiB of image/jpeg with an honest Content-Length. */
  | 'too-big'
  /** 3 MiB of image/jpeg, chunked: no Content-Length, so only counting bytes notices. */
  | 'too-big-chunked'
  /** 200 text/html. */
  | 'wrong-type'
  | 'not-found'
  /** 200 image/jpeg whose bytes are not an image. */
  | 'garbage'
  /** A PNG header declaring 40000×40000 pixels (a decompression bomb's first bytes). */
  | 'huge'
  /** 302 to another host. */
  | 'redirect';

export interface ImageCdnOptions {
  /** Delay before each answer, in ms. */
  latencyMs?: number;
  /**
   * Image side in px for every id. Default: the size the id's 16-character Spotify prefix stands for
   * (IMAGE_SIZE_BY_PREFIX), else 640, as Spotify's largest album image.
   */
  size?: number;
}

export interface ImageCdn {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** The emulator's URL for an allowed Spotify image URL (keeps the path). Give it to CoverArt as fetchOverride. */
  urlFor(url: URL): string;
  /** A Spotify-shaped URL for an id: https://i.scdn.co/image/<id>. */
  spotifyUrl(id: string): string;
  fetchCount(id: string): number;
  totalFetches(): number;
  /** The most requests that were open at the same time since start (or the last resetCounts). */
  maxInFlight(): number;
  resetCounts(): void;
  setFault(id: string, fault: ImageFault | null): void;
  setLatency(ms: number): void;
  /** The JPEG bytes served for an id (generated on first use). */
  imageBytes(id: string): Promise<Buffer>;
  close(): Promise<void>;
}

function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h >>> 0;
}

async function generate(id: string, size: number): Promise<Buffer> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const h = hashOf(id);
  const hue = h % 360;
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  const g = ctx.createLinearGradient(0, 0, size, size);
  g.addColorStop(0, `hsl(${hue}, 70%, 55%)`);
  g.addColorStop(1, `hsl(${(hue + 80) % 360}, 60%, 25%)`);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, size, size);
  // A pattern that differs per id: rings or stripes.
  ctx.strokeStyle = `hsla(${(hue + 180) % 360}, 80%, 70%, 0.6)`;
  ctx.lineWidth = size / 40;
  if (h & 1) {
    for (let r = size / 12; r < size; r += size / 8) {
      ctx.beginPath();
      ctx.arc(size * 0.3, size * 0.7, r, 0, Math.PI * 2);
      ctx.stroke();
    }
  } else {
    for (let x = -size; x < size * 2; x += size / 7) {
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x + size, size);
      ctx.stroke();
    }
  }
  // Grain, so the file compresses like a photograph rather than a flat drawing.
  const pixels = ctx.getImageData(0, 0, size, size);
  let seed = h || 1;
  for (let i = 0; i < pixels.data.length; i += 4) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const n = ((seed >>> 16) & 31) - 16;
    pixels.data[i] = pixels.data[i]! + n;
    pixels.data[i + 1] = pixels.data[i + 1]! + n;
    pixels.data[i + 2] = pixels.data[i + 2]! + n;
  }
  ctx.putImageData(pixels, 0, 0);
  return canvas.encode('jpeg', 88);
}

function hugePngHeader(): Buffer {
  const b = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(40_000, 16);
  b.writeUInt32BE(40_000, 20);
  b[24] = 8;
  b[25] = 6;
  return b;
}

/** The side the CDN serves `id` at: its Spotify size prefix's, else 640. */
export function imageSideOf(id: string): number {
  return IMAGE_SIZE_BY_PREFIX[id.slice(0, 16)] ?? 640;
}

export async function startImageCdn(options: ImageCdnOptions = {}): Promise<ImageCdn> {
  let latencyMs = options.latencyMs ?? 0;
  const images = new Map<string, Promise<Buffer>>();
  const faults = new Map<string, ImageFault>();
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let total = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const bytesFor = (id: string): Promise<Buffer> => {
    let p = images.get(id);
    if (!p) {
      p = generate(id, options.size ?? imageSideOf(id));
      images.set(id, p);
    }
    return p;
  };

  const answer = async (id: string, res: ServerResponse): Promise<void> => {
    const fault = faults.get(id);
    switch (fault) {
      case 'hang':
        return; // the socket stays open until the client gives up or the server closes
      case 'not-found':
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
        return;
      case 'wrong-type':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>not an image</body></html>');
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from('this is not a jpeg at all'.repeat(20)));
        return;
      case 'huge':
        res.writeHead(200, { 'content-type': 'image/png' }).end(hugePngHeader());
        return;
      case 'redirect':
        res.writeHead(302, { location: 'http://example.invalid/evil.png' }).end();
        return;
      case 'too-big':
      case 'too-big-chunked': {
        const head = await bytesFor(id);
        const body = Buffer.alloc(3 * 1024 * 1024);
        head.copy(body, 0, 0, Math.min(head.length, body.length));
        const headers: Record<string, string | number> = { 'content-type': 'image/jpeg' };
        if (fault === 'too-big') headers['content-length'] = body.length;
        res.writeHead(200, headers);
        // Written in chunks, as a CDN streams it.
        for (let at = 0; at < body.length && !res.destroyed; at += 64 * 1024) {
          if (!res.write(body.subarray(at, at + 64 * 1024))) {
            await new Promise<void>((resolve) => {
              const done = () => {
                res.off('drain', done);
                res.off('close', done);
                resolve();
              };
              res.on('drain', done);
              res.on('close', done);
            });
          }
        }
        res.end();
        return;
      }
      default: {
        const body = await bytesFor(id);
        res.writeHead(200, {
          'content-type': 'image/jpeg',
          'content-length': body.length,
          'cache-control': 'public, max-age=31536000',
        });
        res.end(body);
      }
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const match = /^\/image\/([A-Za-z0-9_-]{1,100})$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method !== 'GET' || !match) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const id = match[1]!;
    counts.set(id, (counts.get(id) ?? 0) + 1);
    total++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    const go = () => {
      answer(id, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    };
    if (latencyMs > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        go();
      }, latencyMs);
      timers.add(timer);
    } else {
      go();
    }
  };

  const server: Server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    urlFor: (url) => `${origin}${url.pathname}`,
    spotifyUrl: (id) => `https://i.scdn.co/image/${id}`,
    fetchCount: (id) => counts.get(id) ?? 0,
    totalFetches: () => total,
    maxInFlight: () => maxInFlight,
    resetCounts: () => {
      counts.clear();
      total = 0;
      maxInFlight = inFlight;
    },
    setFault: (id, fault) => {
      if (fault) faults.set(id, fault);
      else faults.delete(id);
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    imageBytes: bytesFor,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
