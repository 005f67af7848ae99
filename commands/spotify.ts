// /spotify login | status — owner only. Re-authorize Spotify from Discord (works for a bot on a remote server with
// no public URL: the owner pastes the redirected URL into a modal), and see the link's health.
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import {
  LOGIN_FIELD_ID,
  loginDoneReply,
  loginFailedReply,
  loginModal,
  loginStartReply,
  ownerOnlyReply,
  statusReply,
} from '../src/features/account/replies.js';
import { defineCommand } from '../src/discord/command.js';
import { respondWithReply } from '../src/discord/respond.js';
import { OWNER } from '../src/listeners/listener.js';
import type { CommandContext, LoginResult } from '../src/services.js';

const definition = defineCommand({
  name: 'spotify',
  description: "Manage the bot's Spotify link (bot owner only)",
  subcommands: [
    { name: 'login', description: 'Link or re-link the Spotify account' },
    { name: 'status', description: "Show the Spotify link's health" },
  ],
});
export const { data } = definition;

export const customIdPrefix = 'spotify:';

async function refuseUnlessOwner(
  interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  ctx: CommandContext,
): Promise<boolean> {
  const ownerId = ctx.config.discord.ownerId;
  if (ownerId && interaction.user.id === ownerId) return false;
  ctx.logger.child('command').info('refused /spotify for a non-owner', { user: interaction.user.id });
  await interaction.reply({ ...ownerOnlyReply(ownerId !== null), flags: MessageFlags.Ephemeral });
  return true;
}

const ephemeral = (ctx: CommandContext, what: string) => ({
  logger: ctx.logger.child('command'),
  what,
  deferAfterMs: ctx.deferAfterMs,
  ephemeral: true,
});

const FAILURES: Record<Exclude<LoginResult, { ok: true }>['reason'], string> = {
  expired: 'This login has expired (or was already used).',
  state_mismatch: "That URL belongs to a different login attempt (its `state` doesn't match).",
  denied: 'Spotify says access was denied.',
  no_code: "That doesn't contain an authorization code.",
  code_rejected: 'Spotify rejected the code: it was already used or has expired.',
};

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  if (await refuseUnlessOwner(interaction, ctx)) return;
  const { subcommand } = definition.parse(interaction);
  switch (subcommand) {
    case 'login':
      await respondWithReply(
        interaction,
        async () => {
          const { authorizeUrl, redirectUri } = await ctx.services.account.beginLogin(OWNER, interaction.user.id);
          return loginStartReply(authorizeUrl, redirectUri);
        },
        ephemeral(ctx, '/spotify login'),
      );
      return;
    case 'status':
      await respondWithReply(
        interaction,
        async () => statusReply({ ...(await ctx.services.account.status(OWNER)), now: ctx.now() }),
        ephemeral(ctx, '/spotify status'),
      );
      return;
    default: {
      const unknown: never = subcommand;
      throw new Error(`unknown subcommand ${String(unknown)}`);
    }
  }
}

export async function handleButton(interaction: ButtonInteraction, ctx: CommandContext): Promise<void> {
  if (await refuseUnlessOwner(interaction, ctx)) return;
  await interaction.showModal(loginModal());
}

export async function handleModal(interaction: ModalSubmitInteraction, ctx: CommandContext): Promise<void> {
  if (await refuseUnlessOwner(interaction, ctx)) return;
  const pasted = interaction.fields.getTextInputValue(LOGIN_FIELD_ID);
  await respondWithReply(
    interaction,
    async () => {
      const result = await ctx.services.account.finishLogin(OWNER, interaction.user.id, pasted);
      return result.ok ? loginDoneReply(result) : loginFailedReply(FAILURES[result.reason]);
    },
    ephemeral(ctx, '/spotify login'),
  );
}
