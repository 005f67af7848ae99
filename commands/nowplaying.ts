// /nowplaying [user:@member] — what someone is listening to on Spotify right now. Whose and from where is decided in
// one place (src/features/account/whose.ts over src/listeners/resolve.ts): your own linked account, else your
// Discord status in this server, else the bot owner's; with `user`, that member's — a link wins over their Discord
// status, "only me" and servers you don't share are refused before anything is asked of Spotify. Every reply names
// whose listening it shows.
import { type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { respondWithReply } from '../src/discord/respond.js';
import { embedPayload, type ReplyPayload } from '../src/discord/text.js';
import { linkHint, privateReply, sharedGuildOf, whoseFor, type Whose } from '../src/features/account/whose.js';
import { DEFAULT_STYLE, nowPlayingPayload, STYLE_CHOICES, type NowPlayingStyle } from '../src/features/nowplaying/card.js';
import { startPlayLine, withPlayLine } from '../src/features/nowplaying/history-line.js';
import { hiddenListenerReply, statusNote, withSourceNote } from '../src/features/nowplaying/member-replies.js';
import { nowPlayingReply } from '../src/features/nowplaying/replies.js';
import { statusTrackState } from '../src/listeners/discord-status.js';
import type { Translator } from '../src/i18n/translator.js';
import type { CommandContext } from '../src/service-types.js';

const definition = defineCommand({
  name: 'nowplaying',
  description: 'Show what you, a member or the bot owner is listening to on Spotify right now',
  options: [
    { type: 'user', name: 'user', description: "Whose listening (default: yours if you linked Spotify or your status shows it, else the owner's)" },
    { type: 'string', name: 'style', description: 'A card (a picture with the text, default) or text only', choices: STYLE_CHOICES },
  ],
});
export const { data } = definition;

/** Why it isn't shown, with how to link (the Discord-status reasons are #11's replies). */
function notShownReply(whose: Extract<Whose, { kind: 'hidden' | 'refused' }>, tr: Translator): ReplyPayload {
  if (whose.kind === 'refused') return whose.payload;
  if (whose.why === 'private') return privateReply(whose.name, tr);
  const reply = hiddenListenerReply(whose.userId, whose.why, tr);
  const [first] = reply.embeds;
  return first ? embedPayload({ ...first, description: `${first.description ?? ''}\n${linkHint(tr)}` }) : reply;
}

async function shown(
  ctx: CommandContext,
  interaction: ChatInputCommandInteraction,
  whose: Extract<Whose, { kind: 'spotify' | 'discord-status' }>,
  style: NowPlayingStyle,
  tr: Translator,
): Promise<ReplyPayload> {
  const now = ctx.now();
  const card = { displayName: whose.name, source: whose.kind };
  // The history line's first part (who is counted here) runs while Spotify is asked.
  const history = startPlayLine(ctx, whose.kind === 'spotify' ? whose.listener : whose.resolution.listener, sharedGuildOf(interaction), tr);
  if (whose.kind === 'discord-status') {
    const { track } = whose.resolution;
    const line = track.artists[0] ? history.lineFor({ title: track.title, artist: track.artists[0] }) : null;
    const state = statusTrackState(track, now);
    const payload = await nowPlayingPayload(withSourceNote(nowPlayingReply(state, now, {}, tr), statusNote(whose.name, tr)), state, style, card, ctx, tr);
    return withPlayLine(payload, line ? await line.settle() : null);
  }
  return whose.answer(async () => {
    const state = await ctx.services.listening.current(whose.listener);
    const artist = state.kind === 'track' ? state.artists[0]?.name : undefined;
    const line = state.kind === 'track' && artist ? history.lineFor({ title: state.title, artist }) : null;
    const text = whose.named(nowPlayingReply(state, ctx.now(), whose.listener.kind === 'owner' ? {} : { whose: whose.name }, tr));
    const payload = await nowPlayingPayload(text, state, style, card, ctx, tr);
    return withPlayLine(payload, line ? await line.settle() : null);
  });
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const { user, style } = definition.parse(interaction);
  const options = { logger: ctx.logger.child('command'), what: '/nowplaying', deferAfterMs: ctx.deferAfterMs };
  const [whose, tr] = await Promise.all([whoseFor(interaction, ctx, { user, allowStatus: true }), interactionTranslator(interaction)]);
  if (whose.kind === 'hidden' || whose.kind === 'refused') {
    await whose.refuse(options, notShownReply(whose, tr));
    return;
  }
  await respondWithReply(interaction, () => shown(ctx, interaction, whose, style ?? DEFAULT_STYLE, tr), options);
  await whose.followUp();
}
