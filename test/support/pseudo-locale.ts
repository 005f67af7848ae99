// A pseudo-locale: every English message with its letters swapped for accented look-alikes ("Récéñtly plàyéd"),
// placeholders kept. A reply rendered with it should hold no plain ASCII word of its own: one that is left came from
// a string literal in the code, not from the language files. Data in the cases is non-ASCII for the same reason.
import { messages as english } from '../../src/i18n/locales/en.js';
import { translatorFromMessages, type Translator } from '../../src/i18n/translator.js';

const SWAP: Record<string, string> = {
  a: 'à', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'î', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ', n: 'ñ', o: 'ö', p: 'þ',
  q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'û', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'À', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Î', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ', N: 'Ñ', O: 'Ö', P: 'Þ',
  Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Û', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

export function pseudo(text: string): string {
  // Placeholders ({{name}} / {{n, number}}) stay as they are; everything else is swapped.
  return text
    .split(/(\{\{[^}]*\}\})/)
    .map((part) => (part.startsWith('{{') ? part : part.replace(/[A-Za-z]/g, (c) => SWAP[c] ?? c)))
    .join('');
}

export const PSEUDO_LANGUAGE = 'en-XA';

export function pseudoTranslator(): Translator {
  const messages = Object.fromEntries(Object.entries(english).map(([key, value]) => [key, pseudo(value)]));
  // Intl's own words (relative times) in a script with no ASCII letters, so only the code's literals stand out.
  return translatorFromMessages(PSEUDO_LANGUAGE, messages, 'ja');
}

/** Plain ASCII words (two letters or more) left in rendered text, once links and custom ids are taken out. */
export function englishLeft(text: string): string[] {
  const cleaned = text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/<[@#][!&]?\d+>/g, ' ')
    .replace(/<t:\d+:[tTdDfFR]>/g, ' ')
    .replace(/\bid=\S+/g, ' ')
    // The text renderer's own mark for a disabled button.
    .replace(/ \(disabled\) \]/g, ' ]');
  return [...cleaned.matchAll(/\b[A-Za-z]{2,}\b/g)].map((m) => m[0]);
}
