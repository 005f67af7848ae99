// A member's plays as a JSON file in Spotify's extended-history field names, so it re-imports here (as
// `import-extended`) or into other tools that read Spotify's export. One row per line; written in chunks so a long
// history need not be one string. Fields the bot never had (platform, country, shuffle…) are null, and personal
// fields it never keeps (IP address, user agent, username) are left out.

import type { PlayInput } from './play.js';

/** A row of Spotify's extended streaming history (2024 field set, without the personal fields). */
export interface ExtendedHistoryRow {
  ts: string;
  ms_played: number;
  master_metadata_track_name: string;
  master_metadata_album_artist_name: string;
  master_metadata_album_album_name: string | null;
  spotify_track_uri: string | null;
  episode_name: null;
  episode_show_name: null;
  spotify_episode_uri: null;
  audiobook_title: null;
  audiobook_uri: null;
  audiobook_chapter_uri: null;
  audiobook_chapter_title: null;
  reason_start: null;
  reason_end: null;
  shuffle: null;
  skipped: null;
  offline: null;
  offline_timestamp: null;
  incognito_mode: false;
}

/** `ts` as Spotify writes it: the end, UTC, whole seconds ("2024-05-06T18:43:07Z"). */
export function spotifyTs(epochMs: number): string {
  return `${new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

export function extendedHistoryRow(play: PlayInput): ExtendedHistoryRow {
  return {
    ts: spotifyTs(play.endedAt),
    ms_played: Math.max(0, Math.round(play.msPlayed ?? play.durationMs ?? play.endedAt - play.startedAt)),
    master_metadata_track_name: play.title,
    master_metadata_album_artist_name: play.artist,
    master_metadata_album_album_name: play.album,
    spotify_track_uri: play.trackId ? `spotify:track:${play.trackId}` : null,
    episode_name: null,
    episode_show_name: null,
    spotify_episode_uri: null,
    audiobook_title: null,
    audiobook_uri: null,
    audiobook_chapter_uri: null,
    audiobook_chapter_title: null,
    reason_start: null,
    reason_end: null,
    shuffle: null,
    skipped: null,
    offline: null,
    offline_timestamp: null,
    incognito_mode: false,
  };
}

/** Rows per chunk: ~250 KB of text. */
const ROWS_PER_CHUNK = 500;

/**
 * The file's text in chunks (concatenated: one JSON array), from plays given all at once or as they are read from the
 * store. Nothing but the current chunk is held.
 */
export async function* extendedHistoryChunks(plays: Iterable<PlayInput> | AsyncIterable<PlayInput>): AsyncGenerator<string> {
  let chunk = '[';
  let rows = 0;
  for await (const play of plays) {
    chunk += `${rows === 0 ? '\n' : ',\n'}  ${JSON.stringify(extendedHistoryRow(play))}`;
    if (++rows % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}${rows === 0 ? ']\n' : '\n]\n'}`;
}

/** The whole file's bytes (UTF-8). */
export function extendedHistoryJson(plays: Iterable<PlayInput>): Uint8Array {
  const parts: string[] = [];
  for (const play of plays) parts.push(`  ${JSON.stringify(extendedHistoryRow(play))}`);
  return new TextEncoder().encode(parts.length === 0 ? '[]\n' : `[\n${parts.join(',\n')}\n]\n`);
}
