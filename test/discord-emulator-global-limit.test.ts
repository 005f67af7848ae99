// The Discord emulator's global REST limit (by default 50 requests per second for the bot, interaction responses
// excepted), as strict as Discord's: the request past the limit within the window is a 429 with `global: true`.
// The window is stretched here so the check does not depend on how fast a busy machine sends 51 requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulators/discord.js';

let discord: DiscordEmulator;
let strictByDefault: DiscordEmulator;
beforeAll(async () => {
  discord = await DiscordEmulator.start({ token: 't0ken', globalRateLimit: { requests: 50, windowMs: 60_000 } });
  strictByDefault = await DiscordEmulator.start({ token: 't0ken' });
});
afterAll(async () => {
  await discord.close();
  await strictByDefault.close();
});

describe('Discord emulator: global rate limit', () => {
  it("is Discord's 50 a second unless a test says otherwise", () => {
    expect(strictByDefault.globalRateLimit).toEqual({ requests: 50, windowMs: 1000 });
  });

  it('answers the request past the limit with a global 429, and counts no interaction responses', async () => {
    const get = async () => {
      const r = await fetch(`${discord.apiUrl}/v10/gateway/bot`, { headers: { Authorization: 'Bot t0ken' } });
      return { status: r.status, body: (await r.json()) as Record<string, unknown>, global: r.headers.get('x-ratelimit-global') };
    };
    const statuses = await Promise.all(Array.from({ length: 51 }, get));
    expect(statuses.filter((s) => s.status === 200)).toHaveLength(50);
    const limited = statuses.filter((s) => s.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ body: { global: true }, global: 'true' });
    // An interaction callback is not counted: Discord answers it as it would (unknown interaction), not 429.
    const callback = await fetch(`${discord.apiUrl}/v10/interactions/1/x/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'hi' } }),
    });
    expect(callback.status).not.toBe(429);
    expect((await get()).status).toBe(429);
  });
});
