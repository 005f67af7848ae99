// Pure payloads for /wrapped: whose and which year in the title; minutes listened, the top artist, the month and the
// day listened most, the server's biggest fan of the top artist, the top 5 songs and artists — the same numbers the
// picture shows — and what the picture needs, in words.
import { COLORS, embedPayload, escapeAndTruncate, type ReplyPayload } from '../../discord/text.js';
import type { WrappedPictureInput, WrappedRow, WrappedTile } from '../../render/wrapped.js';
import { dayText, playsText } from '../history/replies.js';
import { listeningTimeText } from '../stats/replies.js';
import type { Wrapped, WrappedPeak, WrappedTop } from './service.js';

const NAME_MAX = 80;
const count = new Intl.NumberFormat('en-US');
const bold = (name: string): string => `**${escapeAndTruncate(name, NAME_MAX)}**`;
const counted = (n: number, what: string): string => `${count.format(n)} ${what}${n === 1 ? '' : 's'}`;

/** Whole minutes listened, "12,345". */
export const minutesText = (ms: number): string => count.format(Math.floor(Math.max(0, ms) / 60_000));

// Labels of a local month or day, formatted as that calendar date (in UTC, so no zone shifts it a day).
const monthName = new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' });
const shortDay = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
const dateOf = (when: string): Date => new Date(`${when.length === 7 ? `${when}-01` : when}T12:00:00Z`);

/** "March" for "2026-03". */
export const monthText = (peak: WrappedPeak): string => monthName.format(dateOf(peak.when));
/** "Saturday, March 14" for "2026-03-14". */
export const dayLongText = (peak: WrappedPeak): string => longDay.format(dateOf(peak.when));

const trackName = (t: WrappedTop): string => (t.artist ? `${t.name} — ${t.artist}` : t.name);

function topLines(items: readonly WrappedTop[]): string {
  return items.map((t, i) => `${i + 1}. ${escapeAndTruncate(t.name, 70)}${t.artist ? ` — ${escapeAndTruncate(t.artist, 60)}` : ''} · ${playsText(t.plays)}`).join('\n');
}

const title = (name: string, year: number): string => `🎁 ${escapeAndTruncate(name, NAME_MAX)}'s ${year} Wrapped`;

function emptyReply(w: Wrapped, name: string): ReplyPayload {
  const lines = [`${bold(name)} has no plays stored in ${w.year}.`];
  if (w.stored) {
    const first = new Date(w.stored.firstAt).getFullYear();
    const last = new Date(w.stored.lastAt).getFullYear();
    lines.push(`Their stored history covers ${first === last ? first : `${first}–${last}`} (from ${dayText(w.stored.firstAt)}): try \`/wrapped year:${last}\`.`);
  } else {
    lines.push('Nothing is stored yet: `/history import` adds a Spotify data export, going back years.');
  }
  return embedPayload({ color: COLORS.neutral, title: title(name, w.year), description: lines.join('\n') });
}

export function wrappedReply(w: Wrapped, name: string): ReplyPayload {
  if (w.totals.plays === 0) return emptyReply(w, name);
  const t = w.totals;
  const lines = [
    `**${minutesText(t.ms)} minutes** listened · ${playsText(t.plays)}`,
    `${counted(t.tracks, 'track')} · ${counted(t.artists, 'artist')}`,
  ];
  const topArtist = w.topArtists[0];
  if (topArtist) lines.push(`Top artist: ${bold(topArtist.name)} · ${playsText(topArtist.plays)}`);
  if (w.busiestMonth) lines.push(`Month listened most: **${monthText(w.busiestMonth)}** (${listeningTimeText(w.busiestMonth.ms)})`);
  if (w.busiestDay) lines.push(`Day listened most: **${dayLongText(w.busiestDay)}** (${listeningTimeText(w.busiestDay.ms)})`);
  if (topArtist && w.fan) lines.push(`Biggest fan of ${bold(topArtist.name)} here: <@${w.fan.userId}> · ${playsText(w.fan.plays)}`);
  const fields = [];
  if (w.topTracks.length > 0) fields.push({ name: 'Top songs', value: topLines(w.topTracks) });
  if (w.topArtists.length > 0) fields.push({ name: 'Top artists', value: topLines(w.topArtists) });
  return embedPayload({
    color: COLORS.top,
    title: title(name, w.year),
    description: lines.join('\n'),
    fields,
    footer: { text: `Months and days in ${w.timeZone} · from stored listening history` },
  });
}

const row = (t: WrappedTop): WrappedRow => ({ name: trackName(t), plays: playsText(t.plays) });

/**
 * What the picture draws. `fanName`: the fan's display name; `inServer`: whether a fan was looked for at all.
 * `imageUrl`: the top artist's cover, when one was seen with their plays.
 */
export function wrappedPictureInput(w: Wrapped, name: string, fan: { name: string } | null, inServer: boolean, imageUrl: string | null): WrappedPictureInput {
  const top = w.topArtists[0];
  const tiles: WrappedTile[] = [];
  if (w.busiestMonth) tiles.push({ label: 'Top month', value: monthText(w.busiestMonth), detail: listeningTimeText(w.busiestMonth.ms) });
  if (w.busiestDay) tiles.push({ label: 'Top day', value: shortDay.format(dateOf(w.busiestDay.when)), detail: listeningTimeText(w.busiestDay.ms) });
  tiles.push(
    w.fan && fan
      ? { label: 'Biggest fan here', value: fan.name, detail: playsText(w.fan.plays) }
      : { label: 'Biggest fan here', value: '—', detail: inServer ? 'no one counted' : 'ask in a server' },
  );
  return {
    year: String(w.year),
    // The name isolated (FSI…PDI), so a right-to-left name keeps the English words after it in their place.
    subtitle: `\u2068${name}\u2069's year in music`,
    minutes: minutesText(w.totals.ms),
    minutesLabel: `minutes listened · ${playsText(w.totals.plays)}`,
    topArtist: top ? { name: top.name, detail: `${playsText(top.plays)} · ${listeningTimeText(top.ms)}`, imageUrl } : null,
    topTracks: w.topTracks.map(row),
    topArtists: w.topArtists.map(row),
    tiles,
  };
}

/** Alt text for the picture: what it shows, in words. */
export function wrappedAltText(w: Wrapped, name: string): string {
  const top = w.topArtists[0];
  return `${name}'s ${w.year} Wrapped: ${minutesText(w.totals.ms)} minutes, ${playsText(w.totals.plays)}${top ? `; top artist ${top.name}` : ''}${
    w.busiestMonth ? `; most in ${monthText(w.busiestMonth)}` : ''
  }`;
}

/** The text reply alone, saying why the picture is missing. */
export function withoutWrappedPicture(text: ReplyPayload): ReplyPayload {
  const [first, ...rest] = text.embeds;
  if (!first) return text;
  const note = "The picture couldn't be drawn this time";
  return { ...text, embeds: [{ ...first, footer: { text: first.footer?.text ? `${first.footer.text} · ${note}` : note } }, ...rest] };
}
