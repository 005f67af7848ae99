// Pure payloads for /history (always ephemeral: it is about the asker's own data).
import { ButtonStyle, ComponentType } from 'discord.js';
import { clampEmbeds, COLORS, embedPayload, escapeAndTruncate, type ReplyPayload } from '../../discord/text.js';
import type { PlaySource } from '../../history/play.js';
import type { ImportProgress, ImportSummary } from '../../history/import/importer.js';
import { SKIP_REASONS, type SkipReason } from '../../history/import/readers.js';
import { dayText as localDay } from '../../i18n/time.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import type { HistoryView } from './service.js';

export const HISTORY_ID_PREFIX = 'history:';
export const DELETE_CONFIRM_ID = 'history:delete:confirm';
export const DELETE_CANCEL_ID = 'history:delete:cancel';

const SOURCES: readonly PlaySource[] = ['spotify-recent', 'discord-status', 'import-extended', 'import-account'];

const count = new Intl.NumberFormat('en-US');

/** "1 play", "4,657 plays", "1.234 Wiedergaben". */
export function playsText(n: number, tr: Translator = ENGLISH): string {
  return tr.t('history.plays', { count: n });
}

/** A day in UTC, as Discord users read dates everywhere: "2024-05-06". */
export function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function historyOffReply(tr: Translator = ENGLISH): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: tr.t('history.off') });
}

function recordingLine(view: HistoryView, tr: Translator): string {
  if (view.recording) return tr.t(view.kind === 'status' ? 'history.recordingStatus' : 'history.recordingSpotify');
  return tr.t(view.kind === 'status' ? 'history.notRecordingStatus' : 'history.notRecordingSpotify');
}

export function historyStatusReply(view: HistoryView, tr: Translator): ReplyPayload {
  const lines = [recordingLine(view, tr), ''];
  if (view.plays === 0) {
    lines.push(tr.t('history.none'));
  } else {
    lines.push(tr.t('history.stored', { plays: playsText(view.plays, tr), day: localDay(tr, view.firstAt!) }));
    for (const source of SOURCES) {
      const n = view.bySource[source];
      if (n) lines.push(`• ${tr.t(`history.source.${source}`)}: ${playsText(n, tr)}`);
    }
  }
  if (view.imports.length > 0) {
    lines.push('', `**${tr.t('history.imports')}**`);
    for (const record of view.imports.slice(0, 5)) {
      lines.push(
        // A zip entry's own name (`my_spotify_data.zip/Spotify Extended Streaming History/…`) is the telling part.
        `• ${tr.t('history.importLine', {
          file: escapeAndTruncate(record.fileName.split('/').at(-1) ?? record.fileName, 80),
          day: localDay(tr, record.importedAt),
          plays: playsText(record.added, tr),
        })}` + (record.duplicates > 0 ? tr.t('history.importDuplicates', { n: record.duplicates }) : ''),
      );
    }
  }
  if (view.choice.onlyMe) lines.push('', tr.t('history.onlyMe'));
  lines.push('', tr.t('history.hint'));
  return { embeds: clampEmbeds([{ color: COLORS.playing, title: tr.t('history.title'), description: lines.join('\n') }]), components: [] };
}

export function recordingChangedReply(view: HistoryView, tr: Translator): ReplyPayload {
  const text = view.recording
    ? tr.t(view.kind === 'status' ? 'history.onStatus' : 'history.onSpotify')
    : view.plays > 0
      ? tr.t('history.offKept', { plays: playsText(view.plays, tr) })
      : tr.t('history.offNow');
  return embedPayload({ color: COLORS.playing, description: text });
}

export function deleteConfirmReply(view: HistoryView): ReplyPayload {
  return {
    embeds: clampEmbeds([
      {
        color: COLORS.error,
        title: 'Delete your listening history?',
        description:
          `This erases ${view.plays > 0 ? `all **${playsText(view.plays)}**` : 'everything'} the bot keeps about your listening: ` +
          'every play, every import record, the sync position and your recording choice. Recording stops. This cannot be undone.',
      },
    ]),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Delete everything', custom_id: DELETE_CONFIRM_ID },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Cancel', custom_id: DELETE_CANCEL_ID },
        ],
      },
    ],
  };
}

export function deletedReply(plays: number): ReplyPayload {
  return embedPayload({
    color: COLORS.playing,
    description: `Deleted: ${playsText(plays)} and everything else about your listening history. Recording is off; \`/history on\` starts again from nothing.`,
  });
}

export function deleteCancelledReply(): ReplyPayload {
  return embedPayload({ color: COLORS.playing, description: 'Nothing was deleted.' });
}

export function exportReply(plays: number, fileName: string, bytes: Buffer): ReplyPayload {
  return {
    embeds: clampEmbeds([
      {
        color: COLORS.playing,
        description:
          `Your listening history: ${playsText(plays)}, in the field names of Spotify's extended streaming history, ` +
          'so `/history import` (here or in another tool) reads it back.',
      },
    ]),
    components: [],
    files: [{ name: fileName, attachment: bytes, description: 'Listening history (JSON)' }],
  };
}

export function exportEmptyReply(): ReplyPayload {
  return embedPayload({ color: COLORS.playing, description: 'No plays stored: nothing to export.' });
}

export function importProgressReply(progress: ImportProgress): ReplyPayload {
  const description =
    progress.phase === 'reading'
      ? `Importing… reading file ${Math.min(progress.filesDone, progress.files)} of ${progress.files} ` +
        `(${escapeAndTruncate(progress.file, 100)}): ${playsText(progress.plays)} found so far.`
      : `Importing… ${count.format(progress.plays)} of ${playsText(progress.total)} saved.`;
  return embedPayload({ color: COLORS.playing, description });
}

export function exportTooLargeReply(plays: number): ReplyPayload {
  return embedPayload({
    color: COLORS.error,
    description:
      `Your ${playsText(plays)} are too many for one Discord upload, even zipped. The bot's owner can export them on the ` +
      'host with `npm run history -- export --user <your id>`.',
  });
}


const SKIP_LABELS: Record<SkipReason, string> = {
  podcast: 'podcast episodes',
  video: 'videos',
  audiobook: 'audiobooks',
  short: 'under 30 s',
  incognito: 'private session',
  untitled: 'no title',
  unreadable: 'unreadable rows',
};

export function importSummaryText(summary: ImportSummary): string {
  const skippedTotal = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
  const reasons = SKIP_REASONS.filter((reason) => summary.skipped[reason] > 0).map(
    (reason) => `${count.format(summary.skipped[reason])} ${SKIP_LABELS[reason]}`,
  );
  const lines = [
    `**${playsText(summary.added)} added**, ${count.format(summary.duplicates)} already there, ` +
      `${count.format(skippedTotal)} skipped${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}.`,
  ];
  if (summary.firstAt !== null && summary.lastAt !== null) lines.push(`From ${dayText(summary.firstAt)} to ${dayText(summary.lastAt)}.`);
  lines.push(`${summary.files === 1 ? '1 file' : `${summary.files} files`} read.`);
  return lines.join('\n');
}

export function importDoneReply(summary: ImportSummary): ReplyPayload {
  return { embeds: clampEmbeds([{ color: COLORS.playing, title: 'Import finished', description: importSummaryText(summary) }]), components: [] };
}

export function importFailedReply(message: string): ReplyPayload {
  return embedPayload({ color: COLORS.error, title: 'Nothing was imported', description: escapeAndTruncate(message, 1_000) });
}
