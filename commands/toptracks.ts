// /toptracks [range] [limit] — the owner's most played tracks, 10 per page.
import { createTopCommand } from '../src/features/top/command.js';

const command = createTopCommand('tracks', 'toptracks', "Show the bot owner's top tracks on Spotify");
export const { data, execute, customIdPrefix, handleButton } = command;
