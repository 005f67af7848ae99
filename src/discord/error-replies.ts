// What a user sees when something fails. Expected failures are typed errors (instanceof), each with its own text;
// anything else is one generic line. Never includes internals (messages of unknown errors, tokens, stacks). Pure.
import {
  SpotifyAuthError,
  SpotifyError,
  SpotifyForbiddenError,
  SpotifyRateLimitError,
  SpotifyUnavailableError,
} from '../spotify/errors.js';
import { COLORS, embedPayload, formatWait, type ReplyPayload } from './text.js';

export const GENERIC_ERROR = "Something went wrong. The owner can check the bot's log.";

/** True for failures the bot expects (Spotify's conditions): a warning in the log, not a bug. */
export function isExpectedFailure(error: unknown): boolean {
  return error instanceof SpotifyError;
}

/** The message a user sees for a failure. */
export function errorMessage(error: unknown): string {
  if (error instanceof SpotifyAuthError) {
    return error.reason === 'invalid_client'
      ? "Spotify rejected the bot's app credentials — the bot owner needs to check the Spotify client ID and secret."
      : 'The bot owner needs to re-authorize Spotify (`npm run authorize`).';
  }
  if (error instanceof SpotifyRateLimitError) {
    const wait = formatWait(error.retryAfterSeconds);
    const when = wait === 'a moment' ? 'in a moment' : `in ${wait}`;
    return error.quotaExceeded
      ? `The bot has used up its Spotify request quota for now — try again ${when}.`
      : `Spotify is rate-limiting the bot — try again ${when}.`;
  }
  if (error instanceof SpotifyUnavailableError) {
    return "Spotify isn't answering right now — try again in a moment.";
  }
  if (error instanceof SpotifyForbiddenError) {
    return (
      "Spotify refused the request for the owner's account. If the Spotify app is in development mode, the owner's " +
      'account must be on its allow-list (User Management in the Spotify dashboard), and some features need Premium.'
    );
  }
  return GENERIC_ERROR;
}

export function errorReply(error: unknown): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: `⚠️ ${errorMessage(error)}` });
}
