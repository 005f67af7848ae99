// Small HTTP helpers shared by the token manager and the Web API client: a fetch with a hard timeout, and
// Spotify's error-body shapes.
import { SpotifyUnavailableError } from './errors.js';

export interface HttpOptions {
  /** Abort a request that has not completed (headers and body) within this many ms. */
  timeoutMs: number;
  /** Delays between attempts after a transient failure (5xx, network, timeout); its length is the retry count. */
  retryDelaysMs: readonly number[];
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });

export interface HttpResult {
  status: number;
  headers: Headers;
  /** Raw body text ('' for 204). */
  text: string;
}

/** One request, with the body read inside the same timeout. Network failures and timeouts become SpotifyUnavailableError. */
export async function fetchText(url: string, init: RequestInit, timeoutMs: number): Promise<HttpResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal });
    const text = response.status === 204 ? '' : await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new SpotifyUnavailableError(`no answer within ${timeoutMs} ms`);
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new SpotifyUnavailableError(`network error (${cause})`);
  }
}

export function isTransientStatus(status: number): boolean {
  return status === 500 || status === 502 || status === 503 || status === 504;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(headers: Headers, now: number): number | null {
  const raw = headers.get('retry-after');
  if (raw === null) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(raw);
  if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  return null;
}

/** `{"error":{"status":N,"message":"…","reason":"…"}}` → its message and reason. */
export function apiErrorOf(body: unknown): { message: string; reason?: string } {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === 'object' && error !== null) {
      const { message, reason } = error as { message?: unknown; reason?: unknown };
      return {
        message: typeof message === 'string' ? message : 'unknown error',
        ...(typeof reason === 'string' ? { reason } : {}),
      };
    }
  }
  return { message: 'unknown error' };
}

/** OAuth error body `{"error":"invalid_grant","error_description":"…"}`. */
export function oauthErrorOf(body: unknown): { error: string; description?: string } | null {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const { error, error_description: description } = body as { error: unknown; error_description?: unknown };
    if (typeof error === 'string') {
      return { error, ...(typeof description === 'string' ? { description } : {}) };
    }
  }
  return null;
}
