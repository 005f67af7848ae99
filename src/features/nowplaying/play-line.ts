// The /nowplaying history line in the asker's language: "12th play · 140 plays of Dua Lipa · 9 listeners here",
// "12. Wiedergabe · …", "12回目の再生 · …". The ordinal's form is chosen by Intl.PluralRules' ordinal categories
// for the language (English: 1st, 2nd, 3rd, 4th); languages without ordinal suffixes say all four the same way.
import { escapeAndTruncate } from '../../discord/text.js';
import type { PlayCounts } from '../../history/store.js';
import type { Translator } from '../../i18n/translator.js';

const ordinalRules = new Map<string, Intl.PluralRules>();

function ordinalForm(tr: Translator, n: number): 'one' | 'two' | 'few' | 'other' {
  let rules = ordinalRules.get(tr.language);
  if (!rules) {
    rules = new Intl.PluralRules(tr.language, { type: 'ordinal' });
    ordinalRules.set(tr.language, rules);
  }
  const form = rules.select(n);
  return form === 'one' || form === 'two' || form === 'few' ? form : 'other';
}

/** "12th play", "12. Wiedergabe". */
export function nthPlayText(tr: Translator, n: number): string {
  return tr.t(`nowplaying.nthPlay.${ordinalForm(tr, n)}`, { n });
}

/**
 * The line under a playing track. The play now is not stored until it ends, so it counts in the first two parts;
 * listeners only in a server. Null when nothing is stored.
 */
export function playLine(tr: Translator, counts: PlayCounts, artist: string, inServer: boolean): string | null {
  if (counts.track === 0 && counts.artist === 0 && counts.listeners === 0) return null;
  const parts = [nthPlayText(tr, counts.track + 1), tr.t('nowplaying.artistPlays', { count: counts.artist + 1, artist: escapeAndTruncate(artist, 80) })];
  if (inServer && counts.listeners > 0) parts.push(tr.t('nowplaying.listenersHere', { count: counts.listeners }));
  return parts.join(' · ');
}
