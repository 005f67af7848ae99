// /recap as Discord payloads, the weekly post itself, and the DM sent when the bot has to stop. Pure.
import type { APIEmbedField } from 'discord.js';
import { clampMessageContent, COLORS, embedPayload, escapeAndTruncate, oneLine, truncate, type ReplyPayload } from '../../discord/text.js';
import { dayText } from '../../i18n/time.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import { playsText } from '../history/replies.js';
import { listeningTimeText } from '../stats/replies.js';
import type { StopReason } from '../announce/replies.js';
import type { RecapItem, RecapSetting, RecapWeek } from './service.js';

const channel = (id: string): string => `<#${id}>`;
const NAME_MAX = 80;

/** A permission the recap needs in its channel, named as Discord shows it. */
export type RecapPermission = 'view' | 'send' | 'embed' | 'attach';

function itemLines(items: readonly RecapItem[], tr: Translator): string {
  return items
    .map((item, i) => `${i + 1}. ${escapeAndTruncate(item.name, 70)}${item.artist ? ` — ${escapeAndTruncate(item.artist, 60)}` : ''} · ${playsText(item.plays, tr)}`)
    .join('\n');
}

/** "2026-11-24 – 2026-11-30": the week's first and last day (UTC; English as the rest of the bot writes dates). */
export function recapRangeText(from: number, to: number, tr: Translator = ENGLISH): string {
  return `${dayText(tr, from)} – ${dayText(tr, to - 1)}`;
}

/** The weekly post (the chart picture is drawn in by the caller). Only called for a week with plays. */
export function recapPost(week: RecapWeek, serverName: string, tr: Translator = ENGLISH): ReplyPayload {
  const t = week.totals;
  const description = [
    tr.t('recap.totals', { plays: playsText(t.plays, tr), time: listeningTimeText(t.ms, tr), members: tr.t('recap.members', { count: week.members }) }),
    `${tr.t('wrapped.tracks', { count: t.tracks })} · ${tr.t('wrapped.artists', { count: t.artists })}`,
  ].join('\n');
  const fields: APIEmbedField[] = [];
  if (week.topArtists.length > 0) fields.push({ name: tr.t('recap.topArtists'), value: itemLines(week.topArtists, tr) });
  if (week.topTracks.length > 0) fields.push({ name: tr.t('recap.topTracks'), value: itemLines(week.topTracks, tr) });
  if (week.topListeners.length > 0) {
    fields.push({
      name: tr.t('recap.topListeners'),
      value: week.topListeners.map((l, i) => `${i + 1}. <@${l.userId}> · ${playsText(l.plays, tr)} · ${listeningTimeText(l.ms, tr)}`).join('\n'),
    });
  }
  const fresh = week.newArtists;
  fields.push({
    name: tr.t('recap.newArtists', { n: fresh.count }),
    value:
      fresh.count === 0
        ? tr.t('recap.noNewArtists')
        : fresh.top.map((a) => `${escapeAndTruncate(a.name, 70)} · ${playsText(a.plays, tr)}`).join('\n') +
          (fresh.count > fresh.top.length ? `\n${tr.t('recap.andMore', { n: fresh.count - fresh.top.length })}` : ''),
  });
  return embedPayload({
    color: COLORS.top,
    title: tr.t('recap.title', { server: escapeAndTruncate(serverName, NAME_MAX) || tr.t('recap.thisServer') }),
    description,
    fields,
    footer: { text: tr.t('recap.footer', { range: recapRangeText(week.from, week.to, tr) }) },
  });
}

export function recapStatusReply(setting: RecapSetting | null, tr: Translator = ENGLISH): ReplyPayload {
  if (!setting) return embedPayload({ color: COLORS.neutral, description: tr.t('recap.statusOff') });
  return embedPayload({
    color: COLORS.top,
    description: tr.t('recap.statusOn', { channel: channel(setting.channelId), setBy: `<@${setting.setBy}>`, when: `<t:${Math.floor(setting.setAt / 1000)}:R>` }),
  });
}

export function recapSetReply(channelId: string, tr: Translator = ENGLISH): ReplyPayload {
  return embedPayload({ color: COLORS.top, description: tr.t('recap.set', { channel: channel(channelId) }) });
}

export function recapOffReply(wasOn: boolean, tr: Translator = ENGLISH): ReplyPayload {
  return embedPayload({ color: COLORS.neutral, description: tr.t(wasOn ? 'recap.offNow' : 'recap.alreadyOff') });
}

export function recapCantPostReply(channelId: string, missing: readonly RecapPermission[], tr: Translator = ENGLISH): ReplyPayload {
  const names = missing.map((p) => tr.t(`recap.permission.${p}`)).join(', ');
  return embedPayload({ color: COLORS.error, description: tr.t('recap.cantPost', { channel: channel(channelId), missing: names }) });
}

export function recapNotTextReply(tr: Translator = ENGLISH): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: tr.t('recap.notText') });
}

export function recapBothReply(tr: Translator = ENGLISH): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: tr.t('recap.both') });
}

export function recapNotHereReply(tr: Translator = ENGLISH): ReplyPayload {
  return embedPayload({ color: COLORS.neutral, description: tr.t('recap.notHere') });
}

/** The DM to whoever turned the recap on (or the owner), sent once when the bot stops posting. */
export function recapStoppedNotice(guildName: string, channelId: string, reason: StopReason, tr: Translator = ENGLISH): string {
  const why = tr.t(reason === 'deleted' ? 'recap.whyDeleted' : 'recap.whyForbidden');
  return clampMessageContent(tr.t('recap.stopped', { channel: channel(channelId), guild: truncate(oneLine(guildName), 100), why }));
}
