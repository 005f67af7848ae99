// Every command the bot has. Adding one: write commands/<name>.ts exporting `data` and `execute` (and
// optionally `customIdPrefix` + `handleButton`/`handleModal`), then list it here.
import type { SlashCommand } from '../src/discord/command.js';
import * as nowplaying from './nowplaying.js';
import * as spotify from './spotify.js';
import * as topartists from './topartists.js';
import * as toptracks from './toptracks.js';

export const commands: readonly SlashCommand[] = [nowplaying, toptracks, topartists, spotify];
