// The /nowplaying history line under the track: "12th play · 140 plays of Dua Lipa · 9 listeners here", from stored
// history only. Who may be counted here (the membership module, batched and cached) is asked while Spotify is asked;
// the one indexed query runs as soon as the track is known, next to the card's drawing. It takes a few ms; the reply
// waits for it at most PLAY_LINE_BUDGET_MS after the track is known (only a stalled database or an overloaded
// machine gets near that): late, the line is left out.
import type { ReplyPayload } from '../../discord/text.js';
import type { Listener } from '../../listeners/listener.js';
import type { CommandContext } from '../../service-types.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import { playLine } from './play-line.js';

/** How long the reply may wait for the line once the track is known. */
export const PLAY_LINE_BUDGET_MS = 200;

export interface PlayLineSource {
  /** The line for this track (null: nothing stored, history off, or it failed), within the budget. */
  lineFor(track: { title: string; artist: string }): { settle(): Promise<string | null> };
}

/**
 * Start the parts that don't need the track (whose plays, who is counted here) now. `guildId`: the server the
 * command came from (null in DMs and where the bot isn't installed: no server part). `tr`: the asker's language.
 */
export function startPlayLine(ctx: CommandContext, listener: Listener, guildId: string | null, tr: Translator = ENGLISH): PlayLineSource {
  const enabled = ctx.config.history.enabled;
  const members: Promise<string[] | null> =
    !enabled || guildId === null
      ? Promise.resolve(null)
      : ctx.services.stats
          .serverCandidates()
          .then(async (candidates) => [...(await ctx.members.membership.currentMembers(guildId, candidates))])
          .catch(() => null);
  return {
    lineFor(track) {
      const line: Promise<string | null> = !enabled
        ? Promise.resolve(null)
        : members
            .then(async (ids) => playLine(tr, await ctx.services.whoknows.playCounts(listener, track, ids), track.artist, ids !== null))
            .catch((error: unknown) => {
              ctx.logger.child('command').debug('no history line', { error });
              return null;
            });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), PLAY_LINE_BUDGET_MS);
      });
      return {
        settle: async () => {
          try {
            return await Promise.race([line, late]);
          } finally {
            clearTimeout(timer);
          }
        },
      };
    },
  };
}

/** The payload with `line` under the track's lines (before the progress bar) of its first embed. Pure. */
export function withPlayLine(payload: ReplyPayload, line: string | null): ReplyPayload {
  const [first, ...rest] = payload.embeds;
  if (line === null || !first?.description) return payload;
  const description = first.description;
  const gap = description.indexOf('\n\n');
  const next = gap === -1 ? `${description}\n${line}` : `${description.slice(0, gap)}\n${line}${description.slice(gap)}`;
  return { ...payload, embeds: [{ ...first, description: next }, ...rest] };
}
