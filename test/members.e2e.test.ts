// Members link their own Spotify (#10), through the real bot against both emulators: the paste flow and the callback
// server, each member's own /nowplaying and lists, one viewing another's, privacy "only me", unlink leaving no key in
// the SQLite file, the seat limit (default 5, the owner's included, checked again at the end), the dashboard
// allow-list 403, a member's invalid_grant affecting only them, expiry reminders, one refresh per member for
// concurrent callers, tampered page ids, and a member's burst not starving the owner (budget, app-wide 429).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessagePayload } from '../emulators/discord.js';
import { makePlayHistory, makeTrack, makeTracks, playing } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import { deadNoticeKey, expiryNoticeKey } from '../src/features/account/grant-health.js';
import { decodeTopPageId } from '../src/features/top/page-id.js';
import { MEMBERSHIP_TTL_MS } from '../src/listeners/membership.js';
import { embedText, EPHEMERAL, harnessPerTest, OWNER_ID, type Harness } from './support/bot-harness.js';
import { secretsIn } from './support/spotify-app.js';

const DAY = 24 * 60 * 60 * 1000;
const ANA = { id: '300000000000000011', username: 'ana', globalName: 'Ana' };
const BEN = { id: '300000000000000012', username: 'ben', globalName: 'Ben' };
const CARL = { id: '300000000000000013', username: 'carl', globalName: 'Carl' };
const DORA = { id: '300000000000000014', username: 'dora', globalName: 'Dora' };
const EVE = { id: '300000000000000015', username: 'eve', globalName: 'Eve' };
const FINN = { id: '300000000000000016', username: 'finn', globalName: 'Finn' };
const MEMBERS = [ANA, BEN, CARL, DORA, EVE, FINN];

const start = harnessPerTest();
const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Row = { components?: Array<Record<string, unknown>> };
const buttonsOf = (message: { components?: Row[] } | undefined): Array<Record<string, unknown>> =>
  (message?.components ?? []).flatMap((row) => row.components ?? []);

/** A Spotify user of the app, with their own song, top list and history. */
function spotifyUser(spotify: SpotifyEmulator, id: string, name: string, opts: { allowListed?: boolean } = {}): void {
  const user = spotify.addUser(id, { displayName: name, allowListed: opts.allowListed ?? true });
  user.setCurrentlyPlaying(playing(makeTrack({ name: `${name} Song` })));
  user.setTop('tracks', makeTracks(30).map((t, i) => ({ ...t, name: `${name} Top ${i + 1}` })));
  user.setRecentlyPlayed(makePlayHistory([makeTrack({ name: `${name} Earlier` })], { endAt: Date.now() - 60_000 }));
}

async function withMembers(options: Parameters<typeof start>[0] = {}): Promise<Harness> {
  const h = await start(options);
  const guildId = h.discord.guildIds[0]!;
  for (const m of MEMBERS) h.discord.addMember(guildId, m);
  h.discord.addMember(guildId, { id: OWNER_ID, username: 'owner', globalName: 'Olga' });
  return h;
}

/** /spotify link → Open + Paste buttons; the member approves as `spotifyId`; the modal gets the redirected URL. */
async function linkByPaste(h: Harness, member: { id: string }, spotifyId: string): Promise<MessagePayload> {
  const started = await h.discord.slashCommand({ name: 'spotify', subcommand: 'link', userId: member.id }).finalMessage();
  expect(started.flags).toBe(EPHEMERAL);
  const [open, paste] = buttonsOf(started);
  if (!open?.url || !paste?.custom_id) return started; // refused: no buttons
  const modal = await h.discord.pressButton({ customId: String(paste.custom_id), message: { id: '1' }, userId: member.id }).response();
  expect(modal.type).toBe(9);
  const redirected = h.spotify.approve(String(open.url), { userId: spotifyId });
  return h.discord
    .submitModal({ customId: String(modal.data?.custom_id), fields: { redirected }, userId: member.id })
    .finalMessage();
}

function command(h: Harness, name: string, asker: { id: string }, opts: { user?: string; guildId?: string | null; options?: Array<{ name: string; type: number; value: string | number }> } = {}) {
  return h.discord.slashCommand({
    name,
    userId: asker.id,
    ...(opts.guildId !== undefined ? { guildId: opts.guildId } : {}),
    options: [...(opts.options ?? []), ...(opts.user ? [{ name: 'user', type: 6, value: opts.user }] : [])],
  });
}

const authorOf = (message: MessagePayload): string => String((message.embeds?.[0] as { author?: { name?: string } } | undefined)?.author?.name ?? '');

/** Every key in the SQLite file (read with its own connection, not through the bot's storage). */
async function sqliteKeys(file: string): Promise<string[]> {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT key FROM keyv').all() as Array<{ key: string }>).map((r) => r.key);
  } finally {
    db.close();
  }
}

describe('linking (paste flow) and using it', () => {
  it('two members link, each sees their own listening and lists, one views the other, every reply names whose', async () => {
    const h = await withMembers();
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    spotifyUser(h.spotify, 'ben-sp', 'Ben S');

    const linked = await linkByPaste(h, ANA, 'ana-sp');
    expect(linked.flags).toBe(EPHEMERAL);
    expect(embedText(linked)).toContain('Spotify linked');
    expect(embedText(linked)).toContain('Ana S (ana-sp)'); // whose Spotify account: /me display name and id
    expect(embedText(await linkByPaste(h, BEN, 'ben-sp'))).toContain('Ben S (ben-sp)');

    const anaNow = await command(h, 'nowplaying', ANA).finalMessage();
    expect(anaNow.embeds?.[0]?.title).toBe('Ana S Song');
    expect(authorOf(anaNow)).toMatch(/^Ana · /);
    const benNow = await command(h, 'nowplaying', BEN).finalMessage();
    expect(benNow.embeds?.[0]?.title).toBe('Ben S Song');

    const anaTop = await command(h, 'toptracks', ANA).finalMessage();
    expect(embedText(anaTop)).toContain('Ana S Top 1');
    expect(authorOf(anaTop)).toContain('Ana');
    const anaRecent = await command(h, 'recent', ANA).finalMessage();
    expect(embedText(anaRecent)).toContain('Ana S Earlier');
    expect(authorOf(anaRecent)).toContain('Ana');

    // Ben views Ana's: with `user`, that member's, named.
    const viewed = await command(h, 'nowplaying', BEN, { user: ANA.id }).finalMessage();
    expect(viewed.embeds?.[0]?.title).toBe('Ana S Song');
    expect(authorOf(viewed)).toMatch(/^Ana · /);
    expect(embedText(await command(h, 'topartists', BEN, { user: ANA.id }).finalMessage())).toContain('Ana');

    // Carl hasn't linked: plain /nowplaying is the owner's, as before, and says so; `user:` Carl is explained.
    const carlNow = await command(h, 'nowplaying', CARL).finalMessage();
    expect(carlNow.embeds?.[0]?.title).toBe('Blinding Lights');
    expect(authorOf(carlNow)).toMatch(/^Olga · /);
    const notLinked = await command(h, 'toptracks', ANA, { user: CARL.id }).response();
    expect(notLinked.data?.flags).toBe(EPHEMERAL);
    expect(embedText(notLinked.data)).toMatch(/Carl.*hasn't linked.*\/spotify link/);
    // Tokens never show up in a log line.
    const grants = await Promise.all(['user:' + ANA.id, 'user:' + BEN.id].map((a) => h.app.tokens.currentGrant(a)));
    expect(secretsIn(h.logs.lines, grants.map((g) => g!.refreshToken))).toEqual([]);
  });

  it('someone else\'s listening only in a server shared with them: refused in DMs and for a non-member, no Spotify call', async () => {
    const h = await withMembers();
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    await linkByPaste(h, ANA, 'ana-sp');
    h.spotify.resetCounts();
    const inDm = await command(h, 'recent', BEN, { user: ANA.id, guildId: null }).response();
    expect(inDm.data?.flags).toBe(EPHEMERAL);
    expect(embedText(inDm.data)).toMatch(/server you both share/);
    // In DMs Ana sees her own.
    expect((await command(h, 'nowplaying', ANA, { guildId: null }).finalMessage()).embeds?.[0]?.title).toBe('Ana S Song');
    // A user who isn't a member of this server: Discord resolves no member for them.
    // They did link (so only the shared-server rule can refuse them).
    h.discord.addUser({ id: '300000000000000099', username: 'stranger' });
    spotifyUser(h.spotify, 'stranger-sp', 'Stranger S');
    expect(embedText(await linkByPaste(h, { id: '300000000000000099' }, 'stranger-sp'))).toContain('Spotify linked');
    expect(await h.app.services.members.get('300000000000000099')).toMatchObject({ spotifyId: 'stranger-sp' });
    h.spotify.resetCounts();
    const stranger = await command(h, 'toptracks', BEN, { user: '300000000000000099' }).response();
    expect(stranger.data?.flags).toBe(EPHEMERAL);
    expect(embedText(stranger.data)).toMatch(/only be shown in a server you both share/);
    expect(embedText(stranger.data)).not.toContain('Stranger S');
    expect(h.spotify.count('api')).toBe(0);
  });
});

describe('privacy and deletion', () => {
  it('"only me" refuses others without asking Spotify; the member still sees their own', async () => {
    const h = await withMembers();
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    await linkByPaste(h, ANA, 'ana-sp');
    const saved = await h.discord
      .slashCommand({ name: 'spotify', subcommand: 'privacy', userId: ANA.id, options: [{ name: 'visibility', type: 3, value: 'private' }] })
      .finalMessage();
    expect(saved.flags).toBe(EPHEMERAL);
    expect(embedText(saved)).toContain('Only me');
    h.spotify.resetCounts();
    for (const name of ['nowplaying', 'toptracks', 'topartists', 'recent']) {
      const refused = await command(h, name, BEN, { user: ANA.id }).response();
      expect(refused.data?.flags, name).toBe(EPHEMERAL);
      expect(embedText(refused.data), name).toContain('Ana** keeps their listening private');
    }
    expect(h.spotify.count('api', { userId: 'ana-sp' })).toBe(0);
    expect((await command(h, 'nowplaying', ANA).finalMessage()).embeds?.[0]?.title).toBe('Ana S Song');
    // Back to visible.
    await h.discord
      .slashCommand({ name: 'spotify', subcommand: 'privacy', userId: ANA.id, options: [{ name: 'visibility', type: 3, value: 'server' }] })
      .finalMessage();
    expect((await command(h, 'nowplaying', BEN, { user: ANA.id }).finalMessage()).embeds?.[0]?.title).toBe('Ana S Song');
  });

  it('/spotify unlink deletes everything for that member at once: the SQLite file holds no key with their id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npb-members-'));
    tempDirs.push(dir);
    const file = join(dir, 'bot.sqlite');
    const h = await withMembers({ env: { STORAGE_URL: `sqlite://${file}` } });
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    spotifyUser(h.spotify, 'ben-sp', 'Ben S');
    await linkByPaste(h, ANA, 'ana-sp');
    await linkByPaste(h, BEN, 'ben-sp');
    // Give her something of everything: cached lists, a privacy setting, a seen guild, a pending re-link.
    await command(h, 'toptracks', ANA).finalMessage();
    await command(h, 'topartists', ANA, { options: [{ name: 'range', type: 3, value: 'long_term' }] }).finalMessage();
    await h.discord
      .slashCommand({ name: 'spotify', subcommand: 'privacy', userId: ANA.id, options: [{ name: 'visibility', type: 3, value: 'private' }] })
      .finalMessage();
    await h.discord.slashCommand({ name: 'spotify', subcommand: 'link', userId: ANA.id }).finalMessage();
    const before = await sqliteKeys(file);
    expect(before.filter((k) => k.includes(ANA.id)).length).toBeGreaterThanOrEqual(5);

    const done = await h.discord.slashCommand({ name: 'spotify', subcommand: 'unlink', userId: ANA.id }).finalMessage();
    expect(done.flags).toBe(EPHEMERAL);
    expect(embedText(done)).toMatch(/deleted everything/);
    expect(embedText(done)).toMatch(/Remove access/); // and how to remove the app's access on Spotify's side
    const after = await sqliteKeys(file);
    expect(after.filter((k) => k.includes(ANA.id))).toEqual([]);
    expect(after.filter((k) => k.includes('login:state:'))).toEqual([]);
    expect(after.filter((k) => k.includes(BEN.id)).length).toBeGreaterThan(0); // Ben is untouched
    expect(await h.app.storage.get<string[]>('members:index')).toEqual([BEN.id]);
    // Her next /nowplaying is the owner's again.
    expect((await command(h, 'nowplaying', ANA).finalMessage()).embeds?.[0]?.title).toBe('Blinding Lights');
  });

  it("/spotify unlink also erases the grant-health markers (keyed by token, not id) of every grant she had, earlier ones too", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npb-members-'));
    tempDirs.push(dir);
    const file = join(dir, 'bot.sqlite');
    let now = Date.now();
    const h = await withMembers({ env: { STORAGE_URL: `sqlite://${file}` }, tuning: { now: () => now } });
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    spotifyUser(h.spotify, 'ben-sp', 'Ben S');
    await linkByPaste(h, BEN, 'ben-sp');
    const dmsTo = (userId: string): number => h.discord.directMessages.filter((d) => d.userId === userId).length;
    /** Jump to 13 days before this grant's 6-month expiry; the member's next command sends the reminder DM. */
    const remind = async (member: { id: string }): Promise<string> => {
      const { refreshToken, grantedAt } = (await h.app.tokens.currentGrant(`user:${member.id}`))!;
      const expiry = new Date(grantedAt!);
      expiry.setUTCMonth(expiry.getUTCMonth() + 6);
      now = expiry.getTime() - 13 * DAY;
      const sent = dmsTo(member.id);
      await command(h, 'recent', member).finalMessage();
      await expect.poll(() => dmsTo(member.id)).toBe(sent + 1);
      await expect.poll(() => h.app.storage.get(expiryNoticeKey(refreshToken))).toBe(true);
      return refreshToken;
    };

    // Ana links, is reminded, links again (a new grant) and is reminded again: one marker per grant.
    await linkByPaste(h, ANA, 'ana-sp');
    const earlier = await remind(ANA);
    const benMarker = expiryNoticeKey(await remind(BEN));
    expect(embedText(await linkByPaste(h, ANA, 'ana-sp'))).toContain('Spotify linked');
    const current = await remind(ANA);
    expect(current).not.toBe(earlier);
    // And a dead-grant marker for her current grant, as grant health leaves when a watched grant dies.
    await h.app.storage.set(deadNoticeKey(current), true);
    const markers = [expiryNoticeKey(earlier), expiryNoticeKey(current), deadNoticeKey(current)];
    const before = await sqliteKeys(file);
    for (const marker of markers) expect(before.filter((k) => k.endsWith(marker)), marker).toHaveLength(1);

    await h.discord.slashCommand({ name: 'spotify', subcommand: 'unlink', userId: ANA.id }).finalMessage();
    const after = await sqliteKeys(file);
    expect(after.filter((k) => k.includes(ANA.id))).toEqual([]);
    expect(after.filter((k) => markers.some((marker) => k.endsWith(marker)))).toEqual([]);
    expect(after.filter((k) => k.endsWith(benMarker))).toHaveLength(1); // Ben's reminder is still remembered
  });
});

describe('seats', () => {
  it('SPOTIFY_MAX_USERS (default 5, the owner counted): the 6th is refused with why and whom to ask; the owner sees the seats', async () => {
    const h = await withMembers();
    const first = [ANA, BEN, CARL];
    for (const [i, m] of first.entries()) {
      spotifyUser(h.spotify, `sp-${i}`, `${m.globalName} S`);
      expect(embedText(await linkByPaste(h, m, `sp-${i}`))).toContain('Spotify linked');
    }
    // One seat left; Dora and Eve both start linking, Dora finishes first: Eve is refused at the end.
    spotifyUser(h.spotify, 'sp-dora', 'Dora S');
    spotifyUser(h.spotify, 'sp-eve', 'Eve S');
    const dora = await h.discord.slashCommand({ name: 'spotify', subcommand: 'link', userId: DORA.id }).finalMessage();
    const eve = await h.discord.slashCommand({ name: 'spotify', subcommand: 'link', userId: EVE.id }).finalMessage();
    const finish = async (m: { id: string }, started: MessagePayload, spotifyId: string) => {
      const [open, paste] = buttonsOf(started);
      const modal = await h.discord.pressButton({ customId: String(paste!.custom_id), message: { id: '1' }, userId: m.id }).response();
      return h.discord
        .submitModal({ customId: String(modal.data?.custom_id), fields: { redirected: h.spotify.approve(String(open!.url), { userId: spotifyId }) }, userId: m.id })
        .finalMessage();
    };
    expect(embedText(await finish(DORA, dora, 'sp-dora'))).toContain('Spotify linked');
    const late = await finish(EVE, eve, 'sp-eve');
    expect(embedText(late)).toMatch(/Every Spotify seat of this bot is taken \(5, the owner's included\)/);
    expect(h.spotify.count('authorization_code', { userId: 'sp-eve' })).toBe(0);

    // The 6th asking now is refused at once: why (Spotify's development-mode limit) and whom to ask.
    const sixth = await h.discord.slashCommand({ name: 'spotify', subcommand: 'link', userId: FINN.id }).finalMessage();
    expect(sixth.flags).toBe(EPHEMERAL);
    const text = embedText(sixth);
    expect(text).toContain('5 of 5 used');
    expect(text).toMatch(/development mode/);
    expect(text).toMatch(/Ask the bot owner/);
    expect(buttonsOf(sixth)).toEqual([]);

    const status = await h.discord.slashCommand({ name: 'spotify', subcommand: 'status', userId: OWNER_ID }).finalMessage();
    expect(embedText(status)).toContain('5 of 5 used (you + 4 members)');
    expect(embedText(status)).toContain(`<@${DORA.id}>`);
    // A member unlinking frees a seat.
    await h.discord.slashCommand({ name: 'spotify', subcommand: 'unlink', userId: BEN.id }).finalMessage();
    expect(embedText(await linkByPaste(h, EVE, 'sp-eve'))).toContain('Spotify linked');
  });

  it('not on the dashboard allow-list: nothing kept, the member told exactly what to add, the owner told once', async () => {
    const h = await withMembers();
    spotifyUser(h.spotify, 'dan-sp', 'Dan S', { allowListed: false });
    const refused = await linkByPaste(h, DORA, 'dan-sp');
    expect(refused.flags).toBe(EPHEMERAL);
    const text = embedText(refused);
    expect(text).toContain('User not registered in the Developer Dashboard');
    expect(text).toContain('e-mail address of your Spotify account');
    expect(text).toContain('User Management');
    expect(h.spotify.count('authorization_code', { userId: 'dan-sp' })).toBe(1); // the exchange itself worked
    // The owner's DM is sent before the member's answer.
    const ownerDms = h.discord.directMessages.filter((d) => d.userId === OWNER_ID);
    expect(ownerDms).toHaveLength(1);
    expect(ownerDms[0]!.body.content).toMatch(/User Management/);
    expect(await h.app.services.members.get(DORA.id)).toBeNull();
    expect(await h.app.tokens.currentGrant(`user:${DORA.id}`)).toBeNull();
    expect((await h.app.services.members.seats()).used).toBe(1);
    // Trying again: the same explanation, no second DM to the owner.
    expect(embedText(await linkByPaste(h, DORA, 'dan-sp'))).toContain('User Management');
    expect(h.discord.directMessages.filter((d) => d.userId === OWNER_ID)).toHaveLength(1);
  });
});

describe('the callback server (SPOTIFY_REDIRECT_URI=https://…)', () => {
  it('approve → confirm page → confirm → success page → linked, no paste; an unknown or used state gets a clear page and changes nothing', async () => {
    const h = await withMembers({
      env: { SPOTIFY_REDIRECT_URI: 'https://bot.example.test/spotify/callback', SPOTIFY_CALLBACK_LISTEN: '127.0.0.1:0' },
    });
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    const server = h.app.callbackServer!;
    const address = await server.start();
    try {
      expect(address.address).toBe('127.0.0.1');
      const base = `http://127.0.0.1:${address.port}`;
      const started = await h.discord.slashCommand({ name: 'spotify', subcommand: 'link', userId: ANA.id }).finalMessage();
      expect(embedText(started)).toMatch(/A page says \*Spotify linked\*/);
      const [open] = buttonsOf(started);
      const redirected = new URL(h.spotify.approve(String(open!.url), { userId: 'ana-sp' }));
      expect(redirected.origin + redirected.pathname).toBe('https://bot.example.test/spotify/callback');

      // Forged and unknown states: a clear page, nothing exchanged.
      for (const forged of [`?code=x&state=${'A'.repeat(32)}`, '?code=x', '?error=access_denied&state=nope']) {
        const page = await fetch(`${base}/spotify/callback${forged}`);
        expect(page.status).toBe(400);
        expect(await page.text()).toContain('This link has expired');
      }
      expect(h.spotify.count('authorization_code')).toBe(0);
      expect((await fetch(`${base}/elsewhere${redirected.search}`)).status).toBe(404);

      const page = await fetch(`${base}/spotify/callback${redirected.search}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      const confirmHtml = await page.text();
      expect(confirmHtml).toContain(`Ana (@ana, Discord id ${ANA.id})`);
      expect(confirmHtml).not.toContain(redirected.searchParams.get('code')!);
      expect(h.spotify.count('authorization_code')).toBe(0); // the GET only asks
      const token = /name="token" value="([^"]+)"/.exec(confirmHtml)![1]!;
      const confirmed = await fetch(`${base}/spotify/callback`, {
        method: 'POST',
        body: new URLSearchParams({ token }),
        headers: { 'Sec-Fetch-Site': 'same-origin' },
      });
      expect(confirmed.status).toBe(200);
      expect(confirmed.headers.get('cache-control')).toBe('no-store');
      const html = await confirmed.text();
      expect(html).toContain('Spotify linked');
      expect(html).toContain('Ana S (ana-sp)');
      expect(html).not.toContain(redirected.searchParams.get('code')!);
      expect((await command(h, 'nowplaying', ANA).finalMessage()).embeds?.[0]?.title).toBe('Ana S Song');

      // The same redirect again: used, so expired; still linked, one exchange.
      const again = await fetch(`${base}/spotify/callback${redirected.search}`);
      expect(again.status).toBe(400);
      expect(h.spotify.count('authorization_code')).toBe(1);
      expect(await h.app.services.members.get(ANA.id)).not.toBeNull();
    } finally {
      await server.stop();
    }
  });

  it('binds nothing unless the redirect URI is https', async () => {
    const h = await withMembers();
    expect(h.app.callbackServer).toBeNull();
  });
});

describe('every linked account is looked after like the owner\'s', () => {
  it("a member's invalid_grant drops only their link: told once (reply and DM), no retries; others keep working", async () => {
    const h = await withMembers({ tuning: { listeningFreshnessMs: 0 } });
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    spotifyUser(h.spotify, 'ben-sp', 'Ben S');
    await linkByPaste(h, ANA, 'ana-sp');
    await linkByPaste(h, BEN, 'ben-sp');
    h.spotify.revokeUserGrants('ana-sp');
    h.spotify.expireAccessTokens({ userId: 'ana-sp' });
    h.spotify.resetCounts();

    const dropped = await command(h, 'nowplaying', ANA).finalMessage();
    expect(embedText(dropped)).toMatch(/no longer accepts your link.*\/spotify link/);
    const dm = await h.discord.waitFor<{ userId: string; body: { content?: string } }>('directMessage', (d: { userId: string }) => d.userId === ANA.id);
    expect(dm.body.content).toMatch(/\/spotify link/);
    expect(h.spotify.count('refresh', { userId: 'ana-sp' })).toBe(1); // the one refusal, no retry
    await expect.poll(() => h.app.services.members.get(ANA.id)).toBeNull();
    expect(await h.app.tokens.currentGrant(`user:${ANA.id}`)).toBeNull();

    // Ben and the owner are untouched; Ana is back to the owner's (her link is gone), with no more token requests.
    expect((await command(h, 'nowplaying', BEN).finalMessage()).embeds?.[0]?.title).toBe('Ben S Song');
    expect((await command(h, 'nowplaying', CARL).finalMessage()).embeds?.[0]?.title).toBe('Blinding Lights');
    expect((await command(h, 'nowplaying', ANA).finalMessage()).embeds?.[0]?.title).toBe('Blinding Lights');
    expect(h.spotify.count('refresh', { userId: 'ana-sp' })).toBe(1);
    expect(h.discord.directMessages.filter((d) => d.userId === ANA.id)).toHaveLength(1);
  });

  it('reminded once 14 days before the 6-month expiry: in the next reply and by DM', async () => {
    let now = Date.now();
    const h = await withMembers({ tuning: { now: () => now } });
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    await linkByPaste(h, ANA, 'ana-sp');
    const expiry = new Date(now);
    expiry.setUTCMonth(expiry.getUTCMonth() + 6);
    now = expiry.getTime() - 13 * DAY;
    const handle = command(h, 'nowplaying', ANA);
    await handle.finalMessage();
    const notice = await handle.followUp(0);
    expect(notice.flags).toBe(EPHEMERAL);
    expect(embedText(notice)).toMatch(/Your Spotify link with this bot expires on .*13 days left.*\/spotify link/);
    const dm = await h.discord.waitFor<{ userId: string; body: { content?: string } }>('directMessage', (d: { userId: string }) => d.userId === ANA.id);
    expect(dm.body.content).toMatch(/expires on/);
    // Once: the next command has no notice.
    const next = command(h, 'recent', ANA);
    await next.finalMessage();
    await expect(next.followUp(0, 500)).rejects.toThrow();
    await h.app.health.check(); // the daily check: still one DM
    expect(h.discord.directMessages.filter((d) => d.userId === ANA.id)).toHaveLength(1);
  });

  it('one refresh per member for any number of concurrent callers; a rotated token is stored', async () => {
    let now = Date.now();
    const h = await withMembers({ tuning: { now: () => now, listeningFreshnessMs: 0 } });
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    await linkByPaste(h, ANA, 'ana-sp');
    const before = (await h.app.tokens.currentGrant(`user:${ANA.id}`))!.refreshToken;
    h.spotify.rotateRefreshTokens = true;
    now += 2 * 60 * 60 * 1000; // the access token has expired
    h.spotify.resetCounts();
    const names = ['nowplaying', 'toptracks', 'topartists', 'recent', 'nowplaying', 'toptracks'];
    await Promise.all(names.map((name) => command(h, name, ANA).finalMessage()));
    expect(h.spotify.count('refresh', { userId: 'ana-sp' })).toBe(1);
    const after = (await h.app.tokens.currentGrant(`user:${ANA.id}`))!;
    expect(after.refreshToken).not.toBe(before);
    expect(after.source).toBe('rotation');
  });

  it("a member's burst doesn't starve the owner: a per-member budget, and a 429 backs off the whole app", async () => {
    const h = await withMembers({ tuning: { listeningFreshnessMs: 0, memberRequestBudget: 4 } });
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    await linkByPaste(h, ANA, 'ana-sp');
    h.spotify.resetCounts();
    // Freshness 0: every /nowplaying is a request (concurrent ones would share one).
    const burst: string[] = [];
    for (let i = 0; i < 8; i++) burst.push(embedText((await command(h, 'nowplaying', ANA).response()).data));
    // Ana's requests stop at her budget; the rest are told to wait, without a request.
    expect(h.spotify.count('api', { userId: 'ana-sp' })).toBeLessThanOrEqual(4);
    expect(burst.some((t) => /try again in/.test(t))).toBe(true);
    // The owner's presence poll and commands still go through.
    const owner = h.spotify.count('currently-playing', { userId: 'emulatoruser' });
    await h.bot.presence.tick();
    expect(h.spotify.count('currently-playing', { userId: 'emulatoruser' })).toBe(owner + 1);
    expect((await command(h, 'nowplaying', CARL).finalMessage()).embeds?.[0]?.title).toBe('Blinding Lights');

    // Spotify's 429 for any account closes the gate for every account until its Retry-After.
    h.spotify.fail('top', { status: 429, headers: { 'retry-after': '42' } }, 1, { userId: 'emulatoruser' });
    expect(embedText((await command(h, 'toptracks', CARL).response()).data)).toMatch(/try again in 42 s/);
    const sent = h.spotify.count('api');
    expect(embedText((await command(h, 'toptracks', BEN, { user: OWNER_ID }).response()).data)).toMatch(/try again in 4\d s/);
    expect(embedText((await command(h, 'topartists', ANA).response()).data)).toMatch(/try again in 4\d s/);
    expect(h.spotify.count('api')).toBe(sent);
  });
});

describe('page buttons', () => {
  it("carry whose list they page, work for others where allowed, and refuse tampered ids", async () => {
    const h = await withMembers();
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    await linkByPaste(h, ANA, 'ana-sp');
    const first = await command(h, 'toptracks', ANA, { options: [{ name: 'limit', type: 4, value: 20 }] }).finalMessage();
    const next = buttonsOf(first).find((b) => String(b.label).includes('Next'));
    const state = decodeTopPageId(String(next!.custom_id));
    expect(state).toMatchObject({ kind: 'tracks', page: 2, userId: ANA.id });

    // Ben presses it (as after a restart: the id is all the state): Ana's page 2, named.
    const page2 = await h.discord.pressButton({ customId: String(next!.custom_id), message: { id: '1', ...first }, userId: BEN.id }).response();
    expect(page2.type).toBe(7);
    expect(page2.data?.embeds?.[0]?.description).toMatch(/^11\. \[Ana S Top 11\]/);
    expect(authorOf(page2.data!)).toContain('Ana');

    // Tampered: a malformed owner id, another kind, a page past the end.
    for (const customId of [`top:tracks:short_term:20:2:12345`, `top:tracks:short_term:20:3:${ANA.id}`, `top:tracks:short_term:20:2:${ANA.id}x`]) {
      const refused = await h.discord.pressButton({ customId, message: { id: '1' }, userId: BEN.id }).response();
      expect(refused.type, customId).toBe(4);
      expect(refused.data?.flags, customId).toBe(EPHEMERAL);
    }
    // After "only me", her pages are refused to Ben (checked again on every press), and in DMs to anyone else.
    await h.discord
      .slashCommand({ name: 'spotify', subcommand: 'privacy', userId: ANA.id, options: [{ name: 'visibility', type: 3, value: 'private' }] })
      .finalMessage();
    h.spotify.resetCounts();
    const privatePress = await h.discord.pressButton({ customId: String(next!.custom_id), message: { id: '1' }, userId: BEN.id }).response();
    expect(embedText(privatePress.data)).toContain('keeps their listening private');
    const recentId = `recent:20:2:${ANA.id}`;
    const dmPress = await h.discord.pressButton({ customId: recentId, message: { id: '1' }, userId: BEN.id, guildId: null }).response();
    expect(dmPress.data?.flags).toBe(EPHEMERAL);
    expect(h.spotify.count('api')).toBe(0);
    // Her own button still works for her.
    const own = await h.discord.pressButton({ customId: String(next!.custom_id), message: { id: '1' }, userId: ANA.id }).response();
    expect(own.type).toBe(7);
  });
});

describe('server membership (no GUILD_MEMBERS intent: Discord never says that a member left)', () => {
  const HERE = '1190000000000000001';
  const THERE = '1190000000000000002';
  /** A clock the test can move past the membership window (everything else in the bot runs on it too). */
  const skewed = (): { now: () => number; skip: (ms: number) => void } => {
    let skew = 0;
    return { now: () => Date.now() + skew, skip: (ms) => void (skew += ms) };
  };

  it('a page button is checked like its slash command on every press: refused, ephemeral, with no Spotify call, where the member is not (another server, or after they left)', async () => {
    const clock = skewed();
    const h = await start({ discord: { guildIds: [HERE, THERE] }, tuning: { now: clock.now } });
    for (const m of [ANA, BEN]) h.discord.addMember(HERE, m);
    h.discord.addMember(THERE, BEN); // Ben is in both servers, Ana only HERE
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    await linkByPaste(h, ANA, 'ana-sp');
    const first = await command(h, 'toptracks', ANA, { guildId: HERE, options: [{ name: 'limit', type: 4, value: 20 }] }).finalMessage();
    const topId = String(buttonsOf(first).find((b) => String(b.label).includes('Next'))!.custom_id);
    const recentId = `recent:20:2:${ANA.id}`;
    const press = (customId: string, guildId: string) =>
      h.discord.pressButton({ customId, message: { id: '1', ...first }, userId: BEN.id, guildId }).response();
    const refusedHere = async (customId: string, guildId: string): Promise<void> => {
      const refused = await press(customId, guildId);
      expect(refused.type, customId).toBe(4);
      expect(refused.data?.flags, customId).toBe(EPHEMERAL);
      expect(embedText(refused.data), customId).toContain('a server you both share with the bot');
    };

    // Her buttons pressed THERE (Discord asked once, on the press: she is not a member) are refused as the slash
    // command refuses her list THERE.
    h.spotify.resetCounts();
    for (const customId of [topId, recentId]) await refusedHere(customId, THERE);
    expect(h.discord.memberRequests.filter((r) => r.request.guildId === THERE).map((r) => r.answered)).toEqual([true]);
    expect(embedText((await command(h, 'toptracks', BEN, { user: ANA.id, guildId: THERE }).response()).data)).toContain('a server you both share');
    expect(h.spotify.count('api')).toBe(0);

    // HERE they work for Ben.
    expect((await press(topId, HERE)).type).toBe(7);
    expect((await press(recentId, HERE)).type).toBe(7);

    // Ana leaves HERE; Discord tells the bot nothing. Within a minute her pages are refused HERE too.
    expect(h.discord.removeMember(HERE, ANA.id)).toBe(false);
    clock.skip(MEMBERSHIP_TTL_MS);
    h.spotify.resetCounts();
    for (const customId of [topId, recentId]) await refusedHere(customId, HERE);
    expect(h.spotify.count('api')).toBe(0);
  });

  it('/listening no longer shows a linked member who left (within a minute, one batched lookup) and forgets that server for them; a lookup outage keeps everyone', async () => {
    const clock = skewed();
    const h = await withMembers({ tuning: { now: clock.now, listeningFreshnessMs: 0, memberLookupTimeoutMs: 300 } });
    const guildId = h.discord.guildIds[0]!;
    spotifyUser(h.spotify, 'ana-sp', 'Ana S');
    spotifyUser(h.spotify, 'ben-sp', 'Ben S');
    await linkByPaste(h, ANA, 'ana-sp');
    await linkByPaste(h, BEN, 'ben-sp');
    for (const m of [ANA, BEN]) await command(h, 'nowplaying', m).finalMessage(); // used here while linked: listed here
    const listing = async (): Promise<string> => embedText(await command(h, 'listening', CARL).finalMessage());
    const before = await listing();
    expect(before).toContain('Ana S Song');
    expect(before).toContain('Ben S Song');

    expect(h.discord.removeMember(guildId, ANA.id)).toBe(false);
    clock.skip(MEMBERSHIP_TTL_MS);
    const asked = h.discord.memberRequests.length;
    const after = await listing();
    expect(after).not.toContain('Ana S Song');
    expect(after).toContain('Ben S Song');
    const requests = h.discord.memberRequests.slice(asked);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.request).toMatchObject({ mode: 'user_ids', guildId, userIds: expect.arrayContaining([ANA.id, BEN.id]) });
    // Her link no longer lists this server; she is not asked about again.
    await expect.poll(async () => (await h.app.services.members.inGuild(guildId)).map((m) => m.userId)).toEqual([BEN.id]);
    await listing();
    expect(h.discord.memberRequests).toHaveLength(asked + 1);

    // Discord stops answering member lookups: Ben stays listed (no answer is not "left"), and the outage is logged once.
    h.discord.answerMemberRequests = false;
    clock.skip(MEMBERSHIP_TTL_MS);
    const during = await listing();
    expect(during).toContain('Ben S Song');
    expect(h.discord.memberRequests.at(-1)).toMatchObject({ answered: false, request: { userIds: [BEN.id] } });
    expect(h.logs.lines.filter((l) => l.includes('member lookups get no answer'))).toHaveLength(1);
  });
});
