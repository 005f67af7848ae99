// Node/V8 flags the bot runs with (`npm start` passes them; the ShardingManager gives them to each shard; the bench
// spawns the bot and its bare-client baseline with them). Measured with `npm run bench` (RSS 3 s after ready at
// 1,000 realistic guilds, median of 5 runs; the bot is I/O-bound, so none of them shows in its latency):
//  · --max-semi-space-size=1: a 1 MB young generation (scavenges are cheap at this heap size).
//  · --optimize-for-size: V8 favours smaller code and heap over speed.
//  · --v8-pool-size=1: one V8 platform worker thread instead of four; every thread keeps its own malloc arena and
//    stack pages. 92 → 84 MB. (--single-threaded measured 91 MB alone and 95 MB with it; --single-threaded --no-opt
//    85 MB but without the optimizing compiler; --lite-mode breaks undici.)
export const LEAN_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--optimize-for-size', '--v8-pool-size=1'];
