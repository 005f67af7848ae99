// `npm run deploy` (scripts/deploy-commands.ts) against the Discord emulator: registers, compares before writing,
// honours --guild/--global, and explains mistakes.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
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

/** A TCP server that accepts connections and never answers. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const writes = (): number => discord.restLog.filter((r) => r.method === 'PUT' && r.path.includes('/commands')).length;

describe('npm run deploy', () => {
  it('registers globally by default, then writes nothing while the definitions match', async () => {
    const first = await deploy([]);
    expect(first.code, first.out).toBe(0);
    const names = commands.map((c) => c.data.name);
    expect(first.out).toContain(`Registered ${names.length} commands everywhere (global): ${names.map((n) => `/${n}`).join(', ')}`);
    expect((discord.commands() as Array<{ name: string }>).map((c) => c.name).sort()).toEqual([...names].sort());
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
    expect(discord.commands(GUILD)).toHaveLength(commands.length);
    expect(discord.commands()).toHaveLength(0);
    const global = await deploy(['--global'], { DISCORD_GUILD_ID: GUILD });
    expect(global.code).toBe(0);
    expect(discord.commands()).toHaveLength(commands.length);
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
    expect(rejected.out).toMatch(/Discord refused the token \(401 Unauthorized\)/);
    expect(rejected.out).not.toContain(wrongToken);
    expect(writes()).toBe(0);
  }, 30_000);

  it('--help and -h explain every flag', async () => {
    for (const flag of ['--help', '-h']) {
      const help = await deploy([flag]);
      expect(help.code).toBe(0);
      for (const option of ['--guild', '--global', '--force', '--help', 'DISCORD_GUILD_ID']) expect(help.out).toContain(option);
    }
    expect(discord.restLog).toHaveLength(0);
  }, 30_000);

  it('says what happened when Discord is out of reach: DNS, a hang — not "check the token"', async () => {
    const dns = await deploy([], { DISCORD_API_URL: 'http://discord.invalid/api' });
    expect(dns.code).toBe(1);
    expect(dns.out).toMatch(/connecting to Discord…/);
    expect(dns.out).toMatch(/Can't reach discord\.invalid \(DNS\/network\): DNS lookup failed/);
    const silent = await silentServer();
    try {
      const started = Date.now();
      const hang = await deploy([], { DISCORD_API_URL: `http://127.0.0.1:${silent.port}/api`, DISCORD_CONNECT_TIMEOUT: '1' });
      expect(hang.code).toBe(1);
      expect(hang.out).toMatch(/Discord didn't answer within 1 s/);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await silent.close();
    }
    for (const out of [dns.out]) expect(out).not.toMatch(/TOKEN/);
  }, 30_000);
});
