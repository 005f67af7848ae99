// Whose listening a command shows, decided once for /nowplaying, /toptracks, /topartists, /recent and /chart (and
// their buttons), on whichever process got the interaction. `whoseFor` is the one call a command makes: whose, by
// what name, how to name or refuse the reply, and what to follow up with. The rules:
// - without `user`: the asker's own listening when they linked (or Discord status, for /nowplaying), else the
//   owner's, as before; with `user`: that member's.
// - someone else's listening is shown only in a server the bot is in (guild install) that the member is in now
//   (`memberHere`: the same check for the slash command and for every press of its buttons); in DMs only your own.
// - a member who chose "only me" is refused to everyone else before anything else — no Spotify call is made.
// The source rules (a link wins over Discord status, then the owner fallback) are src/listeners/resolve.ts's.
import {
  ApplicationIntegrationType,
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type User,
} from 'discord.js';
import { interactionTranslator } from '../../discord/locale.js';
import { respondWithReply, type RespondOptions } from '../../discord/respond.js';
import { COLORS, embedPayload, escapeAndTruncate, oneLine, truncate, type ReplyPayload } from '../../discord/text.js';
import { OWNER, type Listener } from '../../listeners/listener.js';
import { resolveListener, type HiddenReason, type Resolution } from '../../listeners/resolve.js';
import type { CommandContext } from '../../service-types.js';
import type { Translator } from '../../i18n/translator.js';
import { SpotifyAuthError } from '../../spotify/errors.js';
import { noticesReply } from './replies.js';

/** Whose listening, as decided (plain data). */
type Decided =
  /** Show this listener's Spotify data; `name` says whose it is; `self` when it is the asker's own link. */
  | { kind: 'spotify'; listener: Listener; name: string; userId: string | null; self: boolean }
  /** Show a member's Discord status (only where the command allows it). */
  | { kind: 'discord-status'; resolution: Extract<Resolution, { kind: 'discord-status' }>; name: string }
  /** Not shown here (private, not linked, not in a shared server): answer ephemerally, ask Spotify nothing. */
  | { kind: 'hidden'; why: HiddenReason; userId: string; name: string }
  /** Answer this, ephemerally, and nothing else. */
  | { kind: 'refused'; payload: ReplyPayload };

interface FollowsUp {
  /** After the command's reply: notices owed to the asker about their own link (expiry reminder, a dropped link). */
  followUp(): Promise<void>;
}

interface Refuses {
  /**
   * Tell the asker privately why nothing is shown, and ask Spotify nothing: `reply` (the command's own words) or the
   * common answer. A slash command is answered through `respondWithReply` with `options`; a button press at once.
   */
  refuse(options: RespondOptions, reply?: ReplyPayload): Promise<void>;
}

/** Spotify data to show. */
export type SpotifyWhose = Extract<Decided, { kind: 'spotify' }> &
  FollowsUp & {
    /** The payload with whose listening it is on its first embed's author line ("Ana · ▶ Now playing"). Pure. */
    named(payload: ReplyPayload): ReplyPayload;
    /** The answer `build` makes from their data; a failure of a member's own link is answered as such, not thrown. */
    answer(build: () => Promise<ReplyPayload>): Promise<ReplyPayload>;
  };

/** Whose listening a command shows, by what name, and what goes with the answer: what `whoseFor` returns. */
export type Whose =
  | SpotifyWhose
  | (Extract<Decided, { kind: 'discord-status' }> & FollowsUp & Refuses)
  | (Extract<Decided, { kind: 'hidden' | 'refused' }> & Refuses);

/**
 * What a command is asked to show: the `user` option (null: "mine"; Discord status answers only with `allowStatus`),
 * or the member id a page button carries (undefined: the owner's pages, as before members could link).
 */
export type WhoseTarget = { user: string | null; allowStatus?: boolean } | { page: string | undefined };

const NAME_MAX = 80;
const NAME_TTL_MS = 10 * 60_000;
const NAMES_MAX = 256;
/** Display names fetched for buttons and the owner fallback, so a page press isn't a Discord REST call each time. */
const names = new Map<string, { name: string; at: number }>();

const nameOfUser = (user: Pick<User, 'globalName' | 'username'>): string => user.globalName ?? user.username;

/** A member's display name: from the interaction when it names them, else cached or fetched. */
export async function nameOf(interaction: ChatInputCommandInteraction | ButtonInteraction, userId: string, ctx: CommandContext): Promise<string> {
  if (userId === interaction.user.id) return nameOfUser(interaction.user);
  if (interaction.isChatInputCommand()) {
    const option = interaction.options.getUser('user');
    if (option?.id === userId) return nameOfUser(option);
  }
  const cached = names.get(userId);
  if (cached) {
    // A known name answers at once; an old one is refreshed in the background, never on the reply's path.
    if (ctx.now() - cached.at >= NAME_TTL_MS && !refreshing.has(userId)) {
      refreshing.add(userId);
      void fetchName(interaction, userId, ctx).finally(() => refreshing.delete(userId));
    }
    return cached.name;
  }
  const fetched = await fetchName(interaction, userId, ctx);
  if (fetched !== null) return fetched;
  // Discord didn't say: named in the asker's language instead.
  return (await interactionTranslator(interaction)).t(userId === ctx.config.discord.ownerId ? 'whose.botOwner' : 'whose.thisMember');
}

const refreshing = new Set<string>();

async function fetchName(interaction: ChatInputCommandInteraction | ButtonInteraction, userId: string, ctx: CommandContext): Promise<string | null> {
  const fetched = await interaction.client.users.fetch(userId, { cache: false }).then(nameOfUser, () => null);
  if (fetched) {
    names.delete(userId);
    names.set(userId, { name: fetched, at: ctx.now() });
    if (names.size > NAMES_MAX) names.delete(names.keys().next().value!);
  }
  return fetched;
}

/** The owner's display name (for the owner's pages); "the bot owner" without BOT_OWNER_ID. */
async function ownerNameFor(interaction: ChatInputCommandInteraction | ButtonInteraction, ctx: CommandContext): Promise<string> {
  const id = ctx.config.discord.ownerId;
  return id ? nameOf(interaction, id, ctx) : (await interactionTranslator(interaction)).t('whose.botOwner');
}

/** The guild the interaction came from, when the bot itself is in it (guild install); null in DMs and elsewhere. */
export function sharedGuildOf(interaction: ChatInputCommandInteraction | ButtonInteraction): string | null {
  const guildId = interaction.guildId;
  if (!guildId) return null;
  return interaction.authorizingIntegrationOwners[ApplicationIntegrationType.GuildInstall] === guildId ? guildId : null;
}

const bold = (name: string): string => `**${escapeAndTruncate(name, NAME_MAX)}**`;

/**
 * Whether `userId` is a member of `guildId` now: the one check for a slash command's `user` option and for a button
 * that names a member, so the two can't drift. When the command resolved that user, Discord's own answer (free, and
 * noted for the views); otherwise (a button: pressed later, perhaps after the member left, or in another server)
 * asked through the membership module, counting only what Discord confirmed — an outage refuses, never shows.
 */
export async function memberHere(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: Pick<CommandContext, 'members'>,
  guildId: string,
  userId: string,
): Promise<boolean> {
  const { membership } = ctx.members;
  if (interaction.isChatInputCommand() && interaction.options.getUser('user')?.id === userId) {
    const resolved = interaction.options.getMember('user') !== null;
    membership.observe(guildId, userId, resolved);
    return resolved;
  }
  return (await membership.currentMembers(guildId, [userId], { unknownAs: 'absent' })).has(userId);
}

/**
 * Whose listening this command or button press shows: the one call a command makes (see `Whose`). Someone else's
 * only where `memberHere` says they are a member, checked on every call (every button press too).
 */
export async function whoseFor(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: CommandContext,
  target: WhoseTarget,
): Promise<Whose> {
  const decided: Decided = !('page' in target)
    ? await decide(interaction, ctx, { userId: target.user, allowStatus: target.allowStatus ?? false })
    : target.page !== undefined
      ? await decide(interaction, ctx, { userId: target.page, allowStatus: false })
      : { kind: 'spotify', listener: OWNER, name: await ownerNameFor(interaction, ctx), userId: ctx.config.discord.ownerId, self: false };
  const tr = await interactionTranslator(interaction);
  const followUp = (): Promise<void> => followUpNotices(interaction, ctx);
  const refuser =
    (whose: Exclude<Decided, { kind: 'spotify' }>): Refuses['refuse'] =>
    async (options, reply) => {
      const payload = reply ?? notShown(whose, interaction.user.id, tr);
      if (interaction.isChatInputCommand()) await respondWithReply(interaction, async () => payload, { ...options, ephemeral: true });
      else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
    };
  switch (decided.kind) {
    case 'spotify':
      return {
        ...decided,
        followUp,
        named: (payload) => namedFor(payload, decided.name),
        answer: async (build) => {
          try {
            return await build();
          } catch (error) {
            const failure = memberLinkFailure(error, decided, tr);
            if (failure) return failure;
            throw error;
          }
        },
      };
    case 'discord-status':
      return { ...decided, followUp, refuse: refuser(decided) };
    default:
      return { ...decided, refuse: refuser(decided) };
  }
}

/** Decide whose listening to show. `userId`: the `user` option or the id a page button carries; null for "mine". */
async function decide(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: CommandContext,
  opts: { userId: string | null; allowStatus: boolean },
): Promise<Decided> {
  const askerId = interaction.user.id;
  const guildId = sharedGuildOf(interaction);
  // The asker is a member of the server they use the bot in: worth knowing for the server views.
  if (guildId !== null) ctx.members.membership.observe(guildId, askerId, true);
  const other = opts.userId !== null && opts.userId !== askerId ? opts.userId : null;
  if (other !== null) {
    const owner = other === ctx.config.discord.ownerId;
    // The owner's listening is the bot's public status anyway; anyone else's only in a server shared with them.
    if (!owner && guildId === null) return { kind: 'hidden', why: 'not-in-a-server', userId: other, name: await nameOf(interaction, other, ctx) };
    // Not a member of this server: nothing of theirs is shown here (not even whether they linked).
    if (!owner && !(await memberHere(interaction, ctx, guildId!, other))) {
      return { kind: 'hidden', why: opts.allowStatus ? 'not-listening' : 'not-in-a-server', userId: other, name: await nameOf(interaction, other, ctx) };
    }
  }
  // The `user` option as given (also when it is the asker): "show me X" never falls back to the owner.
  const resolution = await resolveListener(ctx.members, { askerId, userId: opts.userId, guildId });
  switch (resolution.kind) {
    case 'spotify': {
      const userId = resolution.fallback ? ctx.config.discord.ownerId : resolution.userId;
      const name = userId ? await nameOf(interaction, userId, ctx) : (await interactionTranslator(interaction)).t('whose.botOwner');
      const self = resolution.listener.kind === 'linked' && resolution.listener.userId === askerId;
      if (self && guildId) void ctx.services.members.seenIn(askerId, guildId).catch(() => undefined);
      return { kind: 'spotify', listener: resolution.listener, name, userId, self };
    }
    case 'discord-status': {
      const name = await nameOf(interaction, resolution.listener.userId, ctx);
      if (opts.allowStatus) return { kind: 'discord-status', resolution, name };
      // Discord's status has no top lists or history: for these commands the member simply hasn't linked.
      return { kind: 'hidden', why: 'not-listening', userId: resolution.listener.userId, name };
    }
    case 'hidden':
      return { kind: 'hidden', why: resolution.why, userId: resolution.userId, name: await nameOf(interaction, resolution.userId, ctx) };
    default: {
      const unknown: never = resolution;
      throw new Error(`unknown resolution ${JSON.stringify(unknown)}`);
    }
  }
}

/** "<name> keeps their listening private", for every command. */
export function privateReply(name: string, tr: Translator): ReplyPayload {
  return embedPayload({ color: COLORS.neutral, description: tr.t('whose.private', { name: bold(name) }) });
}

/** Why a member's Spotify data isn't shown, for the commands Discord status can't answer (top lists, recent). */
export function hiddenReply(whose: Extract<Decided, { kind: 'hidden' }>, askerId: string, tr: Translator): ReplyPayload {
  const you = whose.userId === askerId;
  switch (whose.why) {
    case 'private':
      return privateReply(whose.name, tr);
    case 'not-in-a-server':
      return embedPayload({ color: COLORS.neutral, description: tr.t('whose.notInServer') });
    case 'presences-off':
    case 'not-listening':
      return embedPayload({
        color: COLORS.neutral,
        description: you ? tr.t('whose.youNotLinked') : tr.t('whose.notLinked', { name: bold(whose.name) }),
      });
    default: {
      const unknown: never = whose.why;
      throw new Error(`unknown reason ${String(unknown)}`);
    }
  }
}

/** The answer when Spotify data isn't shown (hidden or refused), for commands without a Discord-status source. */
function notShown(whose: Exclude<Decided, { kind: 'spotify' }>, askerId: string, tr: Translator): ReplyPayload {
  switch (whose.kind) {
    case 'hidden':
      return hiddenReply(whose, askerId, tr);
    case 'refused':
      return whose.payload;
    case 'discord-status':
      return hiddenReply({ kind: 'hidden', why: 'not-listening', userId: whose.resolution.listener.userId, name: whose.name }, askerId, tr);
    default: {
      const unknown: never = whose;
      throw new Error(`unknown answer ${JSON.stringify(unknown)}`);
    }
  }
}

/** A hint appended to a hidden-member answer: how to link. */
export function linkHint(tr: Translator): string {
  return tr.t('whose.linkHint');
}

/**
 * A Spotify failure that belongs to a linked member rather than to the owner: their link was dropped (invalid_grant)
 * or is gone. Everything else is the common error reply's to say.
 */
function memberLinkFailure(error: unknown, whose: Extract<Decided, { kind: 'spotify' }>, tr: Translator): ReplyPayload | null {
  if (whose.listener.kind !== 'linked' || !(error instanceof SpotifyAuthError) || error.reason === 'invalid_client') return null;
  return embedPayload({
    color: COLORS.error,
    description: whose.self ? tr.t('whose.selfDropped') : tr.t('whose.otherBroken', { name: bold(whose.name) }),
  });
}

/** After the reply: notices owed to the asker about their own link (expiry reminder, a dropped link), ephemeral. */
async function followUpNotices(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: CommandContext,
): Promise<void> {
  // Put in the asker's language by the members service (it holds what is owed; it crosses to shards as plain text).
  const notices = await ctx.services.members.notices(interaction.user.id, interaction.locale).catch(() => []);
  if (notices.length === 0 || !(interaction.replied || interaction.deferred)) return;
  await interaction.followUp({ ...noticesReply(notices), flags: MessageFlags.Ephemeral }).catch((error: unknown) =>
    ctx.logger.child('command').warn('could not send a notice', { error }),
  );
}

/** The payload with whose listening it is on its first embed's author line ("Ana · ▶ Now playing"). Pure. */
function namedFor(payload: ReplyPayload, name: string): ReplyPayload {
  const [first, ...rest] = payload.embeds;
  if (!first) return payload;
  const who = truncate(oneLine(name), NAME_MAX);
  const author = first.author?.name ? `${who} · ${first.author.name}` : `🎧 ${who}`;
  return { ...payload, embeds: [{ ...first, author: { ...first.author, name: truncate(author, 256) } }, ...rest] };
}
