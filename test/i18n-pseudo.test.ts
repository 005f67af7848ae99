// Every localized reply, rendered in a pseudo-locale (English with accented letters), holds no plain English word:
// one would be a string literal that never went through the language files. Adding a localized reply: add a case
// to CASES (data in non-ASCII, so only code can leave ASCII words behind).
import { describe, expect, it } from 'vitest';
import { renderPayload } from '../emulators/render-text.js';
import { errorReply } from '../src/discord/error-replies.js';
import type { ReplyPayload } from '../src/discord/text.js';
import {
  announceBothReply,
  announceCantPostReply,
  announceNotTextReply,
  announceOffReply,
  announcePost,
  announceSetReply,
  announceStatusReply,
  announceStoppedNotice,
} from '../src/features/announce/replies.js';
import { historyOffReply, historyStatusReply, recordingChangedReply } from '../src/features/history/replies.js';
import type { HistoryView } from '../src/features/history/service.js';
import { listeningReply } from '../src/features/listening-now/replies.js';
import { recentReply } from '../src/features/recent/replies.js';
import { topArtistsReply, topTracksReply } from '../src/features/top/replies.js';
import type { Translator } from '../src/i18n/translator.js';
import { authErrorFor, SpotifyForbiddenError, SpotifyRateLimitError, SpotifyUnavailableError } from '../src/spotify/errors.js';
import { englishLeft, pseudoTranslator } from './support/pseudo-locale.js';

const NOW = 1_700_000_000_000;
const plays = (n: number) => ({
  fetchedAt: NOW,
  items: Array.from({ length: n }, (_, i) => ({
    title: i === 3 ? '' : `Песня ${i + 1}`,
    url: i % 4 === 1 ? null : `https://open.spotify.com/track/t${i}`,
    artists: [{ name: `Артист ${i + 1}`, url: null }],
    album: 'Альбом',
    imageUrl: null,
    isLocal: i % 4 === 1,
    playedAt: NOW - [30_000, 3 * 60_000, 5 * 3_600_000, 86_400_000, 4 * 86_400_000][i % 5]!,
  })),
});
const tracks = (n: number) => ({
  range: 'medium_term' as const,
  fetchedAt: NOW,
  items: Array.from({ length: n }, (_, i) => ({
    title: i === 0 ? '' : `Песня ${i}`,
    url: `https://open.spotify.com/track/t${i}`,
    artists: [{ name: `Артист ${i}`, url: null }],
    album: 'Альбом',
    imageUrl: null,
  })),
});
const artists = (n: number) => ({
  range: 'long_term' as const,
  fetchedAt: NOW,
  items: Array.from({ length: n }, (_, i) => ({ name: i === 0 ? '' : `Артист ${i}`, url: null, imageUrl: null })),
});

const view = (over: Partial<HistoryView>): HistoryView => ({
  enabled: true,
  kind: 'linked',
  recording: true,
  plays: 1234,
  firstAt: NOW - 400 * 86_400_000,
  lastAt: NOW,
  bySource: { 'spotify-recent': 1, 'discord-status': 2, 'import-extended': 1000, 'import-account': 231 },
  imports: [{ fileName: 'мои_данные/Стриминг_1', importedAt: NOW, added: 1000, duplicates: 3, skipped: 0, firstAt: NOW, lastAt: NOW }],
  choice: { recording: true, onlyMe: true },
  ...over,
});

type Entry = Parameters<typeof listeningReply>[0]['entries'][number];
const entryOf = (i: number, userId: string | null, title: string, artists: string[]): Entry =>
  ({ userId, title, url: `https://open.spotify.com/track/t${i}`, artists, startedAt: NOW - 60_000 - i, durationMs: 200_000, trackKey: `${artists[0] ?? ''}\u0000${title}` }) as unknown as Entry;
const listeners = (): Entry[] => [
  entryOf(1, null, 'Песня', ['Артист', 'Второй']),
  entryOf(2, '123456789012345671', 'Хит', ['Звезда']),
  entryOf(3, '123456789012345672', 'Хит', ['Звезда']),
  entryOf(4, '123456789012345673', 'Другая', ['Группа']),
  entryOf(5, '123456789012345674', 'Третья', ['Группа']),
  entryOf(6, '123456789012345675', '', []),
  ...Array.from({ length: 12 }, (_, i) => entryOf(10 + i, `1234567890123457${String(i).padStart(2, '0')}`, `Соло ${i}`, [`Исполнитель ${i}`])),
];
const crowd = (): Entry[] => Array.from({ length: 300 }, (_, i) => entryOf(i, String(1_170_000_000_000_000_000n + BigInt(i)), 'Хит', ['Звезда']));

/** Every localized reply: [what, render with a translator]. */
export const CASES: Array<[string, (tr: Translator) => ReplyPayload]> = [
  ['/recent, two pages', (tr) => recentReply(plays(15), { limit: 15, page: 2, now: NOW }, tr)],
  ['/recent, one page of every age', (tr) => recentReply(plays(5), { limit: 5, page: 1, now: NOW }, tr)],
  ['/recent, nothing', (tr) => recentReply(plays(0), { limit: 10, page: 1, now: NOW }, tr)],
  ['/toptracks, pages', (tr) => topTracksReply(tracks(25), { limit: 25, page: 2 }, tr)],
  ['/toptracks, untitled first', (tr) => topTracksReply(tracks(3), { limit: 10, page: 1 }, tr)],
  ['/toptracks, none', (tr) => topTracksReply(tracks(0), { limit: 10, page: 1 }, tr)],
  ['/topartists, pages', (tr) => topArtistsReply(artists(12), { limit: 12, page: 1 }, tr)],
  ['/topartists, none', (tr) => topArtistsReply(artists(0), { limit: 10, page: 1 }, tr)],
  ['/history status, everything', (tr) => historyStatusReply(view({}), tr)],
  ['/history status, status member, not recording, none', (tr) => historyStatusReply(view({ kind: 'status', recording: false, plays: 0, firstAt: null, bySource: {}, imports: [], choice: { recording: false, onlyMe: false } }), tr)],
  ['/history status, not recording, one play', (tr) => historyStatusReply(view({ recording: false, plays: 1, bySource: { 'spotify-recent': 1 }, imports: [] }), tr)],
  ['/history on (Spotify)', (tr) => recordingChangedReply(view({}), tr)],
  ['/history on (status)', (tr) => recordingChangedReply(view({ kind: 'status' }), tr)],
  ['/history off, plays kept', (tr) => recordingChangedReply(view({ recording: false }), tr)],
  ['/history off, nothing kept', (tr) => recordingChangedReply(view({ recording: false, plays: 0 }), tr)],
  ['history turned off', (tr) => historyOffReply(tr)],
  ['/announce post, a track', (tr) => announcePost({ kind: 'track', isPlaying: true, progressMs: 0, durationMs: 1, observedAt: NOW, title: 'Песня', url: 'https://open.spotify.com/track/x', uri: 'spotify:track:x', artists: [{ name: 'Артист', url: null }], album: { name: 'Альбом', url: null }, imageUrl: null, isLocal: false, explicit: false } as never, tr)],
  ['/announce post, untitled', (tr) => announcePost({ kind: 'track', isPlaying: true, progressMs: 0, durationMs: 1, observedAt: NOW, title: '', url: null, uri: 'spotify:track:x', artists: [{ name: 'Артист', url: null }], album: { name: '', url: null }, imageUrl: null, isLocal: true, explicit: false } as never, tr)],
  ['/announce status off', (tr) => announceStatusReply(null, tr)],
  ['/announce status on', (tr) => announceStatusReply({ guildId: '1', channelId: '123456789012345678', setBy: '123456789012345679', setAt: NOW }, tr)],
  ['/announce set', (tr) => announceSetReply('123456789012345678', tr)],
  ['/announce off', (tr) => announceOffReply(true, tr)],
  ['/announce already off', (tr) => announceOffReply(false, tr)],
  ['/announce not text', (tr) => announceNotTextReply(tr)],
  ['/announce both', (tr) => announceBothReply(tr)],
  ['/announce stopped (DM)', (tr) => ({ content: announceStoppedNotice('Сервер', '123456789012345678', 'deleted', tr), embeds: [], components: [] })],
  ['/announce stopped, forbidden (DM)', (tr) => ({ content: announceStoppedNotice('Сервер', '123456789012345678', 'forbidden', tr), embeds: [], components: [] })],
  ['/listening, nobody, presences off', (tr) => listeningReply({ entries: [], presencesEnabled: false, at: NOW }, 1, tr)],
  ['/listening, blocks of one, a track and an artist, pages', (tr) => listeningReply({ entries: listeners(), presencesEnabled: false, at: NOW }, 1, tr)],
  ['/listening, 300 on one track (cut short)', (tr) => listeningReply({ entries: crowd(), presencesEnabled: true, at: NOW }, 1, tr)],
  ['error: re-authorize', (tr) => errorReply(authErrorFor('invalid_grant'), tr)],
  ['error: app credentials', (tr) => errorReply(authErrorFor('invalid_client'), tr)],
  ['error: rate limited', (tr) => errorReply(new SpotifyRateLimitError(42, false), tr)],
  ['error: quota, hours', (tr) => errorReply(new SpotifyRateLimitError(3 * 3600, true), tr)],
  ['error: rate limited, no wait', (tr) => errorReply(new SpotifyRateLimitError(0, false), tr)],
  ['error: forbidden', (tr) => errorReply(new SpotifyForbiddenError('x'), tr)],
  ['error: unavailable', (tr) => errorReply(new SpotifyUnavailableError('x'), tr)],
  ['error: anything else', (tr) => errorReply(new Error('internal detail'), tr)],
];

/** Button labels are not in renderPayload's text; check them too. */
function labels(payload: ReplyPayload): string {
  return JSON.stringify(payload.components ?? []).match(/"label":"[^"]*"/g)?.join(' ') ?? '';
}

describe('no untranslated English in a localized reply (pseudo-locale)', () => {
  const tr = pseudoTranslator();
  it.each(CASES)('%s', (_what, render) => {
    const payload = render(tr);
    const text = `${renderPayload(payload)}\n${labels(payload).replace(/"label":/g, '')}`;
    expect(englishLeft(text), text).toEqual([]);
  });
});

// ── views: /nowplaying, /chart, /serverchart, /stats, /serverstats ──
import { nowPlayingReply } from '../src/features/nowplaying/replies.js';
import { hiddenListenerReply, statusNote, withSourceNote } from '../src/features/nowplaying/member-replies.js';
import { withPlayLine } from '../src/features/nowplaying/history-line.js';
import { playLine } from '../src/features/nowplaying/play-line.js';
import { cardAltText, cardInputOf } from '../src/features/nowplaying/card.js';
import { chartEntries, chartTextReply, historyChartEntries, historyChartTextReply, withoutPicture } from '../src/features/chart/replies.js';
import { serverStatsReply, statsReply, withoutStatsPicture } from '../src/features/stats/replies.js';
import type { ServerStats, Stats } from '../src/features/stats/service.js';
import type { ListeningState } from '../src/listening-state.js';

const playing = (over: Record<string, unknown> = {}): ListeningState =>
  ({ kind: 'track', isPlaying: true, progressMs: 62_000, durationMs: 225_000, observedAt: NOW, title: 'Песня', url: 'https://open.spotify.com/track/x', uri: 'spotify:track:x', artists: [{ name: 'Артист', url: null }], album: { name: 'Альбом', url: null }, imageUrl: null, isLocal: false, explicit: false, ...over }) as unknown as ListeningState;
const episode = (): ListeningState =>
  ({ kind: 'episode', isPlaying: false, progressMs: 1000, durationMs: 3_600_000, observedAt: NOW, title: '', url: 'https://open.spotify.com/episode/x', uri: 'spotify:episode:x', show: { name: 'Шоу', url: null }, publisher: 'Издатель', imageUrl: null }) as unknown as ListeningState;
const statsOf = (over: Partial<Stats> = {}): Stats => ({
  period: 'month',
  from: NOW - 30 * 86_400_000,
  to: NOW,
  totals: { plays: 1234, ms: (41 * 60 + 12) * 60_000, tracks: 1, artists: 2, albums: 1204 } as Stats['totals'],
  previous: { plays: 1000, ms: 50 * 3_600_000 },
  topArtists: [{ name: 'Артист', artist: null, plays: 1, ms: 1 }],
  topTracks: [{ name: 'Песня', artist: 'Артист', plays: 2, ms: 1 }],
  topAlbums: [{ name: 'Альбом', artist: 'Артист', plays: 1234, ms: 1 }],
  days: [],
  hours: Array.from({ length: 24 }, () => 0),
  timeZone: 'Европа/Москва',
  ...over,
});
const serverStatsOf = (over: Partial<ServerStats> = {}): ServerStats => ({
  ...statsOf(),
  members: 1,
  topByPlays: [{ userId: '123456789012345678', plays: 1, ms: 60_000 }],
  topByTime: [{ userId: '123456789012345678', plays: 1, ms: 2 * 3_600_000 }],
  ...over,
});
const chartItems = (n: number) => Array.from({ length: n }, (_, i) => ({ name: i === 0 ? '' : `Альбом ${i}`, artist: i % 2 ? 'Артист' : null, plays: i + 1, ms: 1, imageUrl: null }));
const line = (tr: Translator, counts: { track: number; artist: number; listeners: number }, inServer = true): string =>
  playLine(tr, counts, 'Артист', inServer) ?? '';

CASES.push(
  ['/nowplaying, a track with the history line', (tr) => withPlayLine(nowPlayingReply(playing(), NOW, {}, tr), line(tr, { track: 11, artist: 139, listeners: 9 }))],
  ['/nowplaying, 1st play, one listener', (tr) => withPlayLine(nowPlayingReply(playing(), NOW, {}, tr), line(tr, { track: 0, artist: 0, listeners: 1 }))],
  ['/nowplaying, 2nd and 3rd play, not in a server', (tr) => withPlayLine(nowPlayingReply(playing(), NOW, {}, tr), `${line(tr, { track: 1, artist: 1, listeners: 0 }, false)} / ${line(tr, { track: 2, artist: 2, listeners: 0 }, false)}`)],
  ['/nowplaying, paused local file, untitled', (tr) => nowPlayingReply(playing({ isPlaying: false, isLocal: true, title: '', url: null }), NOW, {}, tr)],
  ['/nowplaying, an episode', (tr) => nowPlayingReply(episode(), NOW, {}, tr)],
  ['/nowplaying, an ad', (tr) => nowPlayingReply({ kind: 'ad', isPlaying: true, observedAt: NOW } as unknown as ListeningState, NOW, {}, tr)],
  ['/nowplaying, nothing', (tr) => nowPlayingReply({ kind: 'nothing', observedAt: NOW } as unknown as ListeningState, NOW, {}, tr)],
  ['/nowplaying, nothing for a member', (tr) => nowPlayingReply({ kind: 'nothing', observedAt: NOW } as unknown as ListeningState, NOW, { whose: 'Мия' }, tr)],
  ['/nowplaying, something unknown', (tr) => nowPlayingReply({ kind: 'unknown', isPlaying: true, observedAt: NOW } as unknown as ListeningState, NOW, {}, tr)],
  ['/nowplaying, something unknown, paused', (tr) => nowPlayingReply({ kind: 'unknown', isPlaying: false, observedAt: NOW } as unknown as ListeningState, NOW, {}, tr)],
  ['/nowplaying, from a Discord status', (tr) => withSourceNote(nowPlayingReply(playing(), NOW, {}, tr), statusNote('Мия', tr))],
  ['/nowplaying, from a Discord status, no name', (tr) => withSourceNote(nowPlayingReply(playing(), NOW, {}, tr), statusNote(null, tr))],
  ['/nowplaying, hidden: only me', (tr) => hiddenListenerReply('123456789012345678', 'private', tr)],
  ['/nowplaying, hidden: not in a server', (tr) => hiddenListenerReply('123456789012345678', 'not-in-a-server', tr)],
  ['/nowplaying, hidden: presences off', (tr) => withSourceNote(hiddenListenerReply('123456789012345678', 'presences-off', tr), '…')],
  ['/nowplaying, hidden: not listening', (tr) => hiddenListenerReply('123456789012345678', 'not-listening', tr)],
  ['/nowplaying card alt text, a track and an episode', (tr) => {
    const track = cardInputOf(playing({ title: '' , artists: [] }), { displayName: 'Мия' }, NOW, tr)!;
    const show = cardInputOf(episode(), { displayName: 'Мия' }, NOW, tr)!;
    return { content: `${cardAltText(track)} / ${cardAltText(show)}`, embeds: [], components: [] };
  }],
  ['/chart, albums from Spotify', (tr) => chartTextReply({ name: 'Зоя', kind: 'albums', range: 'short_term', size: 3, entries: chartEntries('albums', { tracks: tracks(5).items.map((t) => ({ ...t, album: '' })) }, tr) }, tr)],
  ['/chart, tracks and artists', (tr) => {
    const a = chartTextReply({ name: 'Зоя', kind: 'tracks', range: 'medium_term', size: 4, entries: chartEntries('tracks', { tracks: tracks(3).items }, tr) }, tr);
    const b = chartTextReply({ name: 'Зоя', kind: 'artists', range: 'long_term', size: 5, entries: chartEntries('artists', { artists: artists(3).items }, tr) }, tr);
    return { ...a, embeds: [...a.embeds, ...b.embeds] };
  }],
  ['/chart, nothing from Spotify', (tr) => chartTextReply({ name: 'Зоя', kind: 'artists', range: 'long_term', size: 3, entries: [] }, tr)],
  ['/chart, picture not drawn', (tr) => withoutPicture(chartTextReply({ name: 'Зоя', kind: 'albums', range: 'short_term', size: 3, entries: chartEntries('albums', { tracks: tracks(9).items }, tr) }, tr), tr)],
  ['/chart period:, a member', (tr) => {
    const entries = historyChartEntries(chartItems(4), tr);
    return historyChartTextReply({ name: 'Зоя', chart: { kind: 'albums', period: 'week', from: 0, to: 1, items: [] }, size: 3, entries }, tr);
  }],
  ['/chart period:, a member, nothing', (tr) => historyChartTextReply({ name: 'Зоя', chart: { kind: 'tracks', period: 'all', from: 0, to: 1, items: [] }, size: 3, entries: [] }, tr)],
  ['/serverchart, members together', (tr) =>
    historyChartTextReply({ name: 'Сервер', chart: { kind: 'artists', period: 'year', from: 0, to: 1, items: [], members: 2 }, size: 3, entries: historyChartEntries(chartItems(9), tr) }, tr)],
  ['/serverchart, one member, nothing', (tr) => historyChartTextReply({ name: 'Сервер', chart: { kind: 'albums', period: 'month', from: 0, to: 1, items: [], members: 1 }, size: 3, entries: [] }, tr)],
  ['/stats, everything', (tr) => statsReply(statsOf(), 'Мия', tr)],
  ['/stats, less than before, under an hour, picture not drawn', (tr) => withoutStatsPicture(statsReply(statsOf({ totals: { plays: 1, ms: 35 * 60_000, tracks: 1, artists: 1, albums: 1 } as Stats['totals'], previous: { plays: 2, ms: 35 * 60_000 } }), 'Мия', tr), tr)],
  ['/stats, nothing before', (tr) => statsReply(statsOf({ period: 'week', previous: { plays: 0, ms: 0 } }), 'Мия', tr)],
  ['/stats, no plays', (tr) => statsReply(statsOf({ period: 'year', totals: { plays: 0, ms: 0, tracks: 0, artists: 0, albums: 0 } as Stats['totals'] }), 'Мия', tr)],
  ['/serverstats, everything', (tr) => serverStatsReply(serverStatsOf({ period: 'all', previous: null }), 'Сервер', tr)],
  ['/serverstats, several members', (tr) => serverStatsReply(serverStatsOf({ members: 1234 }), 'Сервер', tr)],
  ['/serverstats, no plays', (tr) => serverStatsReply(serverStatsOf({ totals: { plays: 0, ms: 0, tracks: 0, artists: 0, albums: 0 } as Stats['totals'] }), 'Сервер', tr)],
);
