// /spotify login | status — owner only. Re-authorize Spotify from Discord (works for a bot on a remote server with
// no public URL: the owner pastes the redirected URL into a modal), and see the link's health.
import { SlashCommandBuilder } from '@discordjs/builders';
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import {
  LOGIN_FIELD_ID,
  loginDoneReply,
  loginFailedReply,
  loginModal,
  loginStartReply,
  ownerOnlyReply,
  statusReply,
} from '../src/discord/account-replies.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/availability.js';
import { respondWithReply } from '../src/discord/respond.js';
import type { BotServices, LoginResult } from '../src/services.js';

export const data = new SlashCommandBuilder()
  .setName('spotify')
  .setDescription("Manage the bot's Spotify link (bot owner only)")
  .setIntegrationTypes(INTEGRATION_TYPES)
  .setContexts(CONTEXTS)
  .addSubcommand((sub) => sub.setName('login').setDescription('Link or re-link the Spotify account'))
  .addSubcommand((sub) => sub.setName('status').setDescription("Show the Spotify link's health"));

export const customIdPrefix = 'spotify:';

async function refuseUnlessOwner(
  interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  app: BotServices,
): Promise<boolean> {
  const ownerId = app.config.discord.ownerId;
  if (ownerId && interaction.user.id === ownerId) return false;
  app.logger.child('command').info('refused /spotify for a non-owner', { user: interaction.user.id });
  await interaction.reply({ ...ownerOnlyReply(ownerId !== null), flags: MessageFlags.Ephemeral });
  return true;
}

const ephemeral = (app: BotServices, what: string) => ({
  logger: app.logger.child('command'),
  what,
  deferAfterMs: app.deferAfterMs,
  ephemeral: true,
});

const FAILURES: Record<Exclude<LoginResult, { ok: true }>['reason'], string> = {
  expired: 'This login has expired (or was already used).',
  state_mismatch: "That URL belongs to a different login attempt (its `state` doesn't match).",
  denied: 'Spotify says access was denied.',
  no_code: "That doesn't contain an authorization code.",
  code_rejected: 'Spotify rejected the code: it was already used or has expired.',
};

export async function execute(interaction: ChatInputCommandInteraction, app: BotServices): Promise<void> {
  if (await refuseUnlessOwner(interaction, app)) return;
  if (interaction.options.getSubcommand() === 'login') {
    await respondWithReply(
      interaction,
      async () => {
        const { authorizeUrl, redirectUri } = await app.account.beginLogin(interaction.user.id);
        return loginStartReply(authorizeUrl, redirectUri);
      },
      ephemeral(app, '/spotify login'),
    );
    return;
  }
  await respondWithReply(
    interaction,
    async () => statusReply({ ...(await app.account.status()), now: app.now() }),
    ephemeral(app, '/spotify status'),
  );
}

export async function handleButton(interaction: ButtonInteraction, app: BotServices): Promise<void> {
  if (await refuseUnlessOwner(interaction, app)) return;
  await interaction.showModal(loginModal());
}

export async function handleModal(interaction: ModalSubmitInteraction, app: BotServices): Promise<void> {
  if (await refuseUnlessOwner(interaction, app)) return;
  const pasted = interaction.fields.getTextInputValue(LOGIN_FIELD_ID);
  await respondWithReply(
    interaction,
    async () => {
      const result = await app.account.finishLogin(interaction.user.id, pasted);
      return result.ok ? loginDoneReply(result) : loginFailedReply(FAILURES[result.reason]);
    },
    ephemeral(app, '/spotify login'),
  );
}
