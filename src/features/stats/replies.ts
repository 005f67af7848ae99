// Pure payloads for /stats and /serverstats: whose and which period in the title, plays as "1,234 plays", listening
// time, the change against the period before ("↑ 12 %"), distinct counts and the top 5 lists.
import type { APIEmbedField } from 'discord.js';
import { COLORS, embedPayload, escapeAndTruncate, type ReplyPayload } from '../../discord/text.js';
import { playsText } from '../history/replies.js';
import { PERIOD_DAYS, type ServerStats, type Stats, type StatsPeriod, type StatsTop } from './service.js';

export const PERIOD_LABELS: Record<StatsPeriod, string> = {
  week: 'Last 7 days',
  month: 'Last 30 days',
  year: 'Last 365 days',
  all: 'All time',
};

export const PERIOD_CHOICES = (Object.keys(PERIOD_LABELS) as StatsPeriod[]).map((value) => ({ name: PERIOD_LABELS[value], value }));

const NAME_MAX = 80;
const count = new Intl.NumberFormat('en-US');

/** "41 h 12 min", "35 min", "0 min" (listening time reads in hours and minutes). */
export function listeningTimeText(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${count.format(h)} h ${m} min` : `${m} min`;
}

/** "↑ 12 %", "↓ 5 %", "→ 0 %"; null when there is nothing to compare with (nothing the period before). */
export function changeText(now: number, before: number): string | null {
  if (before <= 0) return null;
  const pct = Math.round(((now - before) / before) * 100);
  return pct > 0 ? `↑ ${count.format(pct)} %` : pct < 0 ? `↓ ${count.format(-pct)} %` : '→ 0 %';
}

function comparison(stats: Stats): string | null {
  const days = PERIOD_DAYS[stats.period];
  if (!stats.previous || days === null) return null;
  const against = `the ${days} days before`;
  if (stats.previous.plays === 0) return `Nothing in ${against}.`;
  const plays = changeText(stats.totals.plays, stats.previous.plays);
  const time = changeText(stats.totals.ms, stats.previous.ms);
  const parts = [`plays ${plays ?? '—'}`, time ? `time ${time}` : null].filter((p) => p !== null);
  return `${parts.join(' · ')} against ${against} (${playsText(stats.previous.plays)}, ${listeningTimeText(stats.previous.ms)}).`;
}

/** "1 track", "1,204 tracks". */
const counted = (n: number, what: string): string => `${count.format(n)} ${what}${n === 1 ? '' : 's'}`;

const bold = (name: string): string => `**${escapeAndTruncate(name, NAME_MAX)}**`;

function topLines(items: readonly StatsTop[]): string {
  return items
    .map((item, i) => {
      const by = item.artist ? ` — ${escapeAndTruncate(item.artist, 60)}` : '';
      return `${i + 1}. ${escapeAndTruncate(item.name, 70)}${by} · ${playsText(item.plays)}`;
    })
    .join('\n');
}

function topFields(stats: Stats): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  if (stats.topArtists.length > 0) fields.push({ name: 'Top artists', value: topLines(stats.topArtists) });
  if (stats.topTracks.length > 0) fields.push({ name: 'Top tracks', value: topLines(stats.topTracks) });
  if (stats.topAlbums.length > 0) fields.push({ name: 'Top albums', value: topLines(stats.topAlbums) });
  return fields;
}

function summaryLines(stats: Stats): string[] {
  const t = stats.totals;
  const lines = [
    `**${playsText(t.plays)}** · **${listeningTimeText(t.ms)}** listened`,
    `${counted(t.tracks, 'track')} · ${counted(t.artists, 'artist')} · ${counted(t.albums, 'album')}`,
  ];
  const change = comparison(stats);
  if (change) lines.push(change);
  return lines;
}

/** The heading both the reply and the picture use: "Mia · Last 30 days". */
export function statsHeading(name: string, period: StatsPeriod): string {
  return `${name} · ${PERIOD_LABELS[period]}`;
}

const footer = (stats: Stats): string => `Days and hours in ${stats.timeZone} · from stored listening history`;

export function statsReply(stats: Stats, name: string): ReplyPayload {
  const title = `📊 ${escapeAndTruncate(name, NAME_MAX)}'s listening · ${PERIOD_LABELS[stats.period]}`;
  if (stats.totals.plays === 0) {
    return embedPayload({ color: COLORS.neutral, title, description: `${bold(name)} has no plays in this period (${PERIOD_LABELS[stats.period].toLowerCase()}).` });
  }
  return embedPayload({ color: COLORS.top, title, description: summaryLines(stats).join('\n'), fields: topFields(stats), footer: { text: footer(stats) } });
}

function listenerLines(rows: ServerStats['topByPlays'], value: (r: ServerStats['topByPlays'][number]) => string): string {
  return rows.map((r, i) => `${i + 1}. <@${r.userId}> · ${value(r)}`).join('\n');
}

export function serverStatsReply(stats: ServerStats, serverName: string): ReplyPayload {
  const title = `📊 ${escapeAndTruncate(serverName, NAME_MAX)} · ${PERIOD_LABELS[stats.period]}`;
  if (stats.totals.plays === 0) {
    return embedPayload({
      color: COLORS.neutral,
      title,
      description: `This server's recorded members have no plays in this period (${PERIOD_LABELS[stats.period].toLowerCase()}).`,
    });
  }
  const members = `${count.format(stats.members)} recorded ${stats.members === 1 ? 'member' : 'members'} together`;
  const fields = [
    ...topFields(stats),
    { name: 'Top listeners by plays', value: listenerLines(stats.topByPlays, (r) => playsText(r.plays)), inline: true },
    { name: 'Top listeners by time', value: listenerLines(stats.topByTime, (r) => listeningTimeText(r.ms)), inline: true },
  ];
  return embedPayload({ color: COLORS.top, title, description: [members, ...summaryLines(stats)].join('\n'), fields, footer: { text: footer(stats) } });
}

/** Alt text for the picture: what it shows, in words. */
export function statsAltText(heading: string, stats: Stats): string {
  const busiest = stats.days.reduce<{ day: string; ms: number } | null>((best, d) => (d.ms > (best?.ms ?? 0) ? d : best), null);
  const hour = stats.hours.indexOf(Math.max(...stats.hours));
  return `Listening chart, ${heading}: ${playsText(stats.totals.plays)}, ${listeningTimeText(stats.totals.ms)}${
    busiest ? `; most on ${busiest.day}; busiest hour ${hour}:00` : ''
  }`;
}

/** The text reply alone, saying why the picture is missing. */
export function withoutStatsPicture(text: ReplyPayload): ReplyPayload {
  const [first, ...rest] = text.embeds;
  if (!first) return text;
  const note = "The picture couldn't be drawn this time";
  return { ...text, embeds: [{ ...first, footer: { text: first.footer?.text ? `${first.footer.text} · ${note}` : note } }, ...rest] };
}
