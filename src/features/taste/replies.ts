// Pure payloads for /taste: whose and which period in the title, the score as "62%", the shared artists with both
// play counts, one suggestion each way, and how the score is computed in the footer.
import { COLORS, embedPayload, escapeAndTruncate, type ReplyPayload } from '../../discord/text.js';
import { playsText } from '../history/replies.js';
import { PERIOD_LABELS } from '../stats/replies.js';
import type { StatsPeriod } from '../stats/service.js';
import type { Taste } from './service.js';

const NAME_MAX = 80;
const count = new Intl.NumberFormat('en-US');
const bold = (name: string): string => `**${escapeAndTruncate(name, NAME_MAX)}**`;

/** "62%": the share rounded to a whole percent, no space (as the command promises). */
export function scoreText(score: number): string {
  return `${Math.round(Math.min(1, Math.max(0, score)) * 100)}%`;
}

export const TASTE_FOOTER =
  'Score: each side\'s plays per artist as shares of their plays; for every artist the smaller share, added up (100% = same artists, same proportions)';

/** "🎧 Mia & Leo · All time": both names (others in the channel read it too) and the period. */
const title = (you: string, them: string, period: StatsPeriod): string =>
  `🎧 ${escapeAndTruncate(you, NAME_MAX)} & ${escapeAndTruncate(them, NAME_MAX)} · ${PERIOD_LABELS[period]}`;

export function tasteYourselfReply(): ReplyPayload {
  return embedPayload({
    color: COLORS.neutral,
    description: "🪞 That's you — your taste matches yours 100%. Pick another member to compare with: `/taste user:@someone`.",
  });
}

export function tasteNotRecordingReply(them: string): ReplyPayload {
  return embedPayload({ color: COLORS.neutral, description: `⏸️ ${bold(them)} isn't recording listening history, so there is nothing to compare with.` });
}

export function tasteReply(taste: Taste, you: string, them: string): ReplyPayload {
  const heading = title(you, them, taste.period);
  const when = PERIOD_LABELS[taste.period].toLowerCase();
  if (taste.yourPlays === 0 || taste.theirPlays === 0) {
    const who = taste.yourPlays === 0 && taste.theirPlays === 0 ? `you or ${bold(them)}` : taste.yourPlays === 0 ? 'you' : bold(them);
    const hint = taste.yourPlays === 0 ? ' `/history import` adds your Spotify data export.' : '';
    return embedPayload({ color: COLORS.neutral, title: heading, description: `Nothing stored for ${who} in this period (${when}), so there is nothing to compare.${hint}` });
  }
  const lines = [
    `**${scoreText(taste.score)}** taste match`,
    `${escapeAndTruncate(you, NAME_MAX)}: ${playsText(taste.yourPlays)} · ${escapeAndTruncate(them, NAME_MAX)}: ${playsText(taste.theirPlays)} · ${count.format(taste.sharedCount)} ${
      taste.sharedCount === 1 ? 'artist' : 'artists'
    } in common`,
  ];
  const fields = [];
  if (taste.shared.length > 0) {
    fields.push({
      name: 'Shared top artists',
      value: taste.shared
        .map((a, i) => `${i + 1}. ${escapeAndTruncate(a.name, 70)} · ${escapeAndTruncate(you, 40)} ${playsText(a.yours)} · ${escapeAndTruncate(them, 40)} ${playsText(a.theirs)}`)
        .join('\n'),
    });
  } else {
    lines.push('No artist in common yet.');
  }
  if (taste.forYou) {
    fields.push({ name: `For ${escapeAndTruncate(you, 40)}, from ${escapeAndTruncate(them, 40)}`, value: `${bold(taste.forYou.name)} (${escapeAndTruncate(them, 40)}: ${playsText(taste.forYou.plays)})`, inline: true });
  }
  if (taste.forThem) {
    fields.push({ name: `For ${escapeAndTruncate(them, 40)}, from ${escapeAndTruncate(you, 40)}`, value: `${bold(taste.forThem.name)} (${escapeAndTruncate(you, 40)}: ${playsText(taste.forThem.plays)})`, inline: true });
  }
  return embedPayload({ color: COLORS.top, title: heading, description: lines.join('\n'), fields, footer: { text: TASTE_FOOTER } });
}
