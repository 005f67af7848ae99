// /announce as Discord payloads, the post itself, and the notice sent when the bot has to stop. Pure.
import { ButtonStyle, ComponentType, type APIButtonComponentWithURL, type APIEmbed } from 'discord.js';
import type { EpisodeState, TrackState } from '../../listening-state.js';
import {
  clampMessageContent,
  COLORS,
  EMBED_LIMITS,
  embedPayload,
  escapeAndTruncate,
  formatArtists,
  mdLink,
  oneLine,
  safeUrl,
  thumbnail,
  truncate,
  type ButtonRow,
  type ReplyPayload,
} from '../../discord/text.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import type { AnnounceSetting } from './service.js';

/** What gets announced: a track or an episode that is playing. */
export type Announceable = TrackState | EpisodeState;

const channel = (id: string): string => `<#${id}>`;

function linkRow(url: string | null, tr: Translator): ButtonRow[] {
  const href = safeUrl(url, EMBED_LIMITS.buttonUrl);
  if (!href) return [];
  const button: APIButtonComponentWithURL = { type: ComponentType.Button, style: ButtonStyle.Link, label: tr.t('announce.openInSpotify'), url: href };
  return [{ type: ComponentType.ActionRow, components: [button] }];
}

/** The message posted to the now-playing channel (edited in place on a quick skip), in the server's language. */
export function announcePost(item: Announceable, tr: Translator): ReplyPayload {
  const url = item.kind === 'track' && item.isLocal ? null : safeUrl(item.url);
  const lines: string[] = [];
  if (item.kind === 'track') {
    const artists = formatArtists(item.isLocal ? item.artists.map((a) => ({ ...a, url: null })) : item.artists, 1000, { linked: true, tr });
    lines.push(tr.t('announce.by', { artists }));
    const album = oneLine(item.album.name);
    if (album !== '') lines.push(tr.t('announce.on', { album: mdLink(escapeAndTruncate(album, 200), item.isLocal ? null : item.album.url) }));
  } else {
    const show = oneLine(item.show.name);
    if (show !== '') lines.push(tr.t('announce.from', { show: mdLink(escapeAndTruncate(show, 200), item.show.url) }));
  }
  const embed: APIEmbed = {
    color: COLORS.playing,
    author: { name: tr.t(item.kind === 'track' ? 'announce.nowPlaying' : 'announce.nowPlayingEpisode') },
    title: escapeAndTruncate(item.title, EMBED_LIMITS.title) || tr.t('announce.untitled'),
    ...(url ? { url } : {}),
    description: lines.join('\n'),
    ...(item.kind === 'track' && item.isLocal ? {} : thumbnail(item.imageUrl)),
  };
  return embedPayload(embed, linkRow(url, tr));
}

export function announceStatusReply(setting: AnnounceSetting | null, tr: Translator): ReplyPayload {
  if (!setting) return embedPayload({ color: COLORS.neutral, description: tr.t('announce.statusOff') });
  return embedPayload({
    color: COLORS.playing,
    description: tr.t('announce.statusOn', {
      channel: channel(setting.channelId),
      setBy: `<@${setting.setBy}>`,
      // Discord renders the relative time in each reader's own language.
      when: `<t:${Math.floor(setting.setAt / 1000)}:R>`,
    }),
  });
}

export function announceSetReply(channelId: string, tr: Translator): ReplyPayload {
  return embedPayload({ color: COLORS.playing, description: tr.t('announce.set', { channel: channel(channelId) }) });
}

export function announceOffReply(wasOn: boolean, tr: Translator): ReplyPayload {
  return embedPayload({ color: COLORS.neutral, description: tr.t(wasOn ? 'announce.offNow' : 'announce.alreadyOff') });
}

export function announceCantPostReply(channelId: string, missing: readonly string[], tr: Translator): ReplyPayload {
  return embedPayload({
    color: COLORS.error,
    // Discord's own permission names, as its settings show them in English.
    description: tr.t('announce.cantPost', { channel: channel(channelId), missing: missing.join(', ') }),
  });
}

export function announceNotTextReply(tr: Translator): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: tr.t('announce.notText') });
}

export function announceBothReply(tr: Translator): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: tr.t('announce.both') });
}

export type StopReason = 'deleted' | 'forbidden';

/** The DM to whoever turned announce on (or the owner), sent once when the bot stops posting. */
export function announceStoppedNotice(guildName: string, channelId: string, reason: StopReason, tr: Translator = ENGLISH): string {
  const why = tr.t(reason === 'deleted' ? 'announce.whyDeleted' : 'announce.whyForbidden');
  return clampMessageContent(tr.t('announce.stopped', { channel: channel(channelId), guild: truncate(oneLine(guildName), 100), why }));
}
