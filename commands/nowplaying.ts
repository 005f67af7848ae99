// /nowplaying [user:@member] — what someone is listening to on Spotify right now. Who and from where is decided in
// one place (src/listeners/resolve.ts): a linked account (the owner) through Spotify; otherwise the member's Discord
// status in this server; plain /nowplaying by someone with neither shows the bot owner.
import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { respondWithReply } from '../src/discord/respond.js';
import { hiddenListenerReply, statusNote, withSourceNote } from '../src/features/nowplaying/member-replies.js';
import { nowPlayingReply } from '../src/features/nowplaying/replies.js';
import { statusTrackState } from '../src/listeners/discord-status.js';
import { resolveListener } from '../src/listeners/resolve.js';
import type { CommandContext } from '../src/services.js';
import type { ReplyPayload } from '../src/discord/text.js';

const definition = defineCommand({
  name: 'nowplaying',
  description: 'Show what you, a member or the bot owner is listening to on Spotify right now',
  options: [{ type: 'user', name: 'user', description: "Whose listening (default: yours if your status shows Spotify, else the owner's)" }],
});
export const { data } = definition;

/** The name Discord shows for the member (server nickname first), for the source note. */
function displayNameOf(interaction: ChatInputCommandInteraction, userId: string): string | null {
  if (userId === interaction.user.id) {
    const member = interaction.member;
    return member && 'displayName' in member ? member.displayName : interaction.user.displayName;
  }
  const member = interaction.options.getMember('user');
  if (member && 'displayName' in member) return member.displayName;
  return interaction.options.getUser('user')?.displayName ?? null;
}

async function reply(interaction: ChatInputCommandInteraction, ctx: CommandContext, userId: string | null): Promise<ReplyPayload> {
  const resolution = await resolveListener(ctx.members, { askerId: interaction.user.id, userId, guildId: interaction.guildId });
  switch (resolution.kind) {
    case 'spotify':
      return nowPlayingReply(await ctx.services.listening.current(resolution.listener), ctx.now());
    case 'discord-status': {
      const now = ctx.now();
      const note = statusNote(displayNameOf(interaction, resolution.listener.userId));
      return withSourceNote(nowPlayingReply(statusTrackState(resolution.track, now), now), note);
    }
    case 'hidden':
      return hiddenListenerReply(resolution.userId, resolution.why);
    default: {
      const unknown: never = resolution;
      throw new Error(`unknown resolution ${JSON.stringify(unknown)}`);
    }
  }
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const { user } = definition.parse(interaction);
  await respondWithReply(interaction, () => reply(interaction, ctx, user), {
    logger: ctx.logger.child('command'),
    what: '/nowplaying',
    deferAfterMs: ctx.deferAfterMs,
  });
}
