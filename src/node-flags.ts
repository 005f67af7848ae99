// Node/V8 flags the bot runs with (`npm start` passes them; the ShardingManager gives them to each shard; the bench
// spawns the bot and its bare-client baseline with them). Measured with `npm run bench` (RSS 3 s after ready at
// 1,000 realistic guilds, median of 5 runs; the bot is I/O-bound, so none of them shows in its latency):
//  · --max-semi-space-size=1: a 1 MB young generation (scavenges are cheap at this heap size).
//  · --optimize-for-size: V8 favours smaller code and heap over speed.
//  · --v8-pool-size=1: one V8 platform worker thread instead of four; every thread keeps its own malloc arena and
//    stack pages. 92 → 84 MB. (--single-threaded measured 91 MB alone and 95 MB with it; --single-threaded --no-opt
//    85 MB but without the optimizing compiler; --lite-mode breaks undici.)
export const LEAN_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--optimize-for-size', '--v8-pool-size=1'];

/**
 * glibc malloc settings the deployments set in the environment (Dockerfile `ENV`, deploy/nowplaying-bot.service
 * `Environment=`); glibc reads them at process start, so they cannot be set from here. Shards inherit them.
 *  · MALLOC_MMAP_THRESHOLD_=32768: blocks of 32 KiB and more (decoded covers, cover copies, JPEG buffers, response
 *    chunks) get their own mapping, returned to the system when freed, instead of fragmenting the heap, where glibc
 *    keeps freed memory. Pictures (#12, `npx tsx bench/render.ts`, RSS after 200 mixed renders vs idle, with the
 *    lean flags): +77…96 MiB without, +60…66 MiB at 131072, +56…62 MiB at 32768; no CPU difference the bench shows.
 *    (MALLOC_ARENA_MAX=2 gained nothing on top of it and cost 15–25 MiB more at the first render.)
 */
export const MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '32768' };
