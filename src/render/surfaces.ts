// Drawing surfaces, reused. A Skia canvas's pixels are native memory V8 does not see: a fresh 800×280 canvas per card
// (0.9 MB; a chart's 3.9 MB) is freed only when a GC happens to collect its wrapper, so a burst of renders piles up
// hundreds of MB of dead surfaces that glibc then keeps (measured: 200 cards in a row, +170 MB RSS; reusing one
// surface, +0). So: at most `MAX_DRAWING` pictures are drawn and encoded at once (drawing is CPU-bound and the
// machines have ~2 cores), each on a surface taken from here; one idle surface per size is kept for the next picture
// and freed at once (width = 0 releases the pixels now, not at some GC) after `IDLE_MS` without drawing, together
// with Skia's caches (glyphs, decoded images).

import type { Canvas, CanvasModule } from './canvas.js';

const MAX_DRAWING = 2;
const IDLE_MS = 60_000;

let drawing = 0;
const waiting: Array<() => void> = [];
const spare = new Map<string, Canvas>();
let idleTimer: NodeJS.Timeout | undefined;
let lastModule: CanvasModule | undefined;

function free(canvas: Canvas): void {
  canvas.width = 0;
  canvas.height = 0;
}

/**
 * Runs `draw` on a cleared `width`×`height` surface once one of the MAX_DRAWING places is free; the surface is
 * reused afterwards, so `draw` must not keep it (an encoded Buffer is the way out).
 */
export async function withSurface<T>(
  canvas: CanvasModule,
  width: number,
  height: number,
  draw: (surface: Canvas) => Promise<T>,
): Promise<T> {
  if (drawing >= MAX_DRAWING) await new Promise<void>((resolve) => waiting.push(resolve));
  else drawing++;
  clearTimeout(idleTimer);
  lastModule = canvas;
  const key = `${width}x${height}`;
  let surface = spare.get(key);
  if (surface) {
    spare.delete(key);
    surface.getContext('2d').reset();
  } else {
    surface = canvas.createCanvas(width, height);
  }
  try {
    return await draw(surface);
  } finally {
    if (spare.has(key)) free(surface);
    else spare.set(key, surface);
    const next = waiting.shift();
    if (next) next();
    else {
      drawing--;
      if (drawing === 0) {
        idleTimer = setTimeout(releaseIdle, IDLE_MS);
        idleTimer.unref();
      }
    }
  }
}

/** Frees the kept surfaces and Skia's caches now (also done by itself after IDLE_MS without drawing). */
export function releaseIdle(): void {
  clearTimeout(idleTimer);
  if (drawing > 0) return;
  for (const surface of spare.values()) free(surface);
  spare.clear();
  lastModule?.clearAllCache();
}

/** Surfaces kept for reuse (for tests and the benchmark). */
export function spareSurfaces(): number {
  return spare.size;
}
