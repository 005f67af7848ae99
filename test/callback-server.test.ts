// The optional callback server on its own (the end-to-end flow is in members.e2e.test.ts and
// link-security.e2e.test.ts): it listens only where configured and only when SPOTIFY_REDIRECT_URI is https, answers
// only on the redirect path (GET: a confirm page; POST: the confirm's token; HEAD: nothing), escapes what it shows,
// never echoes the code or state, and turns a failing Spotify into a page, not a crash.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { CallbackServer } from '../src/features/account/callback-server.js';
import type { CallbackOpened, CallbackResult, LinkTarget } from '../src/service-types.js';
import { SpotifyUnavailableError } from '../src/spotify/errors.js';
import { validEnv } from '../emulators/env.js';
import { captureLogs } from './support/spotify-app.js';

let server: CallbackServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

const EVE: LinkTarget = { userId: '300000000000000011', owner: false, displayName: 'Eve', username: 'eve' };

/** A server whose GET opens with `opened` (a confirm token unless told) and whose POST answers with `answer`. */
async function serve(
  answer: (token: string) => Promise<CallbackResult>,
  opened: (query: string) => Promise<CallbackOpened> = async () => ({ ok: true, token: `${EVE.userId}.tok`, linkTo: EVE }),
): Promise<{ base: string; queries: string[]; tokens: string[] }> {
  const queries: string[] = [];
  const tokens: string[] = [];
  server = new CallbackServer({
    host: '127.0.0.1',
    port: 0,
    path: '/callback',
    logger: captureLogs().logger,
    account: {
      openCallback: (query) => {
        queries.push(query);
        return opened(query);
      },
      confirmCallback: (token) => {
        tokens.push(token);
        return answer(token);
      },
    },
  });
  const address = await server.start();
  return { base: `http://127.0.0.1:${address.port}`, queries, tokens };
}

const confirm = (base: string, token: string) =>
  fetch(`${base}/callback`, { method: 'POST', body: `token=${token}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });

describe('SPOTIFY_REDIRECT_URI / SPOTIFY_CALLBACK_LISTEN', () => {
  it('no callback server with the loopback default; https turns it on at 127.0.0.1:8888 unless told otherwise', () => {
    expect(loadConfig(validEnv()).spotify.callbackServer).toBeNull();
    expect(loadConfig(validEnv({ SPOTIFY_REDIRECT_URI: 'https://bot.example.org/spotify/cb' })).spotify.callbackServer).toEqual({
      host: '127.0.0.1',
      port: 8888,
      path: '/spotify/cb',
    });
    expect(
      loadConfig(validEnv({ SPOTIFY_REDIRECT_URI: 'https://bot.example.org/cb', SPOTIFY_CALLBACK_LISTEN: '[::1]:9000' })).spotify.callbackServer,
    ).toEqual({ host: '::1', port: 9000, path: '/cb' });
    expect(() => loadConfig(validEnv({ SPOTIFY_CALLBACK_LISTEN: 'nonsense' }))).toThrow(/SPOTIFY_CALLBACK_LISTEN must be host:port/);
    expect(loadConfig(validEnv()).spotify.maxUsers).toBe(5);
    expect(() => loadConfig(validEnv({ SPOTIFY_MAX_USERS: '0' }))).toThrow(/SPOTIFY_MAX_USERS/);
  });
});

describe('CallbackServer', () => {
  it('listens on the configured loopback address only', async () => {
    const { base } = await serve(async () => ({ ok: false, reason: 'expired', linkTo: null }));
    expect(new URL(base).hostname).toBe('127.0.0.1');
    await expect(server!.start()).rejects.toThrow(/already listening/); // one socket, never a second
  });

  it('GET shows a confirm page, POST passes its token on; only on the path; escapes names; never echoes code or state', async () => {
    const named: LinkTarget = { ...EVE, displayName: '<script>alert(1)</script>' };
    const { base, queries, tokens } = await serve(
      async () => ({ ok: true, account: '<b>evil</b> (evil)', scope: 'user-top-read', expiresAt: 0, linkTo: named }),
      async () => ({ ok: true, token: `${EVE.userId}.tok"><x`, linkTo: named }),
    );
    expect((await fetch(`${base}/other?code=c&state=s`)).status).toBe(404);
    expect((await fetch(`${base}/callback?code=c&state=s`, { method: 'PUT' })).status).toBe(405);
    expect((await fetch(`${base}/callback?code=c&state=s`, { method: 'HEAD' })).status).toBe(200);
    expect(queries).toEqual([]);
    const page = await fetch(`${base}/callback?code=SECRETCODE123&state=STATE456`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="300000000000000011.tok&quot;&gt;&lt;x"'); // even the token is escaped
    expect(html).not.toContain('SECRETCODE123');
    expect(html).not.toContain('STATE456');
    expect(queries).toEqual(['?code=SECRETCODE123&state=STATE456']);
    expect(tokens).toEqual([]); // nothing confirmed by a GET

    // Not a form post: refused before the service is asked.
    expect((await fetch(`${base}/callback`, { method: 'POST', body: 'token=x' })).status).toBe(400);
    expect((await fetch(`${base}/callback`, { method: 'POST', body: `token=${'x'.repeat(2000)}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status).toBe(400);
    expect(tokens).toEqual([]);
    const done = await confirm(base, 'abc');
    expect(done.status).toBe(200);
    const doneHtml = await done.text();
    expect(doneHtml).toContain('&lt;b&gt;evil&lt;/b&gt;');
    expect(doneHtml).toContain('@eve');
    expect(tokens).toEqual(['abc']);
  });

  it('an unknown state, a refused account and a Spotify outage each get a clear page', async () => {
    const answers: Array<() => Promise<CallbackResult>> = [
      async () => ({ ok: false, reason: 'expired', linkTo: null }),
      async () => ({ ok: false, reason: 'not_allow_listed', linkTo: EVE }),
      async () => {
        throw new SpotifyUnavailableError('down');
      },
    ];
    const { base } = await serve(() => answers.shift()!());
    const expired = await confirm(base, 't');
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('Nothing was changed');
    const refused = await confirm(base, 't');
    expect(await refused.text()).toContain('e-mail address of your Spotify account');
    const down = await confirm(base, 't');
    expect(down.status).toBe(502);
    expect(await down.text()).toContain('Nothing was linked');

    // A GET whose state belongs to no pending link: the same clear page, no form.
    await server!.stop();
    const expiredAnswer = async () => ({ ok: false, reason: 'expired', linkTo: null }) as const;
    const { base: other } = await serve(expiredAnswer, expiredAnswer);
    const unknown = await fetch(`${other}/callback?code=c&state=s`);
    expect(unknown.status).toBe(400);
    const unknownHtml = await unknown.text();
    expect(unknownHtml).toContain('Nothing was changed');
    expect(unknownHtml).not.toContain('<form');
  });
});
