// Small drawing helpers shared by the card and the chart. Canvas types only; the module comes in as an argument.

import type { Canvas, CanvasModule, Context } from './canvas.js';
import type { CoverArt, CoverFailure } from './cover-art.js';

export interface RenderedImage {
  /** The encoded picture, ready for an attachment. */
  data: Buffer;
  /** Attachment file name; its extension matches the format. */
  name: string;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  /** Covers that could not be drawn (a placeholder was drawn instead), with why. Log once per reason. */
  coverFailures: Array<{ url: string; reason: CoverFailure }>;
}

/**
 * Both pictures are opaque JPEGs, encoded on the libuv pool. Measured on the 800×280 card and the 960×1024 chart
 * (bench/render.ts): Skia's WebP encoder (libwebp, no speed setting exposed) took ~23 ms / ~130 ms of CPU (34 ms on
 * the card with an alpha plane), JPEG ~4 ms / ~18 ms, PNG ~70 ms on the card alone. At 90 white and grey text on the
 * dark backgrounds stays sharp (it is luminance; JPEG halves only colour resolution); sizes ~35 KiB and ~250 KiB.
 */
export const JPEG_QUALITY = 90;

export interface RenderDeps {
  covers: CoverArt;
}

export function roundedRect(ctx: Context, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

/** `image` scaled to fill the square (x, y, size), with rounded corners when radius > 0. */
export function drawCover(ctx: Context, image: Canvas, x: number, y: number, size: number, radius = 0): void {
  ctx.save();
  if (radius > 0) {
    roundedRect(ctx, x, y, size, size, radius);
    ctx.clip();
  }
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, x, y, size, size);
  ctx.restore();
}

export type PlaceholderIcon = 'note' | 'person';

/** A clean tile for missing art: a dark gradient and a vector icon (no font involved, so it can never be a box). */
export function drawPlaceholder(
  ctx: Context,
  x: number,
  y: number,
  size: number,
  radius: number,
  icon: PlaceholderIcon,
  hue = 220,
): void {
  ctx.save();
  roundedRect(ctx, x, y, size, size, radius);
  ctx.clip();
  const bg = ctx.createLinearGradient(x, y, x + size, y + size);
  bg.addColorStop(0, `hsl(${hue}, 18%, 30%)`);
  bg.addColorStop(1, `hsl(${hue}, 22%, 14%)`);
  ctx.fillStyle = bg;
  ctx.fillRect(x, y, size, size);
  // Opaque: overlapping strokes and fills must not show darker or lighter seams.
  ctx.fillStyle = `hsl(${hue}, 12%, 68%)`;
  ctx.strokeStyle = `hsl(${hue}, 12%, 68%)`;
  const u = size / 100;
  if (icon === 'note') {
    // Two beamed eighth notes.
    ctx.beginPath();
    ctx.ellipse(x + 36 * u, y + 66 * u, 9 * u, 7 * u, -0.35, 0, Math.PI * 2);
    ctx.ellipse(x + 66 * u, y + 60 * u, 9 * u, 7 * u, -0.35, 0, Math.PI * 2);
    ctx.fill();
    ctx.lineWidth = 4 * u;
    ctx.beginPath();
    ctx.moveTo(x + 43.5 * u, y + 64 * u);
    ctx.lineTo(x + 43.5 * u, y + 30 * u);
    ctx.moveTo(x + 73.5 * u, y + 58 * u);
    ctx.lineTo(x + 73.5 * u, y + 24 * u);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x + 41.5 * u, y + 28 * u);
    ctx.lineTo(x + 75.5 * u, y + 20 * u);
    ctx.lineTo(x + 75.5 * u, y + 29 * u);
    ctx.lineTo(x + 41.5 * u, y + 37 * u);
    ctx.closePath();
    ctx.fill();
  } else {
    // Head and shoulders.
    ctx.beginPath();
    ctx.arc(x + 50 * u, y + 38 * u, 15 * u, 0, Math.PI * 2);
    ctx.fill();
    ctx.beginPath();
    ctx.ellipse(x + 50 * u, y + 84 * u, 30 * u, 24 * u, 0, Math.PI, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();
}

const averages = new WeakMap<Canvas, [number, number, number]>();
let pixel: Canvas | undefined;

/** The average colour of an image, from a 1×1 downscale (one shared pixel; remembered per image): the card's tint. */
export function averageColor(canvas: CanvasModule, image: Canvas): [number, number, number] {
  let rgb = averages.get(image);
  if (!rgb) {
    pixel ??= canvas.createCanvas(1, 1);
    const ctx = pixel.getContext('2d');
    ctx.clearRect(0, 0, 1, 1);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(image, 0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    rgb = [d[0]!, d[1]!, d[2]!];
    averages.set(image, rgb);
  }
  return rgb;
}

export function rgbToHsl(r: number, g: number, b: number): [number, number, number] {
  const rn = r / 255;
  const gn = g / 255;
  const bn = b / 255;
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === rn ? (gn - bn) / d + (gn < bn ? 6 : 0) : max === gn ? (bn - rn) / d + 2 : (rn - gn) / d + 4;
  return [h * 60, s, l];
}

/** A stable hue for a string (placeholder tints differ between tiles but not between renders). */
export function hueOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h % 360;
}

/** "3:07", or "1:02:45" from an hour on. */
export function formatTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
