// Discord's per-channel message limit, with the headers discord.js reads to pace itself.
import { HttpError } from './http-error.js';

export class ChannelRateLimiter {
  /** channelId → timestamps of accepted POSTs in the current window */
  private readonly channelBuckets = new Map<string, number[]>();

  constructor(readonly channelRateLimit: { messages: number; windowMs: number }) {}

  /**
   * Discord's per-channel message limit (5 per 5 s by default): takes a slot or throws 429 with `retry_after` and the
   * headers discord.js reads (Retry-After, X-RateLimit-*). Successful posts carry the X-RateLimit-* headers too, so
   * discord.js waits by itself before the sixth post instead of running into the 429.
   * Discord's Retry-After header is whole seconds; the emulator keeps milliseconds so short test windows stay short.
   */
  take(channelId: string, now: number): Record<string, string> {
    const { messages, windowMs } = this.channelRateLimit;
    const recent = (this.channelBuckets.get(channelId) ?? []).filter((t) => now - t < windowMs);
    this.channelBuckets.set(channelId, recent);
    const resetAfter = (first: number): number => Math.max(0, first + windowMs - now) / 1000;
    const common = { 'X-RateLimit-Limit': String(messages), 'X-RateLimit-Bucket': 'emulated-channel-messages' };
    const oldest = recent[0];
    if (recent.length >= messages && oldest !== undefined) {
      const retryAfter = Number(resetAfter(oldest).toFixed(3));
      throw new HttpError(
        429,
        { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
        {
          ...common,
          'Retry-After': String(retryAfter),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset-After': String(retryAfter),
          'X-RateLimit-Reset': ((now + retryAfter * 1000) / 1000).toFixed(3),
          'X-RateLimit-Scope': 'user',
        },
      );
    }
    recent.push(now);
    const resetIn = resetAfter(recent[0] ?? now);
    return {
      ...common,
      'X-RateLimit-Remaining': String(messages - recent.length),
      'X-RateLimit-Reset-After': resetIn.toFixed(3),
      'X-RateLimit-Reset': ((now + resetIn * 1000) / 1000).toFixed(3),
    };
  }
}

/**
 * Discord's global limit: a bot may make `requests` (50) REST requests per second, all routes together, interaction
 * responses excepted. Counted in one-second windows that start with the first request after the last one ended (the
 * way discord.js paces itself), so a client within the limit never sees a 429; two processes on one token (shards)
 * share it, as on Discord. Over it: 429 with `global: true` and X-RateLimit-Global.
 */
export class GlobalRateLimiter {
  private windowStart = -Infinity;
  private used = 0;

  constructor(readonly limit: { requests: number; windowMs: number }) {}

  take(now: number): void {
    if (now - this.windowStart >= this.limit.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used >= this.limit.requests) {
      const retryAfter = Number((Math.max(0, this.windowStart + this.limit.windowMs - now) / 1000).toFixed(3));
      throw new HttpError(
        429,
        { message: 'You are being rate limited.', retry_after: retryAfter, global: true },
        { 'Retry-After': String(retryAfter), 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' },
      );
    }
    this.used++;
  }
}
