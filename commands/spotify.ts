// /spotify link | privacy | unlink — any member: link their own Spotify account, choose who sees it, delete it.
// /spotify login | status — the bot owner: re-link the bot's own account, see the link's health and every pairing
// (Discord id ↔ Spotify account); `/spotify unlink member:` removes a member's link (a wrong pairing).
// Linking is ONE flow for both (ephemeral steps → authorize link → paste button → modal, or the callback server):
// the same service calls and the same buttons; who is linking decides whose account it is.
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import {
  LOGIN_FIELD_ID,
  linkFailedReply,
  loginDoneReply,
  loginFailedReply,
  loginFailureText,
  loginModal,
  loginStartReply,
  notLinkedSelfReply,
  ownerOnlyReply,
  ownerOnlyUnlinkReply,
  ownerPrivacyReply,
  ownerUnlinkedReply,
  privacyReply,
  statusPrivacyReply,
  seatsFullReply,
  statusReply,
  unlinkedReply,
} from '../src/features/account/replies.js';
import { defineCommand } from '../src/discord/command.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { respondWithReply } from '../src/discord/respond.js';
import { linkedListener, PRIVACY_LABELS, type Privacy } from '../src/listeners/members.js';
import { OWNER, type Listener } from '../src/listeners/listener.js';
import type { CommandContext } from '../src/service-types.js';

const PRIVACY_CHOICES = [
  { name: PRIVACY_LABELS.server, value: 'server' },
  { name: PRIVACY_LABELS.private, value: 'private' },
] as const satisfies ReadonlyArray<{ name: string; value: Privacy }>;

const definition = defineCommand({
  name: 'spotify',
  description: 'Link your own Spotify account to the bot, or manage the link',
  subcommands: [
    { name: 'link', description: 'Link your own Spotify account (then /nowplaying, /toptracks… show yours)' },
    {
      name: 'privacy',
      description: 'Choose who can see your listening',
      options: [{ type: 'string', name: 'visibility', description: 'Who can see it', required: true, choices: PRIVACY_CHOICES }],
    },
    {
      name: 'unlink',
      description: 'Delete everything the bot keeps for your Spotify account',
      options: [{ type: 'user', name: 'member', description: "Bot owner: unlink this member's Spotify account instead" }],
    },
    { name: 'login', description: "Bot owner: link or re-link the bot's own Spotify account" },
    { name: 'status', description: "Bot owner: the Spotify link's health and the seats in use" },
  ],
});
export const { data } = definition;

export const customIdPrefix = 'spotify:';

const isOwner = (ctx: CommandContext, userId: string): boolean => ctx.config.discord.ownerId === userId;

/** Whose account this user links: the bot's own for the owner, their own for anyone else. */
const listenerFor = (ctx: CommandContext, userId: string): Listener => (isOwner(ctx, userId) ? OWNER : linkedListener(userId));

async function refuseUnlessOwner(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<boolean> {
  const ownerId = ctx.config.discord.ownerId;
  if (ownerId && interaction.user.id === ownerId) return false;
  ctx.logger.child('command').info('refused an owner-only /spotify subcommand', { user: interaction.user.id });
  await interaction.reply({ ...ownerOnlyReply(ownerId !== null, await interactionTranslator(interaction)), flags: MessageFlags.Ephemeral });
  return true;
}

const ephemeral = (ctx: CommandContext, what: string) => ({
  logger: ctx.logger.child('command'),
  what,
  deferAfterMs: ctx.deferAfterMs,
  ephemeral: true,
});

async function startLink(interaction: ChatInputCommandInteraction, ctx: CommandContext, what: string): Promise<void> {
  const userId = interaction.user.id;
  const listener = listenerFor(ctx, userId);
  const tr = await interactionTranslator(interaction);
  await respondWithReply(
    interaction,
    async () => {
      const names = { displayName: interaction.user.displayName, username: interaction.user.username };
      const started = await ctx.services.account.beginLogin(listener, userId, names);
      if (!started.ok) return seatsFullReply(started.used, started.max, tr);
      return loginStartReply(started.authorizeUrl, started.redirectUri, { callback: started.callback, member: listener.kind === 'linked' }, tr);
    },
    ephemeral(ctx, what),
  );
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const args = definition.parse(interaction);
  const userId = interaction.user.id;
  const tr = await interactionTranslator(interaction);
  switch (args.subcommand) {
    case 'login':
      if (await refuseUnlessOwner(interaction, ctx)) return;
      await startLink(interaction, ctx, '/spotify login');
      return;
    case 'link':
      await startLink(interaction, ctx, '/spotify link');
      return;
    case 'status':
      if (await refuseUnlessOwner(interaction, ctx)) return;
      await respondWithReply(
        interaction,
        async () => {
          const [status, seats] = await Promise.all([ctx.services.account.status(OWNER), ctx.services.members.seats()]);
          return statusReply({ ...status, seats, now: ctx.now() }, tr);
        },
        ephemeral(ctx, '/spotify status'),
      );
      return;
    case 'privacy': {
      const visibility = args.visibility;
      await respondWithReply(
        interaction,
        async () => {
          if (isOwner(ctx, userId)) return ownerPrivacyReply(tr);
          const saved = await ctx.services.members.setPrivacy(userId, visibility);
          if (saved) return privacyReply(saved.privacy, tr);
          // Without a link, the choice is about their recorded history (/history), kept with it.
          if (!ctx.config.history.enabled) return notLinkedSelfReply(tr);
          await ctx.services.history.setOnlyMe(userId, visibility === 'private');
          return statusPrivacyReply(visibility, tr);
        },
        ephemeral(ctx, '/spotify privacy'),
      );
      return;
    }
    case 'unlink': {
      const member = args.member;
      if (member !== null && member !== userId) {
        // Someone else's link: the owner's way to remove a wrong pairing seen in /spotify status.
        if (await refuseUnlessOwner(interaction, ctx)) return;
        await respondWithReply(
          interaction,
          async () => ownerUnlinkedReply(member, await ctx.services.members.unlink(member), tr),
          ephemeral(ctx, '/spotify unlink member'),
        );
        return;
      }
      await respondWithReply(
        interaction,
        async () => {
          // The owner's own link is the bot's: renewed with /spotify login, removed from the bot's settings.
          if (isOwner(ctx, userId)) return ownerOnlyUnlinkReply(tr);
          const wasLinked = await ctx.services.members.unlink(userId);
          return unlinkedReply(wasLinked, ctx.config.history.enabled && (await ctx.services.history.view(userId)).plays > 0, tr);
        },
        ephemeral(ctx, '/spotify unlink'),
      );
      return;
    }
    default: {
      const unknown: never = args;
      throw new Error(`unknown subcommand ${JSON.stringify(unknown)}`);
    }
  }
}

/** The paste button of the link message: the same modal for the owner and members. */
export async function handleButton(interaction: ButtonInteraction): Promise<void> {
  await interaction.showModal(loginModal(await interactionTranslator(interaction)));
}

export async function handleModal(interaction: ModalSubmitInteraction, ctx: CommandContext): Promise<void> {
  const userId = interaction.user.id;
  const listener = listenerFor(ctx, userId);
  const pasted = interaction.fields.getTextInputValue(LOGIN_FIELD_ID);
  const tr = await interactionTranslator(interaction);
  await respondWithReply(
    interaction,
    async () => {
      const result = await ctx.services.account.finishLogin(listener, userId, pasted);
      if (result.ok) return loginDoneReply({ ...result, member: listener.kind === 'linked', userId, history: ctx.config.history.enabled }, tr);
      return listener.kind === 'linked'
        ? linkFailedReply(result.reason, ctx.config.spotify.maxUsers, tr)
        : loginFailedReply(loginFailureText(result.reason, { maxUsers: ctx.config.spotify.maxUsers }, tr), tr);
    },
    ephemeral(ctx, listener.kind === 'linked' ? '/spotify link' : '/spotify login'),
  );
}
