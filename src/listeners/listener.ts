// Who the bot can show: a listener. The owner (their grant comes from SPOTIFY_REFRESH_TOKEN or `/spotify login`),
// or a member who linked their own Spotify with `/spotify link` (src/listeners/members.ts). Listeners cross the
// sharding IPC as plain JSON, so this is data, not a class.
//
// A Discord-status listener (`{ kind: 'status'; userId; guildId }`, #11) has no Spotify account: what they play
// comes from their presence in that one guild (src/listeners/discord-status.ts), never from a Spotify call, so
// `accountKey` refuses it. src/listeners/resolve.ts decides which kind answers a command.
import { SNOWFLAKE } from '../config.js';

export type Listener =
  | { kind: 'owner' }
  | { kind: 'linked'; userId: string }
  | { kind: 'status'; userId: string; guildId: string };

/** The bot owner: the first listener, whose listening the presence job follows. */
export const OWNER: Listener = Object.freeze({ kind: 'owner' });

/** The token manager's (and storage's) key for a listener's Spotify account: `owner` or `user:<discord id>`. */
export type AccountKey = 'owner' | `user:${string}`;

/** The owner's account key; storage keys made with it are unchanged from before listeners (`spotify:grant:owner`). */
export const OWNER_ACCOUNT: AccountKey = 'owner';

export class InvalidListenerError extends Error {
  override name = 'InvalidListenerError';
}

export function accountKey(listener: Listener): AccountKey {
  switch (listener.kind) {
    case 'owner':
      return OWNER_ACCOUNT;
    case 'linked':
      // The id becomes part of storage keys and arrives over IPC: only a snowflake is accepted.
      if (!SNOWFLAKE.test(listener.userId)) throw new InvalidListenerError(`not a Discord user id: ${listener.userId}`);
      return `user:${listener.userId}`;
    case 'status':
      throw new InvalidListenerError('a Discord-status listener has no Spotify account (read the status store instead)');
    default: {
      const unknown: never = listener;
      throw new InvalidListenerError(`unknown listener ${JSON.stringify(unknown)}`);
    }
  }
}

export function sameListener(a: Listener, b: Listener): boolean {
  if (a.kind === 'status' || b.kind === 'status') {
    return a.kind === 'status' && b.kind === 'status' && a.userId === b.userId && a.guildId === b.guildId;
  }
  return accountKey(a) === accountKey(b);
}
