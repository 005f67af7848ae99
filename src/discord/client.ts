// The discord.js client: the Guilds intent (+ the privileged GuildPresences with DISCORD_PRESENCES=on, read raw by
// src/listeners/discord-status-feed.ts, never cached here), caches trimmed to what the bot uses, REST pointed at
// DISCORD_API_URL, and dispatch of slash commands, buttons and modals to the command modules.
// An unknown command or a handler that throws gets an ephemeral error reply and a log line, never a crash.
import { Client, Events, MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import type { ShardAssignment } from '../config.js';
import type { CommandContext } from '../service-types.js';
import { botClientOptions } from './client-options.js';
import type { SlashCommand } from './command.js';
import { withoutLibraryEnv } from './library-env.js';
import { errorReply } from './error-replies.js';
import { memberLocales } from '../i18n/member-locales.js';
import { interactionTranslator } from './locale.js';

/** One client; `shard`: the shards of this process under the ShardingManager (one process: shard 0 of 1). */
export function createDiscordClient(apiUrl: string, options: { shard?: ShardAssignment; presences?: boolean } = {}): Client {
  const { shard } = options;
  return withoutLibraryEnv(
    shard,
    () =>
      new Client({
        ...botClientOptions(options),
        rest: { api: apiUrl },
        shards: shard?.ids ?? [0],
        shardCount: shard?.count ?? 1,
      }),
  );
}

async function replyWithError(interaction: RepliableInteraction, error: unknown): Promise<void> {
  const payload = errorReply(error, await interactionTranslator(interaction));
  if (interaction.deferred || interaction.replied) await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
}

function findByCustomId(commands: readonly SlashCommand[], customId: string): SlashCommand | undefined {
  return commands.find((c) => c.customIdPrefix !== undefined && customId.startsWith(c.customIdPrefix));
}

/** Route one interaction to its command module. Never throws. */
export async function dispatchInteraction(
  interaction: Interaction,
  commands: readonly SlashCommand[],
  ctx: CommandContext,
): Promise<void> {
  const logger = ctx.logger.child('discord');
  let what = `interaction type ${interaction.type}`;
  try {
    // The member's language: remembered for their DMs, and loaded now so the reply has it at hand.
    memberLocales.remember(interaction.user.id, interaction.locale);
    await interactionTranslator(interaction);
    if (interaction.isChatInputCommand()) {
      what = `/${interaction.commandName}`;
      const command = commands.find((c) => c.data.name === interaction.commandName);
      if (!command) throw new UnknownInteractionError(`unknown command ${what}`);
      logger.debug('command', { command: what, user: interaction.user.id, guild: interaction.guildId ?? 'none' });
      await command.execute(interaction, ctx);
    } else if (interaction.isButton()) {
      what = `button ${interaction.customId}`;
      const command = findByCustomId(commands, interaction.customId);
      if (!command?.handleButton) throw new UnknownInteractionError(`no handler for ${what}`);
      await command.handleButton(interaction, ctx);
    } else if (interaction.isAutocomplete()) {
      what = `autocomplete /${interaction.commandName}`;
      const command = commands.find((c) => c.data.name === interaction.commandName);
      if (!command?.autocomplete) throw new UnknownInteractionError(`no handler for ${what}`);
      await command.autocomplete(interaction, ctx);
    } else if (interaction.isModalSubmit()) {
      what = `modal ${interaction.customId}`;
      const command = findByCustomId(commands, interaction.customId);
      if (!command?.handleModal) throw new UnknownInteractionError(`no handler for ${what}`);
      await command.handleModal(interaction, ctx);
    }
  } catch (error) {
    const known = error instanceof UnknownInteractionError;
    (known ? logger.warn : logger.error)('interaction failed', { what, error });
    if (interaction.isRepliable()) {
      await replyWithError(interaction, error).catch((replyError: unknown) =>
        logger.warn('could not send the error reply', { what, error: replyError }),
      );
    }
  }
}

class UnknownInteractionError extends Error {
  override name = 'UnknownInteractionError';
}

export function attachDispatcher(client: Client, commands: readonly SlashCommand[], ctx: CommandContext): void {
  client.on(Events.InteractionCreate, (interaction) => {
    void dispatchInteraction(interaction, commands, ctx);
  });
}
