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
import { notInServerReply, nothingPlayingReply, notStoredReply, whoKnowsReply } from '../src/features/whoknows/replies.js';
import { tasteNotRecordingReply, tasteReply, tasteYourselfReply } from '../src/features/taste/replies.js';
import type { Taste } from '../src/features/taste/service.js';
import { withoutWrappedPicture, wrappedAltText, wrappedPictureInput, wrappedReply } from '../src/features/wrapped/replies.js';
import type { Wrapped } from '../src/features/wrapped/service.js';
import type { WrappedPictureInput } from '../src/render/wrapped.js';
import {
  recapBothReply,
  recapCantPostReply,
  recapNotHereReply,
  recapNotTextReply,
  recapOffReply,
  recapPost,
  recapSetReply,
  recapStatusReply,
  recapStoppedNotice,
} from '../src/features/recap/replies.js';
import type { RecapWeek } from '../src/features/recap/service.js';

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

// ── whoknows, taste, wrapped, recap ──
describe('no untranslated English in /whoknows, /taste, /wrapped, /recap (pseudo-locale)', () => {
  const tr = pseudoTranslator();
  const known = (kind: 'artist' | 'track' | 'album') => ({ kind, id: 1, key: 'к', name: 'Песня', artist: kind === 'artist' ? null : 'Артист' });
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ userId: String(1_170_000_000_000_000_100n + BigInt(i)), plays: 40 - i }));
  const asker = '1170000000000000999';
  const taste = (over: Partial<Taste> = {}): Taste => ({
    period: 'all',
    score: 0.62,
    yourPlays: 1234,
    theirPlays: 1,
    sharedCount: 1,
    shared: [{ name: 'Артист', key: 'а', yours: 12, theirs: 1 } as Taste['shared'][number]],
    forYou: { name: 'Звезда', plays: 3 },
    forThem: { name: 'Группа', plays: 1 },
    ...over,
  });
  const top = (n: number, artist: boolean) => Array.from({ length: n }, (_, i) => ({ name: `Песня ${i}`, artist: artist ? null : 'Артист', plays: 10 - i, ms: 3_600_000 }));
  const wrapped = (over: Partial<Wrapped> = {}): Wrapped => ({
    userId: asker,
    year: 2026,
    timeZone: 'Европа',
    totals: { plays: 1234, ms: 75 * 60_000, tracks: 1, artists: 2, albums: 3 },
    topArtists: top(5, true),
    topTracks: top(5, false),
    topArtistImageId: null,
    months: Array(12).fill(0),
    busiestMonth: { when: '2026-03', ms: 3_700_000, plays: 12 },
    busiestDay: { when: '2026-03-14', ms: 59 * 60_000, plays: 3 },
    fan: { userId: '1170000000000000101', plays: 1 },
    stored: { firstAt: Date.parse('2024-05-06T00:00:00Z'), lastAt: Date.parse('2026-05-06T00:00:00Z') },
    ...over,
  });
  const week = (over: Partial<RecapWeek> = {}): RecapWeek => ({
    from: NOW - 7 * 86_400_000,
    to: NOW,
    members: 1,
    totals: { plays: 1234, ms: 7_380_000, tracks: 1, artists: 21, albums: 2 },
    topArtists: [{ name: 'Артист', artist: null, plays: 12 } as RecapWeek['topArtists'][number]],
    topTracks: [{ name: 'Песня', artist: 'Артист', plays: 1 } as RecapWeek['topTracks'][number]],
    topListeners: [{ userId: '1170000000000000101', plays: 1, ms: 120_000 } as RecapWeek['topListeners'][number]],
    newArtists: { count: 7, top: [{ name: 'Новый', plays: 2 }] },
    ...over,
  });
  const text = (content: string | null): ReplyPayload => ({ content: content ?? '', embeds: [], components: [] });
  const picture = (input: WrappedPictureInput): ReplyPayload =>
    text([input.subtitle, input.minutesLabel, input.topArtist?.detail ?? '', ...input.topTracks.map((r) => r.plays), ...input.tiles.flatMap((t) => [t.label, t.value, t.detail])].join('\n'));
  const MINE: Array<[string, (tr: Translator) => ReplyPayload]> = [
    ['/whoknows, crowned, asker below the cut', (tr) => whoKnowsReply({ rows: [...rows(12), { userId: asker, plays: 1 }], askerCounted: true, item: known('artist'), serverName: 'Сервер', askerId: asker }, tr)],
    ['/whoknows, nobody, asker not counted', (tr) => whoKnowsReply({ rows: [], askerCounted: false, item: known('track'), serverName: 'Сервер', askerId: asker }, tr)],
    ['/whoknows, asker without plays', (tr) => whoKnowsReply({ rows: rows(1), askerCounted: true, item: known('album'), serverName: 'Сервер', askerId: asker }, tr)],
    ['/whoknows, not stored (named)', (tr) => notStoredReply('album', 'Альбом', tr)],
    ['/whoknows, not stored (that one)', (tr) => notStoredReply('artist', null, tr)],
    ['/whoknows, nothing playing', (tr) => nothingPlayingReply('track', tr)],
    ['/whoknows, not in a server', (tr) => notInServerReply(tr)],
    ['/taste', (tr) => tasteReply(taste(), 'Мия', 'Лео', tr)],
    ['/taste, nothing in common', (tr) => tasteReply(taste({ period: 'week', sharedCount: 0, shared: [], forYou: null, forThem: null }), 'Мия', 'Лео', tr)],
    ['/taste, nothing stored for either', (tr) => tasteReply(taste({ period: 'month', yourPlays: 0, theirPlays: 0 }), 'Мия', 'Лео', tr)],
    ['/taste, nothing stored for them', (tr) => tasteReply(taste({ period: 'year', theirPlays: 0 }), 'Мия', 'Лео', tr)],
    ['/taste yourself', (tr) => tasteYourselfReply(tr)],
    ['/taste, not recording', (tr) => tasteNotRecordingReply('Лео', tr)],
    ['/wrapped', (tr) => wrappedReply(wrapped(), 'Мия', tr)],
    ['/wrapped, one minute, one play', (tr) => wrappedReply(wrapped({ totals: { plays: 1, ms: 61_000, tracks: 1, artists: 1, albums: 1 }, fan: null, busiestDay: null }), 'Мия', tr)],
    ['/wrapped, empty year with history', (tr) => wrappedReply(wrapped({ totals: { plays: 0, ms: 0, tracks: 0, artists: 0, albums: 0 } }), 'Мия', tr)],
    ['/wrapped, nothing stored', (tr) => wrappedReply(wrapped({ totals: { plays: 0, ms: 0, tracks: 0, artists: 0, albums: 0 }, stored: null }), 'Мия', tr)],
    ['/wrapped, no picture', (tr) => withoutWrappedPicture(wrappedReply(wrapped(), 'Мия', tr), tr)],
    ['/wrapped alt text', (tr) => text(wrappedAltText(wrapped(), 'Мия', tr))],
    ['/wrapped picture words (a fan)', (tr) => picture(wrappedPictureInput(wrapped(), 'Мия', { name: 'Фан' }, true, null, tr))],
    ['/wrapped picture words (no one counted)', (tr) => picture(wrappedPictureInput(wrapped({ fan: null }), 'Мия', null, true, null, tr))],
    ['/wrapped picture words (outside a server)', (tr) => picture(wrappedPictureInput(wrapped({ fan: null }), 'Мия', null, false, null, tr))],
    ['/recap post', (tr) => recapPost(week(), 'Сервер', tr)],
    ['/recap post, no new artists, many members', (tr) => recapPost(week({ members: 3, newArtists: { count: 0, top: [] } }), '', tr)],
    ['/recap status off', (tr) => recapStatusReply(null, tr)],
    ['/recap status on', (tr) => recapStatusReply({ guildId: '1', channelId: '123456789012345678', setBy: '123456789012345679', setAt: NOW, postedSlot: null } as never, tr)],
    ['/recap set', (tr) => recapSetReply('123456789012345678', tr)],
    ['/recap off', (tr) => recapOffReply(true, tr)],
    ['/recap already off', (tr) => recapOffReply(false, tr)],
    ['/recap cannot post', (tr) => recapCantPostReply('123456789012345678', ['view', 'send', 'embed', 'attach'], tr)],
    ['/recap not text', (tr) => recapNotTextReply(tr)],
    ['/recap both', (tr) => recapBothReply(tr)],
    ['/recap not here', (tr) => recapNotHereReply(tr)],
    ['/recap stopped (DM)', (tr) => text(recapStoppedNotice('Сервер', '123456789012345678', 'deleted', tr))],
    ['/recap stopped, forbidden (DM)', (tr) => text(recapStoppedNotice('Сервер', '123456789012345678', 'forbidden', tr))],
  ];
  it.each(MINE)('%s', (what, render) => {
    const payload = render(tr);
    const shown = `${renderPayload(payload)}\n${labels(payload).replace(/"label":/g, '')}`;
    // A subcommand's name in a command to type is syntax, the same in every language.
    const syntax = what === '/whoknows, nothing playing' ? ['track'] : [];
    expect(englishLeft(shown).filter((word) => !syntax.includes(word)), shown).toEqual([]);
  });
});

// ── account and history ──
// (Imports here rather than at the top keep this area's rows one block for merging; ES imports are hoisted.)
import {
  linkFailedReply,
  loginDoneReply,
  loginFailedReply,
  loginFailureText,
  loginModal,
  loginStartReply,
  noticesReply,
  notLinkedSelfReply,
  ownerOnlyReply,
  ownerOnlyUnlinkReply,
  ownerPrivacyReply,
  ownerUnlinkedReply,
  privacyReply,
  seatsFullReply,
  statusPrivacyReply,
  statusReply,
  unlinkedReply,
} from '../src/features/account/replies.js';
import { memberExpiryText } from '../src/features/account/grant-health.js';
import { hiddenReply, linkHint, privateReply } from '../src/features/account/whose.js';
import {
  buttonExpiredReply,
  deleteCancelledReply,
  deleteConfirmReply,
  deletedReply,
  exportEmptyReply,
  exportReply,
  exportTooLargeReply,
  fileTooLargeReply,
  importDoneReply,
  importProblemReply,
  importProgressReply,
} from '../src/features/history/replies.js';
import { AttachmentError, ImportFileError } from '../src/history/import/errors.js';
import { embedPayload, formatArtists, formatWait } from '../src/discord/text.js';
import type { LoginFailure } from '../src/features/account/service.js';

const SCOPES = 'скоуп-один скоуп-два';
const grantOf = (over: Record<string, unknown> = {}) => ({
  grantedAt: NOW - 170 * 86_400_000,
  grantedAtKnown: false,
  expiresAt: NOW + 10 * 86_400_000,
  daysLeft: 10,
  expiringSoon: true,
  dead: null,
  grant: { refreshToken: 'r', envFingerprint: null, grantedAt: 0, firstSeenAt: 0, scope: SCOPES, source: 'rotation' as const },
  ...over,
});
const seats = (n: number) => ({
  used: n + 1,
  max: 5,
  members: Array.from({ length: n }, (_, i) => ({ userId: `12345678901234567${i}`, spotifyId: `спотифай${i}`, spotifyName: i === 0 ? null : `Имя ${i}` })),
});
const summary = (files: number, skipped: number) => ({
  added: 1234,
  duplicates: 1,
  skipped: { podcast: skipped, video: skipped, audiobook: skipped, short: skipped, incognito: skipped, untitled: skipped, unreadable: skipped },
  firstAt: NOW - 400 * 86_400_000,
  lastAt: NOW,
  files,
});
const hidden = (why: 'private' | 'not-in-a-server' | 'not-listening' | 'presences-off', userId = '123456789012345671') =>
  ({ kind: 'hidden', why, userId, name: 'Аня' }) as const;
const FAILURES: LoginFailure[] = ['expired', 'state_mismatch', 'denied', 'no_code', 'code_rejected', 'seats_full', 'not_allow_listed', 'account_taken', 'missing_state'];
// Scope names are Spotify's identifiers, not words of the reply.
const withoutScopeNames = (text: string): string => text.replace(/\b(user|playlist)-[a-z-]+/g, ' ');

const ACCOUNT_CASES: Array<[string, (tr: Translator) => ReplyPayload]> = [
  ['/spotify owner only', (tr) => ownerOnlyReply(true, tr)],
  ['/spotify without BOT_OWNER_ID', (tr) => ownerOnlyReply(false, tr)],
  ['/spotify link, callback', (tr) => loginStartReply('https://accounts.spotify.com/authorize?x=1', 'http://127.0.0.1:8888/callback', { callback: true, member: true }, tr)],
  ['/spotify link, paste', (tr) => loginStartReply('https://accounts.spotify.com/authorize?x=1', 'http://127.0.0.1:8888/callback', { member: true }, tr)],
  ['/spotify login, paste', (tr) => loginStartReply('https://accounts.spotify.com/authorize?x=1', 'http://127.0.0.1:8888/callback', {}, tr)],
  ['the login modal', (tr) => { const m = loginModal(tr); return embedPayload({ title: m.title, description: JSON.stringify(m.components).match(/"label":"[^"]*"/g)!.join(' ').replace(/"label":/g, '') }); }],
  ...FAILURES.map((reason): [string, (tr: Translator) => ReplyPayload] => [`/spotify link failed: ${reason}`, (tr) => linkFailedReply(reason, 5, tr)]),
  ...FAILURES.map((reason): [string, (tr: Translator) => ReplyPayload] => [`/spotify login failed: ${reason}`, (tr) => loginFailedReply(loginFailureText(reason, { maxUsers: 0 }, tr), tr)]),
  ['no free seat', (tr) => seatsFullReply(5, 5, tr)],
  ['linked, a member, history, a scope missing', (tr) => loginDoneReply({ account: 'Аня', scope: '', expiresAt: NOW, member: true, userId: '123456789012345671', history: true }, tr)],
  ['linked, the owner, name unknown', (tr) => loginDoneReply({ account: null, scope: '', expiresAt: NOW, userId: '123456789012345671' }, tr)],
  ['/spotify status, nothing linked', (tr) => statusReply({ health: null, account: null, lastSuccessAt: null, rateLimit: { retryAfterSeconds: 0, quotaExceeded: false }, now: NOW }, tr)],
  ['/spotify status, expiring, rate-limited, seats', (tr) => statusReply({ health: grantOf(), seats: seats(3), account: null, lastSuccessAt: NOW - 90_000, rateLimit: { retryAfterSeconds: 42, quotaExceeded: false }, now: NOW }, tr)],
  ['/spotify status, one day, quota, one member', (tr) => statusReply({ health: grantOf({ daysLeft: 1, grantedAtKnown: true, grant: { ...grantOf().grant, scope: '' } }), seats: seats(1), account: 'Аня', lastSuccessAt: null, rateLimit: { retryAfterSeconds: 4 * 3600, quotaExceeded: true }, now: NOW }, tr)],
  ['/spotify status, dead', (tr) => statusReply({ health: grantOf({ dead: { at: NOW }, expiringSoon: false }), seats: seats(0), account: 'Аня', lastSuccessAt: NOW - 3 * 86_400_000, rateLimit: { retryAfterSeconds: 0, quotaExceeded: false }, now: NOW }, tr)],
  ['/spotify status, working', (tr) => statusReply({ health: grantOf({ expiringSoon: false }), account: 'Аня', lastSuccessAt: NOW - 5 * 3_600_000, rateLimit: { retryAfterSeconds: 0, quotaExceeded: false }, now: NOW }, tr)],
  ['/spotify privacy, not linked', (tr) => notLinkedSelfReply(tr)],
  ['/spotify unlink, linked, history kept', (tr) => unlinkedReply(true, true, tr)],
  ['/spotify unlink, nothing', (tr) => unlinkedReply(false, false, tr)],
  ['/spotify unlink member', (tr) => ownerUnlinkedReply('123456789012345671', true, tr)],
  ['/spotify unlink member, none', (tr) => ownerUnlinkedReply('123456789012345671', false, tr)],
  ['/spotify unlink, the owner', (tr) => ownerOnlyUnlinkReply(tr)],
  ['/spotify privacy, history only me', (tr) => statusPrivacyReply('private', tr)],
  ['/spotify privacy, history server', (tr) => statusPrivacyReply('server', tr)],
  ['/spotify privacy, only me', (tr) => privacyReply('private', tr)],
  ['/spotify privacy, server', (tr) => privacyReply('server', tr)],
  ['/spotify privacy, the owner', (tr) => ownerPrivacyReply(tr)],
  ['a follow-up: expiry reminder', (tr) => noticesReply([memberExpiryText(NOW, 3, tr), tr.t('account.memberDropped')])],
  ['private member', (tr) => privateReply('Аня', tr)],
  ['hidden: private', (tr) => hiddenReply(hidden('private'), '1', tr)],
  ['hidden: not in a server', (tr) => hiddenReply(hidden('not-in-a-server'), '1', tr)],
  ['hidden: not linked, someone else', (tr) => hiddenReply(hidden('not-listening'), '1', tr)],
  ['hidden: not linked, you', (tr) => hiddenReply(hidden('presences-off', '1'), '1', tr)],
  ['the link hint', (tr) => embedPayload({ description: linkHint(tr) })],
  ['artists: unknown, and more, cut', (tr) => embedPayload({ description: [formatArtists([], 50, { linked: false, tr }), formatArtists([{ name: 'Один', url: null }, { name: 'Два', url: null }, { name: 'Три', url: null }], 12, { linked: false, tr }), formatArtists([{ name: 'Оченьдлинноеимя'.repeat(5), url: null }, { name: 'Два', url: null }], 30, { linked: false, tr })].join('\n') })],
  ['waits', (tr) => embedPayload({ description: [0, 42, 600, 9000].map((s) => formatWait(s, tr)).join(' · ') })],
  ['/history delete, confirm', (tr) => deleteConfirmReply(view({}), tr)],
  ['/history delete, confirm, nothing stored', (tr) => deleteConfirmReply(view({ plays: 0 }), tr)],
  ['/history delete, done', (tr) => deletedReply(1, tr)],
  ['/history delete, cancelled', (tr) => deleteCancelledReply(tr)],
  ['/history export', (tr) => exportReply(1234, 'файл.жсон', Buffer.from('[]'), tr)],
  ['/history export, nothing', (tr) => exportEmptyReply(tr)],
  ['/history export, too large', (tr) => exportTooLargeReply(2_000_000, tr)],
  ['/history import, reading', (tr) => importProgressReply({ phase: 'reading', file: 'файл.жсон', filesDone: 1, files: 3, plays: 1, total: 0 }, tr)],
  ['/history import, writing', (tr) => importProgressReply({ phase: 'writing', file: 'файл.жсон', filesDone: 3, files: 3, plays: 5000, total: 12_345 }, tr)],
  ['/history import, done, every skip reason', (tr) => importDoneReply(summary(1, 2), tr)],
  ['/history import, done, one of each, nothing skipped', (tr) => importDoneReply({ ...summary(2, 1), firstAt: null, lastAt: null }, tr)],
  ['/history import, done, nothing skipped', (tr) => importDoneReply(summary(2, 0), tr)],
  ['/history import, file too large', (tr) => fileTooLargeReply('архив', 512, tr)],
  ['/history, an old button', (tr) => buttonExpiredReply(tr)],
  ['/history import, a damaged zip', (tr) => importProblemReply(new ImportFileError('архив', 'corrupt-zip', 'x is not a complete zip file'), tr)],
  ['/history import, a file too large', (tr) => importProblemReply(new ImportFileError('архив', 'too-large', 'x'), tr)],
  ['/history import, the attachment', (tr) => importProblemReply(new AttachmentError('timeout', 'x'), tr)],
];

describe('no untranslated English in the account and history replies (pseudo-locale)', () => {
  const tr = pseudoTranslator();
  it.each(ACCOUNT_CASES)('%s', (_what, render) => {
    const payload = render(tr);
    const text = withoutScopeNames(`${renderPayload(payload)}\n${labels(payload).replace(/"label":/g, '')}`);
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
