// Grant-health notice markers: keyed by the refresh token, listed per account so that erasing the account finds
// the markers of every grant it had, and bounded (the oldest listed are deleted).
import { describe, expect, it } from 'vitest';
import { deadNoticeKey, eraseNotices, expiryNoticeKey, markNotice, noticeIndexKey } from '../src/features/account/grant-health.js';
import { openStorage } from '../src/storage.js';

describe('grant-health notice markers', () => {
  it('lists at most 8 per account (older ones deleted); erasing the account deletes the listed and the current grant\'s', async () => {
    const storage = await openStorage('memory://');
    try {
      const tokens = Array.from({ length: 10 }, (_, i) => `refresh-token-${i}`);
      for (const token of tokens) await markNotice(storage, 'user:1', expiryNoticeKey(token));
      await markNotice(storage, 'user:2', expiryNoticeKey('someone-else'));
      // A marker from before the list existed: only the current grant's key finds it.
      await storage.set(deadNoticeKey('current-token'), true);

      expect(await storage.get(noticeIndexKey('user:1'))).toEqual(tokens.slice(2).map(expiryNoticeKey));
      for (const token of tokens.slice(0, 2)) expect(await storage.get(expiryNoticeKey(token))).toBeUndefined();
      for (const token of tokens.slice(2)) expect(await storage.get(expiryNoticeKey(token))).toBe(true);

      await eraseNotices(storage, 'user:1', 'current-token');
      for (const token of tokens) expect(await storage.get(expiryNoticeKey(token))).toBeUndefined();
      expect(await storage.get(deadNoticeKey('current-token'))).toBeUndefined();
      expect(await storage.get(noticeIndexKey('user:1'))).toBeUndefined();
      expect(await storage.get(expiryNoticeKey('someone-else'))).toBe(true);
      expect(await storage.get(noticeIndexKey('user:2'))).toEqual([expiryNoticeKey('someone-else')]);
    } finally {
      await storage.close();
    }
  });
});
