// `npm run deploy` (scripts/deploy-commands.ts) against the Discord emulator: registers, compares before writing,
// honours --guild/--global, and explains mistakes.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulators/discord.js';
import { TEST_DISCORD_TOKEN } from '../emulators/env.js';

const ROOT = join(import.meta.dirname, '..');
const GUILD = '300000000000000001';
let discord: DiscordEmulator;
beforeEach(async () => {
  discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN, guildIds: [GUILD] });
});
afterEach(async () => {
  await discord.close();
});

function deploy(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/deploy-commands.ts', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DISCORD_TOKEN: discord.token,
        DISCORD_CLIENT_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const writes = (): number => discord.restLog.filter((r) => r.method === 'PUT' && r.path.includes('/commands')).length;

describe('npm run deploy', () => {
  it('registers globally by default, then writes nothing while the definitions match', async () => {
    const first = await deploy([]);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/Registered 4 commands everywhere \(global\): \/nowplaying, \/toptracks, \/topartists, \/spotify/);
    expect((discord.commands() as Array<{ name: string }>).map((c) => c.name).sort()).toEqual([
      'nowplaying',
      'spotify',
      'topartists',
      'toptracks',
    ]);
    const again = await deploy([]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already up to date/);
    expect(writes()).toBe(1);
    const forced = await deploy(['--force']);
    expect(forced.out).toMatch(/Registered/);
    expect(writes()).toBe(2);
  }, 30_000);

  it('--guild uses DISCORD_GUILD_ID; --global overrides it', async () => {
    const guild = await deploy(['--guild'], { DISCORD_GUILD_ID: GUILD });
    expect(guild.code, guild.out).toBe(0);
    expect(guild.out).toContain(`server ${GUILD}`);
    expect(discord.commands(GUILD)).toHaveLength(4);
    expect(discord.commands()).toHaveLength(0);
    const global = await deploy(['--global'], { DISCORD_GUILD_ID: GUILD });
    expect(global.code).toBe(0);
    expect(discord.commands()).toHaveLength(4);
  }, 30_000);

  it('explains mistakes: --guild without a server, unknown flags, a rejected token — without echoing it', async () => {
    const noGuild = await deploy(['--guild']);
    expect(noGuild.code).toBe(1);
    expect(noGuild.out).toMatch(/--guild needs DISCORD_GUILD_ID/);
    const unknown = await deploy(['--everywhere']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/Unknown option --everywhere/);
    const wrongToken = 'MTAwMDAwMDAwMDAwMDAwMDAwMQ.GaBcDe.zyxwvutsrqponmlkjihgfedcba9876543210ZY';
    const rejected = await deploy([], { DISCORD_TOKEN: wrongToken });
    expect(rejected.code).toBe(1);
    expect(rejected.out).toMatch(/rejected DISCORD_TOKEN \(401\)/);
    expect(rejected.out).not.toContain(wrongToken);
    expect(writes()).toBe(0);
  }, 30_000);
});
