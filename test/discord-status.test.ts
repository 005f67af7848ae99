// The pure parts of #11: the Discord status store, listener resolution, /listening grouping and pages, and the
// announce settings in storage. (Through Discord and Spotify: test/listening.e2e.test.ts, test/announce.e2e.test.ts.)
import { ENGLISH } from '../src/i18n/translator.js';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { stopReason } from '../src/features/announce/announcer.js';
import { AnnounceFeature } from '../src/features/announce/service.js';
import {
  decodeListeningPageId,
  encodeListeningPageId,
  groupListening,
  listeningReply,
} from '../src/features/listening-now/replies.js';
import type { NowListening } from '../src/features/listening-now/service.js';
import { DiscordStatusStore, STATUS_END_GRACE_MS, statusTrackState, type RawActivity } from '../src/listeners/discord-status.js';
import { accountKey, InvalidListenerError, OWNER, sameListener } from '../src/listeners/listener.js';
import { ownerOnlyLinkedMembers, resolveListener, type MemberSources } from '../src/listeners/resolve.js';
import { GuildMembership } from '../src/listeners/membership.js';
import { silentLogger } from '../src/logger.js';
import { openStorage } from '../src/storage.js';
import { EMBED_LIMITS } from '../src/discord/text.js';

const G1 = '1180000000000000001';
const G2 = '1180000000000000002';
const BOB = '1170000000000000101';
const CAROL = '1170000000000000102';
const OWNER_ID = '200000000000000001';
const T0 = 1_700_000_000_000;

function spotify(trackId: string, title = `Title ${trackId}`, start = T0, end = T0 + 200_000): RawActivity {
  return {
    type: 2,
    name: 'Spotify',
    sync_id: trackId,
    details: title,
    state: 'Artist One; Artist Two',
    timestamps: { start, end },
    assets: { large_image: 'spotify:ab67616d0000b273abcdef', large_text: 'The Album' },
  };
}

function clock(at = T0 + 62_000): { now: () => number; set: (t: number) => void } {
  let t = at;
  return { now: () => t, set: (v) => void (t = v) };
}

describe('DiscordStatusStore', () => {
  it('keeps only the Spotify activity, per guild, and shows it as a track with progress from the timestamps', () => {
    const c = clock();
    const store = new DiscordStatusStore(c.now);
    store.update(G1, BOB, [{ type: 0, name: 'A Game' }, spotify('4uLU6hMCjMI75M1A2tKUQC', 'Never Gonna')]);
    expect(store.size).toBe(1);
    expect(store.get(G2, BOB)).toBeNull(); // another guild knows nothing of it
    const track = store.get(G1, BOB)!;
    expect(track).toEqual({
      userId: BOB,
      trackId: '4uLU6hMCjMI75M1A2tKUQC',
      title: 'Never Gonna',
      artists: ['Artist One', 'Artist Two'],
      album: 'The Album',
      url: 'https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC',
      imageUrl: 'https://i.scdn.co/image/ab67616d0000b273abcdef',
      start: T0,
      end: T0 + 200_000,
    });
    expect(statusTrackState(track, c.now())).toMatchObject({ kind: 'track', isPlaying: true, progressMs: 62_000, durationMs: 200_000 });
  });

  it('drops a member when the activity ends, the member leaves or the guild goes; a listening guild is seeded whole', () => {
    const store = new DiscordStatusStore(clock().now);
    store.update(G1, BOB, [spotify('a1')]);
    store.update(G1, CAROL, [spotify('a2')]);
    store.update(G2, BOB, [spotify('a3')]);
    expect([store.size, store.guildCount]).toEqual([3, 2]);
    store.update(G1, BOB, [{ type: 0, name: 'A Game' }]);
    expect(store.get(G1, BOB)).toBeNull();
    store.remove(G1, CAROL);
    expect([store.size, store.guildCount]).toEqual([1, 1]);
    store.seedGuild(G2, [{ user: { id: CAROL }, activities: [spotify('b1')] }, { user: { id: BOB }, activities: [] }]);
    expect(store.listeningIn(G2).map((t) => t.userId)).toEqual([CAROL]);
    store.dropGuild(G2);
    expect([store.size, store.guildCount]).toEqual([0, 0]);
  });

  it('refuses activities it cannot show (no track id, bad or missing timestamps, not Spotify) and bad cover ids', () => {
    const store = new DiscordStatusStore(clock().now);
    store.update(G1, BOB, [{ ...spotify('x'), sync_id: undefined }]);
    store.update(G1, BOB, [{ ...spotify('x'), timestamps: { start: T0 } }]);
    store.update(G1, BOB, [spotify('x', 't', T0, T0 - 1)]);
    store.update(G1, BOB, [{ ...spotify('x'), name: 'Not Spotify' }]);
    store.update(G1, BOB, [spotify('../../evil')]);
    expect(store.size).toBe(0);
    store.update(G1, BOB, [{ ...spotify('ok1'), assets: { large_image: 'mp:external/https://evil.example/x.png' } }]);
    expect(store.get(G1, BOB)?.imageUrl).toBeNull();
  });

  it('an unchanged track is a no-op; a changed one is replaced in place; the count stays right', () => {
    const store = new DiscordStatusStore(clock().now);
    for (let i = 0; i < 1_000; i++) store.update(G1, BOB, [spotify('same')]);
    store.update(G1, BOB, [spotify('other', 'Other')]);
    expect(store.size).toBe(1);
    expect(store.updates).toBe(1_001);
    expect(store.get(G1, BOB)?.title).toBe('Other');
  });

  it('a track long past its end stops counting and is swept', () => {
    const c = clock();
    const store = new DiscordStatusStore(c.now);
    store.update(G1, BOB, [spotify('a1')]);
    c.set(T0 + 200_000 + STATUS_END_GRACE_MS);
    expect(store.get(G1, BOB)).not.toBeNull();
    c.set(T0 + 200_000 + STATUS_END_GRACE_MS + 1);
    expect(store.get(G1, BOB)).toBeNull();
    expect(store.listeningIn(G1)).toEqual([]);
    expect(store.sweep()).toBe(1);
    expect([store.size, store.guildCount]).toEqual([0, 0]);
  });
});

describe('resolveListener', () => {
  function sources(presencesEnabled = true): MemberSources {
    const statuses = new DiscordStatusStore(clock().now);
    statuses.update(G1, BOB, [spotify('bob1')]);
    statuses.update(G1, OWNER_ID, [spotify('own1')]);
    return { presencesEnabled, statuses, linked: ownerOnlyLinkedMembers(OWNER_ID), membership: new GuildMembership() };
  }

  it('linked (the owner) wins, then Discord status in this guild, then plain /nowplaying falls back to the owner', async () => {
    const s = sources();
    expect(await resolveListener(s, { askerId: CAROL, userId: OWNER_ID, guildId: G1 })).toMatchObject({ kind: 'spotify', listener: OWNER, fallback: false });
    expect(await resolveListener(s, { askerId: CAROL, userId: BOB, guildId: G1 })).toMatchObject({
      kind: 'discord-status',
      listener: { kind: 'status', userId: BOB, guildId: G1 },
      track: { trackId: 'bob1' },
    });
    expect(await resolveListener(s, { askerId: BOB, userId: null, guildId: G1 })).toMatchObject({ kind: 'discord-status' });
    expect(await resolveListener(s, { askerId: CAROL, userId: null, guildId: G1 })).toMatchObject({ kind: 'spotify', listener: OWNER, fallback: true });
  });

  it('never shows a status outside its guild, and explains why nothing is shown', async () => {
    const s = sources();
    expect(await resolveListener(s, { askerId: CAROL, userId: BOB, guildId: G2 })).toEqual({ kind: 'hidden', why: 'not-listening', userId: BOB });
    expect(await resolveListener(s, { askerId: CAROL, userId: BOB, guildId: null })).toEqual({ kind: 'hidden', why: 'not-in-a-server', userId: BOB });
    expect(await resolveListener(sources(false), { askerId: CAROL, userId: CAROL, guildId: G1 })).toEqual({ kind: 'hidden', why: 'presences-off', userId: CAROL });
  });

  it('a member who chose "only me" is hidden from others, not from themselves', async () => {
    const s = sources();
    s.linked = { ...s.linked, privateAmong: async (ids) => new Set(ids.filter((id) => id === BOB)) };
    expect(await resolveListener(s, { askerId: CAROL, userId: BOB, guildId: G1 })).toEqual({ kind: 'hidden', why: 'private', userId: BOB });
    expect(await resolveListener(s, { askerId: BOB, userId: BOB, guildId: G1 })).toMatchObject({ kind: 'discord-status' });
  });

  it('a status listener has no Spotify account', () => {
    const status = { kind: 'status', userId: BOB, guildId: G1 } as const;
    expect(() => accountKey(status)).toThrow(InvalidListenerError);
    expect(sameListener(status, { ...status })).toBe(true);
    expect(sameListener(status, { ...status, guildId: G2 })).toBe(false);
    expect(sameListener(status, OWNER)).toBe(false);
  });
});

describe('/listening grouping and pages', () => {
  const entry = (userId: string, trackKey: string, artist: string, startedAt: number): NowListening => ({
    userId,
    source: 'discord-status',
    trackKey,
    title: `Title of ${trackKey}`,
    artists: [artist],
    url: `https://open.spotify.com/track/${trackKey}`,
    startedAt,
    durationMs: 200_000,
  });

  it('groups the same track, then the same first artist; blocks and members most recent first', () => {
    const blocks = groupListening([
      entry('1', 'solo', 'Solo', 900),
      entry('2', 'hit', 'Star', 800),
      entry('3', 'other', 'Band', 700),
      entry('4', 'hit', 'Star', 600),
      entry('5', 'another', 'band', 500),
      entry('6', 'hit', 'Star', 400),
    ]);
    expect(blocks.map((b) => (b.kind === 'one' ? `one:${b.entry.userId}` : `${b.kind}:${b.entries.map((e) => e.userId).join(',')}`))).toEqual([
      'one:1',
      'track:2,4,6',
      'artist:3,5',
    ]);
  });

  it('stays within Discord limits with 300 members on one track and a page per ten blocks', () => {
    const many = Array.from({ length: 300 }, (_, i) => entry(String(1_170_000_000_000_000_000n + BigInt(i)), 'hit', 'Star', 10_000 - i));
    const solos = Array.from({ length: 25 }, (_, i) => entry(`12${String(i).padStart(16, '0')}`, `s${i}`, `Artist ${i}`, 20_000 - i));
    const reply = listeningReply({ entries: [...solos, ...many], presencesEnabled: true, at: 30_000 }, 3, ENGLISH);
    const embed = reply.embeds[0]!;
    expect(embed.footer?.text).toBe('325 listening · page 3/3');
    expect(embed.description!.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(embed.description).toMatch(/\*\*300 listening to .*\n└ .* and \d+ more$/s);
    const page1 = listeningReply({ entries: [...solos, ...many], presencesEnabled: false, at: 30_000 }, 1, ENGLISH).embeds[0]!;
    expect(page1.description!.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(page1.description).toContain('DISCORD_PRESENCES=on');
  });

  it('page ids carry only the page, and anything else is refused', () => {
    expect(decodeListeningPageId(encodeListeningPageId(2))).toBe(2);
    for (const bad of ['listening:0', 'listening:1000', 'listening:-1', 'listening:2:x', 'recent:1:2', `listening:${'9'.repeat(200)}`]) {
      expect(decodeListeningPageId(bad)).toBeNull();
    }
    expect(() => encodeListeningPageId(0)).toThrow(RangeError);
  });
});

describe('announce settings', () => {
  it('are kept in storage, serialized, and turned off only for the channel they still point at', async () => {
    const storage = await openStorage('memory://');
    const feature = new AnnounceFeature({ storage, logger: silentLogger });
    await Promise.all([
      feature.set({ guildId: G1, channelId: '1190000000000000001', setBy: BOB, setAt: 1 }),
      feature.set({ guildId: G2, channelId: '1190000000000000002', setBy: CAROL, setAt: 2 }),
    ]);
    const later = new AnnounceFeature({ storage, logger: silentLogger });
    expect((await later.list()).map((s) => s.guildId).sort()).toEqual([G1, G2]);
    expect(await later.off(G1, '1190000000000000999')).toBeNull(); // a failure for an old channel
    expect(await later.off(G1, '1190000000000000001')).toMatchObject({ setBy: BOB });
    expect(await later.off(G1, null)).toBeNull();
    expect(await new AnnounceFeature({ storage, logger: silentLogger }).get(G1)).toBeNull();
    await storage.close();
  });

  it('stop on a deleted channel or a refusal, not on other failures', () => {
    const error = (status: number, code: number): DiscordAPIError =>
      new DiscordAPIError({ code, message: 'x' }, code, status, 'POST', '/channels/1/messages', { body: undefined, files: undefined });
    expect(stopReason(error(404, 10003))).toBe('deleted');
    expect(stopReason(error(403, 50001))).toBe('forbidden');
    expect(stopReason(error(403, 50013))).toBe('forbidden');
    expect(stopReason(error(404, 10008))).toBeNull();
    expect(stopReason(error(500, 0))).toBeNull();
    expect(stopReason(new Error('network'))).toBeNull();
  });
});
