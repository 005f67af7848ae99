// npm run deploy [-- --guild | --global] [--force] [--help]
// Makes the slash commands registered with Discord match commands/: compares first, writes only on a difference.
// Scope: --guild (DISCORD_GUILD_ID; instant), --global (every server and user installs; may take a while to show),
// default: guild when DISCORD_GUILD_ID is set, else global.
import { commands } from '../commands/index.js';
import { syncCommands, createRest, type CommandScope } from '../src/discord/command-sync.js';
import { ConfigError, loadDiscordConfig, readEnv } from '../src/config.js';
import { classifyStartupError, connectTuning, fetchGatewayBot, hostOf } from '../src/discord/connect.js';

const USAGE = `Usage: npm run deploy [-- --guild | --global] [--force]

Makes the slash commands Discord knows match this version of the bot. It compares first and writes only when
something differs.

  --guild    register in the server DISCORD_GUILD_ID only (shows up instantly)
  --global   register everywhere: every server and user install (may take a while to show)
  --force    write even when the registered commands already match
  -h, --help show this help

Without --guild or --global: the server when DISCORD_GUILD_ID is set, else global.
Reads DISCORD_TOKEN, DISCORD_CLIENT_ID, DISCORD_GUILD_ID (and DISCORD_API_URL) from .env or the environment;
DISCORD_CONNECT_TIMEOUT (seconds, default 30) is how long to wait for Discord.
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  if (args.has('--help') || args.has('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  for (const arg of args) {
    if (!['--guild', '--global', '--force'].includes(arg)) fail(`Unknown option ${arg}. Use --guild, --global or --force (--help explains them).`);
  }
  if (args.has('--guild') && args.has('--global')) fail('Choose one of --guild and --global.');

  const env = readEnv();
  let discord;
  try {
    discord = loadDiscordConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  let scope: CommandScope;
  if (args.has('--global')) scope = { kind: 'global' };
  else if (args.has('--guild') || discord.guildId) {
    if (!discord.guildId) fail('--guild needs DISCORD_GUILD_ID (your server\'s ID) in .env.');
    scope = { kind: 'guild', guildId: discord.guildId };
  } else scope = { kind: 'global' };

  // Reach Discord and check the token first, with a deadline, so a hang or a DNS failure says so.
  const { timeoutMs } = connectTuning(discord);
  process.stdout.write('connecting to Discord…\n');
  try {
    await fetchGatewayBot(discord.apiUrl, discord.token, timeoutMs);
  } catch (error) {
    fail(classifyStartupError(error, hostOf(discord.apiUrl), timeoutMs / 1000).message);
  }
  const rest = createRest(discord.apiUrl, discord.token);
  try {
    const result = await syncCommands({
      rest,
      applicationId: discord.clientId,
      scope,
      definitions: commands.map((c) => c.data),
      force: args.has('--force'),
    });
    const where = scope.kind === 'guild' ? `server ${scope.guildId}` : 'everywhere (global)';
    process.stdout.write(
      result.changed
        ? `Registered ${result.count} commands ${where}: ${commands.map((c) => `/${c.data.name}`).join(', ')}\n`
        : `Commands ${where} are already up to date (${result.count}); nothing written.\n`,
    );
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 401) fail('Discord rejected DISCORD_TOKEN (401). Reset it in the Developer Portal → Bot.');
    if (status === 403 || status === 404) {
      fail(`Discord refused (${status}). Check DISCORD_CLIENT_ID, and that the bot was invited to DISCORD_GUILD_ID with the applications.commands scope.`);
    }
    fail(`Could not register commands: ${error instanceof Error ? error.message : String(error)}`);
  }
}

void main();
