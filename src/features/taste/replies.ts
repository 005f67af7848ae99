// Pure payloads for /taste: whose and which period in the title, the score as "62%", the shared artists with both
// play counts, one suggestion each way, and how the score is computed in the footer.
import { COLORS, embedPayload, escapeAndTruncate, type ReplyPayload } from '../../discord/text.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import { playsText } from '../history/replies.js';
import type { StatsPeriod } from '../stats/service.js';
import type { Taste } from './service.js';

const NAME_MAX = 80;
const bold = (name: string): string => `**${escapeAndTruncate(name, NAME_MAX)}**`;

/** "62%" ("62 %" in German): the share rounded to a whole percent, through Intl's percent format. */
export function scoreText(score: number, tr: Translator = ENGLISH): string {
  return tr.numberWith(Math.round(Math.min(1, Math.max(0, score)) * 100) / 100, { style: 'percent', maximumFractionDigits: 0 });
}

/** "🎧 Mia & Leo · All time": both names (others in the channel read it too) and the period. */
const title = (you: string, them: string, period: StatsPeriod, tr: Translator): string =>
  tr.t('taste.title', { you: escapeAndTruncate(you, NAME_MAX), them: escapeAndTruncate(them, NAME_MAX), period: tr.t(`taste.period.${period}`) });

export function tasteYourselfReply(tr: Translator = ENGLISH): ReplyPayload {
  return embedPayload({ color: COLORS.neutral, description: tr.t('taste.yourself') });
}

export function tasteNotRecordingReply(them: string, tr: Translator = ENGLISH): ReplyPayload {
  return embedPayload({ color: COLORS.neutral, description: tr.t('taste.notRecording', { them: bold(them) }) });
}

export function tasteReply(taste: Taste, you: string, them: string, tr: Translator = ENGLISH): ReplyPayload {
  const heading = title(you, them, taste.period, tr);
  const when = tr.t(`taste.when.${taste.period}`);
  if (taste.yourPlays === 0 || taste.theirPlays === 0) {
    const key = taste.yourPlays === 0 && taste.theirPlays === 0 ? 'taste.emptyBoth' : taste.yourPlays === 0 ? 'taste.emptyYou' : 'taste.emptyThem';
    const sentence = key === 'taste.emptyYou' ? tr.t(key, { when }) : tr.t(key, { when, them: bold(them) });
    const hint = taste.yourPlays === 0 ? ` ${tr.t('taste.importHint')}` : '';
    return embedPayload({ color: COLORS.neutral, title: heading, description: `${sentence}${hint}` });
  }
  const lines = [
    tr.t('taste.match', { score: scoreText(taste.score, tr) }),
    `${escapeAndTruncate(you, NAME_MAX)}: ${playsText(taste.yourPlays, tr)} · ${escapeAndTruncate(them, NAME_MAX)}: ${playsText(taste.theirPlays, tr)} · ${tr.t('taste.inCommon', { count: taste.sharedCount })}`,
  ];
  const fields = [];
  if (taste.shared.length > 0) {
    fields.push({
      name: tr.t('taste.shared'),
      value: taste.shared
        .map((a, i) => `${i + 1}. ${escapeAndTruncate(a.name, 70)} · ${escapeAndTruncate(you, 40)} ${playsText(a.yours, tr)} · ${escapeAndTruncate(them, 40)} ${playsText(a.theirs, tr)}`)
        .join('\n'),
    });
  } else {
    lines.push(tr.t('taste.noneInCommon'));
  }
  const forWhom = (to: string, from: string): string => tr.t('taste.forWhom', { to: escapeAndTruncate(to, 40), from: escapeAndTruncate(from, 40) });
  if (taste.forYou) {
    fields.push({ name: forWhom(you, them), value: `${bold(taste.forYou.name)} (${escapeAndTruncate(them, 40)}: ${playsText(taste.forYou.plays, tr)})`, inline: true });
  }
  if (taste.forThem) {
    fields.push({ name: forWhom(them, you), value: `${bold(taste.forThem.name)} (${escapeAndTruncate(you, 40)}: ${playsText(taste.forThem.plays, tr)})`, inline: true });
  }
  return embedPayload({ color: COLORS.top, title: heading, description: lines.join('\n'), fields, footer: { text: tr.t('taste.footer') } });
}
