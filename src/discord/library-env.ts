// discord.js's Client reads settings straight from process.env when it is built: SHARDS (JSON.parse'd, so the
// empty `SHARDS=` Compose passes from .env.example throws), SHARD_COUNT (an empty one becomes 0 shards) and
// DISCORD_TOKEN. The bot passes all of them explicitly from its config, so they are hidden while a Client is built
// and put back right after: no library sees a setting behind config's back.
import type { ShardAssignment } from '../config.js';

const READ_BY_CLIENT = ['SHARDS', 'SHARD_COUNT', 'DISCORD_TOKEN'];
// The ShardingManager sets these for its shard processes; discord.js's ShardClientUtil reports readiness to the
// manager through them, so a shard keeps them. Anywhere else they are not the bot's to have.
const SHARDING_PROTOCOL = ['SHARDING_MANAGER', 'SHARDING_MANAGER_MODE'];

/** Runs `build` (a `new Client(…)`) with what discord.js would read from process.env hidden from it. */
export function withoutLibraryEnv<T>(shard: ShardAssignment | undefined, build: () => T): T {
  const hidden = shard ? READ_BY_CLIENT : [...READ_BY_CLIENT, ...SHARDING_PROTOCOL];
  const saved = new Map<string, string>();
  for (const name of hidden) {
    const value = process.env[name];
    if (value === undefined) continue;
    saved.set(name, value);
    delete process.env[name];
  }
  try {
    return build();
  } finally {
    for (const [name, value] of saved) process.env[name] = value;
  }
}
