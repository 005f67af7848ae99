// Log lines: one line each, bounded, well-formed (a lone surrogate from Spotify data is never written), secrets
// masked before the cut so a cut can't leave part of a secret readable.
import { describe, expect, it, vi } from 'vitest';
import { isoTimestamp } from '../src/iso-time.js';
import { createLogger, LOG_LINE_MAX, REDACTED } from '../src/logger.js';

interface WellFormedString {
  isWellFormed(): boolean;
}
const isWellFormed = (s: string): boolean => (s as unknown as WellFormedString).isWellFormed();

function capture(secrets: string[] = []): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', secrets, sink: (line) => lines.push(line), now: () => new Date(0) });
  return { lines, logger };
}

describe('log lines', () => {
  it('start with the time as toISOString writes it, without calling it (its first call loads ICU’s time-zone names)', () => {
    const times = [0, 1, 999, Date.UTC(2026, 11, 7, 3, 4, 5, 6), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(1, 0, 1), -1, Date.UTC(10_000, 0, 1)];
    const expected = times.map((t) => new Date(t).toISOString());
    const toISOString = vi.spyOn(Date.prototype, 'toISOString');
    try {
      const lines: string[] = [];
      const logger = createLogger({ level: 'info', sink: (line) => lines.push(line), now: () => new Date(Date.UTC(2026, 11, 7, 3, 4, 5, 6)) });
      logger.info('ready');
      expect(lines[0]).toBe('2026-12-07T03:04:05.006Z info  ready');
      expect(toISOString).not.toHaveBeenCalled();
      // Four-digit years are written here; others (and an invalid date's RangeError) are left to toISOString.
      expect(times.map((t) => isoTimestamp(new Date(t)))).toEqual(expected);
      expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
    } finally {
      toISOString.mockRestore();
    }
  });

  it('a lone surrogate in a message or a field is written as U+FFFD', () => {
    const { lines, logger } = capture();
    logger.info('now playing \uD83D', { track: 'Song \uDE00 (live)', plain: '\uD800' });
    const line = lines[0]!;
    expect(isWellFormed(line)).toBe(true);
    expect(line).toContain('now playing \uFFFD');
  });

  it('a huge line is cut to LOG_LINE_MAX, between graphemes, and stays one line', () => {
    const { lines, logger } = capture();
    logger.warn(`spotify said ${'👨‍👩‍👧‍👦'.repeat(3_000)}`, { body: 'x\n'.repeat(10_000) });
    const line = lines[0]!;
    expect(line.length).toBeLessThanOrEqual(LOG_LINE_MAX);
    expect(line.length).toBeGreaterThan(LOG_LINE_MAX - 20);
    expect(line.endsWith('…')).toBe(true);
    expect(line).not.toContain('\n');
    expect(isWellFormed(line)).toBe(true);
    // The family emoji is 11 code units; the cut never leaves a piece of one.
    expect(line.slice(0, -1).replace(/^.*spotify said /, '').replace(/👨‍👩‍👧‍👦/g, '')).toBe('');
  });

  it('a secret straddling the cut point is masked, not half-printed', () => {
    const secret = 'S3CRET-refresh-token-value-0123456789';
    const { lines, logger } = capture([secret]);
    // Place the secret so that it starts just before the line limit.
    const prefix = '1970-01-01T00:00:00.000Z info  '.length;
    logger.info(`${'a'.repeat(LOG_LINE_MAX - prefix - 10)}${secret}${'b'.repeat(100)}`);
    const line = lines[0]!;
    expect(line.length).toBeLessThanOrEqual(LOG_LINE_MAX);
    expect(line).not.toContain(secret.slice(0, 8));
    expect(line).toContain(REDACTED.slice(0, 5));
  });
});

describe('the secret mask', () => {
  it('a removed secret is no longer masked; one added by two holders stays until both removed it', () => {
    const { lines, logger } = capture();
    logger.addSecret('access-token-one');
    logger.addSecret('shared-refresh-token');
    logger.addSecret('shared-refresh-token');
    expect(logger.secretCount()).toBe(2);
    logger.removeSecret('access-token-one');
    logger.removeSecret('shared-refresh-token');
    logger.info('access-token-one shared-refresh-token');
    expect(lines.at(-1)).toContain(`access-token-one ${REDACTED}`);
    logger.removeSecret('shared-refresh-token');
    logger.removeSecret('never-added-value');
    expect(logger.secretCount()).toBe(0);
  });
});
