// How the bot's discord.js client is built, minus REST and sharding: intents, caches, sweepers. Its own module (only
// discord.js imported) so `npm run bench` can build a bare client with exactly these options and show what the bot
// itself adds on top.
import { GatewayIntentBits, LimitedCollection, Options, type CacheFactory, type ClientOptions } from 'discord.js';

/** Caches the bot never reads: every manager of these kinds gets the same always-empty collection (below). */
const UNCACHED = new Set([
  'MessageManager',
  'PresenceManager',
  'ReactionManager',
  'ReactionUserManager',
  'GuildEmojiManager',
  'GuildStickerManager',
  'GuildBanManager',
  'GuildInviteManager',
  'GuildScheduledEventManager',
  'VoiceStateManager',
  'StageInstanceManager',
  'ThreadManager',
  'ThreadMemberManager',
  'AutoModerationRuleManager',
  'ApplicationCommandManager',
]);

/**
 * The cache factory. A LimitedCollection with maxSize 0 (and no keepOverLimit) refuses every `set`, so one instance
 * can stand in for all the uncached managers: discord.js would otherwise build ~16 empty collections per guild
 * (each a Map with its own hash table; ~3 MB of heap at 1,000 guilds of 3 text channels). The bot's own member and
 * user are kept; guilds, channels and roles are cached as usual (/announce checks the bot's permissions in a channel).
 */
export function botCacheFactory(): CacheFactory {
  const limited = Options.cacheWithLimits({
    ...Options.DefaultMakeCacheSettings,
    GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
    UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
  });
  const alwaysEmpty = new LimitedCollection<string, never>({ maxSize: 0 });
  return (managerType, holds, manager) =>
    UNCACHED.has(manager.name) || UNCACHED.has(managerType.name)
      ? (alwaysEmpty as unknown as ReturnType<CacheFactory>)
      : limited(managerType, holds, manager);
}

/** Everything the bot's client is built with except REST and sharding (also used by the bench's bare client). */
export function botClientOptions(options: { presences?: boolean } = {}): Pick<ClientOptions, 'intents' | 'makeCache' | 'sweepers'> {
  return {
    intents: options.presences ? [GatewayIntentBits.Guilds, GatewayIntentBits.GuildPresences] : [GatewayIntentBits.Guilds],
    // The bot reads no messages or members, and presences only raw (the status store): keep those caches empty.
    makeCache: botCacheFactory(),
    sweepers: Options.DefaultSweeperSettings,
  };
}
