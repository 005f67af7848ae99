// Pure payloads for /whoknows: whose (the server) and which item in the heading,
// members as mentions (never pinged in an embed), plays as "1,234 plays", the top one crowned when they have 30 or
// more, and the asker's own row always there.
import { COLORS, embedPayload, escapeAndTruncate, type ReplyPayload } from '../../discord/text.js';
import type { ItemKind, KnownItem, PlayCounts } from '../../history/store.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import { playsText } from '../history/replies.js';
import type { WhoKnows } from './service.js';

/** The top member is crowned 👑 from this many plays. */
export const CROWN_PLAYS = 30;
/** Members listed before the cut (the asker's row follows when they are further down). */
export const LIST_SIZE = 10;

const NAME_MAX = 100;

/** "Levitating — Dua Lipa", escaped, within `max`. */
export function itemText(item: Pick<KnownItem, 'name' | 'artist'>, max = NAME_MAX): string {
  if (item.artist === null) return escapeAndTruncate(item.name, max);
  return `${escapeAndTruncate(item.name, Math.floor(max * 0.6))} — ${escapeAndTruncate(item.artist, Math.floor(max * 0.4))}`;
}

export interface WhoKnowsView extends WhoKnows {
  item: KnownItem;
  serverName: string;
  askerId: string;
}

/** The ranking: "👑 <@id> · 42 plays", then "2. <@id> · 12 plays" …; the asker's row bold, added when below the cut. */
export function whoKnowsReply(view: WhoKnowsView, tr: Translator = ENGLISH): ReplyPayload {
  const { item, rows, askerId } = view;
  const line = (i: number): string => {
    const row = rows[i]!;
    const crowned = i === 0 && row.plays >= CROWN_PLAYS;
    const text = `${crowned ? '👑' : `${i + 1}.`} <@${row.userId}> · ${playsText(row.plays, tr)}`;
    return row.userId === askerId ? `**${text}**` : text;
  };
  const lines = rows.slice(0, LIST_SIZE).map((_, i) => line(i));
  const askerAt = rows.findIndex((r) => r.userId === askerId);
  if (!view.askerCounted) {
    lines.push('', `<@${askerId}> · ${tr.t('whoknows.notCounted')}`);
  } else if (askerAt >= LIST_SIZE) {
    lines.push('…', line(askerAt));
  } else if (askerAt === -1) {
    lines.push(...(rows.length > 0 ? [''] : []), `**<@${askerId}> · ${playsText(0, tr)}**`);
  }
  const total = rows.reduce((sum, r) => sum + r.plays, 0);
  const listeners = tr.t('whoknows.listeners', { count: rows.length });
  const description = rows.length === 0 ? [tr.t(`whoknows.nobody.${item.kind}`), '', ...lines] : lines;
  return embedPayload({
    color: COLORS.playing,
    author: { name: tr.t(`whoknows.heading.${item.kind}`, { server: escapeAndTruncate(view.serverName, 100) }) },
    title: itemText(item, 200),
    description: description.join('\n'),
    footer: { text: tr.t('whoknows.footer', { listeners, plays: playsText(total, tr) }) },
  });
}

/** Nothing stored under that name (null: a suggestion no longer stored). */
export function notStoredReply(kind: ItemKind, name: string | null, tr: Translator = ENGLISH): ReplyPayload {
  const description =
    name === null || name.trim() === ''
      ? tr.t(`whoknows.notStored.${kind}`)
      : tr.t(`whoknows.notStoredNamed.${kind}`, { name: escapeAndTruncate(name, NAME_MAX) });
  return embedPayload({ color: COLORS.neutral, description });
}

/** No name given and nothing of this kind playing for the asker. */
export function nothingPlayingReply(kind: ItemKind, tr: Translator = ENGLISH): ReplyPayload {
  return embedPayload({ color: COLORS.neutral, description: tr.t('whoknows.nothingPlaying', { kind }) });
}

export function notInServerReply(tr: Translator = ENGLISH): ReplyPayload {
  return embedPayload({ color: COLORS.neutral, description: tr.t('whoknows.notHere') });
}

