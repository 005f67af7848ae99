// /whoknows artist|track|album [name] — this server's members ranked by their all-time plays of it, the top one
// crowned from 30 plays, the asker's own row always shown. `name` has autocomplete from stored names (no Spotify
// call); left out, it is what the asker plays now (their link, their Discord status here, or — for the owner — the
// owner's). Counted: members in the server now (the membership module, batched), recording, and not "only me".
import { MessageFlags, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { respondWithReply } from '../src/discord/respond.js';
import type { ReplyPayload } from '../src/discord/text.js';
import { historyOffReply } from '../src/features/history/replies.js';
import { HistoryDisabledError } from '../src/features/history/service.js';
import { notInServerReply, notStoredReply, nothingPlayingReply, whoKnowsReply } from '../src/features/whoknows/replies.js';
import { choiceId } from '../src/features/whoknows/service.js';
import type { ItemKind, ItemQuery } from '../src/history/store.js';
import { atTime } from '../src/listening-state.js';
import { resolveListener } from '../src/listeners/resolve.js';
import type { Translator } from '../src/i18n/translator.js';
import type { CommandContext } from '../src/service-types.js';

const nameOption = { type: 'string', name: 'name', description: 'Which one (default: what you are playing now)', autocomplete: true } as const;

const definition = defineCommand({
  name: 'whoknows',
  description: "Who in this server has played it most (all time, from stored history)",
  guildOnly: true,
  subcommands: [
    { name: 'artist', description: 'Who in this server has played an artist most', options: [nameOption] },
    { name: 'track', description: 'Who in this server has played a track most', options: [nameOption] },
    { name: 'album', description: 'Who in this server has played an album most', options: [nameOption] },
  ],
});
export const { data } = definition;

const KINDS: readonly ItemKind[] = ['artist', 'track', 'album'];

/** What the asker plays now, from any source (their link, their status here; the owner's only for the owner). */
async function playingNow(interaction: ChatInputCommandInteraction, ctx: CommandContext, guildId: string): Promise<ItemQuery | null> {
  const resolution = await resolveListener(ctx.members, { askerId: interaction.user.id, userId: null, guildId });
  if (resolution.kind === 'discord-status') {
    const { track } = resolution;
    return { by: 'playing', track: { title: track.title, artist: track.artists[0] ?? '', album: track.album || null } };
  }
  // The owner fallback is someone else's listening: not "what you are playing".
  if (resolution.kind !== 'spotify' || resolution.fallback) return null;
  const state = atTime(await ctx.services.listening.current(resolution.listener), ctx.now());
  const artist = state.kind === 'track' ? state.artists[0]?.name : undefined;
  if (state.kind !== 'track' || !artist) return null;
  return { by: 'playing', track: { title: state.title, artist, album: state.album.name || null } };
}

async function answer(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  guildId: string,
  kind: ItemKind,
  name: string | null,
  tr: Translator,
): Promise<ReplyPayload> {
  const id = name === null ? null : choiceId(name);
  const query: ItemQuery | null =
    name === null ? await playingNow(interaction, ctx, guildId) : id !== null ? { by: 'id', id } : { by: 'name', name };
  if (query === null) return nothingPlayingReply(kind, tr);
  const { membership } = ctx.members;
  const [item, members] = await Promise.all([
    ctx.services.whoknows.find(kind, query),
    ctx.services.stats.serverCandidates().then((candidates) => membership.currentMembers(guildId, candidates)),
  ]);
  if (item === null) {
    const { track } = query.by === 'playing' ? query : { track: null };
    const typed = track ? (kind === 'artist' ? track.artist : kind === 'track' ? track.title : track.album) : query.by === 'name' ? query.name : null;
    return notStoredReply(kind, typed, tr);
  }
  const ranking = await ctx.services.whoknows.rank(kind, item.key, [...members], interaction.user.id);
  return whoKnowsReply({ ...ranking, item, serverName: interaction.guild?.name ?? tr.t('whoknows.thisServer'), askerId: interaction.user.id }, tr);
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const args = definition.parse(interaction);
  const tr = await interactionTranslator(interaction);
  // Only a server this process holds: its membership answers are asked through this process's gateway.
  const guildId = interaction.guildId;
  if (guildId === null || !interaction.client.guilds.cache.has(guildId)) {
    await interaction.reply({ ...notInServerReply(tr), flags: MessageFlags.Ephemeral });
    return;
  }
  const options = { logger: ctx.logger.child('command'), what: '/whoknows', deferAfterMs: ctx.deferAfterMs };
  if (!ctx.config.history.enabled) {
    await respondWithReply(interaction, async () => historyOffReply(tr), { ...options, ephemeral: true });
    return;
  }
  ctx.members.membership.observe(guildId, interaction.user.id, true);
  await respondWithReply(
    interaction,
    async () => {
      try {
        return await answer(interaction, ctx, guildId, args.subcommand, args.name, tr);
      } catch (error) {
        if (error instanceof HistoryDisabledError) return historyOffReply(tr);
        throw error;
      }
    },
    options,
  );
}

/** Stored names starting with what was typed (no Spotify call); an empty list when history is off or fails. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const kind = KINDS.find((k) => k === interaction.options.getSubcommand(false));
  const focused = interaction.options.getFocused(true);
  let choices: Array<{ name: string; value: string }> = [];
  if (kind !== undefined && focused.name === 'name' && ctx.config.history.enabled) {
    choices = await ctx.services.whoknows.suggest(kind, String(focused.value)).catch((error: unknown) => {
      ctx.logger.child('command').warn('whoknows suggestions failed', { error });
      return [];
    });
  }
  await interaction.respond(choices);
}
