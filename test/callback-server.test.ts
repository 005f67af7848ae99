// The optional callback server on its own (the end-to-end flow is in members.e2e.test.ts): it listens only where
// configured and only when SPOTIFY_REDIRECT_URI is https, answers only GET on the redirect path, escapes what it
// shows, never echoes the code or state, and turns a failing Spotify into a page, not a crash.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { CallbackServer } from '../src/features/account/callback-server.js';
import type { CallbackResult } from '../src/services.js';
import { SpotifyUnavailableError } from '../src/spotify/errors.js';
import { validEnv } from '../emulators/env.js';
import { captureLogs } from './support/spotify-app.js';

let server: CallbackServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function serve(answer: (query: string) => Promise<CallbackResult>): Promise<{ base: string; queries: string[] }> {
  const queries: string[] = [];
  server = new CallbackServer({
    host: '127.0.0.1',
    port: 0,
    path: '/callback',
    logger: captureLogs().logger,
    account: {
      finishCallback: (query) => {
        queries.push(query);
        return answer(query);
      },
    },
  });
  const address = await server.start();
  return { base: `http://127.0.0.1:${address.port}`, queries };
}

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
    const { base } = await serve(async () => ({ ok: false, reason: 'expired', userId: null }));
    expect(new URL(base).hostname).toBe('127.0.0.1');
    await expect(server!.start()).rejects.toThrow(/already listening/); // one socket, never a second
  });

  it('answers GET on the path only; passes the query on; escapes names; never echoes code or state', async () => {
    const { base, queries } = await serve(async () => ({
      ok: true,
      account: '<script>alert(1)</script> (evil)',
      scope: 'user-top-read',
      expiresAt: 0,
      userId: '300000000000000011',
    }));
    expect((await fetch(`${base}/other?code=c&state=s`)).status).toBe(404);
    expect((await fetch(`${base}/callback?code=c&state=s`, { method: 'POST' })).status).toBe(405);
    expect(queries).toEqual([]);
    const page = await fetch(`${base}/callback?code=SECRETCODE123&state=STATE456`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('SECRETCODE123');
    expect(html).not.toContain('STATE456');
    expect(queries).toEqual(['?code=SECRETCODE123&state=STATE456']);
  });

  it('an unknown state, a refused account and a Spotify outage each get a clear page', async () => {
    const answers: Array<() => Promise<CallbackResult>> = [
      async () => ({ ok: false, reason: 'expired', userId: null }),
      async () => ({ ok: false, reason: 'not_allow_listed', userId: '300000000000000011' }),
      async () => {
        throw new SpotifyUnavailableError('down');
      },
    ];
    const { base } = await serve(() => answers.shift()!());
    const expired = await fetch(`${base}/callback?code=c&state=s`);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('Nothing was changed');
    const refused = await fetch(`${base}/callback?code=c&state=s`);
    expect(await refused.text()).toContain('e-mail address of your Spotify account');
    const down = await fetch(`${base}/callback?code=c&state=s`);
    expect(down.status).toBe(502);
    expect(await down.text()).toContain('Nothing was linked');
  });
});
