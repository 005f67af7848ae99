// Runs the whole bot (real discord.js client, real Spotify module) against both loopback emulators: the harness
// itself is in ./harness.ts (no vitest, so `npm run bench` uses it too); this adds the helpers tests use.
import { afterEach, expect } from 'vitest';
import { startHarness, type Harness } from './harness.js';

export { OWNER_ID, startHarness, type Harness, type HarnessOptions } from './harness.js';

/** Embed text of a message, joined, for readable assertions. */
export function embedText(message: { embeds?: Array<Record<string, unknown>> } | undefined): string {
  return JSON.stringify(message?.embeds ?? []);
}

/** Resolves with the activities once the emulator's current presence matches (now or after the next op 3). */
export async function presenceShows(h: Harness, activities: unknown[], timeoutMs = 5_000): Promise<unknown[]> {
  const matches = (actual: unknown[] | undefined): boolean => {
    try {
      expect(actual).toEqual(activities);
      return true;
    } catch {
      return false;
    }
  };
  const current = h.discord.currentPresence()?.activities;
  if (matches(current)) return current!;
  const update = await h.discord.waitFor<{ payload: { activities: unknown[] } }>(
    'presence',
    (p) => matches(p.payload.activities),
    timeoutMs,
  );
  return update.payload.activities;
}

/** For a test file: `const start = harnessPerTest()`; each test's harness is stopped after it. */
export function harnessPerTest(): (...args: Parameters<typeof startHarness>) => Promise<Harness> {
  let harness: Harness | null = null;
  afterEach(async () => {
    await harness?.stop();
    harness = null;
  });
  return async (...args) => {
    harness = await startHarness(...args);
    return harness;
  };
}

/** Discord's ephemeral message flag. */
export const EPHEMERAL = 1 << 6;
