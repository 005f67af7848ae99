// Linking must link the right pair, through the real bot against both emulators. `state` proves who *started* a link,
// not who approves it, so: a forwarded link opened in someone else's browser links nothing until that browser's user
// confirms on a page naming the Discord side (a POST with a one-time token; GET and HEAD never link, and leave the
// code unused); every reply names both sides and the owner's /spotify status lists every pairing with a way to
// remove it. The paste flow accepts only the whole redirected URL with its state, never a bare code.
import { describe, expect, it } from 'vitest';
import type { MessagePayload } from '../emulators/discord.js';
import { makeTrack, playing } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import { embedText, EPHEMERAL, harnessPerTest, OWNER_ID, type Harness } from './support/bot-harness.js';

const EVE = { id: '300000000000000015', username: 'eve', globalName: 'Eve' };
const BEN = { id: '300000000000000012', username: 'ben', globalName: 'Ben' };
const MAL = { id: '300000000000000017', username: 'mal', globalName: '<img src=x onerror=alert(1)>' };
const CALLBACK_ENV = { SPOTIFY_REDIRECT_URI: 'https://bot.example.test/spotify/callback', SPOTIFY_CALLBACK_LISTEN: '127.0.0.1:0' };

const start = harnessPerTest();

type Row = { components?: Array<Record<string, unknown>> };
const buttonsOf = (message: { components?: Row[] } | undefined): Array<Record<string, unknown>> =>
  (message?.components ?? []).flatMap((row) => row.components ?? []);

function spotifyUser(spotify: SpotifyEmulator, id: string, name: string): void {
  spotify.addUser(id, { displayName: name }).setCurrentlyPlaying(playing(makeTrack({ name: `${name} Song` })));
}

async function withMembers(env: Record<string, string> = {}): Promise<Harness> {
  const h = await start({ env });
  const guildId = h.discord.guildIds[0]!;
  for (const m of [EVE, BEN, MAL]) h.discord.addMember(guildId, m);
  h.discord.addMember(guildId, { id: OWNER_ID, username: 'owner', globalName: 'Olga' });
  spotifyUser(h.spotify, 'ben-sp', 'Ben S');
  spotifyUser(h.spotify, 'eve-sp', 'Eve S');
  return h;
}

/** `/spotify link` (or login) by `userId`: the reply, its Open Spotify URL and the paste modal's id. */
async function begin(h: Harness, userId: string, subcommand: 'link' | 'login' = 'link') {
  const started = await h.discord.slashCommand({ name: 'spotify', subcommand, userId }).finalMessage();
  expect(started.flags).toBe(EPHEMERAL);
  const [open, paste] = buttonsOf(started);
  return { started, url: String(open!.url), paste: String(paste!.custom_id) };
}

async function paste(h: Harness, userId: string, pasteId: string, redirected: string): Promise<MessagePayload> {
  const modal = await h.discord.pressButton({ customId: pasteId, message: { id: '1' }, userId }).response();
  expect(modal.type).toBe(9);
  return h.discord.submitModal({ customId: String(modal.data?.custom_id), fields: { redirected }, userId }).finalMessage();
}

/** The one-time token of a confirm page's form (the only hidden field it has). */
function tokenOf(html: string): string {
  const m = /<input type="hidden" name="token" value="([A-Za-z0-9_.-]+)">/.exec(html);
  if (!m) throw new Error(`no confirm form in: ${html}`);
  return m[1]!;
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });

describe('a forwarded link, through the callback server', () => {
  it('the browser that approves sees whose Discord account it links to, and nothing links before it confirms', async () => {
    const h = await withMembers(CALLBACK_ENV);
    const server = h.app.callbackServer!;
    const { port } = await server.start();
    try {
      const callback = `http://127.0.0.1:${port}/spotify/callback`;
      // Eve starts a link and forwards her "Open Spotify" link to Ben; the message told her not to.
      const { started, url } = await begin(h, EVE.id);
      expect(embedText(started)).toMatch(/never forward/i);
      // Ben approves in his own browser, logged in to his own Spotify: Spotify sends his browser to the callback.
      const redirected = new URL(h.spotify.approve(url, { userId: 'ben-sp' }));
      const code = redirected.searchParams.get('code')!;

      // A link scanner's HEAD and GET, and Ben's browser's GET: a confirm page, nothing linked, the code unused.
      expect((await fetch(`${callback}${redirected.search}`, { method: 'HEAD' })).status).toBe(200);
      expect(await h.app.services.members.get(EVE.id)).toBeNull();
      await fetch(`${callback}${redirected.search}`);
      expect(h.spotify.count('authorization_code')).toBe(0);
      const page = await fetch(`${callback}${redirected.search}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
      const html = await page.text();
      expect(html).toContain('Eve'); // the Discord user it would link to: display name, username and id
      expect(html).toContain('@eve');
      expect(html).toContain(EVE.id);
      expect(html).toMatch(/<form method="post" action="\/spotify\/callback">/);
      expect(html).not.toContain(code);
      expect(html).not.toContain(redirected.searchParams.get('state')!);
      expect(h.spotify.count('authorization_code')).toBe(0);
      expect(await h.app.services.members.get(EVE.id)).toBeNull();
      const token = tokenOf(html);

      // Not a browser on this page: a cross-site POST, a POST without the token, a forged token, a GET with the token.
      expect((await post(callback, `token=${token}`, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
      expect((await post(callback, '')).status).toBe(400);
      expect((await post(callback, `token=${'A'.repeat(43)}`)).status).toBe(400);
      expect((await fetch(`${callback}?token=${token}`)).status).toBe(400);
      expect(h.spotify.count('authorization_code')).toBe(0);
      expect(await h.app.services.members.get(EVE.id)).toBeNull();

      // Only a confirm in that browser links: the page then names both sides.
      const done = await post(callback, `token=${token}`, { 'Sec-Fetch-Site': 'same-origin' });
      expect(done.status).toBe(200);
      const doneHtml = await done.text();
      expect(doneHtml).toContain('Ben S (ben-sp)');
      expect(doneHtml).toContain('@eve');
      expect(doneHtml).toContain(EVE.id);
      expect(h.spotify.count('authorization_code')).toBe(1);
      expect((await h.app.services.members.get(EVE.id))?.spotifyId).toBe('ben-sp');

      // The token is single use.
      const again = await post(callback, `token=${token}`);
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('Nothing was changed');
      expect(h.spotify.count('authorization_code')).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('names on the confirm page are escaped; a token works only for the state it was issued for, and only for minutes', async () => {
    let now = Date.now();
    const h = await start({ env: CALLBACK_ENV, tuning: { now: () => now } });
    h.discord.addMember(h.discord.guildIds[0]!, MAL);
    h.discord.addMember(h.discord.guildIds[0]!, EVE);
    spotifyUser(h.spotify, 'mal-sp', 'Mal S');
    const server = h.app.callbackServer!;
    const { port } = await server.start();
    try {
      const callback = `http://127.0.0.1:${port}/spotify/callback`;
      const mal = await begin(h, MAL.id);
      const html = await (await fetch(`${callback}${new URL(h.spotify.approve(mal.url, { userId: 'mal-sp' })).search}`)).text();
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      const token = tokenOf(html);

      // A new /spotify link replaces the pending state: the earlier page's token is void.
      await begin(h, MAL.id);
      expect((await post(callback, `token=${token}`)).status).toBe(400);

      // Past its lifetime a token is void even though the pending link is not.
      const eve = await begin(h, EVE.id);
      spotifyUser(h.spotify, 'eve-sp', 'Eve S');
      const eveToken = tokenOf(await (await fetch(`${callback}${new URL(h.spotify.approve(eve.url, { userId: 'eve-sp' })).search}`)).text());
      now += 11 * 60_000;
      expect((await post(callback, `token=${eveToken}`)).status).toBe(400);
      expect(h.spotify.count('authorization_code')).toBe(0);
      expect(await h.app.services.members.get(EVE.id)).toBeNull();
    } finally {
      await server.stop();
    }
  });
});

describe('a forwarded link, through the paste flow', () => {
  it('the reply names both sides, and the owner sees every pairing and can remove a wrong one', async () => {
    const h = await withMembers();
    // Eve forwards her link; Ben approves and sends back the address his browser ended on; Eve pastes it. The bot
    // can't see whose browser it was: what it can do is name both sides, to Eve and to the owner.
    const eve = await begin(h, EVE.id);
    expect(embedText(eve.started)).toMatch(/never forward/i);
    const done = await paste(h, EVE.id, eve.paste, h.spotify.approve(eve.url, { userId: 'ben-sp' }));
    const text = embedText(done);
    expect(text).toContain('Ben S (ben-sp)');
    expect(text).toContain(`<@${EVE.id}>`);
    expect(text).toMatch(/Ben S \(ben-sp\).*is now linked to.*<@300000000000000015>/);

    // The owner's /spotify status: which Discord id holds which Spotify account, and how to remove it.
    const status = embedText(await h.discord.slashCommand({ name: 'spotify', subcommand: 'status', userId: OWNER_ID }).finalMessage());
    expect(status).toMatch(new RegExp(`<@${EVE.id}> \\(${EVE.id}\\)[^\\n]*Ben S \\(ben-sp\\)`));
    expect(status).toContain('/spotify unlink member:');

    // Nobody else may unlink a member; the owner may.
    const refused = await h.discord
      .slashCommand({ name: 'spotify', subcommand: 'unlink', userId: BEN.id, options: [{ name: 'member', type: 6, value: EVE.id }] })
      .finalMessage();
    expect(embedText(refused)).toMatch(/Only the bot owner/);
    expect(await h.app.services.members.get(EVE.id)).not.toBeNull();
    const removed = await h.discord
      .slashCommand({ name: 'spotify', subcommand: 'unlink', userId: OWNER_ID, options: [{ name: 'member', type: 6, value: EVE.id }] })
      .finalMessage();
    expect(removed.flags).toBe(EPHEMERAL);
    expect(embedText(removed)).toContain(`<@${EVE.id}>`);
    expect(await h.app.services.members.get(EVE.id)).toBeNull();
    expect(await h.app.tokens.currentGrant(`user:${EVE.id}`)).toBeNull();
    expect((await h.app.services.members.seats()).used).toBe(1);
    const nothing = await h.discord
      .slashCommand({ name: 'spotify', subcommand: 'unlink', userId: OWNER_ID, options: [{ name: 'member', type: 6, value: BEN.id }] })
      .finalMessage();
    expect(embedText(nothing)).toMatch(/has no Spotify account linked/);
  });
});

describe('the paste flow wants the whole redirected URL with its state', () => {
  it.each([
    ['a member (/spotify link)', EVE.id, 'link'],
    ['the owner (/spotify login)', OWNER_ID, 'login'],
  ] as const)('%s: a bare code or a query without state is refused and the code stays unused', async (_who, userId, sub) => {
    const h = await withMembers();
    const { url, paste: pasteId } = await begin(h, userId, sub);
    const redirected = new URL(h.spotify.approve(url, { userId: 'eve-sp' }));
    const code = redirected.searchParams.get('code')!;
    for (const pasted of [code, `code=${code}`, `${redirected.origin}${redirected.pathname}?code=${code}`]) {
      const refused = await paste(h, userId, pasteId, pasted);
      expect(embedText(refused)).toMatch(/whole address/);
    }
    expect(h.spotify.count('authorization_code')).toBe(0);
    // The whole URL still works: the code was never spent.
    const done = await paste(h, userId, pasteId, redirected.toString());
    expect(embedText(done)).toMatch(/Eve S \(eve-sp\).*is now linked to/);
    expect(h.spotify.count('authorization_code')).toBe(1);
  });

  it('the paste prompt asks for the whole address', async () => {
    const h = await withMembers();
    const { started, paste: pasteId } = await begin(h, EVE.id);
    expect(embedText(started)).toMatch(/whole address/);
    const modal = await h.discord.pressButton({ customId: pasteId, message: { id: '1' }, userId: EVE.id }).response();
    expect(JSON.stringify(modal.data)).not.toMatch(/just the code/);
  });
});
