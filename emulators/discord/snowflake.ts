// Snowflakes and shard routing, as Discord computes them.

const DISCORD_EPOCH = 1420070400000n;
let snowflakeIncrement = 0n;

/** A real-looking snowflake for `timestamp` (ms since the Unix epoch). */
export function snowflake(timestamp: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(timestamp) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

/** shard_id = (guild_id >> 22) % shardCount; DMs (no guild) go to shard 0. */
export function shardForGuild(guildId: string | null | undefined, shardCount: number): number {
  if (!guildId) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A deterministic guild snowflake that lands on `shardId` of `shardCount`; vary `seed` for distinct ids. */
export function guildIdForShard(shardId: number, shardCount: number, seed = 0): string {
  if (shardId < 0 || shardId >= shardCount) throw new RangeError(`shard ${shardId} is not in 0..${shardCount - 1}`);
  // 2021-06-01T00:00:00Z, spaced by a second per seed.
  const base = 1622505600000n - DISCORD_EPOCH + BigInt(seed) * 1000n * BigInt(shardCount);
  const count = BigInt(shardCount);
  const t = base - (base % count) + BigInt(shardId);
  return ((t << 22n) | (2n << 17n) | BigInt(seed & 0xfff)).toString();
}

// ---------------------------------------------------------------------------------------------
