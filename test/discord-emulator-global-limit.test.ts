// The Discord emulator's global REST limit (50 requests per second for the bot, interaction responses excepted), as
// strict as Discord's: the 51st request within the second is a 429 with `global: true`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulators/discord.js';

let discord: DiscordEmulator;
beforeAll(async () => {
  discord = await DiscordEmulator.start({ token: 't0ken' });
});
afterAll(async () => {
  await discord.close();
});

describe('Discord emulator: global rate limit', () => {
  it('answers the 51st request in a second with a global 429, and counts no interaction responses', async () => {
    const get = () => fetch(`${discord.apiUrl}/v10/gateway/bot`, { headers: { Authorization: 'Bot t0ken' } });
    const started = Date.now();
    const statuses = await Promise.all(Array.from({ length: 51 }, () => get().then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown>, global: r.headers.get('x-ratelimit-global') }))));
    // All 51 must land inside one second for the check to mean anything.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(statuses.filter((s) => s.status === 200)).toHaveLength(50);
    const limited = statuses.filter((s) => s.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ body: { global: true }, global: 'true' });
    // An interaction callback is not counted: Discord answers it normally (here: unknown interaction, not 429).
    const callback = await fetch(`${discord.apiUrl}/v10/interactions/1/x/callback`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 4, data: { content: 'hi' } }) });
    expect(callback.status).not.toBe(429);
  });
});
