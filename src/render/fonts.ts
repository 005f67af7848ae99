// Fonts for the pictures, from the @fontsource/noto-* npm packages; the machine's fonts are never named.
//
// Fontsource ships each family split into unicode-range subsets (Noto Sans JP alone: 125 files per weight). Skia picks
// ONE typeface per family name, so subsets registered under the same family show boxes for every character outside
// the chosen file; each subset is therefore registered under its own alias, and a text's font list names exactly the
// aliases that cover its characters, in fallback order. Subsets are registered the first time a text needs them
// (measured: all CJK subsets at once cost ~0.6 s and ~12 MB; a Latin-only bot registers two files).
// @napi-rs/canvas reads both woff2 and woff; woff2 files are used (smaller on disk, same glyphs).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CanvasModule } from './canvas.js';

export type FontWeight = 400 | 700;

type PackageId = 'sans' | 'arabic' | 'hebrew' | 'jp' | 'kr' | 'sc' | 'emoji';

interface FontPackage {
  id: PackageId;
  npm: string;
  filePrefix: string;
  /** A BCP 47 tag for text drawn mostly in this package's script (shaping and locale forms). */
  lang: string;
  /**
   * The subsets used. Fontsource's unicode ranges for a package's secondary subsets ("symbols", "math", "latin"…)
   * are generic ranges, not the font's coverage (Noto Sans Arabic "symbols" claims U+1F3A7 and draws a box), so
   * only the subsets a package exists for are taken from it.
   */
  use: (subset: string) => boolean;
}

const ALL = (): boolean => true;
const NUMBERED = (subset: string): boolean => /^\d+$/.test(subset);

const PACKAGES: Record<PackageId, FontPackage> = {
  sans: { id: 'sans', npm: '@fontsource/noto-sans', filePrefix: 'noto-sans', lang: 'en', use: ALL },
  arabic: { id: 'arabic', npm: '@fontsource/noto-sans-arabic', filePrefix: 'noto-sans-arabic', lang: 'ar', use: (s) => s === 'arabic' },
  hebrew: { id: 'hebrew', npm: '@fontsource/noto-sans-hebrew', filePrefix: 'noto-sans-hebrew', lang: 'he', use: (s) => s === 'hebrew' },
  jp: { id: 'jp', npm: '@fontsource/noto-sans-jp', filePrefix: 'noto-sans-jp', lang: 'ja', use: NUMBERED },
  kr: { id: 'kr', npm: '@fontsource/noto-sans-kr', filePrefix: 'noto-sans-kr', lang: 'ko', use: NUMBERED },
  sc: { id: 'sc', npm: '@fontsource/noto-sans-sc', filePrefix: 'noto-sans-sc', lang: 'zh-Hans', use: NUMBERED },
  emoji: { id: 'emoji', npm: '@fontsource/noto-emoji', filePrefix: 'noto-emoji', lang: 'en', use: ALL },
};

interface Subset {
  pkg: FontPackage;
  /** The unicode.json key without brackets: "latin", "cyrillic-ext", "45". */
  name: string;
  /** Sorted, merged [start, end] pairs. */
  ranges: Uint32Array;
}

const loadedIndexes = new Map<PackageId, Subset[]>();
const requireFromHere = createRequire(import.meta.url);

function packageDir(pkg: FontPackage): string {
  return dirname(requireFromHere.resolve(`${pkg.npm}/package.json`));
}

function parseRanges(spec: string): Uint32Array {
  const pairs: Array<[number, number]> = [];
  for (const part of spec.split(',')) {
    const match = /^\s*U\+([0-9a-f]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
    if (!match) continue;
    const start = Number.parseInt(match[1]!, 16);
    const end = match[2] ? Number.parseInt(match[2], 16) : start;
    pairs.push([start, end]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const out = new Uint32Array(pairs.length * 2);
  pairs.forEach(([s, e], i) => {
    out[2 * i] = s;
    out[2 * i + 1] = e;
  });
  return out;
}

function covers(ranges: Uint32Array, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]!) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

function subsetsOf(id: PackageId): Subset[] {
  let subsets = loadedIndexes.get(id);
  if (!subsets) {
    const pkg = PACKAGES[id];
    const json = JSON.parse(readFileSync(join(packageDir(pkg), 'unicode.json'), 'utf8')) as Record<string, string>;
    subsets = Object.entries(json)
      .map(([key, spec]) => ({ pkg, name: key.replace(/^\[(.*)\]$/, '$1'), ranges: parseRanges(spec) }))
      .filter((subset) => pkg.use(subset.name));
    loadedIndexes.set(id, subsets);
  }
  return subsets;
}

// ---------------------------------------------------------------------------------------------------------------
// Which package draws a character

const KANA = /[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]/u;
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u;

/** Han characters look different in Japanese, Korean and Chinese fonts: pick by the other characters present. */
function packageOrder(text: string): PackageId[] {
  const cjk: PackageId[] = KANA.test(text) ? ['jp', 'sc', 'kr'] : HANGUL.test(text) ? ['kr', 'jp', 'sc'] : ['sc', 'jp', 'kr'];
  return ['sans', 'arabic', 'hebrew', ...cjk, 'emoji'];
}

/** Code points that never need a font of their own (controls, joiners and marks shared by every subset). */
function needsNoFont(cp: number): boolean {
  return cp < 0x21 || (cp >= 0x7f && cp <= 0xa0) || cp === 0x200d || cp === 0xfe0f || cp === 0xfe0e;
}

const PICTOGRAPHIC = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;

function subsetFor(cp: number, order: readonly PackageId[]): Subset | undefined {
  // Fontsource's CJK slices claim ranges of symbols the fonts do not draw (✨ U+2728 is "in" Noto Sans SC [87] but
  // draws a box); a pictograph goes to Noto Emoji first.
  if (PICTOGRAPHIC.test(String.fromCodePoint(cp))) {
    for (const subset of subsetsOf('emoji')) if (covers(subset.ranges, cp)) return subset;
  }
  for (const id of order) {
    for (const subset of subsetsOf(id)) if (covers(subset.ranges, cp)) return subset;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Registration

const registered = new Map<string, boolean>();

function alias(subset: Subset, weight: FontWeight): string {
  return `nsb ${subset.pkg.id} ${subset.name} ${weight}`;
}

/**
 * Noto Emoji is one monochrome design whose weights barely differ at text sizes: its 11 subset files are registered
 * once, regular, and serve bold text too (11 fewer font files in memory for a bot that draws both).
 */
function fileWeight(subset: Subset, weight: FontWeight): FontWeight {
  return subset.pkg.id === 'emoji' ? 400 : weight;
}

function register(canvas: CanvasModule, subset: Subset, requested: FontWeight): string | undefined {
  const weight = fileWeight(subset, requested);
  const name = alias(subset, weight);
  let ok = registered.get(name);
  if (ok === undefined) {
    const file = join(packageDir(subset.pkg), 'files', `${subset.pkg.filePrefix}-${subset.name}-${weight}-normal.woff2`);
    ok = canvas.GlobalFonts.registerFromPath(file, name) !== null;
    registered.set(name, ok);
  }
  return ok ? name : undefined;
}

export interface TextFont {
  /** A CSS font shorthand naming only registered Noto aliases, in fallback order. */
  font: string;
  /** A language tag for `ctx.lang`. */
  lang: string;
}

const fontCache = new Map<string, { families: string; lang: string }>();
const FONT_CACHE_MAX = 512;

/**
 * The font list that draws `text` (registering the subsets it needs on first use).
 * Every list starts with Noto Sans Latin, so the ellipsis, digits and punctuation always come from it.
 */
export function fontFor(canvas: CanvasModule, text: string, weight: FontWeight, sizePx: number): TextFont {
  const key = `${weight}\u0000${text}`;
  let entry = fontCache.get(key);
  if (!entry) {
    entry = resolveFamilies(canvas, text, weight);
    if (fontCache.size >= FONT_CACHE_MAX) fontCache.clear();
    fontCache.set(key, entry);
  }
  return { font: `${weight} ${sizePx}px ${entry.families}`, lang: entry.lang };
}

function resolveFamilies(canvas: CanvasModule, text: string, weight: FontWeight): { families: string; lang: string } {
  const order = packageOrder(text);
  const latin = subsetsOf('sans').find((s) => s.name === 'latin')!;
  const chosen = new Set<Subset>([latin]);
  const perPackage = new Map<PackageId, number>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (needsNoFont(cp) || covers(latin.ranges, cp)) continue;
    const subset = subsetFor(cp, order);
    if (!subset) continue;
    perPackage.set(subset.pkg.id, (perPackage.get(subset.pkg.id) ?? 0) + 1);
    if (subset.pkg.id === 'emoji') {
      // Emoji sequences (ZWJ, flags, keycaps) only form when all their parts come from one file: take them all.
      for (const s of subsetsOf('emoji')) chosen.add(s);
    } else {
      chosen.add(subset);
    }
  }
  const rank = new Map(order.map((id, i) => [id, i]));
  const names = [...chosen]
    .sort((a, b) => rank.get(a.pkg.id)! - rank.get(b.pkg.id)!)
    .map((s) => register(canvas, s, weight))
    .filter((name): name is string => name !== undefined);
  let lang = 'en';
  let most = 0;
  for (const [id, count] of perPackage) {
    if (id !== 'emoji' && count > most) {
      most = count;
      lang = PACKAGES[id].lang;
    }
  }
  return { families: names.map((n) => `"${n}"`).join(', '), lang };
}

/** How many font files this process registered (for the benchmark and tests). */
export function registeredFontCount(): number {
  let n = 0;
  for (const ok of registered.values()) if (ok) n++;
  return n;
}
