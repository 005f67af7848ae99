// /nowplaying user:@member — the replies that depend on whose listening it is and where it came from (#11). Pure.
import type { HiddenReason } from '../../listeners/resolve.js';
import { COLORS, embedPayload, oneLine, truncate, type ReplyPayload } from '../../discord/text.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';

/** A now-playing payload with a footer naming whose it is and where it came from ("from their Discord status"). */
export function withSourceNote(payload: ReplyPayload, note: string): ReplyPayload {
  const [first, ...rest] = payload.embeds;
  if (!first) return payload;
  return { ...payload, embeds: [{ ...first, footer: { text: truncate(oneLine(note), 200) } }, ...rest] };
}

export function statusNote(displayName: string | null, tr: Translator = ENGLISH): string {
  return displayName ? tr.t('nowplaying.statusNoteNamed', { name: displayName }) : tr.t('nowplaying.statusNote');
}

/** Why a member's listening isn't shown here. */
export function hiddenListenerReply(userId: string, why: HiddenReason, tr: Translator = ENGLISH): ReplyPayload {
  const who = `<@${userId}>`;
  const text = ((): string => {
    switch (why) {
      case 'private':
        return tr.t('nowplaying.hiddenPrivate', { who });
      case 'not-in-a-server':
        return tr.t('nowplaying.hiddenNotInServer');
      case 'presences-off':
        return tr.t('nowplaying.hiddenPresencesOff', { who });
      case 'not-listening':
        return tr.t('nowplaying.hiddenNotListening', { who });
      default: {
        const unknown: never = why;
        throw new Error(`unknown reason ${String(unknown)}`);
      }
    }
  })();
  return embedPayload({ color: COLORS.neutral, description: text });
}
