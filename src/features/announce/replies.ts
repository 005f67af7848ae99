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
import type { AnnounceSetting } from './service.js';

/** What gets announced: a track or an episode that is playing. */
export type Announceable = TrackState | EpisodeState;

const channel = (id: string): string => `<#${id}>`;

function linkRow(url: string | null): ButtonRow[] {
  const href = safeUrl(url, EMBED_LIMITS.buttonUrl);
  if (!href) return [];
  const button: APIButtonComponentWithURL = { type: ComponentType.Button, style: ButtonStyle.Link, label: 'Open in Spotify', url: href };
  return [{ type: ComponentType.ActionRow, components: [button] }];
}

/** The message posted to the now-playing channel (edited in place on a quick skip). */
export function announcePost(item: Announceable): ReplyPayload {
  const url = item.kind === 'track' && item.isLocal ? null : safeUrl(item.url);
  const lines: string[] = [];
  if (item.kind === 'track') {
    lines.push(`by ${formatArtists(item.isLocal ? item.artists.map((a) => ({ ...a, url: null })) : item.artists, 1000, { linked: true })}`);
    const album = oneLine(item.album.name);
    if (album !== '') lines.push(`on ${mdLink(escapeAndTruncate(album, 200), item.isLocal ? null : item.album.url)}`);
  } else {
    const show = oneLine(item.show.name);
    if (show !== '') lines.push(`from ${mdLink(escapeAndTruncate(show, 200), item.show.url)}`);
  }
  const embed: APIEmbed = {
    color: COLORS.playing,
    author: { name: item.kind === 'track' ? '🎵 Now playing' : '🎙️ Now playing · Podcast episode' },
    title: escapeAndTruncate(item.title, EMBED_LIMITS.title) || 'Untitled',
    ...(url ? { url } : {}),
    description: lines.join('\n'),
    ...(item.kind === 'track' && item.isLocal ? {} : thumbnail(item.imageUrl)),
  };
  return embedPayload(embed, linkRow(url));
}

export function announceStatusReply(setting: AnnounceSetting | null): ReplyPayload {
  if (!setting) {
    return embedPayload({
      color: COLORS.neutral,
      description: "📣 Announce is off in this server. `/announce channel:#channel` posts the owner's new tracks there.",
    });
  }
  return embedPayload({
    color: COLORS.playing,
    description:
      `📣 The owner's new tracks are posted to ${channel(setting.channelId)} (set by <@${setting.setBy}>, ` +
      `<t:${Math.floor(setting.setAt / 1000)}:R>). \`/announce off:True\` stops it.`,
  });
}

export function announceSetReply(channelId: string): ReplyPayload {
  return embedPayload({
    color: COLORS.playing,
    description:
      `📣 From the owner's next track on, each new track is posted to ${channel(channelId)}. ` +
      'Quick skips edit the last post instead of adding one; pauses post nothing. `/announce off:True` stops it.',
  });
}

export function announceOffReply(wasOn: boolean): ReplyPayload {
  return embedPayload({
    color: COLORS.neutral,
    description: wasOn ? '📣 Announce is off: no more posts in this server.' : '📣 Announce was already off in this server.',
  });
}

export function announceCantPostReply(channelId: string, missing: readonly string[]): ReplyPayload {
  return embedPayload({
    color: COLORS.error,
    description: `⚠️ I can't post in ${channel(channelId)}: I'm missing ${missing.join(', ')} there. Give me those, or pick another channel.`,
  });
}

export function announceNotTextReply(): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: "⚠️ That isn't a text channel of this server I can see." });
}

export function announceBothReply(): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: '⚠️ Give either a channel or `off:True`, not both.' });
}

export type StopReason = 'deleted' | 'forbidden';

/** The DM to whoever turned announce on (or the owner), sent once when the bot stops posting. */
export function announceStoppedNotice(guildName: string, channelId: string, reason: StopReason): string {
  const why =
    reason === 'deleted' ? 'the channel was deleted' : "I'm no longer allowed to post there (View Channel / Send Messages)";
  return clampMessageContent(
    `📣 I stopped posting the owner's tracks to ${channel(channelId)} in **${truncate(oneLine(guildName), 100)}**: ${why}. ` +
      'Announce is now off there; `/announce channel:#channel` in that server turns it on again.',
  );
}
