// The authorization lifecycle inside the bot: 6-month expiry warnings, a dead grant (one DM, no storm, presence
// cleared), and re-authorization from Discord with /spotify login — picked up without a restart.
import { describe, expect, it } from 'vitest';
import { ButtonStyle } from 'discord.js';
import { TEST_REFRESH_TOKEN } from '../emulators/env.js';
import { embedText, EPHEMERAL, harnessPerTest, OWNER_ID } from './support/bot-harness.js';
import { secretsIn } from './support/spotify-app.js';

const DAY = 24 * 60 * 60 * 1000;
const start = harnessPerTest();

type Row = { components?: Array<Record<string, unknown>> };
const buttonsOf = (message: { components?: Row[] } | undefined): Array<Record<string, unknown>> =>
  (message?.components ?? []).flatMap((row) => row.components ?? []);

describe('/spotify is for the owner only', () => {
  it.each(['login', 'status'])('refuses /spotify %s to anyone else, ephemerally', async (sub) => {
    const h = await start();
    const response = await h.discord.slashCommand({ name: 'spotify', subcommand: sub, userId: '200000000000000999' }).response();
    expect(response.type).toBe(4);
    expect(response.data?.flags).toBe(EPHEMERAL);
    expect(embedText(response.data)).toMatch(/Only the bot owner/);
  });
});

describe('/spotify status', () => {
  it('shows the linked account, scopes, token age, expiry, last call and rate-limit state', async () => {
    const grantedAt = Date.now() - 30 * DAY;
    const h = await start({ env: { SPOTIFY_REFRESH_TOKEN_GRANTED_AT: new Date(grantedAt).toISOString() } });
    h.spotify.setProfile({ id: 'owner-id', display_name: 'Owner Name' });
    await h.discord.slashCommand({ name: 'nowplaying' }).finalMessage();
    const message = await h.discord.slashCommand({ name: 'spotify', subcommand: 'status', userId: OWNER_ID }).finalMessage();
    expect(message.flags).toBe(EPHEMERAL);
    const text = embedText(message);
    expect(text).toContain('Owner Name (owner-id)');
    expect(text).toContain('user-top-read');
    expect(text).toMatch(/30 days ago/);
    const expiry = new Date(grantedAt);
    expiry.setUTCMonth(expiry.getUTCMonth() + 6);
    expect(text).toContain(expiry.toISOString().slice(0, 10));
    expect(text).toMatch(/Last successful call.*(just now|min ago)/);
    expect(text).toMatch(/Not limited/);
  });
});

describe('expiry warnings', () => {
  it('warn from 14 days before the 6-month expiry: a log line each check, one DM per grant', async () => {
    let now = Date.now();
    const grantedAt = new Date(now);
    grantedAt.setUTCMonth(grantedAt.getUTCMonth() - 6);
    const granted = new Date(grantedAt.getTime() + 20 * DAY); // expires in about 20 days
    const h = await start({
      env: { SPOTIFY_REFRESH_TOKEN_GRANTED_AT: granted.toISOString() },
      tuning: { now: () => now },
    });
    const warnings = (): number => h.logs.lines.filter((l) => l.includes('expires soon')).length;
    expect(warnings()).toBe(0);
    expect(h.discord.directMessages).toHaveLength(0);

    const expiry = new Date(granted);
    expiry.setUTCMonth(expiry.getUTCMonth() + 6);
    now = expiry.getTime() - 13 * DAY; // 13 days left
    await h.app.health.check();
    expect(warnings()).toBe(1);
    expect(h.discord.directMessages).toHaveLength(1); // check() resolves after the DM was sent
    const dm = h.discord.directMessages[0]!;
    expect(dm.userId).toBe(OWNER_ID);
    expect(dm.body.content).toMatch(/expires on .*13 days left/);

    now += DAY; // the next daily check
    await h.app.health.check();
    expect(warnings()).toBe(2);
    expect(h.discord.directMessages).toHaveLength(1);
  });
});

describe('a dead grant, and /spotify login', () => {
  it('invalid_grant → one DM, presence cleared, hints, no storm; /spotify login fixes it without a restart', async () => {
    const h = await start({ tuning: { listeningFreshnessMs: 0 } });
    await h.bot.presence.tick();
    await h.discord.waitFor('presence', (p: { payload: { activities: unknown[] } }) => p.payload.activities.length === 1);

    // Spotify revokes the grant; the cached access token expires.
    h.spotify.revokeRefreshToken(TEST_REFRESH_TOKEN);
    h.spotify.expireAccessTokens();
    await h.bot.presence.tick();
    await h.discord.waitFor('presence', (p: { payload: { activities: unknown[] } }) => p.payload.activities.length === 0);
    const dm = await h.discord.waitFor<{ userId: string; body: { content?: string } }>('directMessage');
    expect(dm.userId).toBe(OWNER_ID);
    expect(dm.body.content).toMatch(/\/spotify login/);

    for (let i = 0; i < 5; i++) await h.bot.presence.tick();
    const reply = await h.discord.slashCommand({ name: 'nowplaying' }).response();
    expect(embedText(reply.data)).toMatch(/re-authorize/);
    expect(h.spotify.count('refresh')).toBe(2); // the first token, then the one refusal: no storm
    expect(h.discord.directMessages).toHaveLength(1);

    // The owner re-links from Discord.
    const login = await h.discord.slashCommand({ name: 'spotify', subcommand: 'login', userId: OWNER_ID }).finalMessage();
    expect(login.flags).toBe(EPHEMERAL);
    const [open, paste] = buttonsOf(login);
    expect(open).toMatchObject({ style: ButtonStyle.Link });
    const authorizeUrl = String(open!.url);
    expect(authorizeUrl).toContain('redirect_uri=http%3A%2F%2F127.0.0.1%3A8888%2Fcallback');
    expect(authorizeUrl).toContain('show_dialog=true');

    const modal = await h.discord.pressButton({ customId: String(paste!.custom_id), message: { id: '1' }, userId: OWNER_ID }).response();
    expect(modal.type).toBe(9);

    const redirected = h.spotify.approve(authorizeUrl);
    const wrongState = redirected.replace(/state=[^&]+/, 'state=forged');
    const refused = await h.discord
      .submitModal({ customId: String(modal.data?.custom_id), fields: { redirected: wrongState }, userId: OWNER_ID })
      .finalMessage();
    expect(embedText(refused)).toMatch(/different login attempt/);
    expect(h.spotify.count('authorization_code')).toBe(0);

    const done = await h.discord
      .submitModal({ customId: String(modal.data?.custom_id), fields: { redirected }, userId: OWNER_ID })
      .finalMessage();
    expect(done.flags).toBe(EPHEMERAL);
    expect(embedText(done)).toMatch(/Spotify linked/);

    // No restart: commands and presence work again.
    const again = await h.discord.slashCommand({ name: 'nowplaying' }).finalMessage();
    expect(again.embeds?.[0]?.title).toBeTruthy();
    await h.bot.presence.tick();
    await h.discord.waitFor('presence', (p: { payload: { activities: unknown[] } }) => p.payload.activities.length === 1);
    const grant = await h.app.tokens.currentGrant('owner');
    expect(grant?.source).toBe('login');
    expect(secretsIn(h.logs.lines, [grant!.refreshToken, TEST_REFRESH_TOKEN])).toEqual([]);
  });
});
