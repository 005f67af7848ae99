// One line of text on a canvas: the right fonts, the right direction, cut with an ellipsis at a grapheme boundary.

import type { CanvasModule, Context } from './canvas.js';
import { fontFor, type FontWeight } from './fonts.js';

export const ELLIPSIS = '…';

// Made on the first picture, not at import: a segmenter loads ICU's break rules (~2 MB RSS in a bot that draws nothing).
let graphemeSegmenter: Intl.Segmenter | null = null;

export function graphemes(text: string): string[] {
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;

/** One line: line breaks and tabs become spaces, control characters and lone surrogates go. */
export function oneLine(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/[\r\n\t\v\f\u2028\u2029]+/g, ' ')
    .replace(CONTROLS, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

// Strong characters (Unicode's bidi classes L, R and AL) approximated by letters, as JavaScript has no Bidi_Class
// property: a letter is right-to-left when its script is written that way. The marks LRM, RLM and ALM are strong too.
const LETTER = /[\p{L}\u200e\u200f\u061c]/u;
const RTL_LETTER =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Hanifi_Rohingya}\p{Script=Mende_Kikakui}\p{Script=Yezidi}\u200f\u061c]/u;
const ISOLATE_START = /[\u2066-\u2068]/u; // LRI, RLI, FSI
const ISOLATE_END = '\u2069'; // PDI

/**
 * The paragraph direction of `text` by Unicode's rules P2/P3 (what a browser gives `dir="auto"`, and how Discord
 * aligns a message): that of the first strong character, skipping what sits inside isolates; left to right if none.
 */
export function baseDirection(text: string): 'ltr' | 'rtl' {
  let isolates = 0;
  for (const ch of text) {
    if (ISOLATE_START.test(ch)) isolates += 1;
    else if (ch === ISOLATE_END) isolates = Math.max(0, isolates - 1);
    else if (isolates === 0 && LETTER.test(ch)) return RTL_LETTER.test(ch) ? 'rtl' : 'ltr';
  }
  return 'ltr';
}

export interface TextStyle {
  size: number;
  weight?: FontWeight;
  color: string;
}

/** Set font, language and direction for `text` on `ctx`. */
export function applyTextStyle(canvas: CanvasModule, ctx: Context, text: string, style: TextStyle): void {
  const { font, lang } = fontFor(canvas, text, style.weight ?? 400, style.size);
  ctx.font = font;
  ctx.lang = lang;
  ctx.direction = baseDirection(text);
  ctx.fillStyle = style.color;
}

/**
 * The longest start of `text` (whole graphemes) that fits `maxWidth` with the current ctx font, ending in "…" when
 * cut. Trailing spaces before the ellipsis are dropped.
 */
export function fitText(ctx: Context, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  const parts = graphemes(text);
  let lo = 0;
  let hi = parts.length - 1;
  let best = ELLIPSIS;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const candidate = parts.slice(0, mid + 1).join('').trimEnd() + ELLIPSIS;
    if (ctx.measureText(candidate).width <= maxWidth) {
      best = candidate;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/**
 * No line on a card holds more than ~100 characters, but a title can be hostile: keep the first 400 code units
 * (dropping a code point the cut would split) so segmenting and measuring stay cheap. fitText then cuts far earlier,
 * at a grapheme boundary.
 */
const MAX_LINE_UNITS = 400;
function capLength(text: string): string {
  if (text.length <= MAX_LINE_UNITS) return text;
  const cut = text.slice(0, MAX_LINE_UNITS);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

export interface LineOptions extends TextStyle {
  x: number;
  /** Alphabetic baseline. */
  y: number;
  maxWidth: number;
  /**
   * Which edge `x` is; the text runs in its own direction either way. `start`: `x` is the left edge of a column
   * `maxWidth` wide, and the text sits at the edge its own direction starts from (right for Arabic or Hebrew).
   */
  align?: 'left' | 'right' | 'center' | 'start';
}

/** Draw one line of `text` (cleaned, fonts resolved, cut to fit). Returns the text actually drawn and its width. */
export function drawLine(
  canvas: CanvasModule,
  ctx: Context,
  text: string,
  options: LineOptions,
): { text: string; width: number } {
  const clean = capLength(oneLine(text));
  if (clean === '' || options.maxWidth <= 0) return { text: '', width: 0 };
  applyTextStyle(canvas, ctx, clean, options);
  const shown = fitText(ctx, clean, options.maxWidth);
  let { x } = options;
  let align = options.align ?? 'left';
  if (align === 'start') {
    const rtl = baseDirection(clean) === 'rtl';
    align = rtl ? 'right' : 'left';
    if (rtl) x += options.maxWidth;
  }
  ctx.textAlign = align;
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(shown, x, options.y);
  return { text: shown, width: ctx.measureText(shown).width };
}

/** The width `text` would take on one line, uncut. */
export function measureLine(canvas: CanvasModule, ctx: Context, text: string, style: Omit<TextStyle, 'color'>): number {
  const clean = oneLine(text);
  if (clean === '') return 0;
  applyTextStyle(canvas, ctx, clean, { ...style, color: '#000' });
  return ctx.measureText(clean).width;
}
