// The bench's baseline: a bare discord.js client built with the bot's own client options (intents, caches,
// sweepers: src/discord/client-options.ts) and started with the same Node flags, doing nothing else. Its RSS next to
// the bot's shows what the bot itself costs. Compiled by `tsc -p bench/tsconfig.json` to dist/bench/bare-client.js
// (run with plain node, like `npm start`: no TypeScript loader in the measured process).
// Reads DISCORD_API_URL and DISCORD_TOKEN; prints "connected to Discord guilds=N" once ready; exits on SIGTERM.
import { Client, Events } from 'discord.js';
import { botClientOptions } from '../src/discord/client-options.js';

const api = process.env.DISCORD_API_URL;
const token = process.env.DISCORD_TOKEN;
if (!api || !token) {
  process.stderr.write('bare-client: DISCORD_API_URL and DISCORD_TOKEN are required\n');
  process.exit(2);
}
const client = new Client({ ...botClientOptions(), rest: { api } });
client.once(Events.ClientReady, (ready) => {
  process.stdout.write(`connected to Discord guilds=${ready.guilds.cache.size}\n`);
});
process.once('SIGTERM', () => {
  void client.destroy().then(() => process.exit(0));
});
await client.login(token);
