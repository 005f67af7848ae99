// /topartists [range] [limit] — the owner's most played artists, 10 per page.
import { createTopCommand } from '../src/features/top/command.js';

const command = createTopCommand('artists', 'topartists', "Show the bot owner's top artists on Spotify");
export const { data, execute, customIdPrefix, handleButton } = command;
