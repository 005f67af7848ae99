// The reading side of importing Spotify's data export: one file's rows into plays and a summary, the entries of a
// zip / folder / upload, fetching an attachment from Discord's CDN (a real loopback server), and the export file
// that re-imports. No database.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountFiles,
  accountHistory,
  damagedZip,
  exportZip,
  extendedFiles,
  extendedHistory,
  otherExportFiles,
  spotifyJson,
  truncatedZip,
  withDeclaredSize,
  type ExtendedRow,
  type GeneratedHistory,
} from '../emulators/spotify-export.js';
import { fetchAttachment, type AttachmentOptions } from '../src/history/import/attachment.js';
import { AttachmentError, ImportFileError } from '../src/history/import/errors.js';
import { readStreamingHistory, type HistoryFile } from '../src/history/import/readers.js';
import {
  MAX_ENTRY_BYTES,
  MAX_EXPORT_BYTES,
  collectPaths,
  exportEntries,
  type ExportEntry,
} from '../src/history/import/sources.js';
import { extendedHistoryChunks, extendedHistoryJson } from '../src/history/export-file.js';
import type { PlayInput } from '../src/history/play.js';

const enc = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

/** The ImportFileError `fn` throws (failing the test if it throws anything else or nothing). */
function importError(fn: () => unknown): ImportFileError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return error as ImportFileError;
  }
  throw new Error('expected an ImportFileError');
}

async function rejection<E>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}`);
}

/** A full extended row with the given overrides (a 2024 track row). */
function row(overrides: Partial<Record<keyof ExtendedRow | string, unknown>> = {}): Record<string, unknown> {
  return {
    ts: '2024-03-01T12:00:00Z',
    platform: 'android',
    ms_played: 200_000,
    conn_country: 'DE',
    ip_addr: '203.0.113.7',
    master_metadata_track_name: 'Blue Hour',
    master_metadata_album_artist_name: 'Velvet Owls',
    master_metadata_album_album_name: 'Blue Hour (Deluxe Edition)',
    spotify_track_uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
    episode_name: null,
    episode_show_name: null,
    spotify_episode_uri: null,
    audiobook_title: null,
    audiobook_uri: null,
    audiobook_chapter_uri: null,
    audiobook_chapter_title: null,
    reason_start: 'trackdone',
    reason_end: 'trackdone',
    shuffle: false,
    skipped: false,
    offline: false,
    offline_timestamp: 1709294200000,
    incognito_mode: false,
    ...overrides,
  };
}

const read = (rows: unknown[], name = 'Streaming_History_Audio_2024_0.json'): HistoryFile => readStreamingHistory(name, enc(rows));

function countKinds(history: GeneratedHistory): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of history.kinds) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('readStreamingHistory: extended history', () => {
  const history = extendedHistory({ rows: 3000, seed: 7, start: '2022-06-01T00:00:00Z' });
  const file = readStreamingHistory('Spotify Extended Streaming History/Streaming_History_Audio_2022-2023_0.json', spotifyJson(history.rows));
  const kinds = countKinds(history);

  it('turns every track row played ≥ 30 s into a play and counts each other row under its reason', () => {
    expect(file.source).toBe('import-extended');
    expect(file.rows).toBe(3000);
    // Duplicates are plays here: telling them apart is the store's job.
    expect(file.plays).toHaveLength((kinds.track ?? 0) + (kinds.duplicate ?? 0));
    expect(file.skipped).toEqual({
      podcast: kinds.podcast ?? 0,
      video: 0,
      audiobook: kinds.audiobook ?? 0,
      short: kinds.short ?? 0,
      incognito: kinds.incognito ?? 0,
      untitled: kinds.untitled ?? 0,
      unreadable: 0,
    });
    for (const kind of ['short', 'podcast', 'incognito', 'untitled', 'audiobook', 'duplicate']) expect(kinds[kind]).toBeGreaterThan(0);
  });

  it('takes start = ts − ms_played, end = ts, the track id from the URI and the play time from the row', () => {
    const expected = history.rows
      .filter((_, i) => history.kinds[i] === 'track' || history.kinds[i] === 'duplicate')
      .map((r): PlayInput => ({
        title: r.master_metadata_track_name!,
        artist: r.master_metadata_album_artist_name!,
        album: r.master_metadata_album_album_name,
        trackId: r.spotify_track_uri!.split(':')[2]!,
        imageId: null,
        startedAt: new Date(r.ts).getTime() - r.ms_played,
        endedAt: new Date(r.ts).getTime(),
        msPlayed: r.ms_played,
        durationMs: null,
        source: 'import-extended',
      }));
    expect(file.plays).toEqual(expected);
    const starts = expected.map((p) => p.startedAt);
    expect(file.firstStartedAt).toBe(Math.min(...starts));
    expect(file.lastStartedAt).toBe(Math.max(...starts));
  });

  it('keeps names in every script as they are', () => {
    const artists = new Set(file.plays.map((p) => p.artist));
    expect([...artists].some((a) => /[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/.test(a))).toBe(true);
    expect([...artists].some((a) => /[\u0600-\u06ff]/.test(a))).toBe(true);
    expect([...artists].some((a) => /[ëöñ]/.test(a))).toBe(true);
  });

  it('carries no IP address, user agent, username, platform or country into the result', () => {
    const old = extendedHistory({ rows: 500, seed: 3, era: 'endsong', username: 'secret-user-name' });
    expect(old.rows[0]).toHaveProperty('user_agent_decrypted');
    const oldFile = readStreamingHistory('endsong_0.json', spotifyJson(old.rows));
    expect(oldFile.source).toBe('import-extended');
    expect(oldFile.plays.length).toBeGreaterThan(300);
    for (const result of [file, oldFile]) {
      const text = JSON.stringify(result);
      for (const secret of ['203.0.113.', '2001:db8', 'secret-user-name', 'Mozilla', 'android', 'Android OS', '"DE"', 'conn_country', 'ip_addr']) {
        expect(text).not.toContain(secret);
      }
      for (const play of result.plays) {
        expect(Object.keys(play).sort()).toEqual(
          ['album', 'artist', 'durationMs', 'endedAt', 'imageId', 'msPlayed', 'source', 'startedAt', 'title', 'trackId'],
        );
      }
    }
  });
});

describe('readStreamingHistory: the rules, row by row', () => {
  it('counts from exactly 30 s played', () => {
    const f = read([row({ ms_played: 30_000 }), row({ ms_played: 29_999 }), row({ ms_played: 0 })]);
    expect(f.plays.map((p) => p.msPlayed)).toEqual([30_000]);
    expect(f.skipped.short).toBe(2);
  });

  it('skips private sessions (incognito_mode true) only', () => {
    const f = read([row({ incognito_mode: true }), row({ incognito_mode: null }), row({ incognito_mode: false })]);
    expect(f.plays).toHaveLength(2);
    expect(f.skipped.incognito).toBe(1);
  });

  it('needs a title and an artist (local files have neither)', () => {
    const f = read([
      row({ master_metadata_track_name: null }),
      row({ master_metadata_album_artist_name: null }),
      row({ master_metadata_track_name: '' }),
      row({ master_metadata_track_name: null, master_metadata_album_artist_name: null, master_metadata_album_album_name: null, spotify_track_uri: null }),
      row({ master_metadata_album_album_name: null }),
    ]);
    expect(f.skipped.untitled).toBe(4);
    expect(f.plays).toHaveLength(1);
    expect(f.plays[0]!.album).toBeNull();
  });

  it('counts podcast episodes and audiobook chapters by their own fields, before any other reason', () => {
    const noTrack = { master_metadata_track_name: null, master_metadata_album_artist_name: null, spotify_track_uri: null };
    const episode = {
      ...noTrack,
      episode_name: 'Ep 1',
      episode_show_name: 'Show',
      spotify_episode_uri: 'spotify:episode:0Q86acNRm6V9GYx55SXKwf',
    };
    const f = read([
      row(episode),
      row({ ...episode, incognito_mode: true, ms_played: 1000 }),
      row({
        ...noTrack,
        audiobook_title: 'Book',
        audiobook_uri: 'spotify:show:1',
        audiobook_chapter_uri: 'spotify:episode:2',
        audiobook_chapter_title: 'Chapter 1',
      }),
      row({ incognito_mode: true, ms_played: 1000 }),
    ]);
    expect(f.skipped).toMatchObject({ podcast: 2, audiobook: 1, incognito: 1, short: 0 });
    expect(f.plays).toHaveLength(0);
    expect(f.firstStartedAt).toBeNull();
    expect(f.lastStartedAt).toBeNull();
  });

  it('skips and counts rows whose ts or ms_played cannot be read, and rows that are not objects', () => {
    const f = read([
      row({ ts: 'yesterday' }),
      row({ ts: '2024-02-30T12:00:00Z' }),
      row({ ts: '2024-13-01T12:00:00Z' }),
      row({ ts: '2024-03-01T25:00:00Z' }),
      row({ ts: '2024-03-01 12:00:00' }),
      row({ ts: 1709294400000 }),
      row({ ts: null }),
      row({ ms_played: '200000' }),
      row({ ms_played: -5 }),
      row({ ms_played: null }),
      null,
      [1, 2],
      'a row',
      7,
      row(),
    ]);
    expect(f.skipped.unreadable).toBe(14);
    expect(f.rows).toBe(15);
    expect(f.plays).toHaveLength(1);
  });

  it('reads other ISO spellings of ts (fractions, offsets) and leap days', () => {
    const f = read([
      row({ ts: '2024-03-01T12:00:00.500Z' }),
      row({ ts: '2024-03-01T13:00:00+01:00' }),
      row({ ts: '2024-02-29T12:00:00Z' }),
    ]);
    expect(f.plays.map((p) => p.endedAt)).toEqual([
      Date.UTC(2024, 2, 1, 12, 0, 0, 500),
      Date.UTC(2024, 2, 1, 12, 0, 0),
      Date.UTC(2024, 1, 29, 12, 0, 0),
    ]);
    expect(read([row({ ts: '2023-02-29T12:00:00Z' })]).skipped.unreadable).toBe(1);
  });

  it('takes a track id only from a spotify:track: URI', () => {
    const f = read([
      row({ spotify_track_uri: 'spotify:local:Artist:Album:Title:200' }),
      row({ spotify_track_uri: null }),
      row({ spotify_track_uri: 'spotify:track:short' }),
      row(),
    ]);
    expect(f.plays.map((p) => p.trackId)).toEqual([null, null, null, '4uLU6hMCjMI75M1A2tKUQC']);
  });

  it('accepts unknown extra fields and missing optional ones (fields differ by era)', () => {
    const minimal = { ts: '2014-07-27T20:34:47Z', ms_played: 40_000, master_metadata_track_name: 'T', master_metadata_album_artist_name: 'A' };
    const f = read([{ ...minimal, some_future_field: { nested: true } }, minimal]);
    expect(f.plays).toHaveLength(2);
    expect(f.plays[0]).toMatchObject({ title: 'T', artist: 'A', album: null, trackId: null, startedAt: Date.UTC(2014, 6, 27, 20, 34, 7) });
  });

  it('skips every row of a video file', () => {
    const f = read([row(), row({ episode_name: 'E', spotify_episode_uri: 'spotify:episode:x' })], 'Streaming_History_Video_2023-2024.json');
    expect(f.plays).toHaveLength(0);
    expect(f.skipped.video).toBe(2);
  });

  it('reads an empty array as a file with no plays', () => {
    for (const name of ['Streaming_History_Audio_2024_3.json', 'StreamingHistory_music_0.json']) {
      const f = readStreamingHistory(name, enc([]));
      expect(f).toMatchObject({ name, rows: 0, plays: [], firstStartedAt: null, lastStartedAt: null });
    }
    expect(readStreamingHistory('StreamingHistory_music_0.json', enc([])).source).toBe('import-account');
  });

  it('reads names in any script, written as UTF-8 or as \\u escapes, the same', () => {
    const names = [
      { title: 'Zoë', artist: 'Björk Avenue', album: 'Café 🌙' },
      { title: '小幸运', artist: '宇多田ヒカル', album: 'صباح الخير' },
      { title: 'ASCII only', artist: 'Plain', album: 'Plain' },
    ];
    const rows = names.map((n, i) =>
      row({ master_metadata_track_name: n.title, master_metadata_album_artist_name: n.artist, master_metadata_album_album_name: n.album, ts: `2024-03-01T12:0${i}:00Z` }),
    );
    const raw = new TextEncoder().encode(JSON.stringify(rows));
    // The same rows with every non-ASCII character escaped (as tools that write ASCII-only JSON do), and mixed.
    const escape = (text: string): string => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const escaped = new TextEncoder().encode(escape(JSON.stringify(rows)));
    const mixed = new TextEncoder().encode(`[${JSON.stringify(rows[0])},${escape(JSON.stringify(rows[1]))},${JSON.stringify(rows[2])}]`);
    for (const bytes of [raw, escaped, mixed]) {
      const plays = readStreamingHistory('Streaming_History_Audio_2024_0.json', bytes).plays;
      expect(plays.map((p) => ({ title: p.title, artist: p.artist, album: p.album }))).toEqual(names);
    }
    // Bytes that are not UTF-8 inside a name are refused, whatever the rest of the file.
    const broken = new Uint8Array([...raw.subarray(0, 40), 0xc3, 0x28, ...raw.subarray(40)]);
    expect(importError(() => readStreamingHistory('Streaming_History_Audio_2024_0.json', broken)).problem).toBe('not-utf8');
  });

  it('decides the format by the rows, not the name, and skips a UTF-8 byte order mark', () => {
    const account = [{ endTime: '2024-05-06 18:43', artistName: 'A', trackName: 'T', msPlayed: 216_783 }];
    expect(read(account, 'Streaming_History_Audio_2024_0.json').source).toBe('import-account');
    expect(read([row()], 'my-history.json').plays).toHaveLength(1);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc([row()])]);
    expect(readStreamingHistory('Streaming_History_Audio_2024_0.json', bom).plays).toHaveLength(1);
  });
});

describe('readStreamingHistory: account data', () => {
  const history = extendedHistory({ rows: 1500, seed: 11, start: '2024-01-01T00:00:00Z' });
  const account = accountHistory(history);
  const files = accountFiles(account, 1000);

  it('reads StreamingHistory_music_N.json at minute precision, without album or track id', () => {
    const f0 = readStreamingHistory('StreamingHistory_music_0.json', files['StreamingHistory_music_0.json']!);
    const f1 = readStreamingHistory('StreamingHistory_music_1.json', files['StreamingHistory_music_1.json']!);
    const plays = [...f0.plays, ...f1.plays];
    const expected = account.music.filter((r) => r.msPlayed >= 30_000);
    expect(f0.source).toBe('import-account');
    expect(plays).toHaveLength(expected.length);
    expect(f0.skipped.short + f1.skipped.short).toBe(account.music.length - expected.length);
    expected.forEach((r, i) => {
      const end = Date.parse(`${r.endTime.replace(' ', 'T')}:00Z`);
      expect(plays[i]).toEqual({
        title: r.trackName,
        artist: r.artistName,
        album: null,
        trackId: null,
        imageId: null,
        startedAt: end - r.msPlayed,
        endedAt: end,
        msPlayed: r.msPlayed,
        durationMs: null,
        source: 'import-account',
      });
    });
  });

  it('overlaps the extended history: the same plays, ending within the same minute', () => {
    // The account data has no duplicates: drop the extended history's repeats (a play's exact copy follows it).
    const extended = readStreamingHistory('Streaming_History_Audio_2024_0.json', spotifyJson(history.rows)).plays.filter(
      (_, i, all) => i === 0 || all[i - 1]!.endedAt !== all[i]!.endedAt,
    );
    const minute = [
      ...readStreamingHistory('StreamingHistory_music_0.json', files['StreamingHistory_music_0.json']!).plays,
      ...readStreamingHistory('StreamingHistory_music_1.json', files['StreamingHistory_music_1.json']!).plays,
    ];
    expect(minute).toHaveLength(extended.length);
    minute.forEach((p, i) => {
      expect(p.title).toBe(extended[i]!.title);
      expect(extended[i]!.endedAt - p.endedAt).toBeGreaterThanOrEqual(0);
      expect(extended[i]!.endedAt - p.endedAt).toBeLessThan(60_000);
    });
  });

  it('skips podcast history and unreadable endTimes', () => {
    const podcast = readStreamingHistory('StreamingHistory_podcast_0.json', files['StreamingHistory_podcast_0.json']!);
    expect(podcast.plays).toHaveLength(0);
    expect(podcast.skipped.podcast).toBe(account.podcast.length);
    const f = read(
      [
        { endTime: '2024-05-06T18:43', artistName: 'A', trackName: 'T', msPlayed: 216_783 },
        { endTime: '2024-05-06 18:43:10', artistName: 'A', trackName: 'T', msPlayed: 216_783 },
        { endTime: '2024-05-06 24:00', artistName: 'A', trackName: 'T', msPlayed: 216_783 },
        { endTime: '2024-05-06 18:43', artistName: null, trackName: 'T', msPlayed: 216_783 },
        { endTime: '2024-05-06 18:43', artistName: 'A', trackName: 'T', msPlayed: 216_783 },
      ],
      'StreamingHistory0.json',
    );
    expect(f.skipped).toMatchObject({ unreadable: 3, untitled: 1 });
    expect(f.plays[0]!.endedAt).toBe(Date.UTC(2024, 4, 6, 18, 43));
  });
});

describe('readStreamingHistory: bad input', () => {
  const expectation = 'is not Spotify streaming history (expected Streaming_History_Audio_*.json, endsong_*.json or StreamingHistory_music_*.json)';
  const others = otherExportFiles();

  it.each([
    ['Userdata.json', others['Spotify Account Data/Userdata.json']!],
    ['Playlist1.json', others['Spotify Account Data/Playlist1.json']!],
    ['SearchQueries.json', others['Spotify Account Data/SearchQueries.json']!],
    ['YourLibrary.json', others['Spotify Account Data/YourLibrary.json']!],
    ['numbers.json', enc([1, 2, 3])],
    ['string.json', enc('hello')],
    ['null.json', enc(null)],
    ['Streaming_History_Audio_2024_0.json', enc({ ts: '2024-03-01T12:00:00Z' })],
  ])('%s (JSON of another kind) is not streaming history', (name, bytes) => {
    const error = importError(() => readStreamingHistory(name, bytes));
    expect(error.problem).toBe('not-history');
    expect(error.fileName).toBe(name);
    expect(error.message).toBe(`${name} ${expectation}`);
  });

  it('names a file that is not JSON, without quoting it', () => {
    const error = importError(() => readStreamingHistory('Streaming_History_Audio_2024_0.json', new TextEncoder().encode('[{"ts": secret-value')));
    expect(error.problem).toBe('not-json');
    expect(error.message).toMatch(/^Streaming_History_Audio_2024_0\.json is not JSON \(expected Spotify streaming history: /);
    expect(error.message).not.toContain('secret');
  });

  it('names a file that is not UTF-8 text (a PDF, an image)', () => {
    const error = importError(() => readStreamingHistory('ReadMe.pdf', new Uint8Array([0x25, 0x50, 0x44, 0x46, 0xff, 0xfe, 0x00, 0x81])));
    expect(error.problem).toBe('not-utf8');
    expect(error.message).toMatch(/^ReadMe\.pdf is not text \(expected /);
  });
});

describe('exportEntries: uploads', () => {
  const history = extendedHistory({ rows: 2000, seed: 5 });
  const extended = extendedFiles(history, { perFile: 800 });
  const account = accountFiles(accountHistory(history));
  const zip = exportZip({ ...extended, ...account });
  const names = (entries: ExportEntry[]) => entries.map((e) => e.name);

  it('takes the streaming-history files of a zip, whatever its name, and ignores the rest of the export', () => {
    const entries = exportEntries({ name: 'upload.bin', bytes: zip });
    expect(names(entries)).toEqual([
      ...Object.keys(extended).map((n) => `upload.bin/Spotify Extended Streaming History/${n}`),
      'upload.bin/Spotify Account Data/StreamingHistory_music_0.json',
    ]);
    for (const entry of entries) {
      const inside = entry.name.slice('upload.bin/'.length);
      const original = extended[inside.split('/')[1]!] ?? account[inside.split('/')[1]!]!;
      expect(entry.size).toBe(original.length);
      expect(Buffer.from(entry.load()).equals(Buffer.from(original))).toBe(true);
    }
  });

  it('finds them at any folder depth (MyData/, a zip of some of the files)', () => {
    const nested = exportZip(
      {
        'MyData/endsong_0.json': extended[Object.keys(extended)[0]!]!,
        'a/b/c/Streaming_History_Audio_2020_1.json': spotifyJson([]),
        'StreamingHistory_music_0.json': account['StreamingHistory_music_0.json']!,
        'notes/Streaming_History_Audio.txt': 'not json',
      },
      { others: false },
    );
    expect(names(exportEntries({ name: 'some.zip', bytes: nested }))).toEqual([
      'some.zip/MyData/endsong_0.json',
      'some.zip/a/b/c/Streaming_History_Audio_2020_1.json',
      'some.zip/Spotify Account Data/StreamingHistory_music_0.json',
    ]);
    const stored = zipSync({ 'Streaming_History_Audio_2024_0.json': enc([row()]) }, { level: 0 });
    const [entry] = exportEntries({ name: 'stored.zip', bytes: stored });
    expect(readStreamingHistory(entry!.name, entry!.load()).plays).toHaveLength(1);
  });

  it('hands a JSON file back as itself, even one named .zip', () => {
    const bytes = enc([row()]);
    const entries = exportEntries({ name: 'Streaming_History_Audio_2024_0.zip', bytes });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.load()).toBe(bytes);
  });

  it('fails on a truncated zip before returning any entry, naming the zip', () => {
    for (const fraction of [0.999, 0.5, 0.05]) {
      const error = importError(() => exportEntries({ name: 'my_spotify_data.zip', bytes: truncatedZip(zip, fraction) }));
      expect(error.problem).toBe('corrupt-zip');
      expect(error.fileName).toBe('my_spotify_data.zip');
      expect(error.message).toMatch(/^my_spotify_data\.zip is not a complete zip file \(.+\); download the export again$/);
    }
  });

  it('extracts one entry at a time: a damaged entry fails only when it is loaded, naming the zip', () => {
    const big = spotifyJson(extendedHistory({ rows: 3000, seed: 9 }).rows);
    const small = enc([row()]);
    // The big entry sits in the middle of the zip, where damagedZip flips bytes.
    const damaged = damagedZip(
      zipSync({
        'a/Streaming_History_Audio_2024_0.json': small,
        'a/Streaming_History_Audio_2024_1.json': big,
        'a/Streaming_History_Audio_2024_2.json': small,
      }),
    );
    const entries = exportEntries({ name: 'my_spotify_data.zip', bytes: damaged });
    expect(entries).toHaveLength(3);
    expect(readStreamingHistory(entries[0]!.name, entries[0]!.load()).plays).toHaveLength(1);
    expect(readStreamingHistory(entries[2]!.name, entries[2]!.load()).plays).toHaveLength(1);
    const error = importError(() => entries[1]!.load());
    expect(error.problem).toBe('corrupt-zip');
    expect(error.message).toContain('my_spotify_data.zip');
    expect(error.message).toContain('Streaming_History_Audio_2024_1.json is damaged');
    // Stored without compression, flipped bytes still read as bytes: only the CRC tells.
    const stored = damagedZip(zipSync({ 'Streaming_History_Audio_2024_1.json': big }, { level: 0 }));
    const [entry] = exportEntries({ name: 'stored.zip', bytes: stored });
    expect(importError(() => entry!.load()).problem).toBe('corrupt-zip');
  });

  it('does not inflate an entry past the size its directory declares (a zip bomb)', () => {
    const bomb = zipSync({ 'Streaming_History_Audio_2024_0.json': new Uint8Array(32 * 1024 * 1024).fill(0x20) }, { level: 9 });
    const lying = withDeclaredSize(bomb, 'Streaming_History_Audio_2024_0.json', 1000);
    const [entry] = exportEntries({ name: 'bomb.zip', bytes: lying });
    expect(entry!.size).toBe(1000);
    expect(importError(() => entry!.load()).problem).toBe('corrupt-zip');
  });

  it('refuses a zip without streaming history', () => {
    const error = importError(() => exportEntries({ name: 'account.zip', bytes: exportZip({}) }));
    expect(error.problem).toBe('no-history');
    expect(error.message).toMatch(/^account\.zip holds no Spotify streaming history \(expected /);
  });

  it('refuses files over the caps, naming them', () => {
    const hugeZip = new Uint8Array(MAX_EXPORT_BYTES + 1);
    hugeZip.set([0x50, 0x4b, 0x03, 0x04]);
    const zipError = importError(() => exportEntries({ name: 'my_spotify_data.zip', bytes: hugeZip }));
    expect(zipError.problem).toBe('too-large');
    expect(zipError.message).toBe("my_spotify_data.zip is larger than 200 MiB (Spotify's export files are ~13 MB each)");
    const jsonError = importError(() => exportEntries({ name: 'endsong_0.json', bytes: new Uint8Array(MAX_ENTRY_BYTES + 1) }));
    expect(jsonError.message).toBe("endsong_0.json is larger than 64 MiB (Spotify's export files are ~13 MB each)");
    const declared = withDeclaredSize(zip, 'Spotify Account Data/StreamingHistory_music_0.json', MAX_ENTRY_BYTES + 1);
    const entryError = importError(() => exportEntries({ name: 'e.zip', bytes: declared }));
    expect(entryError.fileName).toBe('e.zip/Spotify Account Data/StreamingHistory_music_0.json');
    expect(entryError.problem).toBe('too-large');
    // Many entries each under the cap, together over the total a zip may hold.
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 17; i++) files[`Streaming_History_Audio_2024_${i}.json`] = enc([]);
    let many = exportZip(files, { others: false });
    for (let i = 0; i < 17; i++) many = withDeclaredSize(many, `Spotify Extended Streaming History/Streaming_History_Audio_2024_${i}.json`, MAX_ENTRY_BYTES);
    const totalError = importError(() => exportEntries({ name: 'many.zip', bytes: many }));
    expect(totalError).toMatchObject({ fileName: 'many.zip', problem: 'too-large' });
  });
});

describe('collectPaths: the import script', () => {
  let dir: string;
  const history = extendedHistory({ rows: 400, seed: 21 });
  const extended = extendedFiles(history, { perFile: 250 });
  const [firstName, secondName] = Object.keys(extended) as [string, string];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'history-import-'));
    const exportDir = join(dir, 'my_spotify_data');
    mkdirSync(join(exportDir, 'Spotify Extended Streaming History', 'deeper'), { recursive: true });
    mkdirSync(join(exportDir, 'Spotify Account Data'), { recursive: true });
    writeFileSync(join(exportDir, 'Spotify Extended Streaming History', firstName), extended[firstName]!);
    writeFileSync(join(exportDir, 'Spotify Extended Streaming History', 'deeper', secondName), extended[secondName]!);
    for (const [path, bytes] of Object.entries(otherExportFiles())) writeFileSync(join(exportDir, path), bytes);
    // A zip next to its extracted folder is not read twice.
    writeFileSync(join(exportDir, 'my_spotify_data.zip'), exportZip(extended));
    writeFileSync(join(dir, 'my_spotify_data.zip'), exportZip(extended));
    writeFileSync(join(dir, 'mine.json'), extended[firstName]!);
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'notes.txt'), 'nothing here');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the streaming-history files of a folder, recursively, and ignores the rest', async () => {
    const entries = await collectPaths([join(dir, 'my_spotify_data')]);
    expect(entries.map((e) => e.name)).toEqual([
      join(dir, 'my_spotify_data', 'Spotify Extended Streaming History', firstName),
      join(dir, 'my_spotify_data', 'Spotify Extended Streaming History', 'deeper', secondName),
    ]);
    expect(entries.map((e) => readStreamingHistory(e.name, e.load()).rows)).toEqual([250, 150]);
  });

  it('takes zips, renamed history files and folders together, each path once', async () => {
    const zipPath = join(dir, 'my_spotify_data.zip');
    const entries = await collectPaths([zipPath, join(dir, 'mine.json'), zipPath, join(dir, 'mine.json')]);
    expect(entries.map((e) => e.name)).toEqual([
      `${zipPath}/Spotify Extended Streaming History/${firstName}`,
      `${zipPath}/Spotify Extended Streaming History/${secondName}`,
      join(dir, 'mine.json'),
    ]);
    expect(entries[2]!.size).toBe(extended[firstName]!.length);
  });

  it('refuses a file named explicitly that is not streaming history, naming it', async () => {
    const path = join(dir, 'my_spotify_data', 'Spotify Account Data', 'Userdata.json');
    const error = await rejection(collectPaths([path]), ImportFileError);
    expect(error.fileName).toBe(path);
    expect(error.message).toContain(`${path} is not Spotify streaming history`);
  });

  it('says clearly when a path does not exist or a folder holds no history', async () => {
    const missing = join(dir, 'nope', 'Streaming_History_Audio_2024_0.json');
    expect(await rejection(collectPaths([missing]), ImportFileError)).toMatchObject({ fileName: missing, problem: 'not-found', message: `${missing} does not exist` });
    const empty = join(dir, 'empty');
    expect(await rejection(collectPaths([empty]), ImportFileError)).toMatchObject({ fileName: empty, problem: 'no-history' });
  });

  it('refuses a file over the cap before reading it', async () => {
    const path = join(dir, 'Streaming_History_Audio_2030_0.json');
    writeFileSync(path, '');
    truncateSync(path, MAX_ENTRY_BYTES + 1);
    try {
      expect(await rejection(collectPaths([path]), ImportFileError)).toMatchObject({ fileName: path, problem: 'too-large' });
    } finally {
      rmSync(path);
    }
  });
});

describe('fetchAttachment: Discord CDN on a loopback server', () => {
  let server: Server;
  let origin: string;
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const body = enc([row()]);
  const options = (over: Partial<AttachmentOptions> = {}): AttachmentOptions => ({ cdnUrl: origin, maxBytes: 64 * 1024, timeoutMs: 2000, ...over });
  const cdn = (path: string) => `https://cdn.discordapp.com/attachments/1/2/${path}?ex=6650&is=66&hm=abcdef0123456789`;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      requests.push(req.url ?? '');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path.endsWith('/export.json')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
      } else if (path.endsWith('/declared-big.zip')) {
        res.writeHead(200, { 'content-length': 10 * 1024 * 1024 });
        res.write(new Uint8Array(1024));
      } else if (path.endsWith('/chunked-big.zip')) {
        // No Content-Length: only counting the bytes notices.
        res.writeHead(200, { 'content-type': 'application/zip' });
        const chunk = new Uint8Array(16 * 1024);
        let sent = 0;
        const more = () => {
          while (sent < 1024 * 1024 && res.write(chunk)) sent += chunk.length;
          if (sent < 1024 * 1024) res.once('drain', more);
          else res.end();
        };
        more();
      } else if (path.endsWith('/missing.json')) {
        res.writeHead(404).end();
      } else if (path.endsWith('/moved.json')) {
        res.writeHead(302, { location: `${origin}/attachments/1/2/export.json` }).end();
      } else if (path.endsWith('/slow-body.json')) {
        res.writeHead(200, { 'content-length': 100 });
        res.write('[');
      }
      // /hang.json: no answer at all.
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches an attachment from either CDN host through DISCORD_CDN_URL, keeping its path and query', async () => {
    requests.length = 0;
    const bytes = await fetchAttachment(cdn('export.json'), options({ cdnUrl: `${origin}/` }));
    expect(Buffer.from(bytes).equals(Buffer.from(body))).toBe(true);
    const media = await fetchAttachment('https://media.discordapp.net/attachments/1/2/export.json?ex=1', options());
    expect(media.length).toBe(body.length);
    expect(requests).toEqual(['/attachments/1/2/export.json?ex=6650&is=66&hm=abcdef0123456789', '/attachments/1/2/export.json?ex=1']);
  });

  it.each([
    'http://cdn.discordapp.com/attachments/1/2/export.json',
    'https://cdn.discordapp.com:8443/attachments/1/2/export.json',
    'https://user:pw@cdn.discordapp.com/attachments/1/2/export.json',
    'https://cdn.discordapp.com.example.com/attachments/1/2/export.json',
    'https://cdn.discordapp.com./attachments/1/2/export.json',
    'https://discordapp.com/attachments/1/2/export.json',
    'https://example.com/attachments/1/2/export.json',
    'http://127.0.0.1/attachments/1/2/export.json',
    'not a url',
  ])('fetches nothing from %s', async (url) => {
    requests.length = 0;
    const error = await rejection(fetchAttachment(url, options()), AttachmentError);
    expect(error.problem).toBe('not-allowed');
    expect(error.message).toBe("attachments are fetched only from Discord's CDN (cdn.discordapp.com, media.discordapp.net)");
    expect(requests).toEqual([]);
  });

  it('refuses a body over maxBytes, declared or counted', async () => {
    for (const name of ['declared-big.zip', 'chunked-big.zip']) {
      const error = await rejection(fetchAttachment(cdn(name), options()), AttachmentError);
      expect(error.problem).toBe('too-large');
      expect(error.message).toBe('the attachment is larger than 64 KiB');
    }
  });

  it('reports HTTP errors and does not follow redirects', async () => {
    expect(await rejection(fetchAttachment(cdn('missing.json'), options()), AttachmentError)).toMatchObject({ problem: 'http-status', status: 404 });
    requests.length = 0;
    const moved = await rejection(fetchAttachment(cdn('moved.json'), options()), AttachmentError);
    expect(moved).toMatchObject({ problem: 'http-status', status: 302 });
    expect(requests).toEqual(['/attachments/1/2/moved.json?ex=6650&is=66&hm=abcdef0123456789']);
    expect(moved.message).not.toContain('hm=');
  });

  it('gives up after timeoutMs, waiting for headers or for the body', async () => {
    for (const name of ['hang.json', 'slow-body.json']) {
      const error = await rejection(fetchAttachment(cdn(name), options({ timeoutMs: 300 })), AttachmentError);
      expect(error.problem).toBe('timeout');
      expect(error.message).toBe("Discord's CDN did not send the attachment within 1 s");
    }
  });

  it('reports a CDN that cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await rejection(fetchAttachment(cdn('export.json'), options({ cdnUrl: `http://127.0.0.1:${port}` })), AttachmentError);
    expect(error.problem).toBe('network');
  });
});

describe('extended-history export file', () => {
  const history = extendedHistory({ rows: 1500, seed: 13 });
  const plays = readStreamingHistory('Streaming_History_Audio_2023_0.json', spotifyJson(history.rows)).plays;

  it('re-imports as the same plays', () => {
    const bytes = extendedHistoryJson(plays);
    const again = readStreamingHistory('history-export.json', bytes);
    expect(again.plays).toEqual(plays);
    expect(again.rows).toBe(plays.length);
    const account = readStreamingHistory('StreamingHistory_music_0.json', accountFiles(accountHistory(history))['StreamingHistory_music_0.json']!).plays;
    expect(readStreamingHistory('x.json', extendedHistoryJson(account)).plays).toEqual(account.map((p) => ({ ...p, source: 'import-extended' })));
  });

  it("uses Spotify's field names, second-precision ts, and no personal fields", () => {
    const rows = JSON.parse(new TextDecoder().decode(extendedHistoryJson(plays.slice(0, 1)))) as Array<Record<string, unknown>>;
    expect(rows[0]).toMatchObject({
      ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      ms_played: plays[0]!.msPlayed,
      master_metadata_track_name: plays[0]!.title,
      master_metadata_album_artist_name: plays[0]!.artist,
      master_metadata_album_album_name: plays[0]!.album,
      spotify_track_uri: `spotify:track:${plays[0]!.trackId}`,
      episode_name: null,
      spotify_episode_uri: null,
      audiobook_uri: null,
      reason_start: null,
      reason_end: null,
      incognito_mode: false,
    });
    for (const field of ['ip_addr', 'ip_addr_decrypted', 'user_agent_decrypted', 'username', 'platform', 'conn_country']) expect(rows[0]).not.toHaveProperty(field);
  });

  it('fills ms_played from the duration or the times when the play time is unknown', () => {
    const live: PlayInput = {
      title: 'T',
      artist: 'A',
      album: null,
      trackId: null,
      imageId: null,
      startedAt: Date.UTC(2025, 0, 1, 10),
      endedAt: Date.UTC(2025, 0, 1, 10, 3, 0, 750),
      msPlayed: null,
      durationMs: 200_000,
      source: 'spotify-recent',
    };
    const rows = JSON.parse(new TextDecoder().decode(extendedHistoryJson([live, { ...live, durationMs: null }]))) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.ts, r.ms_played, r.spotify_track_uri])).toEqual([
      ['2025-01-01T10:03:00Z', 200_000, null],
      ['2025-01-01T10:03:00Z', 180_750, null],
    ]);
  });

  it('streams the same bytes in chunks, from plays given at once or read as they come', async () => {
    const whole = new TextDecoder().decode(extendedHistoryJson(plays));
    const chunks: string[] = [];
    for await (const chunk of extendedHistoryChunks(plays)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe(whole);
    async function* slowly(): AsyncGenerator<PlayInput> {
      for (const play of plays) yield play;
    }
    let fromAsync = '';
    for await (const chunk of extendedHistoryChunks(slowly())) fromAsync += chunk;
    expect(fromAsync).toBe(whole);
    let empty = '';
    for await (const chunk of extendedHistoryChunks([])) empty += chunk;
    expect(empty).toBe(new TextDecoder().decode(extendedHistoryJson([])));
    expect(readStreamingHistory('empty.json', new TextEncoder().encode(empty)).plays).toEqual([]);
  });
});
