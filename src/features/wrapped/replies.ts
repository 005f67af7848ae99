// Pure payloads for /wrapped: whose and which year in the title; minutes listened, the top artist, the month and the
// day listened most, the server's biggest fan of the top artist, the top 5 songs and artists — the same numbers the
// picture shows — and what the picture needs, in words.
import { COLORS, embedPayload, escapeAndTruncate, type ReplyPayload } from '../../discord/text.js';
import { dayText } from '../../i18n/time.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import type { WrappedPictureInput, WrappedRow, WrappedTile } from '../../render/wrapped.js';
import { playsText } from '../history/replies.js';
import { listeningTimeText } from '../stats/replies.js';
import type { Wrapped, WrappedPeak, WrappedTop } from './service.js';

const NAME_MAX = 80;
const bold = (name: string): string => `**${escapeAndTruncate(name, NAME_MAX)}**`;

const wholeMinutes = (ms: number): number => Math.floor(Math.max(0, ms) / 60_000);

/** Whole minutes listened, "12,345" ("12.345"). */
export const minutesText = (ms: number, tr: Translator = ENGLISH): string => tr.number(wholeMinutes(ms));

// Labels of a local month or day, formatted as that calendar date (in UTC, so no zone shifts it a day).
const dateOf = (when: string): Date => new Date(`${when.length === 7 ? `${when}-01` : when}T12:00:00Z`);

/** "March" for "2026-03" ("März", "3月"). */
export const monthText = (peak: WrappedPeak, tr: Translator = ENGLISH): string => tr.dateWith(dateOf(peak.when), { month: 'long', timeZone: 'UTC' });
/** "Saturday, March 14" for "2026-03-14". */
export const dayLongText = (peak: WrappedPeak, tr: Translator = ENGLISH): string =>
  tr.dateWith(dateOf(peak.when), { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' });
const dayShortText = (peak: WrappedPeak, tr: Translator): string =>
  tr.dateWith(dateOf(peak.when), { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });

const trackName = (t: WrappedTop): string => (t.artist ? `${t.name} — ${t.artist}` : t.name);

function topLines(items: readonly WrappedTop[], tr: Translator): string {
  return items.map((t, i) => `${i + 1}. ${escapeAndTruncate(t.name, 70)}${t.artist ? ` — ${escapeAndTruncate(t.artist, 60)}` : ''} · ${playsText(t.plays, tr)}`).join('\n');
}

// Years are names here, not amounts: never "2,026".
const title = (name: string, year: number, tr: Translator): string => tr.t('wrapped.title', { name: escapeAndTruncate(name, NAME_MAX), year: String(year) });

function emptyReply(w: Wrapped, name: string, tr: Translator): ReplyPayload {
  const lines = [tr.t('wrapped.noPlays', { name: bold(name), year: String(w.year) })];
  if (w.stored) {
    const first = new Date(w.stored.firstAt).getFullYear();
    const last = new Date(w.stored.lastAt).getFullYear();
    lines.push(tr.t('wrapped.covers', { years: first === last ? String(first) : `${first}–${last}`, day: dayText(tr, w.stored.firstAt), last: String(last) }));
  } else {
    lines.push(tr.t('wrapped.nothingStored'));
  }
  return embedPayload({ color: COLORS.neutral, title: title(name, w.year, tr), description: lines.join('\n') });
}

export function wrappedReply(w: Wrapped, name: string, tr: Translator = ENGLISH): ReplyPayload {
  if (w.totals.plays === 0) return emptyReply(w, name, tr);
  const t = w.totals;
  const lines = [
    tr.t('wrapped.minutes', { count: wholeMinutes(t.ms), plays: playsText(t.plays, tr) }),
    `${tr.t('wrapped.tracks', { count: t.tracks })} · ${tr.t('wrapped.artists', { count: t.artists })}`,
  ];
  const topArtist = w.topArtists[0];
  if (topArtist) lines.push(tr.t('wrapped.topArtist', { name: bold(topArtist.name), plays: playsText(topArtist.plays, tr) }));
  if (w.busiestMonth) lines.push(tr.t('wrapped.monthMost', { month: monthText(w.busiestMonth, tr), time: listeningTimeText(w.busiestMonth.ms, tr) }));
  if (w.busiestDay) lines.push(tr.t('wrapped.dayMost', { day: dayLongText(w.busiestDay, tr), time: listeningTimeText(w.busiestDay.ms, tr) }));
  if (topArtist && w.fan) lines.push(tr.t('wrapped.fan', { artist: bold(topArtist.name), who: `<@${w.fan.userId}>`, plays: playsText(w.fan.plays, tr) }));
  const fields = [];
  if (w.topTracks.length > 0) fields.push({ name: tr.t('wrapped.topSongs'), value: topLines(w.topTracks, tr) });
  if (w.topArtists.length > 0) fields.push({ name: tr.t('wrapped.topArtists'), value: topLines(w.topArtists, tr) });
  return embedPayload({
    color: COLORS.top,
    title: title(name, w.year, tr),
    description: lines.join('\n'),
    fields,
    footer: { text: tr.t('wrapped.footer', { zone: w.timeZone }) },
  });
}

/**
 * What the picture draws. `fanName`: the fan's display name; `inServer`: whether a fan was looked for at all.
 * `imageUrl`: the top artist's cover, when one was seen with their plays.
 */
export function wrappedPictureInput(
  w: Wrapped,
  name: string,
  fan: { name: string } | null,
  inServer: boolean,
  imageUrl: string | null,
  tr: Translator = ENGLISH,
): WrappedPictureInput {
  const top = w.topArtists[0];
  const row = (t: WrappedTop): WrappedRow => ({ name: trackName(t), plays: playsText(t.plays, tr) });
  const tiles: WrappedTile[] = [];
  if (w.busiestMonth) tiles.push({ label: tr.t('wrapped.picture.topMonth'), value: monthText(w.busiestMonth, tr), detail: listeningTimeText(w.busiestMonth.ms, tr) });
  if (w.busiestDay) tiles.push({ label: tr.t('wrapped.picture.topDay'), value: dayShortText(w.busiestDay, tr), detail: listeningTimeText(w.busiestDay.ms, tr) });
  tiles.push(
    w.fan && fan
      ? { label: tr.t('wrapped.picture.fan'), value: fan.name, detail: playsText(w.fan.plays, tr) }
      : { label: tr.t('wrapped.picture.fan'), value: '—', detail: tr.t(inServer ? 'wrapped.picture.noOne' : 'wrapped.picture.askInServer') },
  );
  return {
    year: String(w.year),
    // The name isolated (FSI…PDI), so a right-to-left name keeps the words around it in their place.
    subtitle: tr.t('wrapped.picture.subtitle', { name: `\u2068${name}\u2069` }),
    minutes: minutesText(w.totals.ms, tr),
    minutesLabel: tr.t('wrapped.picture.minutes', { plays: playsText(w.totals.plays, tr) }),
    topArtist: top ? { name: top.name, detail: `${playsText(top.plays, tr)} · ${listeningTimeText(top.ms, tr)}`, imageUrl } : null,
    topTracks: w.topTracks.map(row),
    topArtists: w.topArtists.map(row),
    tiles,
  };
}

/** Alt text for the picture: what it shows, in words. */
export function wrappedAltText(w: Wrapped, name: string, tr: Translator = ENGLISH): string {
  const top = w.topArtists[0];
  return (
    tr.t('wrapped.alt', { count: wholeMinutes(w.totals.ms), name, year: String(w.year), plays: playsText(w.totals.plays, tr) }) +
    (top ? tr.t('wrapped.altTop', { name: top.name }) : '') +
    (w.busiestMonth ? tr.t('wrapped.altMonth', { month: monthText(w.busiestMonth, tr) }) : '')
  );
}

/** The text reply alone, saying why the picture is missing. */
export function withoutWrappedPicture(text: ReplyPayload, tr: Translator = ENGLISH): ReplyPayload {
  const [first, ...rest] = text.embeds;
  if (!first) return text;
  const note = tr.t('wrapped.noPicture');
  return { ...text, embeds: [{ ...first, footer: { text: first.footer?.text ? `${first.footer.text} · ${note}` : note } }, ...rest] };
}
