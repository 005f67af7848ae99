// Every command the bot has, in the order Discord lists them.
//
// Adding a command (see ARCHITECTURE.md):
// 1. commands/<name>.ts: `defineCommand({...})` for the definition (its options give the handler typed
//    arguments through `parse`), export `data` and `execute(interaction, ctx)`; for buttons or modals also a
//    `customIdPrefix` and `handleButton` / `handleModal`.
// 2. Its pure replies in src/features/<feature>/replies.ts (text kit: src/discord/text.ts).
// 3. If it needs data: one method in the feature's `<X>Namespace` (a namespace of `Services`, src/service-types.ts)
//    and its implementation in src/features/<feature>/service.ts, built in `createServices` (src/services.ts).
//    Shards get it over RPC with no other edit.
// 4. List it below. `npm run deploy` (or the next start) registers it with Discord.
import type { SlashCommand } from '../src/discord/command.js';
import * as announce from './announce.js';
import * as recap from './recap.js';
import * as chart from './chart.js';
import * as history from './history.js';
import * as listening from './listening.js';
import * as nowplaying from './nowplaying.js';
import * as recent from './recent.js';
import * as serverstats from './serverstats.js';
import * as serverchart from './serverchart.js';
import * as spotify from './spotify.js';
import * as stats from './stats.js';
import * as taste from './taste.js';
import * as topartists from './topartists.js';
import * as toptracks from './toptracks.js';
import * as whoknows from './whoknows.js';
import * as wrapped from './wrapped.js';

export const commands: readonly SlashCommand[] = [nowplaying, listening, recent, toptracks, topartists, chart, stats, serverstats, whoknows, history, spotify, announce, serverchart, taste, wrapped, recap];
