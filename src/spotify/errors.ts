// Typed Spotify failures. Messages never contain a token or a secret.

export const REAUTHORIZE_HINT = 'run `npm run authorize` (or `/spotify login` in Discord) to link Spotify again';

export type SpotifyAuthReason =
  /** The refresh token was revoked or has expired (6 months after consent). */
  | 'invalid_grant'
  /** SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET are wrong. */
  | 'invalid_client'
  /** No refresh token is known for the account. */
  | 'no_token';

export class SpotifyError extends Error {
  override name = 'SpotifyError';
}

/** Terminal: retrying will not help; a person has to act. */
export class SpotifyAuthError extends SpotifyError {
  override name = 'SpotifyAuthError';
  constructor(
    readonly reason: SpotifyAuthReason,
    readonly hint: string,
    readonly description?: string,
  ) {
    super(`Spotify authorization failed (${reason}${description ? `: ${description}` : ''}) — ${hint}`);
  }
}

export function authErrorFor(reason: SpotifyAuthReason, description?: string): SpotifyAuthError {
  switch (reason) {
    case 'invalid_client':
      return new SpotifyAuthError(
        reason,
        'check SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET against your app at developer.spotify.com/dashboard',
        description,
      );
    case 'invalid_grant':
      return new SpotifyAuthError(reason, REAUTHORIZE_HINT, description);
    case 'no_token':
      return new SpotifyAuthError(reason, REAUTHORIZE_HINT, description);
  }
}

/** 429 from Spotify. `quotaExceeded` is the per-developer dev-mode quota (reason QUOTA_EXCEEDED). */
export class SpotifyRateLimitError extends SpotifyError {
  override name = 'SpotifyRateLimitError';
  constructor(
    readonly retryAfterSeconds: number,
    readonly quotaExceeded: boolean,
  ) {
    super(
      quotaExceeded
        ? `Spotify quota exceeded for this developer account; retry after ${retryAfterSeconds} s`
        : `Spotify rate limit; retry after ${retryAfterSeconds} s`,
    );
  }
}

/** 403: missing scope, user not allow-listed in a dev-mode app, or Premium required. */
export class SpotifyForbiddenError extends SpotifyError {
  override name = 'SpotifyForbiddenError';
  constructor(readonly detail: string) {
    super(`Spotify refused the request (403): ${detail}`);
  }
}

/** Spotify could not be reached, timed out, or kept answering 5xx after bounded retries. */
export class SpotifyUnavailableError extends SpotifyError {
  override name = 'SpotifyUnavailableError';
  constructor(
    readonly detail: string,
    readonly status?: number,
  ) {
    super(`Spotify isn't answering: ${detail}`);
  }
}

/** Any other unexpected answer (4xx we don't handle, malformed JSON). */
export class SpotifyApiError extends SpotifyError {
  override name = 'SpotifyApiError';
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`Spotify API error ${status}: ${detail}`);
  }
}
