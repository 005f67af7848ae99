// Members (#10) under SHARDS=2: real shard processes answer in two guilds; the manager stays the only Spotify client
// (links, lists, privacy, seats, unlink all go over the typed RPC). State in a real Redis, under a namespace of this
// test's own (the shard processes never open storage), listed with KEYS to prove unlink leaves nothing.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { DiscordEmulator, guildIdForShard, type MessagePayload } from '../emulators/discord.js';
import { emulatorEnv, validEnv } from '../emulators/env.js';
import { makeTrack, makeTracks, playing } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import type { App } from '../src/app.js';
import { startShardedBot, type ShardedBot } from '../src/sharding/manager.js';
import { openStorage, type Storage } from '../src/storage.js';
import { EPHEMERAL, embedText } from './support/bot-harness.js';
import { expectEnvRestoredAfterFile, setShardedEnv } from './support/env.js';
import { REDIS_URL, requireRedis } from './support/redis.js';
import { buildApp, captureShardOutput, NO_COVER_ORIGIN, startSpotifyEmulator } from './support/spotify-app.js';

const redis = await requireRedis();
expectEnvRestoredAfterFile();
const GUILDS = [guildIdForShard(0, 2), guildIdForShard(1, 2)] as const;
const OWNER_ID = '200000000000000001';
const ANA = { id: '310000000000000021', username: 'ana', globalName: 'Ana' };
const BEN = { id: '310000000000000022', username: 'ben', globalName: 'Ben' };
const CARL = { id: '310000000000000023', username: 'carl', globalName: 'Carl' };
const DORA = { id: '310000000000000024', username: 'dora', globalName: 'Dora' };
const NAMESPACE = `members-sharded-${process.pid}-${Date.now()}`;

type Row = { components?: Array<Record<string, unknown>> };
const buttonsOf = (message: { components?: Row[] } | undefined): Array<Record<string, unknown>> =>
  (message?.components ?? []).flatMap((row) => row.components ?? []);

/** Raw RESP: `KEYS <pattern>` in REDIS_URL's database (the test reads Redis itself, not through the bot's storage). */
function redisKeys(pattern: string): Promise<string[]> {
  const url = new URL(REDIS_URL);
  const db = /^\/(\d+)$/.exec(url.pathname)?.[1] ?? '0';
  const resp = (...args: string[]): string => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 6379) });
    let data = '';
    socket.setTimeout(2_000, () => reject(new Error('redis timeout')));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(resp('SELECT', db) + resp('KEYS', pattern)));
    socket.on('data', (chunk) => {
      data += chunk.toString();
      // "+OK" for SELECT, then the KEYS array.
      const lines = data.split('\r\n');
      if (lines.length < 2 || !lines[1]!.startsWith('*')) return;
      const count = Number(lines[1]!.slice(1));
      if (lines.length >= 2 + count * 2) {
        socket.destroy();
        resolve(Array.from({ length: count }, (_, i) => lines[3 + i * 2]!));
      }
    });
  });
}

let spotify: SpotifyEmulator;
let discord: DiscordEmulator;
let app: App;
let storage: Storage;
let sharded: ShardedBot;
let callbackPort = 0;

async function linkByPaste(member: { id: string }, spotifyId: string, guildId: string): Promise<MessagePayload> {
  const started = await discord.slashCommand({ name: 'spotify', subcommand: 'link', userId: member.id, guildId }).finalMessage(10_000);
  const [open, paste] = buttonsOf(started);
  if (!open?.url || !paste?.custom_id) return started;
  const modal = await discord.pressButton({ customId: String(paste.custom_id), message: { id: '1' }, userId: member.id, guildId }).response(10_000);
  const redirected = spotify.approve(String(open.url), { userId: spotifyId });
  return discord.submitModal({ customId: String(modal.data?.custom_id), fields: { redirected }, userId: member.id, guildId }).finalMessage(10_000);
}

function command(name: string, asker: { id: string }, guildId: string | null, user?: string) {
  return discord.slashCommand({ name, userId: asker.id, guildId, options: user ? [{ name: 'user', type: 6, value: user }] : [] });
}

describe.runIf(redis)('members under SHARDS=2', () => {
  let restoreEnv = (): void => undefined;
  // What the shard processes print (their warnings) is kept here, not let through to the test run's output.
  const shardOutput = captureShardOutput();
  beforeAll(async () => {
    spotify = await startSpotifyEmulator();
    spotify.setCurrentlyPlaying(playing(makeTrack()));
    for (const [id, name, allowListed] of [
      ['ana-sp', 'Ana S', true],
      ['ben-sp', 'Ben S', true],
      ['carl-sp', 'Carl S', true],
      ['dan-sp', 'Dan S', false],
    ] as const) {
      const user = spotify.addUser(id, { displayName: name, allowListed });
      user.setCurrentlyPlaying(playing(makeTrack({ name: `${name} Song` })));
      user.setTop('tracks', makeTracks(20).map((t, i) => ({ ...t, name: `${name} Top ${i + 1}` })));
    }
    discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, shardCount: 2, maxConcurrency: 2, guildIds: [...GUILDS] });
    for (const guildId of GUILDS) for (const m of [ANA, BEN, CARL, DORA]) discord.addMember(guildId, m);
    // Three seats: the owner and two members, so the third member is the one refused.
    const env = {
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: REDIS_URL,
      PRESENCE_CRON: 'off',
      LOG_LEVEL: 'warn',
      BOT_OWNER_ID: OWNER_ID,
      SPOTIFY_MAX_USERS: '3',
      // The callback server runs in the manager; the paste flow works as well.
      SPOTIFY_REDIRECT_URI: 'https://bot.example.test/callback',
      SPOTIFY_CALLBACK_LISTEN: '127.0.0.1:0',
      SPOTIFY_IMAGES_URL: NO_COVER_ORIGIN,
    };
    restoreEnv = setShardedEnv(validEnv(env));
    storage = await openStorage(REDIS_URL, { namespace: NAMESPACE });
    ({ app } = await buildApp(spotify, { env, storage }));
    callbackPort = (await app.callbackServer!.start()).port;
    sharded = await startShardedBot(app, { totalShards: 2, commands, spawnDelayMs: 0, shardOutput: shardOutput.sink });
    await sharded.ready;
  }, 60_000);

  afterAll(async () => {
    await sharded?.stop();
    restoreEnv();
    await app?.callbackServer?.stop();
    // Leave nothing behind in the shared Redis.
    for (const key of redis ? await redisKeys(`${NAMESPACE}:*`).catch(() => []) : []) await storage?.delete(key.replace(/^[^:]+::?/, ''));
    await storage?.close();
    await discord?.close();
    await spotify?.close();
  });

  it('members link through either shard; each sees their own, one views the other, both shards agree', async () => {
    expect(embedText(await linkByPaste(ANA, 'ana-sp', GUILDS[0]))).toContain('Ana S (ana-sp)');
    // Ben through the callback server: the link starts on shard 1, the browser lands on the manager.
    const started = await discord.slashCommand({ name: 'spotify', subcommand: 'link', userId: BEN.id, guildId: GUILDS[1] }).finalMessage(10_000);
    const redirected = new URL(spotify.approve(String(buttonsOf(started)[0]!.url), { userId: 'ben-sp' }));
    const page = await fetch(`http://127.0.0.1:${callbackPort}${redirected.pathname}${redirected.search}`);
    expect(page.status).toBe(200);
    // The browser's person confirms whose Discord account it is (a POST with the page's one-time token).
    const token = /name="token" value="([^"]+)"/.exec(await page.text())![1]!;
    const confirmed = await fetch(`http://127.0.0.1:${callbackPort}${redirected.pathname}`, {
      method: 'POST',
      body: new URLSearchParams({ token }),
      headers: { 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Ben S (ben-sp)');
    for (const guildId of GUILDS) {
      const ana = command('nowplaying', ANA, guildId);
      expect((await ana.finalMessage(10_000)).embeds?.[0]?.title).toBe('Ana S Song');
      const viewed = await command('toptracks', BEN, guildId, ANA.id).finalMessage(10_000);
      expect(embedText(viewed)).toContain('Ana S Top 1');
      expect(embedText(viewed)).toContain('Ana');
    }
    expect(command('nowplaying', ANA, GUILDS[1]).shard).toBe(1);
    expect((await command('nowplaying', CARL, GUILDS[1]).finalMessage(10_000)).embeds?.[0]?.title).toBe('Blinding Lights');
  }, 30_000);

  it('membership is asked by the shard holding the server: buttons for someone not there are refused; a member who left is pruned over the RPC', async () => {
    const stranger = '310000000000000099';
    const asked = discord.memberRequests.length;
    const press = (userId: string) =>
      discord.pressButton({ customId: `recent:20:2:${userId}`, message: { id: '1' }, userId: BEN.id, guildId: GUILDS[1] }).response(10_000);
    const refused = await press(stranger);
    expect(refused.data?.flags).toBe(EPHEMERAL);
    expect(embedText(refused.data)).toContain('a server you both share');
    expect(embedText((await press(DORA.id)).data)).toMatch(/Dora.*hasn't linked/);
    expect(discord.memberRequests.slice(asked).map((r) => [r.shard, r.request.guildId, r.answered])).toEqual([
      [1, GUILDS[1], true],
      [1, GUILDS[1], true],
    ]);

    // Ana leaves GUILDS[1] (no event): the next command naming her there finds her gone and prunes it in the manager.
    expect((await app.services.members.inGuild(GUILDS[1])).map((m) => m.userId)).toContain(ANA.id);
    expect(discord.removeMember(GUILDS[1], ANA.id)).toBe(false);
    expect((await command('toptracks', BEN, GUILDS[1], ANA.id).response(10_000)).data?.flags).toBe(EPHEMERAL);
    await expect.poll(async () => (await app.services.members.inGuild(GUILDS[1])).map((m) => m.userId)).not.toContain(ANA.id);
    // Back, for the tests after this one: using the bot there lists her there again.
    discord.addMember(GUILDS[1], ANA);
    await command('nowplaying', ANA, GUILDS[1]).finalMessage(10_000);
    await expect.poll(async () => (await app.services.members.inGuild(GUILDS[1])).map((m) => m.userId)).toContain(ANA.id);
  }, 30_000);

  it('the seat limit, the allow-list 403 and tampered buttons, answered on the shards', async () => {
    const full = await linkByPaste(CARL, 'carl-sp', GUILDS[1]);
    expect(embedText(full)).toMatch(/3 of 3 used/);
    expect(embedText(full)).toMatch(/Ask the bot owner/);
    await discord.slashCommand({ name: 'spotify', subcommand: 'unlink', userId: BEN.id, guildId: GUILDS[0] }).finalMessage(10_000);
    const refused = await linkByPaste(DORA, 'dan-sp', GUILDS[1]);
    expect(embedText(refused)).toContain('e-mail address of your Spotify account');
    expect(discord.directMessages.filter((d) => d.userId === OWNER_ID)).toHaveLength(1);
    for (const customId of ['top:tracks:short_term:20:2:1', `recent:20:9:${ANA.id}`]) {
      const press = discord.pressButton({ customId, message: { id: '1' }, userId: BEN.id, guildId: GUILDS[1] });
      const response = await press.response(10_000);
      expect(response.data?.flags, customId).toBe(EPHEMERAL);
    }
  }, 30_000);

  it('privacy "only me" refuses others on every shard with no Spotify call; a member\'s invalid_grant drops only them', async () => {
    await discord
      .slashCommand({ name: 'spotify', subcommand: 'privacy', userId: ANA.id, guildId: GUILDS[1], options: [{ name: 'visibility', type: 3, value: 'private' }] })
      .finalMessage(10_000);
    spotify.resetCounts();
    for (const guildId of GUILDS) {
      const refused = await command('nowplaying', CARL, guildId, ANA.id).response(10_000);
      expect(refused.data?.flags).toBe(EPHEMERAL);
      expect(embedText(refused.data)).toContain('keeps their listening private');
    }
    expect(spotify.count('api', { userId: 'ana-sp' })).toBe(0);

    expect(embedText(await linkByPaste(BEN, 'ben-sp', GUILDS[0]))).toContain('Spotify linked');
    spotify.revokeUserGrants('ben-sp');
    spotify.expireAccessTokens({ userId: 'ben-sp' });
    // Expired access token in the manager's cache too: the next call must refresh.
    await storage.delete(`spotify:access:user:${BEN.id}`);
    await app.tokens.invalidate(`user:${BEN.id}`, (await app.tokens.getAccessToken(`user:${BEN.id}`).catch(() => '')) || 'none');
    spotify.resetCounts();
    const dropped = await command('recent', BEN, GUILDS[1]).finalMessage(10_000);
    expect(embedText(dropped)).toMatch(/no longer accepts your link/);
    expect(spotify.count('refresh', { userId: 'ben-sp' })).toBe(1);
    await expect.poll(() => app.services.members.get(BEN.id)).toBeNull();
    expect((await command('nowplaying', ANA, GUILDS[0]).finalMessage(10_000)).embeds?.[0]?.title).toBe('Ana S Song');
  }, 30_000);

  it('unlink on a shard deletes every key of that member in Redis', async () => {
    expect((await redisKeys(`${NAMESPACE}:*${ANA.id}*`)).length).toBeGreaterThan(0);
    const done = await discord.slashCommand({ name: 'spotify', subcommand: 'unlink', userId: ANA.id, guildId: GUILDS[1] }).finalMessage(10_000);
    expect(embedText(done)).toMatch(/deleted everything/);
    expect(await redisKeys(`${NAMESPACE}:*${ANA.id}*`)).toEqual([]);
    expect(await redisKeys(`${NAMESPACE}:*${BEN.id}*`)).toEqual([]);
  }, 30_000);
});
