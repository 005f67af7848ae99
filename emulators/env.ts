// A complete, valid environment for tests (fake values in the right shapes; no real secrets anywhere).
import type { Env } from '../src/config.js';

export const TEST_SPOTIFY_CLIENT_ID = '0123456789abcdef0123456789abcdef';
export const TEST_SPOTIFY_CLIENT_SECRET = 'fedcba9876543210fedcba9876543210';
export const TEST_DISCORD_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAwMA.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';
export const TEST_REFRESH_TOKEN = 'AQD-test-refresh-token-0000000000000000000000000000';

export function validEnv(overrides: Env = {}): Env {
  return {
    DISCORD_TOKEN: TEST_DISCORD_TOKEN,
    DISCORD_CLIENT_ID: '1000000000000000000',
    SPOTIFY_CLIENT_ID: TEST_SPOTIFY_CLIENT_ID,
    SPOTIFY_CLIENT_SECRET: TEST_SPOTIFY_CLIENT_SECRET,
    SPOTIFY_REFRESH_TOKEN: TEST_REFRESH_TOKEN,
    ...overrides,
  };
}

/** The settings that point the bot at running emulators (Discord, and Spotify when given). */
export function emulatorEnv(
  discord: { token: string; applicationId: string; apiUrl: string; cdnUrl?: string },
  spotify?: { accountsUrl: string; apiUrl: string },
): Record<string, string> {
  return {
    DISCORD_TOKEN: discord.token,
    DISCORD_CLIENT_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    // Attachments (/history import) from the emulator's CDN, which stands in for cdn.discordapp.com.
    ...(discord.cdnUrl ? { DISCORD_CDN_URL: discord.cdnUrl } : {}),
    ...(spotify ? { SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl, SPOTIFY_API_URL: spotify.apiUrl } : {}),
  };
}
