// The Authorization Code flow's shared pieces: used by `npm run authorize` (scripts/authorize.ts) and by the
// Discord `/spotify login` command. No console or network I/O except the code exchange; nothing here ever puts a
// secret, a code or a token into an error message.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  authErrorFor,
  SpotifyApiError,
  SpotifyError,
  SpotifyRateLimitError,
  SpotifyUnavailableError,
} from './errors.js';
import { fetchText, isTransientStatus, oauthErrorOf, parseJson, retryAfterSeconds } from './http.js';

/** Every scope the bot uses (currently-playing, /me/player, top items, recently played). */
export const BOT_SCOPES: readonly string[] = [
  'user-read-currently-playing',
  'user-read-playback-state',
  'user-top-read',
  'user-read-recently-played',
];

/** Where the dashboard's redirect URIs are registered. */
export const SPOTIFY_DASHBOARD_HINT = 'developer.spotify.com/dashboard → your app → Settings → Redirect URIs';

/** Spotify refresh tokens last this many months from the user's consent (refreshing does not extend it). */
export const REFRESH_TOKEN_LIFETIME_MONTHS = 6;

/** A fresh CSRF `state`: 24 random bytes, base64url (32 characters, URL-safe). */
export function createState(): string {
  return randomBytes(24).toString('base64url');
}

export interface AuthorizeUrlOptions {
  /** e.g. https://accounts.spotify.com (a trailing slash is fine). */
  accountsUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  scopes?: readonly string[];
  /** Ask the user again even if they approved before (lets them switch accounts). Default true. */
  showDialog?: boolean;
}

/** `{accountsUrl}/authorize?client_id&response_type=code&redirect_uri&scope&state&show_dialog`. */
export function buildAuthorizeUrl(options: AuthorizeUrlOptions): string {
  const params = new URLSearchParams({
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: options.redirectUri,
    scope: (options.scopes ?? BOT_SCOPES).join(' '),
    state: options.state,
    show_dialog: String(options.showDialog ?? true),
  });
  // URLSearchParams writes spaces as '+'; Spotify's own examples use %20. A literal '+' is already %2B here.
  return `${options.accountsUrl.replace(/\/+$/, '')}/authorize?${params.toString().replace(/\+/g, '%20')}`;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

/** True for `http://127.0.0.1…` and `http://[::1]…` (a redirect URI a local listener can serve). */
export function isLoopbackRedirectUri(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}

/**
 * Spotify's redirect URI rules (since 2025-11-27): HTTPS, or HTTP on a loopback IP literal
 * (`http://127.0.0.1:PORT/…` or `http://[::1]:PORT/…`); `localhost` is refused. Returns what is wrong and how to
 * fix it, or null when the URI is acceptable.
 */
export function checkRedirectUri(uri: string): string | null {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return `the redirect URI "${uri}" is not a valid URL — use e.g. http://127.0.0.1:8888/callback`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return `the redirect URI "${uri}" must start with https:// (or http:// on 127.0.0.1) — use e.g. http://127.0.0.1:8888/callback`;
  }
  if (u.username || u.password) return `the redirect URI "${uri}" must not contain a user name or password`;
  if (u.hash) return `the redirect URI "${uri}" must not contain a #fragment`;
  const host = u.hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) {
    const fixed = new URL(uri);
    fixed.hostname = '127.0.0.1';
    fixed.protocol = 'http:';
    return (
      `Spotify no longer accepts "localhost" in redirect URIs (since November 2025) — use the loopback IP instead: ` +
      `${fixed.toString()} , and register that exact URI in the Spotify dashboard (${SPOTIFY_DASHBOARD_HINT})`
    );
  }
  if (u.protocol === 'http:' && !LOOPBACK_HOSTS.has(host)) {
    return (
      `Spotify only accepts plain http:// redirect URIs on the loopback IP (http://127.0.0.1:PORT/… or ` +
      `http://[::1]:PORT/…); "${uri}" must use https:// instead`
    );
  }
  return null;
}

export interface RedirectParams {
  code?: string;
  state?: string;
  error?: string;
}

const BARE_CODE = /^[A-Za-z0-9._~-]+$/;

/**
 * What Spotify sent back, from whatever the user has: the full redirected URL (`http://127.0.0.1:8888/callback?code=…
 * &state=…`), just its query string (`?code=…&state=…` or `code=…&state=…`), or the bare code.
 */
export function parseRedirect(input: string): RedirectParams {
  // Pasted text often arrives wrapped in quotes or <…>, and terminals may add bracketed-paste markers.
  const text = input
    .replace(/\u001b\[20[01]~/g, '')
    .trim()
    .replace(/^(["'<])(.*)([>"'])$/s, '$2')
    .trim();
  if (text === '') return {};
  let query: string;
  const q = text.indexOf('?');
  if (q >= 0) query = text.slice(q + 1);
  else if (text.includes('=')) query = text;
  else return BARE_CODE.test(text) ? { code: text } : {};
  const params = new URLSearchParams(query.replace(/#.*$/s, ''));
  const out: RedirectParams = {};
  const code = params.get('code');
  const state = params.get('state');
  const error = params.get('error');
  if (code) out.code = code;
  if (state !== null) out.state = state;
  if (error) out.error = error;
  return out;
}

export type CallbackOutcome =
  /** Approved: exchange this code. */
  | { kind: 'code'; code: string }
  /** Spotify redirected with `error` (access_denied when the user clicked Cancel). */
  | { kind: 'denied'; error: string }
  /** `state` is missing or belongs to another attempt (CSRF guard): ignore it and keep waiting. */
  | { kind: 'state_mismatch' }
  /** The state is right but there is neither a code nor an error. */
  | { kind: 'no_code' };

function sameState(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Decides what a callback means. The state is checked first, also for errors, so a forged `error=access_denied`
 * cannot end the flow. `allowMissingState` is for a code the user pasted by hand (no CSRF risk); a state that is
 * present must still match.
 */
export function checkCallback(
  params: RedirectParams,
  expectedState: string,
  options: { allowMissingState?: boolean } = {},
): CallbackOutcome {
  if (params.state === undefined) {
    if (!options.allowMissingState) return { kind: 'state_mismatch' };
  } else if (!sameState(params.state, expectedState)) {
    return { kind: 'state_mismatch' };
  }
  if (params.error) return { kind: 'denied', error: params.error };
  if (!params.code) return { kind: 'no_code' };
  return { kind: 'code', code: params.code };
}

/** The authorization code was refused (invalid_grant): already used, expired, or a different redirect URI. */
export class AuthorizationCodeError extends SpotifyError {
  override name = 'AuthorizationCodeError';
  constructor(readonly description?: string) {
    const why =
      description && /redirect/i.test(description)
        ? 'the redirect URI differs from the one the authorization used'
        : 'the code was already used or expired';
    super(`Spotify rejected the authorization code${description ? ` (${description})` : ''}: ${why} — run the flow again`);
  }
}

export interface ExchangeCodeOptions {
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  code: string;
  /** Must equal the redirect_uri sent to /authorize. */
  redirectUri: string;
  timeoutMs?: number;
}

export interface AuthorizationGrant {
  refreshToken: string;
  accessToken: string;
  expiresInSeconds: number;
  /** Space-separated scopes the user granted ('' when Spotify did not say). */
  scope: string;
}

/**
 * POST {accountsUrl}/api/token grant_type=authorization_code. Throws SpotifyAuthError (invalid_client),
 * AuthorizationCodeError (invalid_grant), SpotifyUnavailableError (network, timeout, 5xx), SpotifyRateLimitError
 * (429) or SpotifyApiError (anything else). A code is single-use, so nothing is retried.
 */
export async function exchangeCode(options: ExchangeCodeOptions): Promise<AuthorizationGrant> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
  const result = await fetchText(
    `${options.accountsUrl.replace(/\/+$/, '')}/api/token`,
    {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: options.code,
        redirect_uri: options.redirectUri,
      }).toString(),
    },
    timeoutMs,
  );
  const json = parseJson(result.text);
  if (result.status === 200) {
    const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    const { access_token: accessToken, refresh_token: refreshToken, expires_in: expiresIn, scope } = body;
    if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || typeof expiresIn !== 'number') {
      throw new SpotifyApiError(200, 'token endpoint answered without access_token/refresh_token/expires_in');
    }
    return { refreshToken, accessToken, expiresInSeconds: expiresIn, scope: typeof scope === 'string' ? scope : '' };
  }
  if (isTransientStatus(result.status)) {
    throw new SpotifyUnavailableError(`token endpoint answered ${result.status}`, result.status);
  }
  if (result.status === 429) {
    throw new SpotifyRateLimitError(retryAfterSeconds(result.headers, Date.now()) ?? 30, false);
  }
  const oauth = oauthErrorOf(json);
  if (oauth?.error === 'invalid_client') throw authErrorFor('invalid_client', oauth.description);
  if (oauth?.error === 'invalid_grant') throw new AuthorizationCodeError(oauth.description);
  throw new SpotifyApiError(
    result.status,
    oauth ? `${oauth.error}${oauth.description ? `: ${oauth.description}` : ''}` : `token endpoint answered ${result.status}`,
  );
}

/** Scopes the bot needs that `granted` (space-separated) lacks. */
export function missingScopes(granted: string, wanted: readonly string[] = BOT_SCOPES): string[] {
  const have = new Set(granted.split(/\s+/).filter(Boolean));
  return wanted.filter((s) => !have.has(s));
}

/** When a refresh token granted at `grantedAt` stops working (6 months after consent). */
export function refreshTokenExpiry(grantedAt: Date): Date {
  const expiry = new Date(grantedAt.getTime());
  expiry.setUTCMonth(expiry.getUTCMonth() + REFRESH_TOKEN_LIFETIME_MONTHS);
  return expiry;
}

/** `AQD…x9Zk`: enough to recognise a token or code, never enough to use it. */
export function maskSecret(value: string): string {
  if (value.length < 16) return '…';
  return `${value.slice(0, 3)}…${value.slice(-4)}`;
}
