// /nowplaying user:@member — the replies that depend on whose listening it is and where it came from (#11). Pure.
import type { HiddenReason } from '../../listeners/resolve.js';
import { COLORS, embedPayload, oneLine, truncate, type ReplyPayload } from '../../discord/text.js';

/** A now-playing payload with a footer naming whose it is and where it came from ("from their Discord status"). */
export function withSourceNote(payload: ReplyPayload, note: string): ReplyPayload {
  const [first, ...rest] = payload.embeds;
  if (!first) return payload;
  return { ...payload, embeds: [{ ...first, footer: { text: truncate(oneLine(note), 200) } }, ...rest] };
}

export function statusNote(displayName: string | null): string {
  return displayName ? `${displayName} · from their Discord status` : 'From their Discord status';
}

/** Why a member's listening isn't shown here. */
export function hiddenListenerReply(userId: string, why: HiddenReason): ReplyPayload {
  const who = `<@${userId}>`;
  const text = ((): string => {
    switch (why) {
      case 'private':
        return `🔒 ${who} keeps their listening to themselves.`;
      case 'not-in-a-server':
        return "🔇 Members' Discord status is only shown inside the server it comes from — ask in a server.";
      case 'presences-off':
        return (
          `🔇 ${who} hasn't linked Spotify, and this bot doesn't read members' Discord status ` +
          '(the bot owner can turn it on with DISCORD_PRESENCES=on and the Presence Intent).'
        );
      case 'not-listening':
        return `🔇 ${who} isn't listening to Spotify right now (or their Discord status doesn't show it).`;
      default: {
        const unknown: never = why;
        throw new Error(`unknown reason ${String(unknown)}`);
      }
    }
  })();
  return embedPayload({ color: COLORS.neutral, description: text });
}
