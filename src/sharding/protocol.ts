// Messages between the ShardingManager process (which alone talks to Spotify) and its shard processes, besides
// the RPC calls themselves (src/sharding/rpc.ts).
// Spotify errors cross the process boundary as plain objects and are revived as the same typed errors, so a shard
// answers a rate limit or a dead grant exactly as a single-process bot would.
import type { StartupFailureKind } from '../discord/connect.js';
import type { ListeningState } from '../listening-state.js';
import {
  SpotifyApiError,
  SpotifyAuthError,
  SpotifyError,
  SpotifyForbiddenError,
  SpotifyRateLimitError,
  SpotifyUnavailableError,
  type SpotifyAuthReason,
} from '../spotify/errors.js';
import { HistoryDisabledError } from '../features/history/service.js';

/** Every message of ours carries this tag; discord.js's own IPC messages don't. */
export const TAG = 'npb';

export interface SerializedError {
  name: string;
  message: string;
  reason?: SpotifyAuthReason;
  hint?: string;
  description?: string;
  retryAfterSeconds?: number;
  quotaExceeded?: boolean;
  status?: number;
  detail?: string;
}

/** The manager's presence poll, pushed to every shard: what is playing now, or why it can't be read. */
export type PresencePush = {
  [TAG]: 'presence';
  outcome: { ok: true; value: ListeningState } | { ok: false; error: SerializedError };
};

/** A shard that could not connect tells the manager why before it exits (fatal causes end the whole bot). */
export type StartupFailedReport = { [TAG]: 'startup-failed'; kind: StartupFailureKind; detail: string };

/** The serving side received a call for a namespace or method it doesn't have. */
export class UnknownMethodError extends Error {
  override name = 'UnknownMethodError';
}

export function isOurs<T extends { [TAG]: string }>(message: unknown): message is T {
  return typeof message === 'object' && message !== null && TAG in message;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const e = error as Error & Partial<SerializedError>;
  const out: SerializedError = { name: e.name, message: e.message };
  for (const key of ['reason', 'hint', 'description', 'retryAfterSeconds', 'quotaExceeded', 'status', 'detail'] as const) {
    if (e[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = e[key];
  }
  return out;
}

export function reviveError(data: SerializedError): Error {
  switch (data.name) {
    case 'SpotifyAuthError':
      return new SpotifyAuthError(data.reason ?? 'invalid_grant', data.hint ?? '', data.description);
    case 'SpotifyRateLimitError':
      return new SpotifyRateLimitError(data.retryAfterSeconds ?? 1, data.quotaExceeded ?? false);
    case 'SpotifyUnavailableError':
      return new SpotifyUnavailableError(data.detail ?? data.message, data.status);
    case 'SpotifyForbiddenError':
      return new SpotifyForbiddenError(data.detail ?? data.message);
    case 'SpotifyApiError':
      return new SpotifyApiError(data.status ?? 0, data.detail ?? data.message);
    case 'UnknownMethodError':
      return new UnknownMethodError(data.message);
    case 'HistoryDisabledError':
      return new HistoryDisabledError();
    default: {
      const error = data.name.startsWith('Spotify') ? new SpotifyError(data.message) : new Error(data.message);
      error.name = data.name;
      return error;
    }
  }
}
