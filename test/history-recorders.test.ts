// Where live plays come from: the Discord-status detector (Last.fm's rule) and recently-played items.
import { describe, expect, it } from 'vitest';
import { countsAsPlay, PAUSE_TIMEOUT_MS, StatusPlayDetector } from '../src/history/recorders/status-plays.js';
import { playFromRecent } from '../src/history/recorders/recently-played.js';
import type { RawActivity } from '../src/listeners/discord-status.js';

const T0 = Date.UTC(2026, 10, 1, 20, 0, 0);
const MIN = 60_000;

function spotify(trackId: string, start: number, durationMs: number, title = `Song ${trackId}`): RawActivity[] {
  return [
    { type: 4, name: 'Custom Status' },
    {
      type: 2,
      name: 'Spotify',
      sync_id: trackId,
      details: title,
      state: 'Dua Lipa; DaBaby',
      timestamps: { start, end: start + durationMs },
      assets: { large_image: 'spotify:ab67616d0000b273aaaa', large_text: 'Future Nostalgia' },
    },
  ];
}

describe('Last.fm rule', () => {
  it('counts half the track or 4 minutes, whichever is less, for tracks over 30 s', () => {
    expect(countsAsPlay(3 * MIN, 90_000)).toBe(true);
    expect(countsAsPlay(3 * MIN, 89_999)).toBe(false);
    expect(countsAsPlay(10 * MIN, 4 * MIN)).toBe(true);
    expect(countsAsPlay(10 * MIN, 4 * MIN - 1)).toBe(false);
    expect(countsAsPlay(30_000, 30_000)).toBe(false);
    expect(countsAsPlay(31_000, 15_500)).toBe(true);
  });
});

describe('StatusPlayDetector', () => {
  it('records a track played through when the next one starts, with Discord\'s own start', () => {
    const d = new StatusPlayDetector();
    expect(d.observe('u1', spotify('a', T0, 3 * MIN), T0 + 5_000)).toBeNull();
    const play = d.observe('u1', spotify('b', T0 + 3 * MIN, 4 * MIN), T0 + 3 * MIN + 1_000);
    expect(play).toEqual({
      title: 'Song a',
      artist: 'Dua Lipa',
      album: 'Future Nostalgia',
      trackId: 'a',
      imageId: 'ab67616d0000b273aaaa',
      startedAt: T0,
      endedAt: T0 + 3 * MIN,
      msPlayed: 3 * MIN,
      durationMs: 3 * MIN,
      source: 'discord-status',
    });
  });

  it('joined mid-track: what counts is how far the track got, not how long the bot watched', () => {
    const d = new StatusPlayDetector();
    // The bot first sees the track 2:30 into a 3:00 track, then it changes.
    d.observe('u1', spotify('a', T0, 3 * MIN), T0 + 150_000);
    expect(d.observe('u1', spotify('b', T0 + 3 * MIN, 3 * MIN), T0 + 3 * MIN)?.msPlayed).toBe(3 * MIN);
  });

  it('skips a track skipped early, and never counts a track of 30 s or less', () => {
    const d = new StatusPlayDetector();
    d.observe('u1', spotify('a', T0, 3 * MIN), T0);
    expect(d.observe('u1', spotify('b', T0 + 60_000, 25_000), T0 + 60_000)).toBeNull();
    expect(d.observe('u1', spotify('c', T0 + 85_000, 3 * MIN), T0 + 85_000)).toBeNull();
  });

  it('the same presence from several servers is one play', () => {
    const d = new StatusPlayDetector();
    for (let guild = 0; guild < 3; guild++) d.observe('u1', spotify('a', T0, 3 * MIN), T0 + guild);
    const plays = [0, 1, 2].map((guild) => d.observe('u1', spotify('b', T0 + 3 * MIN, 3 * MIN), T0 + 3 * MIN + guild));
    expect(plays.filter((p) => p !== null)).toHaveLength(1);
  });

  it('pause and resume of the same track is one play, with the time heard before and after', () => {
    const d = new StatusPlayDetector();
    d.observe('u1', spotify('a', T0, 4 * MIN), T0);
    // 1 minute in: paused (the activity disappears) for 10 minutes, then resumed at 1:00.
    d.observe('u1', [], T0 + MIN);
    expect(d.observe('u1', spotify('a', T0 + 11 * MIN - MIN, 4 * MIN), T0 + 11 * MIN)).toBeNull();
    const play = d.observe('u1', spotify('b', T0 + 14 * MIN, 3 * MIN), T0 + 14 * MIN);
    expect(play).toMatchObject({ trackId: 'a', startedAt: T0, msPlayed: 4 * MIN });
  });

  it('a pause that times out is judged on what was heard before it', () => {
    const d = new StatusPlayDetector();
    d.observe('u1', spotify('a', T0, 3 * MIN), T0);
    d.observe('u1', null, T0 + 2 * MIN);
    expect(d.sweep(T0 + 2 * MIN + PAUSE_TIMEOUT_MS)).toEqual([]);
    const swept = d.sweep(T0 + 2 * MIN + PAUSE_TIMEOUT_MS + 1);
    expect(swept).toHaveLength(1);
    expect(swept[0]).toMatchObject({ userId: 'u1', play: { trackId: 'a', msPlayed: 2 * MIN } });
    expect(d.size).toBe(0);
  });

  it('forget drops what a member was playing', () => {
    const d = new StatusPlayDetector();
    d.observe('u1', spotify('a', T0, 3 * MIN), T0);
    d.forget('u1');
    expect(d.observe('u1', spotify('b', T0 + 3 * MIN, 3 * MIN), T0 + 3 * MIN)).toBeNull();
  });
});

describe('playFromRecent', () => {
  it('takes Spotify\'s played_at as the end and the primary artist, cover id and track id', () => {
    const play = playFromRecent({
      played_at: '2026-11-01T20:03:20.000Z',
      track: {
        type: 'track',
        id: '0VjIjW4GlUZAMYd2vXMi3b',
        name: 'Blinding Lights',
        uri: 'spotify:track:0VjIjW4GlUZAMYd2vXMi3b',
        duration_ms: 200_040,
        is_local: false,
        artists: [{ id: 'x', name: 'The Weeknd', uri: 'spotify:artist:x' }],
        album: { id: 'al', name: 'After Hours', uri: 'spotify:album:al', images: [{ url: 'https://i.scdn.co/image/ab67616d0000b273ef', width: 640, height: 640 }] },
      },
    });
    expect(play).toEqual({
      title: 'Blinding Lights',
      artist: 'The Weeknd',
      album: 'After Hours',
      trackId: '0VjIjW4GlUZAMYd2vXMi3b',
      imageId: 'ab67616d0000b273ef',
      startedAt: Date.parse('2026-11-01T20:03:20.000Z') - 200_040,
      endedAt: Date.parse('2026-11-01T20:03:20.000Z'),
      msPlayed: null,
      durationMs: 200_040,
      source: 'spotify-recent',
    });
  });
});
