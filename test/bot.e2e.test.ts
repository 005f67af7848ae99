// The whole bot as users see it: real discord.js client ↔ loopback Discord gateway/REST, real Spotify module ↔
// loopback Spotify. Start → commands registered → replies → pages → presence → reconnects → errors.
import { describe, expect, it } from 'vitest';
import { ButtonStyle } from 'discord.js';
import { decodeTopPageId } from '../src/features/top/page-id.js';
import { adPlaying, makeArtists, makeEpisode, makeLocalTrack, makeTrack, makeTracks, playing } from '../emulators/spotify-fixtures.js';
import { TEST_REFRESH_TOKEN } from '../emulators/env.js';
import { embedText, EPHEMERAL, harnessPerTest, OWNER_ID, presenceShows, type Harness } from './support/bot-harness.js';
import { secretsIn } from './support/spotify-app.js';

const start = harnessPerTest();

function buttons(message: { components?: Array<{ components?: Array<Record<string, unknown>> }> }): Array<Record<string, unknown>> {
  return (message.components ?? []).flatMap((row) => row.components ?? []);
}

describe('start-up', () => {
  it('registers the commands globally, and a restart writes nothing', async () => {
    const h = await start();
    const registered = h.discord.commands() as Array<{ name: string; integration_types: number[]; contexts: number[] }>;
    const { commands: all } = await import('../commands/index.js');
    expect(registered.map((c) => c.name).sort()).toEqual(all.map((c) => c.data.name).sort());
    // Server-only commands (they read that server's members or settings): guild install, guild context.
    const serverOnly = new Set(['listening', 'announce', 'serverstats', 'whoknows']);
    for (const command of registered) {
      expect(command.integration_types).toEqual(serverOnly.has(command.name) ? [0] : [0, 1]);
      expect(command.contexts).toEqual(serverOnly.has(command.name) ? [0] : [0, 1, 2]);
    }
    const writes = (): number => h.discord.restLog.filter((r) => r.method === 'PUT' && r.path.includes('/commands')).length;
    expect(writes()).toBe(1);

    await h.bot.stop();
    const { startAppBot } = await import('../src/bot.js');
    const { commands } = await import('../commands/index.js');
    h.bot = await startAppBot(h.app, { commands });
    await h.bot.ready;
    expect(writes()).toBe(1);
    expect(h.discord.restLog.filter((r) => r.method === 'GET' && r.path.endsWith('/commands')).length).toBe(2);
  });

  it('registers in the guild when DISCORD_GUILD_ID is set', async () => {
    const h = await start({ discord: { guildIds: ['300000000000000001'] }, env: { DISCORD_GUILD_ID: '300000000000000001' } });
    const { commands: all } = await import('../commands/index.js');
    expect((h.discord.commands('300000000000000001') as unknown[]).length).toBe(all.length);
    expect(h.discord.commands()).toEqual([]);
  });
});

describe('/nowplaying', () => {
  it('shows the track, every artist, album, art, progress and an Open in Spotify button', async () => {
    const h = await start();
    const track = makeTrack({ duration_ms: 200_000 });
    h.spotify.setCurrentlyPlaying(playing(track, { progressMs: 65_000 }));
    // The text style: the art as the embed's thumbnail (the card is test/card.e2e.test.ts's).
    const interaction = h.discord.slashCommand({ name: 'nowplaying', options: [{ name: 'style', type: 3, value: 'text' }] });
    const response = await interaction.response();
    expect(response.type).toBe(4); // answered directly: the data was at hand
    const message = response.data!;
    const text = embedText(message);
    expect(message.embeds?.[0]?.title).toContain(track.name);
    expect(message.embeds?.[0]?.url).toBe(track.external_urls?.spotify);
    for (const artist of track.artists) expect(text).toContain(artist.name);
    expect(text).toContain(track.album.name);
    expect(message.embeds?.[0]?.thumbnail?.url ?? message.embeds?.[0]?.image?.url).toBe(track.album.images.find((i) => i.width === 300)?.url);
    expect(text).toMatch(/1:0\d .*3:20/);
    const [button] = buttons(message);
    expect(button).toMatchObject({ style: ButtonStyle.Link, label: 'Open in Spotify', url: track.external_urls?.spotify });
    expect(message.flags ?? 0).toBe(0);
  });

  it('works for the owner outside a server (user install, DM): no guild, no member', async () => {
    const h = await start();
    const interaction = h.discord.slashCommand({ name: 'nowplaying', guildId: null, userId: OWNER_ID });
    expect(interaction.payload.guild_id).toBeUndefined();
    const message = await interaction.finalMessage();
    expect(message.embeds?.[0]?.title).toBeTruthy();
  });

  it('says clearly when playback is paused', async () => {
    const h = await start();
    h.spotify.setCurrentlyPlaying(playing(makeTrack(), { isPlaying: false }));
    const message = await h.discord.slashCommand({ name: 'nowplaying' }).finalMessage();
    expect(embedText(message)).toMatch(/Paused/);
  });

  it.each([
    ['nothing playing (204)', () => null, /Nothing is playing right now/],
    ['an ad', () => adPlaying(), /An ad is playing/],
    ['an episode', () => playing(makeEpisode({ name: 'Episode 12: Tokens', showName: 'The Bot Show' })), /Episode 12: Tokens.*The Bot Show/],
    ['a local file', () => playing(makeLocalTrack({ title: 'Garage Demo', artist: 'Me' })), /Garage Demo.*Local file/i],
  ])('%s gets a clear, friendly answer', async (_label, body, expected) => {
    const h = await start();
    h.spotify.setCurrentlyPlaying(body());
    const message = await h.discord.slashCommand({ name: 'nowplaying' }).finalMessage();
    expect(embedText(message)).toMatch(expected);
  });

  it('a local file has no links and no button', async () => {
    const h = await start();
    h.spotify.setCurrentlyPlaying(playing(makeLocalTrack({ title: 'Garage Demo' })));
    const message = await h.discord.slashCommand({ name: 'nowplaying' }).finalMessage();
    expect(embedText(message)).not.toContain('open.spotify.com');
    expect(buttons(message)).toEqual([]);
  });

  it('defers when Spotify is slow, then edits the answer in', async () => {
    const h = await start({ tuning: { deferAfterMs: 100, spotifyTimeoutMs: 2_000 } });
    h.spotify.latencyMs = 400;
    const interaction = h.discord.slashCommand({ name: 'nowplaying' });
    const response = await interaction.response();
    expect(response.type).toBe(5);
    expect(response.at - interaction.dispatchedAt).toBeLessThan(3_000);
    const message = await interaction.finalMessage();
    expect(message.embeds?.[0]?.title).toBeTruthy();
  });

  it('one Spotify request serves a burst of commands within the freshness window', async () => {
    const h = await start();
    await h.discord.slashCommand({ name: 'nowplaying' }).finalMessage();
    const before = h.spotify.count('currently-playing');
    await Promise.all(Array.from({ length: 5 }, () => h.discord.slashCommand({ name: 'nowplaying' }).finalMessage()));
    expect(h.spotify.count('currently-playing')).toBe(before);
  });
});

describe('/toptracks and /topartists', () => {
  it('lists the top tracks (default: last 4 weeks, 10) with links', async () => {
    const h = await start();
    const tracks = makeTracks(50);
    h.spotify.setTop('tracks', tracks);
    const message = await h.discord.slashCommand({ name: 'toptracks' }).finalMessage();
    const embed = message.embeds![0]!;
    expect(embed.title).toMatch(/Top tracks · Last 4 weeks/);
    expect(embed.description).toContain(`1. [${tracks[0]!.name}](`);
    expect(embed.description).toContain(`10. [`);
    expect(embed.description).not.toContain('11. ');
    expect(buttons(message)).toEqual([]); // 10 items: one page
    expect(h.spotify.requests.find((r) => r.route === 'top')?.query.time_range).toBe('short_term');
  });

  it('pages of 10 with Previous/Next that update the message in place, also after a restart', async () => {
    const h = await start();
    h.spotify.setTop('artists', makeArtists(50), 'long_term');
    const first = await h.discord
      .slashCommand({ name: 'topartists', options: [{ name: 'range', type: 3, value: 'long_term' }, { name: 'limit', type: 4, value: 25 }] })
      .finalMessage();
    expect(first.embeds![0]!.title).toMatch(/Top artists · Last year/);
    expect(first.embeds![0]!.footer?.text).toMatch(/Page 1\/3/);
    const next = buttons(first).find((b) => String(b.label).includes('Next'))!;
    expect(decodeTopPageId(String(next.custom_id))).toEqual({ kind: 'artists', range: 'long_term', limit: 25, page: 2 });

    // Restart the bot: the button still works because its id carries the state.
    await h.bot.stop();
    const { startAppBot } = await import('../src/bot.js');
    const { commands } = await import('../commands/index.js');
    h.bot = await startAppBot(h.app, { commands });
    await h.bot.ready;

    const press = h.discord.pressButton({ customId: String(next.custom_id), message: { id: '1', ...first } });
    const response = await press.response();
    expect(response.type).toBe(7);
    expect(response.data?.embeds?.[0]?.footer?.text).toMatch(/Page 2\/3/);
    expect(response.data?.embeds?.[0]?.description).toContain('11. ');
    const last = h.discord.pressButton({
      customId: String(buttons(response.data!).find((b) => String(b.label).includes('Next'))!.custom_id),
      message: { id: '1' },
    });
    const lastPage = (await last.response()).data!;
    expect(lastPage.embeds?.[0]?.description).toContain('25. ');
    expect(lastPage.embeds?.[0]?.description).not.toContain('26. ');
    expect(buttons(lastPage).find((b) => String(b.label).includes('Next'))?.disabled).toBe(true);
    expect(h.spotify.count('top')).toBe(1); // pages come from the cached list
  });

  it('a tampered button id gets an ephemeral refusal, not a crash', async () => {
    const h = await start();
    const response = await h.discord.pressButton({ customId: 'top:tracks:forever:99:9', message: { id: '1' } }).response();
    expect(response.type).toBe(4);
    expect(response.data?.flags).toBe(EPHEMERAL);
  });
});

describe('errors become friendly replies; the bot stays up', () => {
  it('dead Spotify authorization → re-authorize hint, ephemeral; details only in the log', async () => {
    const h = await start();
    h.spotify.revokeRefreshToken(TEST_REFRESH_TOKEN);
    const message = (await h.discord.slashCommand({ name: 'nowplaying' }).response()).data!;
    expect(message.flags).toBe(EPHEMERAL);
    expect(embedText(message) + (message.content ?? '')).toMatch(/re-authorize.*npm run authorize/);
    expect(embedText(message)).not.toMatch(/invalid_grant/);
    expect(h.logs.lines.some((l) => l.includes('invalid_grant'))).toBe(true);
  });

  it('rate limited → "try again in N s"', async () => {
    const h = await start();
    h.spotify.fail('top', { status: 429, headers: { 'retry-after': '42' } });
    const message = (await h.discord.slashCommand({ name: 'toptracks' }).response()).data!;
    expect(embedText(message) + (message.content ?? '')).toMatch(/try again in 42 s/);
  });

  it("Spotify down → Spotify isn't answering", async () => {
    const h = await start();
    h.spotify.fail('currently-playing', { status: 503 }, 10);
    const message = (await h.discord.slashCommand({ name: 'nowplaying' }).response()).data!;
    expect(embedText(message) + (message.content ?? '')).toMatch(/Spotify isn't answering/);
    // and it still works once Spotify is back
    h.spotify.clearFaults();
    const again = await h.discord.slashCommand({ name: 'nowplaying' }).finalMessage();
    expect(again.embeds?.[0]?.title).toBeTruthy();
  });

  it('an unknown command gets an ephemeral error reply and a log line', async () => {
    const h = await start();
    const response = await h.discord.slashCommand({ name: 'dance' }).response();
    expect(response.type).toBe(4);
    expect(response.data?.flags).toBe(EPHEMERAL);
    expect(h.logs.lines.some((l) => l.includes('unknown command /dance'))).toBe(true);
  });

  it('never logs a secret', async () => {
    const h = await start();
    await h.discord.slashCommand({ name: 'nowplaying' }).finalMessage();
    h.spotify.revokeRefreshToken(TEST_REFRESH_TOKEN);
    h.spotify.expireAccessTokens();
    await h.discord.slashCommand({ name: 'toptracks' }).response();
    expect(secretsIn(h.logs.lines, [h.discord.token, TEST_REFRESH_TOKEN])).toEqual([]);
  });
});

// Every tick reads Spotify afresh here (freshness window 0), so each tick sees the emulator's current state.
const EVERY_TICK_READS = { tuning: { listeningFreshnessMs: 0 } };

describe('presence', () => {
  it('shows "Listening to <title>" with the artist, sends op 3 only on change, clears on pause and idle', async () => {
    const h = await start(EVERY_TICK_READS);
    const track = makeTrack();
    h.spotify.setCurrentlyPlaying(playing(track));
    await h.bot.presence.tick();
    await presenceShows(h, [
      expect.objectContaining({ type: 2, name: track.name, state: track.artists.map((a) => a.name).join(', ') }),
    ]);
    const sent = (): number => h.discord.presenceUpdates.length;
    const afterFirst = sent();

    for (let i = 0; i < 3; i++) await h.bot.presence.tick();
    expect(h.spotify.count('currently-playing')).toBeGreaterThanOrEqual(4);
    expect(h.bot.presence.updatesSent).toBe(1); // same track: nothing sent

    h.spotify.setCurrentlyPlaying(playing(track, { isPlaying: false }));
    await h.bot.presence.tick();
    await presenceShows(h, []);

    h.spotify.setCurrentlyPlaying(playing(makeEpisode({ name: 'Ep 1', showName: 'Show' })));
    await h.bot.presence.tick();
    await presenceShows(h, [expect.objectContaining({ name: 'Ep 1', state: 'Show', type: 2 })]);

    h.spotify.setCurrentlyPlaying(null);
    await h.bot.presence.tick();
    await presenceShows(h, []);
    expect(sent()).toBe(afterFirst + 3);
    expect(h.bot.presence.updatesSent).toBe(4);
  });

  it('a failing tick logs once per distinct error and leaves the presence alone', async () => {
    const h = await start(EVERY_TICK_READS);
    await h.bot.presence.tick();
    const shown = await presenceShows(h, [expect.objectContaining({ type: 2 })]);
    h.spotify.fail('currently-playing', { status: 503 }, 100);
    for (let i = 0; i < 3; i++) await h.bot.presence.tick();
    expect(h.bot.presence.updatesSent).toBe(1);
    await h.discord.gatewayBarrier();
    expect(h.discord.currentPresence()?.activities).toEqual(shown);
    expect(h.logs.lines.filter((l) => l.includes('presence update skipped')).length).toBe(1);
  });

  it('runs on its cron schedule', async () => {
    const h = await start({ env: { PRESENCE_CRON: '* * * * * *' } });
    const update = await h.discord.waitFor<{ payload: { activities: Array<{ name: string }> } }>(
      'presence',
      (p) => p.payload.activities.length > 0,
      5_000,
    );
    expect(update.payload.activities[0]?.name).toBeTruthy();
  });

  it('after a RECONNECT the session resumes; after a new session the presence is sent again', async () => {
    const h = await start();
    await h.bot.presence.tick();
    const shown = await presenceShows(h, [expect.objectContaining({ type: 2 })]);

    h.discord.sendReconnect();
    await h.discord.waitFor('resume');
    const stillOk = await h.discord.slashCommand({ name: 'nowplaying' }).finalMessage();
    expect(stillOk.embeds?.[0]?.title).toBeTruthy();

    h.discord.invalidateSession(false);
    await h.discord.waitFor('identify', undefined, 10_000);
    await presenceShows(h, shown, 10_000);
  });
});

