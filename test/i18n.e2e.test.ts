// Members speaking German, Japanese and Polish (not shipped: English) run the localized commands through the
// emulators and get their own language, with Intl's relative times, numbers and plural forms; the commands are
// registered with every shipped language's names; English answers stay as they were.
import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { PermissionFlagsBits } from 'discord.js';
import { spotifyActivity } from '../emulators/discord.js';
import { makeArtists, makePlayHistory, makeTrack, makeTracks, playing } from '../emulators/spotify-fixtures.js';
import type { HistoryUser } from '../src/history/play.js';
import { memberLocales } from '../src/i18n/member-locales.js';
import { embedText, EPHEMERAL, harnessPerTest, OWNER_ID } from './support/bot-harness.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NOW = Date.parse('2026-11-28T12:00:00Z');

type Message = { embeds?: Array<{ title?: string; description?: string; footer?: { text?: string } }>; components?: Array<{ components?: Array<Record<string, unknown>> }> };
const labels = (m: Message): string[] => (m.components ?? []).flatMap((r) => r.components ?? []).map((b) => String(b.label));

/** What each member should see. */
const MEMBERS = [
  {
    locale: 'de',
    title: 'Zuletzt gehört',
    lines: ['· vor 3 Min.$', '· gestern$', '· vorgestern$', '· vor 3 Tagen$'],
    footer: 'Seite 1/2 · 1–10 von 12',
    buttons: ['◀ Zurück', 'Weiter ▶'],
    top: 'Top-Titel · Letzte 4 Wochen',
    topArtists: 'Top-Künstler:innen · Letztes Jahr',
    nothing: 'Für diesen Zeitraum gibt es noch keine Top-Titel – Spotify braucht etwas mehr Hörverlauf.',
    rateLimited: 'Spotify bremst den Bot gerade aus – versuch es in 42 s noch einmal.',
    history: ['**1 Wiedergabe** gespeichert, seit dem 01.11.2026.', '**2 Wiedergaben** gespeichert, seit dem 01.11.2026.', '• importiert (erweiterter Streaming-Verlauf): 2 Wiedergaben'],
    historyOff: 'Die Aufzeichnung ist **aus**: Es wird nichts Neues gespeichert. Deine 2 Wiedergaben bleiben gespeichert, bis du `/history delete` ausführst.',
  },
  {
    locale: 'ja',
    title: '最近再生した曲',
    lines: ['· 3 分前$', '· 昨日$', '· 一昨日$', '· 3 日前$'],
    footer: '1/2ページ · 12件中 1～10件目',
    buttons: ['◀ 前へ', '次へ ▶'],
    top: 'トップトラック · 過去4週間',
    topArtists: 'トップアーティスト · 過去1年',
    nothing: 'この期間のトップトラックはまだありません。Spotify にはもう少し再生履歴が必要です。',
    rateLimited: 'Spotify がボットのリクエストを制限しています。42秒後にもう一度お試しください。',
    history: ['2026/11/01以降、**1回の再生**を保存しています。', '2026/11/01以降、**2回の再生**を保存しています。', '• インポート（詳細なストリーミング履歴）: 2回の再生'],
    historyOff: '記録を**オフ**にしました。新しい再生は保存されません。保存済みの2回の再生は `/history delete` を実行するまで残ります。',
  },
  {
    locale: 'pl',
    title: 'Recently played',
    lines: ['· 3 min ago$', '· yesterday$', '· 2 days ago$', '· 3 days ago$'],
    footer: 'Page 1/2 · 1–10 of 12',
    buttons: ['◀ Previous', 'Next ▶'],
    top: 'Top tracks · Last 4 weeks',
    topArtists: 'Top artists · Last year',
    nothing: 'No top tracks yet for this period — Spotify needs a bit more listening history.',
    rateLimited: 'Spotify is rate-limiting the bot — try again in 42 s.',
    history: ['**1 play** stored, since 2026-11-01.', '**2 plays** stored, since 2026-11-01.', '• imported (extended streaming history): 2 plays'],
    historyOff: 'Recording is **off**: nothing new is kept. Your 2 plays stay stored until you run `/history delete`.',
  },
] as const;

/** 12 plays: 3 min, 1 day and 2 days ago first, then one every hour further back. */
function plays() {
  const tracks = Array.from({ length: 12 }, (_, i) => makeTrack({ name: `Song ${i + 1}`, artistName: `Artist ${i + 1}` }));
  const history = makePlayHistory(tracks, { endAt: NOW - 3 * MINUTE, gapMs: 60 * MINUTE });
  const ago = [3 * MINUTE, DAY + 60 * MINUTE, 2 * DAY + 60 * MINUTE];
  return history.map((p, i) => (i < 3 ? { ...p, played_at: new Date(NOW - ago[i]!).toISOString() } : { ...p, played_at: new Date(NOW - 3 * DAY - i * MINUTE).toISOString() }));
}

describe('each member in their own language', () => {
  const start = harnessPerTest();

  it('registers every command with its localized names; a second start with the same definitions writes nothing', async () => {
    const h = await start();
    type Registered = { name: string; name_localizations?: Record<string, string>; options?: Array<Registered & { choices?: Array<{ value: string; name_localizations?: Record<string, string> }> }> };
    const registered = h.discord.commands() as Registered[];
    const recent = registered.find((c) => c.name === 'recent')!;
    expect(recent.name_localizations).toMatchObject({ de: 'zuletzt-gehört', ja: '最近の再生', ko: '최근-재생', 'zh-CN': '最近播放', 'es-419': 'recientes' });
    expect(recent.name_localizations).not.toHaveProperty('pl');
    const range = registered.find((c) => c.name === 'toptracks')!.options!.find((o) => o.name === 'range')!;
    expect(range.choices!.find((c) => c.value === 'long_term')!.name_localizations).toMatchObject({ de: 'Letztes Jahr', ja: '過去1年' });
    const writes = (): number => h.discord.restLog.filter((r) => (r.method === 'PUT' || r.method === 'POST' || r.method === 'PATCH') && r.path.includes('/commands')).length;
    expect(writes()).toBe(1);

    await h.bot.stop();
    const { startAppBot } = await import('../src/bot.js');
    const { commands } = await import('../commands/index.js');
    h.bot = await startAppBot(h.app, { commands });
    await h.bot.ready;
    expect(writes()).toBe(1);
  });

  it.each(MEMBERS)('$locale: /recent, /toptracks, /topartists, an error and an empty list', async (member) => {
    const h = await start({ tuning: { now: () => NOW } });
    h.spotify.setRecentlyPlayed(plays());
    const recent = (await h.discord.slashCommand({ name: 'recent', locale: member.locale, options: [{ name: 'limit', type: 4, value: 12 }] }).finalMessage()) as Message;
    const embed = recent.embeds![0]!;
    expect(embed.title).toBe(member.title);
    const lines = embed.description!.split('\n');
    expect(lines).toHaveLength(10);
    member.lines.forEach((ending, i) => expect(lines[i]).toMatch(new RegExp(`^${i + 1}\\. \\[Song ${i + 1}\\]\\(.+\\) — Artist ${i + 1} ${ending}`)));
    expect(embed.footer?.text).toBe(member.footer);
    expect(labels(recent)).toEqual(member.buttons);

    h.spotify.setTop('tracks', makeTracks(12));
    const top = (await h.discord.slashCommand({ name: 'toptracks', locale: member.locale, options: [{ name: 'limit', type: 4, value: 12 }] }).finalMessage()) as Message;
    expect(top.embeds![0]!.title).toBe(member.top);
    expect(top.embeds![0]!.description!.split('\n')).toHaveLength(10);
    expect(labels(top)).toEqual(member.buttons);

    h.spotify.setTop('artists', makeArtists(3), 'long_term');
    const artists = (await h.discord
      .slashCommand({ name: 'topartists', locale: member.locale, options: [{ name: 'range', type: 3, value: 'long_term' }] })
      .finalMessage()) as Message;
    expect(artists.embeds![0]!.title).toBe(member.topArtists);
    expect(artists.embeds![0]!.description!.split('\n')).toHaveLength(3);

    h.spotify.setTop('tracks', [], 'medium_term');
    const none = (await h.discord
      .slashCommand({ name: 'toptracks', locale: member.locale, options: [{ name: 'range', type: 3, value: 'medium_term' }] })
      .finalMessage()) as Message;
    expect(none.embeds![0]!.description).toBe(member.nothing);

    // Last: a 429 holds every Spotify request back for its Retry-After.
    h.spotify.fail('top', { status: 429, headers: { 'retry-after': '42' } });
    // A period not asked yet (each list is kept for a while once fetched).
    const limited = (await h.discord
      .slashCommand({ name: 'toptracks', locale: member.locale, options: [{ name: 'range', type: 3, value: 'long_term' }] })
      .response()).data!;
    expect(embedText(limited)).toContain(member.rateLimited);
  });

  it.each(MEMBERS)('$locale: /history status counts 1 play, then 2 plays, in their words; /history off keeps them', async (member) => {
    const h = await start({ env: { HISTORY: 'on' } });
    const userId = '400000000000000123';
    const play = (i: number) => ({
      title: `Song ${i}`,
      artist: `Artist ${i}`,
      album: null,
      trackId: null,
      imageId: null,
      startedAt: Date.parse('2026-11-01T10:00:00Z') + i * 3_600_000,
      endedAt: Date.parse('2026-11-01T10:03:00Z') + i * 3_600_000,
      msPlayed: 180_000,
      durationMs: 180_000,
      source: 'import-extended' as const,
    });
    const status = async () =>
      embedText(await h.discord.slashCommand({ name: 'history', subcommand: 'status', userId, locale: member.locale }).finalMessage(10_000));
    await h.app.history!.addPlays(userId, [play(1)]);
    expect(await status()).toContain(member.history[0]);
    await h.app.history!.addPlays(userId, [play(2)]);
    const two = await status();
    expect(two).toContain(member.history[1]);
    expect(two).toContain(member.history[2]);
    const off = await h.discord.slashCommand({ name: 'history', subcommand: 'off', userId, locale: member.locale }).finalMessage(10_000);
    expect(embedText(off)).toContain(member.historyOff);
  });

  describe('DMs: in the language of the last interaction, else BOT_LOCALE', () => {
    /** A harness whose owner's grant expires in 13 days once `expire()` moves the clock. */
    async function expiring(env: Record<string, string>) {
      let now = Date.now();
      const grantedAt = new Date(now);
      grantedAt.setUTCMonth(grantedAt.getUTCMonth() - 6);
      const granted = new Date(grantedAt.getTime() + 20 * DAY);
      const h = await start({ env: { SPOTIFY_REFRESH_TOKEN_GRANTED_AT: granted.toISOString(), ...env }, tuning: { now: () => now } });
      const expiry = new Date(granted);
      expiry.setUTCMonth(expiry.getUTCMonth() + 6);
      return { h, expire: () => (now = expiry.getTime() - 13 * DAY) };
    }

    it('BOT_LOCALE=de, no interaction yet: the expiry DM is German, with its plural', async () => {
      memberLocales.forget(OWNER_ID);
      const { h, expire } = await expiring({ BOT_LOCALE: 'de' });
      expire();
      await h.app.health.check();
      expect(h.discord.directMessages).toHaveLength(1);
      expect(h.discord.directMessages[0]!.body.content).toMatch(/^⚠️ Die Verknüpfung des Bots mit deinem Spotify-Konto läuft am \*\*\d\d\.\d\d\.\d{4}\*\* ab \(noch 13 Tage;/);
    });

    it('the owner last spoke Japanese: the DM is Japanese whatever BOT_LOCALE says', async () => {
      memberLocales.forget(OWNER_ID);
      const { h, expire } = await expiring({ BOT_LOCALE: 'de' });
      h.spotify.setRecentlyPlayed([]);
      await h.discord.slashCommand({ name: 'recent', userId: OWNER_ID, locale: 'ja' }).finalMessage();
      expire();
      await h.app.health.check();
      expect(h.discord.directMessages).toHaveLength(1);
      expect(h.discord.directMessages[0]!.body.content).toMatch(/^⚠️ ボットと Spotify アカウントの連携は \*\*\d{4}\/\d\d\/\d\d\*\* に期限切れになります（残り13日。/);
    });

    it('a Polish owner (not shipped) gets English', async () => {
      memberLocales.forget(OWNER_ID);
      const { h, expire } = await expiring({});
      h.spotify.setRecentlyPlayed([]);
      await h.discord.slashCommand({ name: 'recent', userId: OWNER_ID, locale: 'pl' }).finalMessage();
      expire();
      await h.app.health.check();
      expect(h.discord.directMessages[0]!.body.content).toMatch(/expires on \*\*\d{4}-\d\d-\d\d\*\* \(13 days left;/);
    });
  });

  it("/announce answers each asker in their language; posts follow each server's preferred locale", async () => {
    const h = await start({ tuning: { listeningFreshnessMs: 0 }, discord: { guildIds: ['300000000000000001', '300000000000000002'] } });
    const [german, polish] = h.discord.guildIds as [string, string];
    const updated = once(h.bot.client, 'guildUpdate');
    h.discord.setGuildLocale(german, 'de');
    await updated;
    h.discord.setGuildLocale(polish, 'pl');
    const channelIn = async (guildId: string): Promise<string> => {
      const created = once(h.bot.client, 'channelCreate');
      const id = h.discord.addChannel(guildId, { name: 'musik' });
      await created;
      return id;
    };
    const announce = (guildId: string, channel: string, locale: string) =>
      h.discord
        .slashCommand({
          name: 'announce',
          guildId,
          userId: '1170000000000000201',
          locale,
          memberPermissions: String(PermissionFlagsBits.ManageGuild),
          options: [{ name: 'channel', type: 7, value: channel }],
        })
        .finalMessage();
    const inGerman = await channelIn(german);
    const inPolish = await channelIn(polish);
    // A Japanese member sets up the German server: the reply is theirs (Japanese), the posts the server's (German).
    expect(embedText(await announce(german, inGerman, 'ja'))).toContain(`オーナーの次の曲から、新しい曲を <#${inGerman}> に投稿します。`);
    expect(embedText(await announce(polish, inPolish, 'pl'))).toContain(`each new track is posted to <#${inPolish}>`);

    const play = async (name: string) => {
      h.spotify.setCurrentlyPlaying(playing(makeTrack({ name, artistName: 'Band' })));
      await h.bot.presence.tick();
      await h.bot.announcer.idle();
    };
    await play('Song A'); // the baseline
    await play('Song B');
    const post = (channel: string) => h.discord.channelMessages(channel)[0]!.body as { embeds: Array<{ author: { name: string }; description: string }>; components: unknown };
    expect(post(inGerman).embeds[0]!.author.name).toBe('🎵 Läuft gerade');
    expect(post(inGerman).embeds[0]!.description).toMatch(/^von \[Band\]/);
    expect(JSON.stringify(post(inGerman).components)).toContain('In Spotify öffnen');
    expect(post(inPolish).embeds[0]!.author.name).toBe('🎵 Now playing');
    expect(post(inPolish).embeds[0]!.description).toMatch(/^by \[Band\]/);
  });

  it.each([
    ['de', '2 hören zu', /^\*\*2 hören \[Hit\]\(.+\)\*\* von Star\n└ /, '1 hört zu'],
    ['ja', '2人が再生中', /^\*\*2人が \[Hit\]\(.+\) を再生中\*\*（Star）\n└ /, '1人が再生中'],
    ['pl', '2 listening', /^\*\*2 listening to \[Hit\]\(.+\)\*\* by Star\n└ /, '1 listening'],
  ] as const)('%s: /listening counts its listeners with the right plural form', async (locale, two, head, one) => {
    const h = await start({ env: { DISCORD_PRESENCES: 'on' } });
    const guildId = h.discord.guildIds[0]!;
    // The owner isn't playing; two members' Discord status shows the same track.
    h.spotify.setCurrentlyPlaying(null);
    const members = ['1170000000000000301', '1170000000000000302'];
    const startMs = Date.now() - 62_000;
    const hit = spotifyActivity({ trackId: 'Hit1', title: 'Hit', artists: ['Star'], album: 'A', imageId: 'ab67616d0000b273hit1000000000000000000000', startMs, endMs: startMs + 200_000 });
    for (const [i, id] of members.entries()) {
      h.discord.addMember(guildId, { id, username: `m${i}` });
      const handled = once(h.bot.client.ws, 'PRESENCE_UPDATE');
      expect(h.discord.setPresence(guildId, id, { status: 'online', activities: [hit] })).toBe(true);
      await handled;
    }
    const both = (await h.discord.slashCommand({ name: 'listening', locale, userId: members[0] }).finalMessage(10_000)) as Message;
    expect(both.embeds![0]!.footer?.text).toBe(two);
    expect(both.embeds![0]!.description).toMatch(head);
    const gone = once(h.bot.client.ws, 'PRESENCE_UPDATE');
    h.discord.setPresence(guildId, members[1]!, { status: 'online', activities: [] });
    await gone;
    const single = (await h.discord.slashCommand({ name: 'listening', locale, userId: members[0] }).finalMessage(10_000)) as Message;
    expect(single.embeds![0]!.footer?.text).toBe(one);
  });
});

// ── whoknows, taste, wrapped, recap ──
describe("/whoknows, /taste, /wrapped, /recap in each member's language", () => {
  const start = harnessPerTest();
  const ASKER = { id: '1170000000000000501', username: 'asker', globalName: 'Asker' };
  const OTHER = { id: '1170000000000000502', username: 'other', globalName: 'Other' };
  /** `n` plays of one track by Band, a day apart, ending the day before `end`; 200 s each. */
  const bandPlays = (n: number, end: number) =>
    Array.from({ length: n }, (_, i) => {
      const startedAt = end - (i + 1) * DAY;
      return { title: 'Song X', artist: 'Band', album: 'Album X', trackId: null, imageId: null, startedAt, endedAt: startedAt + 200_000, msPlayed: 200_000, durationMs: null, source: 'import-extended' as const };
    });
  const text = (m: unknown): string => embedText(m as Parameters<typeof embedText>[0]);

  const EXPECTED = {
    de: {
      ranking: [`1. <@${ASKER.id}> · 2 Wiedergaben`, `2. <@${OTHER.id}> · 1 Wiedergabe`],
      rankingFooter: 'Gesamter Zeitraum · 2 Hörer:innen · 3 Wiedergaben · Mitglieder hier, die ihr Hören aufzeichnen',
      heading: 'Wer kennt diese:n Künstler:in?',
      match: '**100\u00a0%** Übereinstimmung im Musikgeschmack', // Intl's percent: a no-break space
      inCommon: 'Asker: 2 Wiedergaben · Other: 1 Wiedergabe · 1 gemeinsame:r Künstler:in',
      wrapped: ['🎁 2026 Wrapped von Asker', '**6 Minuten** gehört · 2 Wiedergaben', '1 Titel · 1 Künstler:in', 'Meistgehörter Monat: **November** (6 Min.)'],
      recapStatus: '🗓️ Der Wochenrückblick ist auf diesem Server aus.',
    },
    ja: {
      ranking: [`1. <@${ASKER.id}> · 2回の再生`, `2. <@${OTHER.id}> · 1回の再生`],
      rankingFooter: '全期間 · リスナー2人 · 3回の再生 · 再生を記録しているこのサーバーのメンバー',
      heading: 'このアーティストを一番聴いているのは？',
      match: '音楽の好みの一致度 **100%**',
      inCommon: 'Asker: 2回の再生 · Other: 1回の再生 · 共通のアーティスト1組',
      wrapped: ['🎁 Asker の 2026 Wrapped', '再生時間 **6分** · 2回の再生', '1曲 · アーティスト1組', '一番聴いた月: **11月**（6分）'],
      recapStatus: '🗓️ このサーバーでは週間まとめはオフです。',
    },
    pl: {
      ranking: [`1. <@${ASKER.id}> · 2 plays`, `2. <@${OTHER.id}> · 1 play`],
      rankingFooter: 'All time · 2 listeners · 3 plays · members here who record their listening',
      heading: 'Who knows this artist',
      match: '**100%** taste match',
      inCommon: 'Asker: 2 plays · Other: 1 play · 1 artist in common',
      wrapped: ["🎁 Asker's 2026 Wrapped", '**6 minutes** listened · 2 plays', '1 track · 1 artist', 'Month listened most: **November** (6 min)'],
      recapStatus: "🗓️ The weekly recap is off in this server.",
    },
  } as const;

  it.each(['de', 'ja', 'pl'] as const)('%s: the ranking, the taste match, the year and /recap count plays with the right plural form', async (locale) => {
    const want = EXPECTED[locale];
    const h = await start({ env: { HISTORY: 'on' }, tuning: { now: () => NOW } });
    const guildId = h.discord.guildIds[0]!;
    for (const member of [ASKER, OTHER]) {
      h.discord.addMember(guildId, member);
      await h.discord.slashCommand({ name: 'history', subcommand: 'on', userId: member.id, guildId }).finalMessage(10_000);
    }
    await h.app.history!.addPlays(ASKER.id as HistoryUser, bandPlays(2, NOW));
    await h.app.history!.addPlays(OTHER.id as HistoryUser, bandPlays(1, NOW));

    const ranking = (await h.discord
      .slashCommand({ name: 'whoknows', subcommand: 'artist', userId: ASKER.id, guildId, locale, options: [{ name: 'name', type: 3, value: 'Band' }] })
      .finalMessage(10_000)) as Message & { embeds: Array<{ author?: { name?: string } }> };
    const embed = ranking.embeds![0]!;
    expect(embed.description!.split('\n')).toEqual([`**${want.ranking[0]}**`, want.ranking[1]]);
    expect(embed.footer?.text).toBe(want.rankingFooter);
    expect(ranking.embeds[0]!.author?.name).toContain(want.heading);

    const taste = text(await h.discord.slashCommand({ name: 'taste', userId: ASKER.id, guildId, locale, options: [{ name: 'user', type: 6, value: OTHER.id }] }).finalMessage(10_000));
    expect(taste).toContain(want.match);
    expect(taste).toContain(want.inCommon);

    const year = text(await h.discord.slashCommand({ name: 'wrapped', userId: ASKER.id, guildId, locale, options: [{ name: 'year', type: 4, value: 2026 }] }).finalMessage(15_000));
    for (const line of want.wrapped) expect(year).toContain(line);

    const status = text(
      await h.discord.slashCommand({ name: 'recap', userId: ASKER.id, guildId, locale, memberPermissions: String(PermissionFlagsBits.ManageGuild) }).finalMessage(10_000),
    );
    expect(status).toContain(want.recapStatus);
  });

  it("a recap is posted in the server's preferred locale (German), whatever the language of who set it up", async () => {
    const MONDAY = Date.UTC(2026, 11, 7, 10, 0, 0);
    let now = MONDAY - DAY;
    const h = await start({ env: { HISTORY: 'on', TZ: 'UTC' }, tuning: { now: () => now } });
    const guildId = h.discord.guildIds[0]!;
    const updated = once(h.bot.client, 'guildUpdate');
    h.discord.setGuildLocale(guildId, 'de');
    await updated;
    const created = once(h.bot.client, 'channelCreate');
    const channel = h.discord.addChannel(guildId, { name: 'rückblick' });
    await created;
    for (const member of [ASKER, OTHER]) {
      h.discord.addMember(guildId, member);
      await h.discord.slashCommand({ name: 'history', subcommand: 'on', userId: member.id, guildId }).finalMessage(10_000);
    }
    await h.app.history!.addPlays(ASKER.id as HistoryUser, bandPlays(2, now));
    await h.app.history!.addPlays(OTHER.id as HistoryUser, bandPlays(1, now));
    // Set up by a Japanese member: the reply is theirs.
    const set = text(
      await h.discord
        .slashCommand({ name: 'recap', userId: ASKER.id, guildId, locale: 'ja', memberPermissions: String(PermissionFlagsBits.ManageGuild), options: [{ name: 'channel', type: 7, value: channel }] })
        .finalMessage(10_000),
    );
    expect(set).toContain(`毎週、このサーバーの再生のまとめを <#${channel}> に投稿します`);
    now = MONDAY + 30_000;
    expect((await h.bot.recap!.check()).posted).toEqual([guildId]);
    const post = text(h.discord.channelMessages(channel)[0]!.body);
    expect(post).toContain('🗓️ Wochenrückblick · ');
    expect(post).toContain('**3 Wiedergaben** · **10 Min.** gehört von 2 aufzeichnenden Mitgliedern');
    expect(post).toContain('1 Titel · 1 Künstler:in');
    expect(post).toContain('Band · 3 Wiedergaben');
    expect(post).toContain(`1. <@${ASKER.id}> · 2 Wiedergaben · 6 Min.`);
    expect(post).toContain(`2. <@${OTHER.id}> · 1 Wiedergabe · 3 Min.`);
    expect(post).toContain('Neue Künstler:innen diese Woche: 1');
    expect(post).toMatch(/30\.11\.2026 – 07\.12\.2026 · Mitglieder hier, mit Aufzeichnung, nicht „nur ich“/);
  });
});

// ── account and history ──
describe('/spotify and /history in each member\'s language', () => {
  const start = harnessPerTest();
  const ANNA = { id: '400000000000000201', username: 'anna', globalName: 'Anna' };
  const BORIS = { id: '400000000000000202', username: 'boris', globalName: 'Boris' };
  type Payload = { flags?: number; embeds?: Array<Record<string, unknown>>; components?: Array<{ components?: Array<Record<string, unknown>> }> };
  const buttons = (m: Payload): Array<Record<string, unknown>> => (m.components ?? []).flatMap((r) => r.components ?? []);

  /** What each member should see (Polish is not shipped: English, as before). */
  const SPEAKERS = [
    {
      locale: 'de',
      linkTitle: 'Spotify verknüpfen',
      linkButtons: ['Spotify öffnen', 'Weitergeleitete URL einfügen'],
      modalTitle: 'Spotify-Verknüpfung abschließen',
      linked: (id: string) => `Spotify **Anna S (sp-anna)** ist jetzt mit <@${id}> verknüpft.`,
      seats: ['2 von 5 belegt (du + 1 Mitglied)', '3 von 5 belegt (du + 2 Mitglieder)'],
      statusFields: ['Konto', 'Gewährte Berechtigungen', 'Plätze'],
      ownerOnly: 'Nur der Bot-Besitzer kann die Spotify-Verknüpfung des Bots verwalten.',
      privacy: '**Nur ich**: Nur du siehst, was du hörst.',
      private: '🔒 **Anna** hält das Gehörte privat.',
      unlinked: 'Spotify-Verknüpfung entfernt',
      imported: ['**2 Wiedergaben hinzugefügt**, 0 schon vorhanden, 1 übersprungen (1 Podcastfolge).', '1 Datei gelesen.'],
      importedAgain: '**1 Wiedergabe hinzugefügt**, 2 schon vorhanden, 0 übersprungen.',
      importDone: 'Import abgeschlossen',
      exported: 'Dein Hörverlauf: 3 Wiedergaben,',
      deleteTitle: 'Hörverlauf löschen?',
      deleteAll: 'alle **3 Wiedergaben**',
      deleteButtons: ['Alles löschen', 'Abbrechen'],
      cancelled: 'Es wurde nichts gelöscht.',
      deleted: 'Gelöscht: 3 Wiedergaben und alles andere aus deinem Hörverlauf.',
    },
    {
      locale: 'ja',
      linkTitle: 'Spotify を連携',
      linkButtons: ['Spotify を開く', 'リダイレクト URL を貼り付け'],
      modalTitle: 'Spotify の連携を完了',
      linked: (id: string) => `Spotify **Anna S (sp-anna)** を <@${id}> に連携しました。`,
      seats: ['5 枠中 2 枠を使用中（あなた + メンバー 1 人）', '5 枠中 3 枠を使用中（あなた + メンバー 2 人）'],
      statusFields: ['アカウント', '許可されたスコープ', '枠'],
      ownerOnly: 'ボットの Spotify 連携を管理できるのはボットのオーナーだけです。',
      privacy: '**自分のみ**：あなたの再生内容はあなたにしか見えません。',
      private: '🔒 **Anna** さんは再生内容を非公開にしています。',
      unlinked: 'Spotify の連携を解除しました',
      imported: ['**2回の再生を追加**、0 件は登録済み、1 件をスキップ（ポッドキャストのエピソード 1 件）。', '1 個のファイルを読み込みました。'],
      importedAgain: '**1回の再生を追加**、2 件は登録済み、0 件をスキップ。',
      importDone: 'インポート完了',
      exported: 'あなたの再生履歴：3回の再生。',
      deleteTitle: '再生履歴を削除しますか？',
      deleteAll: '**3回の再生**すべて',
      deleteButtons: ['すべて削除', 'キャンセル'],
      cancelled: '何も削除されていません。',
      deleted: '削除しました：3回の再生と、再生履歴に関するその他すべて。',
    },
    {
      locale: 'pl',
      linkTitle: 'Link Spotify',
      linkButtons: ['Open Spotify', 'Paste redirected URL'],
      modalTitle: 'Finish linking Spotify',
      linked: (id: string) => `Spotify **Anna S (sp-anna)** is now linked to <@${id}>.`,
      seats: ['2 of 5 used (you + 1 member)', '3 of 5 used (you + 2 members)'],
      statusFields: ['Account', 'Granted scopes', 'Seats'],
      ownerOnly: 'Only the bot owner can manage its Spotify link.',
      privacy: '**Only me**: only you see your listening.',
      private: '🔒 **Anna** keeps their listening private.',
      unlinked: 'Spotify unlinked',
      imported: ['**2 plays added**, 0 already there, 1 skipped (1 podcast episode).', '1 file read.'],
      importedAgain: '**1 play added**, 2 already there, 0 skipped.',
      importDone: 'Import finished',
      exported: 'Your listening history: 3 plays,',
      deleteTitle: 'Delete your listening history?',
      deleteAll: 'all **3 plays**',
      deleteButtons: ['Delete everything', 'Cancel'],
      cancelled: 'Nothing was deleted.',
      deleted: 'Deleted: 3 plays and everything else about your listening history.',
    },
  ] as const;

  it.each(SPEAKERS)('$locale: /spotify link, status (1 then 2 members), privacy and unlink', async (speaker) => {
    const h = await start();
    const guildId = h.discord.guildIds[0]!;
    for (const m of [ANNA, BORIS]) h.discord.addMember(guildId, m);
    h.discord.addMember(guildId, { id: OWNER_ID, username: 'owner', globalName: 'Olga' });
    const { locale } = speaker;
    const spotify = (subcommand: string, userId: string, options: Array<{ name: string; type: number; value: string }> = []) =>
      h.discord.slashCommand({ name: 'spotify', subcommand, userId, locale, options }).finalMessage() as Promise<Payload>;
    const link = async (member: { id: string }, spotifyId: string, name: string): Promise<Payload> => {
      h.spotify.addUser(spotifyId, { displayName: name, allowListed: true });
      const started = await spotify('link', member.id);
      expect(started.embeds![0]!.title).toBe(speaker.linkTitle);
      const [open, paste] = buttons(started);
      expect([open?.label, paste?.label]).toEqual(speaker.linkButtons);
      const modal = await h.discord.pressButton({ customId: String(paste!.custom_id), message: { id: '1' }, userId: member.id, locale }).response();
      expect((modal.data as { title?: string }).title).toBe(speaker.modalTitle);
      const redirected = h.spotify.approve(String(open!.url), { userId: spotifyId });
      return (await h.discord.submitModal({ customId: String(modal.data?.custom_id), fields: { redirected }, userId: member.id, locale }).finalMessage()) as Payload;
    };

    expect(embedText(await link(ANNA, 'sp-anna', 'Anna S'))).toContain(speaker.linked(ANNA.id));
    const one = embedText(await spotify('status', OWNER_ID));
    expect(one).toContain(speaker.seats[0]);
    for (const field of speaker.statusFields) expect(one).toContain(`"name":"${field}"`);
    await link(BORIS, 'sp-boris', 'Boris S');
    expect(embedText(await spotify('status', OWNER_ID))).toContain(speaker.seats[1]);
    expect(embedText(await spotify('status', BORIS.id))).toContain(speaker.ownerOnly);

    expect(embedText(await spotify('privacy', ANNA.id, [{ name: 'visibility', type: 3, value: 'private' }]))).toContain(speaker.privacy);
    const refused = await h.discord
      .slashCommand({ name: 'nowplaying', userId: BORIS.id, locale, options: [{ name: 'user', type: 6, value: ANNA.id }] })
      .finalMessage();
    expect(embedText(refused)).toContain(speaker.private);
    expect(embedText(await spotify('unlink', ANNA.id))).toContain(speaker.unlinked);
  });

  it.each(SPEAKERS)('$locale: /history import (2 plays, then 1), export and delete count in their words', async (speaker) => {
    const h = await start({ env: { HISTORY: 'on' } });
    const { locale } = speaker;
    const userId = ANNA.id;
    const row = (i: number, over: Record<string, unknown> = {}) => ({
      ts: `2024-03-0${i}T10:00:00Z`,
      platform: 'android',
      ms_played: 180_000,
      conn_country: 'DE',
      master_metadata_track_name: `Song ${i}`,
      master_metadata_album_artist_name: `Artist ${i}`,
      master_metadata_album_album_name: `Album ${i}`,
      spotify_track_uri: `spotify:track:t${i}`,
      episode_name: null,
      episode_show_name: null,
      spotify_episode_uri: null,
      reason_start: 'trackdone',
      reason_end: 'trackdone',
      shuffle: false,
      skipped: false,
      offline: false,
      offline_timestamp: null,
      incognito_mode: false,
      ...over,
    });
    const episode = row(3, {
      master_metadata_track_name: null,
      master_metadata_album_artist_name: null,
      master_metadata_album_album_name: null,
      spotify_track_uri: null,
      episode_name: 'Episode',
      episode_show_name: 'Show',
      spotify_episode_uri: 'spotify:episode:e1',
    });
    const importRows = async (rows: unknown[]): Promise<string> => {
      const attachment = h.discord.addAttachment({ filename: 'Streaming_History_Audio_2024_0.json', bytes: new TextEncoder().encode(JSON.stringify(rows)) });
      const handle = h.discord.slashCommand({ name: 'history', subcommand: 'import', userId, locale, options: [{ name: 'file', type: 11, value: attachment.id }] });
      const done = (m: unknown): boolean => embedText(m as Payload).includes(speaker.importDone);
      const waiting = h.discord.waitFor<{ interactionId: string; body: Payload }>('interactionEdit', (e) => e.interactionId === handle.id && done(e.body), 30_000);
      const already = handle.edits.find(done);
      if (already) {
        waiting.catch(() => {});
        return embedText(already);
      }
      return embedText((await waiting).body);
    };

    const first = await importRows([row(1), row(2), episode]);
    for (const line of speaker.imported) expect(first).toContain(line);
    expect(await importRows([row(1), row(2), row(4)])).toContain(speaker.importedAgain);

    const exportHandle = h.discord.slashCommand({ name: 'history', subcommand: 'export', userId, locale });
    expect(embedText((await exportHandle.finalMessage(10_000)) as Payload)).toContain(speaker.exported);
    expect(exportHandle.originalAttachments).toHaveLength(1);

    const ask = async (): Promise<Payload> => {
      const confirm = (await h.discord.slashCommand({ name: 'history', subcommand: 'delete', userId, locale }).finalMessage(10_000)) as Payload;
      expect(embedText(confirm)).toContain(speaker.deleteTitle);
      expect(embedText(confirm)).toContain(speaker.deleteAll);
      expect(buttons(confirm).map((b) => b.label)).toEqual(speaker.deleteButtons);
      return confirm;
    };
    const press = async (confirm: Payload, index: number): Promise<string> =>
      embedText(
        (await h.discord
          .pressButton({ customId: String(buttons(confirm)[index]!.custom_id), message: { id: '1', flags: EPHEMERAL }, userId, locale })
          .finalMessage(10_000)) as Payload,
      );
    expect(await press(await ask(), 1)).toContain(speaker.cancelled);
    expect(await press(await ask(), 0)).toContain(speaker.deleted);
  });

  it('a dropped link: the reply and the DM in the member\'s language (Japanese); the expiry reminder in a German reply, with its plural', async () => {
    let now = Date.now();
    const h = await start({ tuning: { now: () => now, listeningFreshnessMs: 0 } });
    const guildId = h.discord.guildIds[0]!;
    for (const m of [ANNA, BORIS]) h.discord.addMember(guildId, m);
    const linkAs = async (member: { id: string }, spotifyId: string, locale: string): Promise<void> => {
      h.spotify.addUser(spotifyId, { displayName: spotifyId, allowListed: true }).setCurrentlyPlaying(playing(makeTrack({ name: `${spotifyId} Song` })));
      const started = (await h.discord.slashCommand({ name: 'spotify', subcommand: 'link', userId: member.id, locale }).finalMessage()) as Payload;
      const [open, paste] = buttons(started);
      const modal = await h.discord.pressButton({ customId: String(paste!.custom_id), message: { id: '1' }, userId: member.id, locale }).response();
      const redirected = h.spotify.approve(String(open!.url), { userId: spotifyId });
      await h.discord.submitModal({ customId: String(modal.data?.custom_id), fields: { redirected }, userId: member.id, locale }).finalMessage();
    };
    await linkAs(ANNA, 'sp-anna', 'ja');
    await linkAs(BORIS, 'sp-boris', 'de');

    h.spotify.revokeUserGrants('sp-anna');
    h.spotify.expireAccessTokens({ userId: 'sp-anna' });
    const dropped = await h.discord.slashCommand({ name: 'nowplaying', userId: ANNA.id, locale: 'ja' }).finalMessage();
    expect(embedText(dropped)).toContain('❌ Spotify があなたの連携を受け付けなくなりました');
    const dm = await h.discord.waitFor<{ userId: string; body: { content?: string } }>('directMessage', (d: { userId: string }) => d.userId === ANNA.id);
    expect(dm.body.content).toMatch(/^❌ Spotify がこのボットとの連携を受け付けなくなりました.*`\/spotify link`/);

    // 13 days before Boris's grant runs out: his next reply carries the reminder, in German, "noch 13 Tage".
    const expiry = new Date(now);
    expiry.setUTCMonth(expiry.getUTCMonth() + 6);
    now = expiry.getTime() - 13 * DAY;
    const handle = h.discord.slashCommand({ name: 'nowplaying', userId: BORIS.id, locale: 'de' });
    await handle.finalMessage();
    expect(embedText(await handle.followUp(0))).toMatch(/Deine Spotify-Verknüpfung mit diesem Bot läuft am \*\*\d\d\.\d\d\.\d{4}\*\* ab \(noch 13 Tage;/);
  });

  it("the owner's allow-list DM is in the owner's last language (German)", async () => {
    memberLocales.forget(OWNER_ID);
    const h = await start();
    h.discord.addMember(h.discord.guildIds[0]!, ANNA);
    h.spotify.setRecentlyPlayed([]);
    await h.discord.slashCommand({ name: 'recent', userId: OWNER_ID, locale: 'de' }).finalMessage();
    h.spotify.addUser('sp-anna', { displayName: 'Anna S', allowListed: false });
    const started = (await h.discord.slashCommand({ name: 'spotify', subcommand: 'link', userId: ANNA.id, locale: 'ja' }).finalMessage()) as Payload;
    const [open, paste] = buttons(started);
    const modal = await h.discord.pressButton({ customId: String(paste!.custom_id), message: { id: '1' }, userId: ANNA.id, locale: 'ja' }).response();
    const redirected = h.spotify.approve(String(open!.url), { userId: 'sp-anna' });
    const refused = await h.discord.submitModal({ customId: String(modal.data?.custom_id), fields: { redirected }, userId: ANNA.id, locale: 'ja' }).finalMessage();
    expect(embedText(refused)).toContain('Spotify があなたのアカウントを拒否しました');
    const ownerDms = h.discord.directMessages.filter((d) => d.userId === OWNER_ID);
    expect(ownerDms).toHaveLength(1);
    expect(ownerDms[0]!.body.content).toMatch(new RegExp(`^<@${ANNA.id}> wollte sein Spotify-Konto verknüpfen, .*\\(dieser Bot erlaubt 5\\)\\.$`));
  });
});

// ── views: /nowplaying, /chart period:, /serverchart, /stats, /serverstats ──
describe('views in each member\'s language: numbers, plurals, ordinals', () => {
  const start = harnessPerTest();
  const ASKER = { id: '1170000000000000501', username: 'mia', globalName: 'Mia' };
  const WEEK_AGO_NOON = NOW - 7 * DAY;
  /** The owner's 1,234 plays of one track (3 min each, 4 min apart, within the last week); the asker's two tracks. */
  const ownerPlays = Array.from({ length: 1234 }, (_, i) => ({
    title: 'Levitating', artist: 'Dua Lipa', album: 'Future Nostalgia', trackId: null, imageId: null,
    startedAt: NOW - 10 * MINUTE - i * 4 * MINUTE, endedAt: NOW - 7 * MINUTE - i * 4 * MINUTE, msPlayed: 3 * MINUTE, durationMs: 3 * MINUTE,
    source: 'import-extended' as const,
  }));
  const askerPlays = ['Song A', 'Song B'].map((title, i) => ({
    title, artist: 'Band', album: 'Album', trackId: null, imageId: null,
    startedAt: WEEK_AGO_NOON + (i + 1) * DAY, endedAt: WEEK_AGO_NOON + (i + 1) * DAY + 3 * MINUTE, msPlayed: 3 * MINUTE, durationMs: 3 * MINUTE,
    source: 'import-extended' as const,
  }));

  const VIEWS = [
    {
      locale: 'de',
      serverTitle: ' · Letzte 7 Tage',
      serverSummary: ['1 aufzeichnendes Mitglied zusammen', '**1.234 Wiedergaben** · **61 Std. 42 Min.** gehört', '1 Titel · 1 Künstler:in · 1 Album'],
      serverTop: `1. <@${OWNER_ID}> · 1.234 Wiedergaben`,
      statsTitle: '📊 Hörstatistik von Mia · Letzte 7 Tage',
      stats: ['**2 Wiedergaben** · **6 Min.** gehört', '2 Titel · 1 Künstler:in · 1 Album', '1. Song A — Band · 1 Wiedergabe', '1. Band · 2 Wiedergaben'],
      chartTitle: 'Mias Top-Titel · Letzte 7 Tage',
      chart: ['1. Song A — Band · 1 Wiedergabe', '2. Song B — Band · 1 Wiedergabe'],
      chartFooter: '3×3 · 2 von 9 belegt · aus dem gespeicherten Hörverlauf',
      serverChart: ['1 aufzeichnendes Mitglied zusammen', '1. Dua Lipa · 1.234 Wiedergaben'],
      serverChartTitle: /Top-Künstler:innen · Letzte 7 Tage$/,
      playing: '▶ Läuft gerade',
      line: '1.235. Wiedergabe · 1.235 Wiedergaben von Dua Lipa · 1 Zuhörer:in hier',
      button: 'In Spotify öffnen',
    },
    {
      locale: 'ja',
      serverTitle: ' · 過去7日間',
      serverSummary: ['記録中のメンバー1人の合計', '**1,234回の再生** · 再生時間 **61時間42分**', '1曲 · 1組のアーティスト · 1枚のアルバム'],
      serverTop: `1. <@${OWNER_ID}> · 1,234回の再生`,
      statsTitle: '📊 Mia さんの再生記録 · 過去7日間',
      stats: ['**2回の再生** · 再生時間 **6分**', '2曲 · 1組のアーティスト · 1枚のアルバム', '1. Song A — Band · 1回の再生', '1. Band · 2回の再生'],
      chartTitle: 'Miaのトップ曲 · 過去7日間',
      chart: ['1. Song A — Band · 1回の再生', '2. Song B — Band · 1回の再生'],
      chartFooter: '3×3 · 9枠中2枠 · 保存された再生履歴より',
      serverChart: ['記録中のメンバー1人の合計', '1. Dua Lipa · 1,234回の再生'],
      serverChartTitle: /のトップアーティスト · 過去7日間$/,
      playing: '▶ 再生中',
      line: '1,235回目の再生 · Dua Lipa を1,235回再生 · このサーバーで1人が再生',
      button: 'Spotify で開く',
    },
    {
      locale: 'pl',
      serverTitle: ' · Last 7 days',
      serverSummary: ['1 recorded member together', '**1,234 plays** · **61 h 42 min** listened', '1 track · 1 artist · 1 album'],
      serverTop: `1. <@${OWNER_ID}> · 1,234 plays`,
      statsTitle: "📊 Mia's listening · Last 7 days",
      stats: ['**2 plays** · **6 min** listened', '2 tracks · 1 artist · 1 album', '1. Song A — Band · 1 play', '1. Band · 2 plays'],
      chartTitle: "Mia's top tracks · Last 7 days",
      chart: ['1. Song A — Band · 1 play', '2. Song B — Band · 1 play'],
      chartFooter: '3×3 · 2 of 9 filled · from stored listening history',
      serverChart: ['1 recorded member together', '1. Dua Lipa · 1,234 plays'],
      serverChartTitle: /top artists · Last 7 days$/,
      playing: '▶ Now playing',
      line: '1,235th play · 1,235 plays of Dua Lipa · 1 listener here',
      button: 'Open in Spotify',
    },
  ] as const;

  type Embed = { title?: string; description?: string; footer?: { text?: string }; author?: { name?: string }; fields?: Array<{ name: string; value: string }> };
  const week = { name: 'period', type: 3, value: 'week' };

  it.each(VIEWS)('$locale: /serverstats, /stats, /chart period:, /serverchart and /nowplaying', async (v) => {
    const h = await start({ env: { HISTORY: 'on' }, tuning: { now: () => NOW } });
    const guildId = h.discord.guildIds[0]!;
    h.discord.addMember(guildId, { id: OWNER_ID, username: 'owner', globalName: 'Owner' });
    h.discord.addMember(guildId, ASKER);
    await h.app.history!.addPlays('owner', ownerPlays);
    await h.app.history!.addPlays(ASKER.id as never, askerPlays);
    const run = async (name: string, options: Array<Record<string, unknown>> = []) =>
      (await h.discord.slashCommand({ name, userId: ASKER.id, locale: v.locale, options: options as never }).finalMessage(20_000)) as Message & { embeds: Embed[] };

    // The owner is the only member recording here (the asker's plays are imported, not recorded for the server).
    const server = (await run('serverstats', [week])).embeds[0]!;
    expect(server.title).toMatch(new RegExp(`${v.serverTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect(server.description!.split('\n').slice(0, 3)).toEqual(v.serverSummary);
    expect(server.fields!.map((f) => f.value)).toContain(v.serverTop);

    const mine = (await run('stats', [week])).embeds[0]!;
    expect(mine.title).toBe(v.statsTitle);
    const text = `${mine.description}\n${mine.fields!.map((f) => f.value).join('\n')}`;
    for (const part of v.stats) expect(text).toContain(part);

    const chart = (await run('chart', [{ name: 'kind', type: 3, value: 'tracks' }, week])).embeds[0]!;
    expect(chart.title).toBe(v.chartTitle);
    expect(chart.description!.split('\n')).toEqual(v.chart);
    expect(chart.footer?.text).toBe(v.chartFooter);

    const serverChart = (await run('serverchart', [{ name: 'kind', type: 3, value: 'artists' }, week])).embeds[0]!;
    expect(serverChart.title).toMatch(v.serverChartTitle);
    expect(serverChart.description!.split('\n')).toEqual(v.serverChart);

    // The owner plays the track once more: the 1,235th play, as the history line counts it.
    h.spotify.setCurrentlyPlaying(playing(makeTrack({ name: 'Levitating', artistName: 'Dua Lipa', albumName: 'Future Nostalgia' })));
    const now = await run('nowplaying', [{ name: 'style', type: 3, value: 'text' }]);
    // "<the owner's name> · ▶ …" (the name as Discord gave it earlier in this process).
    expect(now.embeds[0]!.author?.name?.endsWith(` · ${v.playing}`), now.embeds[0]!.author?.name).toBe(true);
    expect(now.embeds[0]!.description!.split('\n')).toContain(v.line);
    expect(labels(now)).toEqual([v.button]);
  });
});
