// What a user sees when something fails. Expected failures are typed errors (instanceof), each with its own text;
// anything else is one generic line. Never includes internals (messages of unknown errors, tokens, stacks). Pure:
// the words come from the asker's translator (English when none is given).
import { ENGLISH, type Translator } from '../i18n/translator.js';
import { inWait } from '../i18n/time.js';
import {
  SpotifyAuthError,
  SpotifyError,
  SpotifyForbiddenError,
  SpotifyRateLimitError,
  SpotifyUnavailableError,
} from '../spotify/errors.js';
import { COLORS, embedPayload, type ReplyPayload } from './text.js';

/** True for failures the bot expects (Spotify's conditions): a warning in the log, not a bug. */
export function isExpectedFailure(error: unknown): boolean {
  return error instanceof SpotifyError;
}

/** The message a user sees for a failure. */
export function errorMessage(error: unknown, tr: Translator = ENGLISH): string {
  if (error instanceof SpotifyAuthError) {
    return error.reason === 'invalid_client' ? tr.t('errors.invalidClient') : tr.t('errors.reauthorize');
  }
  if (error instanceof SpotifyRateLimitError) {
    const when = inWait(tr, error.retryAfterSeconds);
    return error.quotaExceeded ? tr.t('errors.quota', { when }) : tr.t('errors.rateLimited', { when });
  }
  if (error instanceof SpotifyUnavailableError) return tr.t('errors.unavailable');
  if (error instanceof SpotifyForbiddenError) return tr.t('errors.forbidden');
  return tr.t('errors.generic');
}

export function errorReply(error: unknown, tr: Translator = ENGLISH): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: `⚠️ ${errorMessage(error, tr)}` });
}
