// /recap as Discord payloads, the weekly post itself, and the DM sent when the bot has to stop. Pure.
import type { APIEmbedField } from 'discord.js';
import { clampMessageContent, COLORS, embedPayload, escapeAndTruncate, oneLine, truncate, type ReplyPayload } from '../../discord/text.js';
import { dayText, playsText } from '../history/replies.js';
import { listeningTimeText } from '../stats/replies.js';
import type { StopReason } from '../announce/replies.js';
import type { RecapItem, RecapSetting, RecapWeek } from './service.js';

const channel = (id: string): string => `<#${id}>`;
const count = new Intl.NumberFormat('en-US');
const NAME_MAX = 80;

function itemLines(items: readonly RecapItem[]): string {
  return items
    .map((item, i) => `${i + 1}. ${escapeAndTruncate(item.name, 70)}${item.artist ? ` — ${escapeAndTruncate(item.artist, 60)}` : ''} · ${playsText(item.plays)}`)
    .join('\n');
}

/** "2026-11-24 – 2026-11-30": the week's first and last day (UTC, as the rest of the bot writes dates). */
export function recapRangeText(from: number, to: number): string {
  return `${dayText(from)} – ${dayText(to - 1)}`;
}

/** The weekly post (the chart picture is drawn in by the caller). Only called for a week with plays. */
export function recapPost(week: RecapWeek, serverName: string): ReplyPayload {
  const t = week.totals;
  const members = `${count.format(week.members)} recorded ${week.members === 1 ? 'member' : 'members'}`;
  const description = [
    `**${playsText(t.plays)}** · **${listeningTimeText(t.ms)}** listened by ${members}`,
    `${count.format(t.tracks)} ${t.tracks === 1 ? 'track' : 'tracks'} · ${count.format(t.artists)} ${t.artists === 1 ? 'artist' : 'artists'}`,
  ].join('\n');
  const fields: APIEmbedField[] = [];
  if (week.topArtists.length > 0) fields.push({ name: 'Top artists', value: itemLines(week.topArtists) });
  if (week.topTracks.length > 0) fields.push({ name: 'Top tracks', value: itemLines(week.topTracks) });
  if (week.topListeners.length > 0) {
    fields.push({
      name: 'Top listeners',
      value: week.topListeners.map((l, i) => `${i + 1}. <@${l.userId}> · ${playsText(l.plays)} · ${listeningTimeText(l.ms)}`).join('\n'),
    });
  }
  const fresh = week.newArtists;
  fields.push({
    name: `New artists this week: ${count.format(fresh.count)}`,
    value:
      fresh.count === 0
        ? 'None: only artists heard here before.'
        : fresh.top.map((a) => `${escapeAndTruncate(a.name, 70)} · ${playsText(a.plays)}`).join('\n') +
          (fresh.count > fresh.top.length ? `\n…and ${count.format(fresh.count - fresh.top.length)} more` : ''),
  });
  return embedPayload({
    color: COLORS.top,
    title: `🗓️ Weekly recap · ${escapeAndTruncate(serverName, NAME_MAX) || 'This server'}`,
    description,
    fields,
    footer: { text: `${recapRangeText(week.from, week.to)} · members here, recording, not "only me" · /recap off:True stops it` },
  });
}

export function recapStatusReply(setting: RecapSetting | null): ReplyPayload {
  if (!setting) {
    return embedPayload({
      color: COLORS.neutral,
      description: "🗓️ The weekly recap is off in this server. `/recap channel:#channel` posts last week's listening there every week.",
    });
  }
  return embedPayload({
    color: COLORS.top,
    description:
      `🗓️ The weekly recap is posted to ${channel(setting.channelId)} (set by <@${setting.setBy}>, ` +
      `<t:${Math.floor(setting.setAt / 1000)}:R>). \`/recap off:True\` stops it.`,
  });
}

export function recapSetReply(channelId: string): ReplyPayload {
  return embedPayload({
    color: COLORS.top,
    description:
      `🗓️ Every week the recap of this server's listening is posted to ${channel(channelId)}: top artists and tracks, ` +
      'top listeners, time listened, new artists and a chart. Only members who record and share their listening count. ' +
      '`/recap off:True` stops it.',
  });
}

export function recapOffReply(wasOn: boolean): ReplyPayload {
  return embedPayload({
    color: COLORS.neutral,
    description: wasOn ? '🗓️ The weekly recap is off: no more recaps in this server.' : '🗓️ The weekly recap was already off in this server.',
  });
}

export function recapCantPostReply(channelId: string, missing: readonly string[]): ReplyPayload {
  return embedPayload({
    color: COLORS.error,
    description: `⚠️ I can't post in ${channel(channelId)}: I'm missing ${missing.join(', ')} there. Give me those, or pick another channel.`,
  });
}

export function recapNotTextReply(): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: "⚠️ That isn't a text channel of this server I can see." });
}

export function recapBothReply(): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: '⚠️ Give either a channel or `off:True`, not both.' });
}

/** The DM to whoever turned the recap on (or the owner), sent once when the bot stops posting. */
export function recapStoppedNotice(guildName: string, channelId: string, reason: StopReason): string {
  const why =
    reason === 'deleted' ? 'the channel was deleted' : "I'm no longer allowed to post there (View Channel / Send Messages / Attach Files)";
  return clampMessageContent(
    `🗓️ I stopped posting the weekly recap to ${channel(channelId)} in **${truncate(oneLine(guildName), 100)}**: ${why}. ` +
      'The recap is now off there; `/recap channel:#channel` in that server turns it on again.',
  );
}
