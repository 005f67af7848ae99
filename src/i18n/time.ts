// Relative times and waits in a reply's language. English keeps its compact wording ("3 min ago") from the
// source file; every other language takes Intl.RelativeTimeFormat's short style ("vor 3 Min.", "3 分前").
import { SOURCE_LANGUAGE } from './locales.js';
import type { Translator } from './translator.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "3 min ago", "2 h ago", "yesterday", "4 days ago" — from `then` as seen at `now` (epoch ms). */
export function relativeTime(tr: Translator, then: number, now: number): string {
  const ago = Math.max(0, now - then);
  const english = tr.language === SOURCE_LANGUAGE;
  if (ago < MINUTE) return english ? tr.t('time.justNow') : tr.relative(0, 'second');
  if (ago < HOUR) {
    const count = Math.floor(ago / MINUTE);
    return english ? tr.t('time.minutesAgo', { count }) : tr.relative(-count, 'minute');
  }
  if (ago < DAY) {
    const count = Math.floor(ago / HOUR);
    return english ? tr.t('time.hoursAgo', { count }) : tr.relative(-count, 'hour');
  }
  const count = Math.floor(ago / DAY);
  if (english) return count === 1 ? tr.t('time.yesterday') : tr.t('time.daysAgo', { count });
  return tr.relative(-count, 'day');
}

/** How long to wait: "a moment", "45 s", "about 3 min", "about 2 h". */
export function formatWait(tr: Translator, seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return tr.t('time.aMoment');
  const s = Math.ceil(seconds);
  if (s < 120) return tr.t('time.seconds', { n: s });
  if (s < 2 * 3600) return tr.t('time.aboutMinutes', { n: Math.round(s / 60) });
  return tr.t('time.aboutHours', { n: Math.round(s / 3600) });
}

/** "in 45 s", "in a moment". */
export function inWait(tr: Translator, seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return tr.t('time.inAMoment');
  return tr.t('time.inWait', { wait: formatWait(tr, seconds) });
}

/** A day: ISO "2024-05-06" in English (the bot's English style), the language's own date style elsewhere (UTC). */
export function dayText(tr: Translator, ms: number): string {
  return tr.language === SOURCE_LANGUAGE ? new Date(ms).toISOString().slice(0, 10) : tr.date(ms);
}
