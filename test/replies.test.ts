import { describe, expect, it } from 'vitest';
import { ButtonStyle, ComponentType } from 'discord.js';
import type {
  APIButtonComponent,
  APIEmbed,
  InteractionEditReplyOptions,
  InteractionReplyOptions,
  InteractionUpdateOptions,
} from 'discord.js';
import {
  COLORS,
  clampEmbeds,
  escapeMarkdown,
  formatArtists,
  formatDuration,
  truncate,
} from '../src/discord/text.js';
import type { ReplyPayload } from '../src/discord/text.js';
import { errorReply, isExpectedFailure } from '../src/discord/error-replies.js';
import { reviveError, serializeError } from '../src/sharding/protocol.js';
import { NOTHING_PLAYING, nowPlayingReply, progressBar } from '../src/features/nowplaying/replies.js';
import { decodeTopPageId, encodeTopPageId } from '../src/features/top/page-id.js';
import type { TopPageState } from '../src/features/top/page-id.js';
import { topArtistsReply, topTracksReply } from '../src/features/top/replies.js';
import { ENGLISH } from '../src/i18n/translator.js';
import { renderPayload } from '../emulators/render-text.js';
import type { EpisodeState, Link, ListeningState, TrackState } from '../src/listening-state.js';
import type { TopArtist, TopList, TopTrack } from '../src/features/top/service.js';
import {
  SpotifyApiError,
  SpotifyForbiddenError,
  SpotifyRateLimitError,
  SpotifyUnavailableError,
  authErrorFor,
} from '../src/spotify/errors.js';
import { TIME_RANGES } from '../src/spotify/types.js';

// ---------------------------------------------------------------------------------------------------------------
// Fixtures and independent checks (deliberately not using the module's own helpers)

const T0 = 1_700_000_000_000;

function track(overrides: Partial<TrackState> = {}): TrackState {
  return {
    kind: 'track',
    isPlaying: true,
    progressMs: 62_000,
    durationMs: 225_000,
    observedAt: T0,
    title: 'Song [Live]',
    url: 'https://open.spotify.com/track/t1',
    uri: 'spotify:track:t1',
    artists: [
      { name: 'Artist A', url: 'https://open.spotify.com/artist/a' },
      { name: 'Artist B', url: 'https://open.spotify.com/artist/b' },
    ],
    album: { name: 'The Album', url: 'https://open.spotify.com/album/al' },
    imageUrl: 'https://i.scdn.co/image/cover',
    isLocal: false,
    explicit: false,
    ...overrides,
  };
}

function localTrack(): TrackState {
  return track({
    title: 'home recording',
    url: null,
    uri: 'spotify:local:Me:Tape:home+recording:180',
    artists: [{ name: 'Me', url: null }],
    album: { name: 'Tape', url: null },
    imageUrl: null,
    isLocal: true,
  });
}

function episode(overrides: Partial<EpisodeState> = {}): EpisodeState {
  return {
    kind: 'episode',
    isPlaying: true,
    progressMs: 600_000,
    durationMs: 3_725_000,
    observedAt: T0,
    title: 'Episode 12: Things',
    url: 'https://open.spotify.com/episode/e1',
    uri: 'spotify:episode:e1',
    show: { name: 'The Show', url: 'https://open.spotify.com/show/s1' },
    publisher: 'Some Network',
    imageUrl: 'https://i.scdn.co/image/ep',
    ...overrides,
  };
}

function topTracks(count: number, range: TopList<TopTrack>['range'] = 'short_term'): TopList<TopTrack> {
  return {
    range,
    fetchedAt: T0,
    items: Array.from({ length: count }, (_, i) => ({
      title: `Track ${i + 1}`,
      url: `https://open.spotify.com/track/id${i + 1}`,
      artists: [{ name: `Artist ${i + 1}`, url: `https://open.spotify.com/artist/a${i + 1}` }],
      album: `Album ${i + 1}`,
      imageUrl: `https://i.scdn.co/image/img${i + 1}`,
    })),
  };
}

function topArtists(count: number): TopList<TopArtist> {
  return {
    range: 'long_term',
    fetchedAt: T0,
    items: Array.from({ length: count }, (_, i) => ({
      name: `Artist ${i + 1}`,
      url: `https://open.spotify.com/artist/a${i + 1}`,
      imageUrl: null,
    })),
  };
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}

function embedOf(payload: ReplyPayload): APIEmbed {
  return only(payload.embeds);
}

function buttons(payload: ReplyPayload): APIButtonComponent[] {
  return payload.components.flatMap((row) => {
    expect(row.type).toBe(ComponentType.ActionRow);
    return row.components;
  });
}

/** Discord's rule: title + description + field names + field values + footer text + author name. */
function totalChars(embeds: readonly APIEmbed[]): number {
  return embeds.reduce(
    (sum, e) =>
      sum +
      (e.title ?? '').length +
      (e.description ?? '').length +
      (e.footer?.text ?? '').length +
      (e.author?.name ?? '').length +
      (e.fields ?? []).reduce((s, f) => s + f.name.length + f.value.length, 0),
    0,
  );
}

function expectWithinLimits(payload: ReplyPayload): void {
  expect(payload.embeds.length).toBeLessThanOrEqual(10);
  if (payload.content !== undefined) expect(payload.content.length).toBeLessThanOrEqual(2000);
  for (const e of payload.embeds) {
    expect((e.title ?? '').length).toBeLessThanOrEqual(256);
    expect((e.description ?? '').length).toBeLessThanOrEqual(4096);
    expect((e.footer?.text ?? '').length).toBeLessThanOrEqual(2048);
    expect((e.author?.name ?? '').length).toBeLessThanOrEqual(256);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(25);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(256);
      expect(f.value.length).toBeLessThanOrEqual(1024);
    }
  }
  expect(totalChars(payload.embeds)).toBeLessThanOrEqual(6000);
  for (const b of buttons(payload)) {
    if ('custom_id' in b) expect(b.custom_id.length).toBeLessThanOrEqual(100);
    if ('url' in b) expect(b.url.length).toBeLessThanOrEqual(512);
    if ('label' in b && b.label) expect(b.label.length).toBeLessThanOrEqual(80);
  }
}

const WELL_FORMED_LINK = /\[(?:\\.|[^\\\]\n])*\]\(https?:\/\/[^)\s]+\)/g;

/** Every `[`/`]` is either part of a complete `[text](https://…)` link or escaped; no lone surrogates. */
function expectMarkdownIntact(markdown: string | undefined): void {
  if (!markdown) return;
  const rest = markdown.replace(WELL_FORMED_LINK, '').replace(/\\[\s\S]/g, '');
  expect(rest).not.toMatch(/[[\]]/);
  expect(markdown).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
}

function links(markdown: string | undefined): string[] {
  return [...(markdown ?? '').matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)].map((m) => m[1]!);
}

// ---------------------------------------------------------------------------------------------------------------

describe('formatDuration and progressBar', () => {
  it('formats m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(62_000)).toBe('1:02');
    expect(formatDuration(62_999)).toBe('1:02');
    expect(formatDuration(225_000)).toBe('3:45');
    expect(formatDuration(600_000)).toBe('10:00');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(-5)).toBe('0:00');
    expect(formatDuration(Number.NaN)).toBe('0:00');
  });

  it('draws a bar of the given width with the knob at the position', () => {
    const segments = (bar: string): string[] => [...bar];
    expect(segments(progressBar(0, 100_000))).toHaveLength(20);
    expect(progressBar(0, 100_000, 5)).toBe('🔘▬▬▬▬');
    expect(progressBar(100_000, 100_000, 5)).toBe('▬▬▬▬🔘');
    expect(progressBar(50_000, 100_000, 5)).toBe('▬▬🔘▬▬');
    expect(progressBar(500_000, 100_000, 5)).toBe('▬▬▬▬🔘');
    expect(progressBar(10, 0, 5)).toBe('🔘▬▬▬▬');
  });
});

describe('truncate and escapeMarkdown', () => {
  it('cuts with an ellipsis and never exceeds max', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello world', 6)).toBe('hello…');
    expect(truncate('hello world', 7)).toBe('hello…'); // trailing space trimmed
    expect(truncate('abc', 0)).toBe('');
    for (let max = 1; max < 30; max++) expect(truncate('x'.repeat(40), max).length).toBeLessThanOrEqual(max);
  });

  it('does not split an emoji or leave a dangling escape', () => {
    const cut = truncate('ab😀😀😀', 4);
    expect(cut).toBe('ab…');
    expectMarkdownIntact(cut);
    expect(truncate('abcd\\*efgh', 6)).toBe('abcd…');
  });

  it('escapes every markdown special character', () => {
    expect(escapeMarkdown('a[b]c*d_e~f`g|h\\i')).toBe('a\\[b\\]c\\*d\\_e\\~f\\`g\\|h\\\\i');
    expect(escapeMarkdown('plain text')).toBe('plain text');
  });

  it('formats artists with "and N more" inside the budget', () => {
    const many: Link[] = Array.from({ length: 30 }, (_, i) => ({
      name: `Artist ${i + 1}`,
      url: `https://open.spotify.com/artist/${i + 1}`,
    }));
    const text = formatArtists(many, 200, { linked: true });
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text).toMatch(/^\[Artist 1\]\(https:\/\/open\.spotify\.com\/artist\/1\), \[Artist 2\]/);
    const shown = links(text).length;
    expect(text.endsWith(` and ${30 - shown} more`)).toBe(true);
    expectMarkdownIntact(text);
    expect(formatArtists(many.slice(0, 2), 200, { linked: false })).toBe('Artist 1, Artist 2');
    // Not even one linked name fits: the first name is shortened as plain text, the count stays.
    const tight = formatArtists([{ name: 'N'.repeat(200), url: 'https://open.spotify.com/artist/x' }, ...many], 60, {
      linked: true,
    });
    expect(tight.length).toBeLessThanOrEqual(60);
    expect(tight).toMatch(/^N+… and 30 more$/);
  });
});

describe('nowPlayingReply', () => {
  it('shows a playing track with links, art, progress and an Open in Spotify button', () => {
    const payload = nowPlayingReply(track(), T0);
    const embed = embedOf(payload);
    expect(embed.color).toBe(COLORS.playing);
    expect(embed.color).toBe(0x1db954);
    expect(embed.title).toBe('Song \\[Live\\]');
    expect(embed.url).toBe('https://open.spotify.com/track/t1');
    expect(embed.author?.name).toMatch(/Now playing/);
    expect(embed.description).toContain(
      'by [Artist A](https://open.spotify.com/artist/a), [Artist B](https://open.spotify.com/artist/b)',
    );
    expect(embed.description).toContain('on [The Album](https://open.spotify.com/album/al)');
    expect(embed.description).toContain(`1:02 ${progressBar(62_000, 225_000)} 3:45`);
    expect(embed.thumbnail?.url ?? embed.image?.url).toBe('https://i.scdn.co/image/cover');
    const button = only(buttons(payload));
    expect(button).toEqual({
      type: ComponentType.Button,
      style: ButtonStyle.Link,
      label: 'Open in Spotify',
      url: 'https://open.spotify.com/track/t1',
    });
    expectMarkdownIntact(embed.description);

    const text = renderPayload(payload);
    expect(text).toContain('Song [Live]');
    expect(text).toContain('by Artist A, Artist B');
    expect(text).toContain('on The Album');
    expect(text).toContain('[ Open in Spotify ↗ ]');
  });

  it('shows paused clearly, in another colour, without moving the progress', () => {
    const paused = track({ isPlaying: false });
    const payload = nowPlayingReply(paused, T0 + 60_000);
    const embed = embedOf(payload);
    expect(embed.color).not.toBe(COLORS.playing);
    expect(embed.author?.name).toContain('⏸ Paused');
    expect(embed.description).toContain('1:02 ');
    expect(renderPayload(payload)).toContain('⏸ Paused');
    expect(renderPayload(nowPlayingReply(track(), T0))).not.toContain('Paused');
  });

  it('extrapolates progress to now while playing, never past the end', () => {
    const later = embedOf(nowPlayingReply(track(), T0 + 30_000));
    expect(later.description).toContain('1:32 ');
    expect(later.description).toContain(progressBar(92_000, 225_000));
    const done = embedOf(nowPlayingReply(track(), T0 + 10 * 60_000));
    expect(done.description).toContain(`3:45 ${progressBar(225_000, 225_000)} 3:45`);
  });

  it('shows a local file without links, art or buttons', () => {
    const payload = nowPlayingReply(localTrack(), T0);
    const embed = embedOf(payload);
    expect(embed.url).toBeUndefined();
    expect(embed.thumbnail).toBeUndefined();
    expect(embed.image).toBeUndefined();
    expect(links(embed.description)).toEqual([]);
    expect(payload.components).toEqual([]);
    expect(embed.author?.name).toContain('Local file');
    expect(embed.description).toContain('by Me');
    expect(embed.description).toContain('on Tape');
    expect(renderPayload(payload)).toMatch(/local file/i);
    expect(renderPayload(payload)).not.toContain('↗');
  });

  it('has no button when a track has no URL, and ignores a non-http URL', () => {
    expect(nowPlayingReply(track({ url: null }), T0).components).toEqual([]);
    const weird = nowPlayingReply(track({ url: 'javascript:alert(1)' }), T0);
    expect(weird.components).toEqual([]);
    expect(embedOf(weird).url).toBeUndefined();
  });

  it('shows an episode with its show and publisher', () => {
    const payload = nowPlayingReply(episode(), T0);
    const embed = embedOf(payload);
    expect(embed.title).toBe('Episode 12: Things');
    expect(embed.url).toBe('https://open.spotify.com/episode/e1');
    expect(embed.description).toContain('[The Show](https://open.spotify.com/show/s1)');
    expect(embed.description).toContain('Some Network');
    expect(embed.description).toContain('10:00 ');
    expect(embed.description).toContain(' 1:02:05');
    expect(embed.color).toBe(COLORS.playing);
    expect(only(buttons(payload))).toMatchObject({ style: ButtonStyle.Link, url: 'https://open.spotify.com/episode/e1' });
    const paused = embedOf(nowPlayingReply(episode({ isPlaying: false, publisher: null }), T0));
    expect(paused.author?.name).toContain('⏸ Paused');
    expect(paused.description).not.toContain('by ');
  });

  it('explains ads, nothing playing and unknown items without buttons', () => {
    const ad = nowPlayingReply({ kind: 'ad', isPlaying: true, observedAt: T0 }, T0);
    expect(renderPayload(ad)).toContain('An ad is playing on Spotify — music resumes shortly');
    expect(ad.components).toEqual([]);

    const nothing = nowPlayingReply({ kind: 'nothing', observedAt: T0 }, T0);
    expect(embedOf(nothing).description).toContain(NOTHING_PLAYING);
    expect(renderPayload(nothing)).toContain(
      'Nothing is playing right now (or the owner is in a private session).',
    );
    expect(nothing.components).toEqual([]);

    for (const isPlaying of [true, false]) {
      const unknown = nowPlayingReply({ kind: 'unknown', isPlaying, observedAt: T0 }, T0);
      expect(embedOf(unknown).description).toBeTruthy();
      expect(embedOf(unknown).color).toBe(COLORS.neutral);
      expect(unknown.components).toEqual([]);
    }
  });

  it('every state gives a payload discord.js accepts for reply, editReply and update', () => {
    const states: ListeningState[] = [
      track(),
      localTrack(),
      episode(),
      { kind: 'ad', isPlaying: true, observedAt: T0 },
      { kind: 'nothing', observedAt: T0 },
      { kind: 'unknown', isPlaying: false, observedAt: T0 },
    ];
    for (const state of states) {
      const payload = nowPlayingReply(state, T0);
      const asReply: InteractionReplyOptions = payload;
      const asEdit: InteractionEditReplyOptions = payload;
      const asUpdate: InteractionUpdateOptions = payload;
      expect([asReply, asEdit, asUpdate].every((p) => Array.isArray(p.embeds))).toBe(true);
      expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
      expectWithinLimits(payload);
    }
  });
});

describe('top page custom ids', () => {
  it('round-trips every valid state within 100 characters', () => {
    for (const kind of ['tracks', 'artists'] as const) {
      for (const range of TIME_RANGES) {
        for (let limit = 1; limit <= 50; limit++) {
          for (let page = 1; page <= Math.ceil(limit / 10); page++) {
            const state: TopPageState = { kind, range, limit, page };
            const id = encodeTopPageId(state);
            expect(id.length).toBeLessThanOrEqual(100);
            expect(decodeTopPageId(id)).toEqual(state);
          }
        }
      }
    }
    expect(encodeTopPageId({ kind: 'tracks', range: 'short_term', limit: 50, page: 2 })).toBe(
      'top:tracks:short_term:50:2',
    );
  });

  it('rejects tampered or foreign ids', () => {
    const bad = [
      '',
      'top',
      'top:tracks:short_term:50',
      'top:tracks:short_term:50:2:extra',
      'top:albums:short_term:50:2',
      'top:tracks:all_time:50:2',
      'top:tracks:short_term:0:1',
      'top:tracks:short_term:51:1',
      'top:tracks:short_term:99:1',
      'top:tracks:short_term:50:0',
      'top:tracks:short_term:50:6',
      'top:tracks:short_term:10:2',
      'top:tracks:short_term:05:1',
      'top:tracks:short_term:5:01',
      'top:tracks:short_term:-5:1',
      'top:tracks:short_term:5.5:1',
      'top:tracks:short_term:1e1:1',
      'top:tracks:short_term: 5:1',
      'top:tracks:short_term:5:1 ',
      'TOP:TRACKS:SHORT_TERM:5:1',
      'top:tracks:__proto__:5:1',
      'top:constructor:short_term:5:1',
      `top:tracks:short_term:50:2${'x'.repeat(100)}`,
      'nowplaying:refresh',
    ];
    for (const id of bad) expect(decodeTopPageId(id), id).toBeNull();
  });

  it('refuses to encode an invalid state', () => {
    expect(() => encodeTopPageId({ kind: 'tracks', range: 'short_term', limit: 51, page: 1 })).toThrow(RangeError);
    expect(() => encodeTopPageId({ kind: 'tracks', range: 'short_term', limit: 20, page: 3 })).toThrow(RangeError);
  });
});

describe('top lists', () => {
  it('shows a middle page with numbering, footer and working Previous/Next buttons', () => {
    const payload = topTracksReply(topTracks(50), { limit: 50, page: 2 }, ENGLISH);
    const embed = embedOf(payload);
    expect(embed.title).toBe('Top tracks · Last 4 weeks');
    expect(embed.footer?.text).toBe('Page 2/5 · 11–20 of 50');
    const lines = (embed.description ?? '').split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('11. [Track 11](https://open.spotify.com/track/id11) — Artist 11');
    expect(lines[9]).toMatch(/^20\. \[Track 20\]/);
    const [previous, next] = buttons(payload);
    expect(previous).toMatchObject({ style: ButtonStyle.Secondary, disabled: false });
    expect(next).toMatchObject({ style: ButtonStyle.Secondary, disabled: false });
    const ids = buttons(payload).map((b) => ('custom_id' in b ? decodeTopPageId(b.custom_id) : null));
    expect(ids).toEqual([
      { kind: 'tracks', range: 'short_term', limit: 50, page: 1 },
      { kind: 'tracks', range: 'short_term', limit: 50, page: 3 },
    ]);
    expect(renderPayload(payload)).toContain('[ ◀ Previous ] [ Next ▶ ]');
    expect(renderPayload(payload)).toContain('11. Track 11 — Artist 11');
  });

  it('disables Previous on the first page and Next on the last, with distinct ids', () => {
    const first = buttons(topTracksReply(topTracks(25), { limit: 25, page: 1 }, ENGLISH));
    expect(first.map((b) => b.disabled)).toEqual([true, false]);
    const last = topTracksReply(topTracks(25), { limit: 25, page: 3 }, ENGLISH);
    expect(buttons(last).map((b) => b.disabled)).toEqual([false, true]);
    expect(embedOf(last).footer?.text).toBe('Page 3/3 · 21–25 of 25');
    expect(renderPayload(last)).toContain('[ ◀ Previous ] [ Next ▶ (disabled) ]');
    for (const row of [first, buttons(last)]) {
      const ids = row.map((b) => ('custom_id' in b ? b.custom_id : ''));
      expect(new Set(ids).size).toBe(2);
      for (const id of ids) expect(decodeTopPageId(id)).not.toBeNull();
    }
  });

  it('has no buttons when everything fits on one page', () => {
    const payload = topTracksReply(topTracks(7), { limit: 10, page: 1 }, ENGLISH);
    expect(payload.components).toEqual([]);
    expect((embedOf(payload).description ?? '').split('\n')).toHaveLength(7);
    expect(embedOf(payload).footer?.text).toMatch(/1–7 of 7/);
  });

  it('respects the limit, clamps the page and keeps the requested limit in the ids', () => {
    const payload = topTracksReply(topTracks(50), { limit: 15, page: 9 }, ENGLISH);
    expect(embedOf(payload).footer?.text).toBe('Page 2/2 · 11–15 of 15');
    expect((embedOf(payload).description ?? '').split('\n')).toHaveLength(5);
    const fewer = topTracksReply(topTracks(12, 'medium_term'), { limit: 50, page: 2 }, ENGLISH);
    const previous = buttons(fewer)[0]!;
    expect('custom_id' in previous && decodeTopPageId(previous.custom_id)).toEqual({
      kind: 'tracks',
      range: 'medium_term',
      limit: 50,
      page: 1,
    });
  });

  it('says so when the list is empty', () => {
    const payload = topTracksReply(topTracks(0), { limit: 10, page: 1 }, ENGLISH);
    expect(embedOf(payload).description).toContain('No top tracks yet for this period');
    expect(payload.components).toEqual([]);
    expect(embedOf(topArtistsReply(topArtists(0), { limit: 10, page: 1 }, ENGLISH)).description).toContain(
      'No top artists yet for this period',
    );
  });

  it('lists top artists', () => {
    const payload = topArtistsReply(topArtists(30), { limit: 30, page: 3 }, ENGLISH);
    const embed = embedOf(payload);
    expect(embed.title).toBe('Top artists · Last year');
    expect(embed.footer?.text).toBe('Page 3/3 · 21–30 of 30');
    expect((embed.description ?? '').split('\n')[0]).toBe('21. [Artist 21](https://open.spotify.com/artist/a21)');
    const next = buttons(payload)[1]!;
    expect('custom_id' in next && decodeTopPageId(next.custom_id)).toMatchObject({ kind: 'artists', range: 'long_term' });
  });

  it('escapes names so brackets do not break the links', () => {
    const list: TopList<TopTrack> = {
      range: 'short_term',
      fetchedAt: T0,
      items: [
        {
          title: 'Song [Live] (feat. *Someone*)',
          url: 'https://open.spotify.com/track/x',
          artists: [{ name: 'A_B|C', url: null }],
          album: 'x',
          imageUrl: null,
        },
      ],
    };
    const description = embedOf(topTracksReply(list, { limit: 1, page: 1 }, ENGLISH)).description;
    expect(description).toBe(
      '1. [Song \\[Live\\] (feat. \\*Someone\\*)](https://open.spotify.com/track/x) — A\\_B\\|C',
    );
    expectMarkdownIntact(description);
  });
});

describe('errorReply', () => {
  const textOf = (error: unknown): string => renderPayload(errorReply(error));

  it('gives a friendly message for each Spotify failure', () => {
    expect(textOf(authErrorFor('invalid_grant'))).toContain(
      'The bot owner needs to re-authorize Spotify (npm run authorize).',
    );
    expect(embedOf(errorReply(authErrorFor('no_token'))).description).toContain('`npm run authorize`');
    const credentials = textOf(authErrorFor('invalid_client'));
    expect(credentials).toMatch(/credentials/);
    expect(credentials).not.toContain('re-authorize');
    expect(textOf(new SpotifyRateLimitError(42, false))).toContain(
      'Spotify is rate-limiting the bot — try again in 42 s.',
    );
    const quota = textOf(new SpotifyRateLimitError(30, true));
    expect(quota).toMatch(/quota/);
    expect(quota).toContain('30 s');
    expect(textOf(new SpotifyUnavailableError('timeout', 503))).toContain(
      "Spotify isn't answering right now — try again in a moment.",
    );
    expect(textOf(new SpotifyForbiddenError('user not registered'))).toMatch(/allow-list/);
    expect(textOf(new SpotifyForbiddenError('x'))).toMatch(/Premium/);
  });

  it('tells expected failures by type, not by name (a renamed bug is still a bug)', () => {
    expect(isExpectedFailure(new SpotifyRateLimitError(1, false))).toBe(true);
    expect(isExpectedFailure(reviveError(serializeError(new SpotifyForbiddenError('x'))))).toBe(true);
    const lookalike = new TypeError('cannot read properties of undefined');
    lookalike.name = 'SpotifyLookalike';
    expect(isExpectedFailure(lookalike)).toBe(false);
    expect(isExpectedFailure({ name: 'SpotifyRateLimitError' })).toBe(false);
  });

  it('never leaks internals', () => {
    const secret = 'BQD-secret-token at /home/owner/app.js:12';
    for (const error of [
      new Error(secret),
      new TypeError(secret),
      new SpotifyApiError(418, secret),
      new SpotifyForbiddenError(secret),
      new SpotifyUnavailableError(secret),
      secret,
      null,
      undefined,
      { message: secret },
    ]) {
      const payload = errorReply(error);
      expect(JSON.stringify(payload)).not.toContain('secret');
      expect(payload.components).toEqual([]);
      expectWithinLimits(payload);
    }
    expect(textOf(new Error(secret))).toContain("Something went wrong. The owner can check the bot's log.");
    expect(embedOf(errorReply(new Error('x'))).color).toBe(COLORS.error);
  });
});

describe('limits under adversarial data', () => {
  const nasty = (n: number, seed: string): string => `${seed}[*_~\`|\\]😀`.repeat(Math.ceil(n / 12)).slice(0, n);
  const longUrl = `https://open.spotify.com/track/${'x'.repeat(600)}`;

  it('keeps a huge track within every limit, with intact links', () => {
    const state = track({
      title: nasty(500, 'T'),
      artists: Array.from({ length: 30 }, (_, i) => ({
        name: nasty(200, `A${i}`),
        url: `https://open.spotify.com/artist/${i}`,
      })),
      album: { name: nasty(500, 'L'), url: 'https://open.spotify.com/album/al' },
    });
    const payload = nowPlayingReply(state, T0);
    expectWithinLimits(payload);
    const embed = embedOf(payload);
    expect(embed.title?.length).toBeGreaterThan(240); // cut near the limit, not at an arbitrary shorter length
    expect(embed.title?.endsWith('…')).toBe(true);
    expectMarkdownIntact(embed.title);
    expectMarkdownIntact(embed.description);
    expect(embed.description).toMatch(/ and \d+ more\n/);
    expect(embed.description).toContain('](https://open.spotify.com/album/al)');
    expect(renderPayload(payload)).toContain('[ Open in Spotify ↗ ]');
  });

  it('handles names with newlines and URLs too long for a button', () => {
    const payload = nowPlayingReply(track({ title: 'line1\nline2', url: longUrl }), T0);
    expect(embedOf(payload).title).toBe('line1 line2');
    expectWithinLimits(payload);
  });

  it('keeps every page of 50 long items within every limit', () => {
    const tracks: TopList<TopTrack> = {
      range: 'long_term',
      fetchedAt: T0,
      items: Array.from({ length: 50 }, (_, i) => ({
        title: nasty(500, `T${i}`),
        url: i % 2 === 0 ? `https://open.spotify.com/track/${i}` : `https://open.spotify.com/track/${'y'.repeat(190)}`,
        artists: Array.from({ length: 30 }, (_, j) => ({ name: nasty(200, `A${j}`), url: null })),
        album: nasty(500, 'L'),
        imageUrl: null,
      })),
    };
    const artists: TopList<TopArtist> = {
      range: 'long_term',
      fetchedAt: T0,
      items: Array.from({ length: 50 }, (_, i) => ({
        name: nasty(500, `N${i}`),
        url: `https://open.spotify.com/artist/${'z'.repeat(190)}${i}`,
        imageUrl: null,
      })),
    };
    for (let page = 1; page <= 5; page++) {
      for (const payload of [
        topTracksReply(tracks, { limit: 50, page }, ENGLISH),
        topArtistsReply(artists, { limit: 50, page }, ENGLISH),
      ]) {
        expectWithinLimits(payload);
        const embed = embedOf(payload);
        expectMarkdownIntact(embed.description);
        const lines = (embed.description ?? '').split('\n');
        expect(lines).toHaveLength(10);
        lines.forEach((line, i) => expect(line.startsWith(`${(page - 1) * 10 + i + 1}. `)).toBe(true));
      }
    }
  });

  it('clampEmbeds brings an oversized message under 6000 characters', () => {
    const huge: APIEmbed = {
      title: 'x'.repeat(300),
      description: Array.from({ length: 100 }, (_, i) => `line ${i} [link](https://e.com/${i}) ${'d'.repeat(50)}`).join('\n'),
      author: { name: 'a'.repeat(300) },
      footer: { text: 'f'.repeat(3000) },
      fields: Array.from({ length: 30 }, (_, i) => ({ name: `n${i}`.repeat(200), value: 'v'.repeat(2000) })),
    };
    const embeds = clampEmbeds([huge, huge]);
    expectWithinLimits({ embeds, components: [] });
    for (const e of embeds) expectMarkdownIntact(e.description);
  });
});

describe('renderPayload', () => {
  it('renders title, description, fields, footer and buttons as text', () => {
    const text = renderPayload({
      content: 'hello',
      embeds: [
        {
          author: { name: 'Author' },
          title: 'A \\*title\\*',
          description: 'see [**this**](https://x.example/) and `code`',
          fields: [{ name: 'Field', value: 'Value' }],
          footer: { text: 'Footer' },
        },
      ],
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, style: ButtonStyle.Link, label: 'Open', url: 'https://x.example/' },
            { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Next', custom_id: 'n', disabled: true },
          ],
        },
      ],
    });
    expect(text.split('\n')).toEqual([
      'hello',
      '│ Author',
      '│ A *title*',
      '│ see this and code',
      '│ Field',
      '│ Value',
      '│ Footer',
      '[ Open ↗ ] [ Next (disabled) ]',
    ]);
  });

  it('shows mentions as Discord does when given the names: @name and #channel, not inside code or when escaped', () => {
    const names = {
      user: (id: string) => ({ '130000000000000005': 'joe', '130000000000000099': 'Riley' })[id],
      channel: (id: string) => (id === '1577436564219363361' ? 'music' : undefined),
    };
    const text = renderPayload(
      {
        content: 'hi <@130000000000000005>',
        embeds: [
          {
            description: '<@130000000000000005> — Queen · <@!130000000000000099> · posted to <#1577436564219363361>',
            fields: [{ name: 'Who', value: '`<@130000000000000005>` \\<@130000000000000005> <@130000000000000777>' }],
          },
        ],
        components: [],
      },
      names,
    );
    expect(text.split('\n')).toEqual([
      'hi @joe',
      '│ @joe — Queen · @Riley · posted to #music',
      '│ Who',
      // In code and escaped: as written; an unknown member stays a raw mention.
      '│ <@130000000000000005> <@130000000000000005> <@130000000000000777>',
    ]);
    // Without names, nothing changes.
    expect(renderPayload({ content: '<@130000000000000005>', embeds: [], components: [] })).toBe('<@130000000000000005>');
  });
});
