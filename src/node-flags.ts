// V8 flags the bot runs with (`npm start` passes them; the ShardingManager gives them to each shard).
// A small young generation and size-optimized code keep RSS near 100 MB at 1,000 guilds; the bot's work is light
// enough that the extra scavenges don't show (see `npm run bench`).
export const LEAN_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--optimize-for-size'];
