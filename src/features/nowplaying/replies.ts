// /nowplaying as a Discord payload: pure, within every limit (see discord/text). Every reply is one embed plus
// (possibly empty) button rows, so a payload can replace any earlier one without leaving stale content behind.
import { ButtonStyle, ComponentType } from 'discord.js';
import type { APIButtonComponentWithURL, APIEmbed } from 'discord.js';
import type { EpisodeState, ListeningState, TrackState } from '../../listening-state.js';
import { atTime } from '../../listening-state.js';
import {
  COLORS,
  EMBED_LIMITS,
  embedPayload,
  escapeAndTruncate,
  formatArtists,
  formatDuration,
  mdLink,
  oneLine,
  safeUrl,
  thumbnail,
  truncate,
  type ButtonRow,
  type ReplyPayload,
} from '../../discord/text.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';

export const OPEN_IN_SPOTIFY = 'Open in Spotify';
export const NOTHING_PLAYING = 'Nothing is playing right now (or the owner is in a private session).';
export const AD_PLAYING = 'An ad is playing on Spotify — music resumes shortly.';

export const BAR_TRACK = '▬';
export const BAR_KNOB = '🔘';

/** A `width`-segment bar with the knob at the current position: `▬▬▬🔘▬▬▬▬`. */
export function progressBar(progressMs: number, durationMs: number, width = 20): string {
  const segments = Math.max(2, Math.floor(Number.isFinite(width) ? width : 20));
  const ratio =
    Number.isFinite(progressMs) && Number.isFinite(durationMs) && durationMs > 0
      ? Math.min(1, Math.max(0, progressMs / durationMs))
      : 0;
  const position = Math.round(ratio * (segments - 1));
  return BAR_TRACK.repeat(position) + BAR_KNOB + BAR_TRACK.repeat(segments - 1 - position);
}

/** `1:02 ▬▬▬🔘▬▬▬▬ 3:45` */
export function progressLine(progressMs: number, durationMs: number, width = 20): string {
  return `${formatDuration(progressMs)} ${progressBar(progressMs, durationMs, width)} ${formatDuration(durationMs)}`;
}

/** A row with one link button, or no row when the URL is unusable. */
function linkButtonRow(label: string, url: string | null): ButtonRow[] {
  const href = safeUrl(url, EMBED_LIMITS.buttonUrl);
  if (!href) return [];
  const button: APIButtonComponentWithURL = {
    type: ComponentType.Button,
    style: ButtonStyle.Link,
    label: truncate(label, EMBED_LIMITS.buttonLabel),
    url: href,
  };
  return [{ type: ComponentType.ActionRow, components: [button] }];
}

const TITLE_MAX = EMBED_LIMITS.title;
const ARTISTS_BUDGET = 1000;
const ALBUM_NAME_MAX = 200;

function statusLine(tr: Translator, isPlaying: boolean, what: string | null): string {
  const base = isPlaying ? tr.t('nowplaying.playing') : tr.t('nowplaying.paused');
  return what ? `${base} · ${what}` : base;
}

function trackReply(state: TrackState, tr: Translator): ReplyPayload {
  const local = state.isLocal;
  const lines: string[] = [];
  lines.push(tr.t('nowplaying.by', { artists: formatArtists(local ? state.artists.map((a) => ({ ...a, url: null })) : state.artists, ARTISTS_BUDGET, { linked: true }) }));
  const albumName = oneLine(state.album.name);
  if (albumName !== '') {
    lines.push(tr.t('nowplaying.on', { album: mdLink(escapeAndTruncate(albumName, ALBUM_NAME_MAX), local ? null : state.album.url) }));
  }
  lines.push('', progressLine(state.progressMs, state.durationMs));
  if (local) lines.push('', tr.t('nowplaying.localNote'));
  const url = local ? null : safeUrl(state.url);
  const embed: APIEmbed = {
    color: state.isPlaying ? COLORS.playing : COLORS.paused,
    author: { name: statusLine(tr, state.isPlaying, local ? tr.t('nowplaying.localFile') : null) },
    title: escapeAndTruncate(state.title, TITLE_MAX) || tr.t('common.untitledTrack'),
    ...(url ? { url } : {}),
    description: lines.join('\n'),
    ...(local ? {} : thumbnail(state.imageUrl)),
  };
  return embedPayload(embed, local ? [] : linkButtonRow(tr.t('nowplaying.openInSpotify'), url));
}

function episodeReply(state: EpisodeState, tr: Translator): ReplyPayload {
  const lines: string[] = [];
  const showName = oneLine(state.show.name);
  if (showName !== '') lines.push(tr.t('nowplaying.from', { show: mdLink(escapeAndTruncate(showName, ALBUM_NAME_MAX), state.show.url) }));
  const publisher = state.publisher ? oneLine(state.publisher) : '';
  if (publisher !== '' && publisher !== showName) lines.push(tr.t('nowplaying.by', { artists: escapeAndTruncate(publisher, ALBUM_NAME_MAX) }));
  if (lines.length > 0) lines.push('');
  lines.push(progressLine(state.progressMs, state.durationMs));
  const url = safeUrl(state.url);
  const embed: APIEmbed = {
    color: state.isPlaying ? COLORS.playing : COLORS.paused,
    author: { name: statusLine(tr, state.isPlaying, tr.t('nowplaying.podcastEpisode')) },
    title: escapeAndTruncate(state.title, TITLE_MAX) || tr.t('nowplaying.untitledEpisode'),
    ...(url ? { url } : {}),
    description: lines.join('\n'),
    ...thumbnail(state.imageUrl),
  };
  return embedPayload(embed, linkButtonRow(tr.t('nowplaying.openInSpotify'), url));
}

/**
 * The reply to /nowplaying, with progress extrapolated to `now` (epoch ms). `whose`: a member's name, when not the
 * owner's. In `tr`'s language (English by default).
 */
export function nowPlayingReply(state: ListeningState, now: number, opts: { whose?: string } = {}, tr: Translator = ENGLISH): ReplyPayload {
  const current = atTime(state, now);
  switch (current.kind) {
    case 'track':
      return trackReply(current, tr);
    case 'episode':
      return episodeReply(current, tr);
    case 'ad':
      return embedPayload({ color: COLORS.ad, description: tr.t('nowplaying.ad') });
    case 'nothing':
      return embedPayload({
        color: COLORS.neutral,
        description: opts.whose ? tr.t('nowplaying.nothingFor', { who: escapeAndTruncate(opts.whose, 80) }) : tr.t('nowplaying.nothing'),
      });
    case 'unknown':
      return embedPayload({
        color: COLORS.neutral,
        description: current.isPlaying ? tr.t('nowplaying.unknownPlaying') : tr.t('nowplaying.unknownPaused'),
      });
  }
}
