// Pure payloads for /stats and /serverstats: whose and which period in the title, plays as "1,234 plays", listening
// time, the change against the period before ("↑ 12 %"), distinct counts and the top 5 lists.
import type { APIEmbedField } from 'discord.js';
import { COLORS, embedPayload, escapeAndTruncate, type ReplyPayload } from '../../discord/text.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import { PERIOD_DAYS, type ServerStats, type Stats, type StatsPeriod, type StatsTop } from './service.js';

/** The English labels (the command's choices; localized at sync). In a reply: `periodLabel`. */
export const PERIOD_LABELS: Record<StatsPeriod, string> = {
  week: 'Last 7 days',
  month: 'Last 30 days',
  year: 'Last 365 days',
  all: 'All time',
};

export const PERIOD_CHOICES = (Object.keys(PERIOD_LABELS) as StatsPeriod[]).map((value) => ({ name: PERIOD_LABELS[value], value }));

const NAME_MAX = 80;

/** "Last 30 days", "Letzte 30 Tage" (a heading's period). */
export function periodLabel(tr: Translator, period: StatsPeriod): string {
  return tr.t(`stats.period.${period}`);
}

/** "last 30 days" (the period inside a sentence). */
export function periodInline(tr: Translator, period: StatsPeriod): string {
  return tr.t(`stats.periodInline.${period}`);
}

/** "1,234 plays", "1.234 Wiedergaben". */
const playsOf = (tr: Translator, n: number): string => tr.t('history.plays', { count: n });

/** "41 h 12 min", "35 min", "0 min" (listening time reads in hours and minutes), in `tr`'s language. */
export function listeningTimeText(ms: number, tr: Translator = ENGLISH): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? tr.t('stats.hoursMinutes', { h, m }) : tr.t('stats.minutes', { m });
}

/** "↑ 12 %", "↓ 5 %", "→ 0 %"; null when there is nothing to compare with (nothing the period before). */
export function changeText(now: number, before: number, tr: Translator = ENGLISH): string | null {
  if (before <= 0) return null;
  const pct = Math.round(((now - before) / before) * 100);
  return pct > 0 ? tr.t('stats.up', { n: pct }) : pct < 0 ? tr.t('stats.down', { n: -pct }) : tr.t('stats.flat');
}

function comparison(stats: Stats, tr: Translator): string | null {
  const days = PERIOD_DAYS[stats.period];
  if (!stats.previous || days === null) return null;
  if (stats.previous.plays === 0) return tr.t('stats.nothingBefore', { days });
  const plays = changeText(stats.totals.plays, stats.previous.plays, tr);
  const time = changeText(stats.totals.ms, stats.previous.ms, tr);
  const parts = [tr.t('stats.playsChange', { change: plays ?? '—' }), time ? tr.t('stats.timeChange', { change: time }) : null].filter((p) => p !== null);
  return tr.t('stats.against', { changes: parts.join(' · '), days, plays: playsOf(tr, stats.previous.plays), time: listeningTimeText(stats.previous.ms, tr) });
}

function topLines(items: readonly StatsTop[], tr: Translator): string {
  return items
    .map((item, i) => {
      const by = item.artist ? ` — ${escapeAndTruncate(item.artist, 60)}` : '';
      return `${i + 1}. ${escapeAndTruncate(item.name, 70)}${by} · ${playsOf(tr, item.plays)}`;
    })
    .join('\n');
}

function topFields(stats: Stats, tr: Translator): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  if (stats.topArtists.length > 0) fields.push({ name: tr.t('stats.topArtists'), value: topLines(stats.topArtists, tr) });
  if (stats.topTracks.length > 0) fields.push({ name: tr.t('stats.topTracks'), value: topLines(stats.topTracks, tr) });
  if (stats.topAlbums.length > 0) fields.push({ name: tr.t('stats.topAlbums'), value: topLines(stats.topAlbums, tr) });
  return fields;
}

function summaryLines(stats: Stats, tr: Translator): string[] {
  const t = stats.totals;
  const lines = [
    tr.t('stats.summary', { plays: playsOf(tr, t.plays), time: listeningTimeText(t.ms, tr) }),
    [tr.t('stats.tracks', { count: t.tracks }), tr.t('stats.artists', { count: t.artists }), tr.t('stats.albums', { count: t.albums })].join(' · '),
  ];
  const change = comparison(stats, tr);
  if (change) lines.push(change);
  return lines;
}

/** The heading both the reply and the picture use: "Mia · Last 30 days". */
export function statsHeading(name: string, period: StatsPeriod, tr: Translator = ENGLISH): string {
  return tr.t('stats.heading', { name, period: periodLabel(tr, period) });
}

const footer = (stats: Stats, tr: Translator): string => tr.t('stats.footer', { timeZone: stats.timeZone });

export function statsReply(stats: Stats, name: string, tr: Translator = ENGLISH): ReplyPayload {
  const title = tr.t('stats.title', { name: escapeAndTruncate(name, NAME_MAX), period: periodLabel(tr, stats.period) });
  if (stats.totals.plays === 0) {
    const description = tr.t('stats.empty', { name: escapeAndTruncate(name, NAME_MAX), period: periodInline(tr, stats.period) });
    return embedPayload({ color: COLORS.neutral, title, description });
  }
  return embedPayload({ color: COLORS.top, title, description: summaryLines(stats, tr).join('\n'), fields: topFields(stats, tr), footer: { text: footer(stats, tr) } });
}

function listenerLines(rows: ServerStats['topByPlays'], value: (r: ServerStats['topByPlays'][number]) => string): string {
  return rows.map((r, i) => `${i + 1}. <@${r.userId}> · ${value(r)}`).join('\n');
}

export function serverStatsReply(stats: ServerStats, serverName: string, tr: Translator = ENGLISH): ReplyPayload {
  const title = tr.t('stats.serverTitle', { name: escapeAndTruncate(serverName, NAME_MAX), period: periodLabel(tr, stats.period) });
  if (stats.totals.plays === 0) {
    return embedPayload({ color: COLORS.neutral, title, description: tr.t('stats.serverEmpty', { period: periodInline(tr, stats.period) }) });
  }
  const members = tr.t('stats.members', { count: stats.members });
  const fields = [
    ...topFields(stats, tr),
    { name: tr.t('stats.topByPlays'), value: listenerLines(stats.topByPlays, (r) => playsOf(tr, r.plays)), inline: true },
    { name: tr.t('stats.topByTime'), value: listenerLines(stats.topByTime, (r) => listeningTimeText(r.ms, tr)), inline: true },
  ];
  return embedPayload({ color: COLORS.top, title, description: [members, ...summaryLines(stats, tr)].join('\n'), fields, footer: { text: footer(stats, tr) } });
}

/** Alt text for the picture: what it shows, in words. */
export function statsAltText(heading: string, stats: Stats, tr: Translator = ENGLISH): string {
  const busiest = stats.days.reduce<{ day: string; ms: number } | null>((best, d) => (d.ms > (best?.ms ?? 0) ? d : best), null);
  const hour = stats.hours.indexOf(Math.max(...stats.hours));
  const text = tr.t('stats.alt', { heading, plays: playsOf(tr, stats.totals.plays), time: listeningTimeText(stats.totals.ms, tr) });
  return busiest ? text + tr.t('stats.altBusiest', { day: busiest.day, hour }) : text;
}

/** The text reply alone, saying why the picture is missing. */
export function withoutStatsPicture(text: ReplyPayload, tr: Translator = ENGLISH): ReplyPayload {
  const [first, ...rest] = text.embeds;
  if (!first) return text;
  const note = tr.t('stats.noPicture');
  return { ...text, embeds: [{ ...first, footer: { text: first.footer?.text ? `${first.footer.text} · ${note}` : note } }, ...rest] };
}
