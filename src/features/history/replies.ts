// Pure payloads for /history (always ephemeral: it is about the asker's own data).
import { ButtonStyle, ComponentType } from 'discord.js';
import { clampEmbeds, COLORS, embedPayload, escapeAndTruncate, type ReplyPayload } from '../../discord/text.js';
import type { PlaySource } from '../../history/play.js';
import type { ImportProgress, ImportSummary } from '../../history/import/importer.js';
import { SKIP_REASONS, type SkipReason } from '../../history/import/readers.js';
import { AttachmentError, EXPECTED_FILES, ImportFileError } from '../../history/import/errors.js';
import { SOURCE_LANGUAGE } from '../../i18n/locales.js';
import { dayText as localDay } from '../../i18n/time.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import type { HistoryView } from './service.js';

export const HISTORY_ID_PREFIX = 'history:';
export const DELETE_CONFIRM_ID = 'history:delete:confirm';
export const DELETE_CANCEL_ID = 'history:delete:cancel';

const SOURCES: readonly PlaySource[] = ['spotify-recent', 'discord-status', 'import-extended', 'import-account'];


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

export function deleteConfirmReply(view: HistoryView, tr: Translator): ReplyPayload {
  return {
    embeds: clampEmbeds([
      {
        color: COLORS.error,
        title: tr.t('history.deleteTitle'),
        description: view.plays > 0 ? tr.t('history.deleteAll', { plays: playsText(view.plays, tr) }) : tr.t('history.deleteEverything'),
      },
    ]),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Danger, label: tr.t('history.deleteButton'), custom_id: DELETE_CONFIRM_ID },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: tr.t('history.cancelButton'), custom_id: DELETE_CANCEL_ID },
        ],
      },
    ],
  };
}

export function deletedReply(plays: number, tr: Translator): ReplyPayload {
  return embedPayload({ color: COLORS.playing, description: tr.t('history.deleted', { plays: playsText(plays, tr) }) });
}

export function deleteCancelledReply(tr: Translator): ReplyPayload {
  return embedPayload({ color: COLORS.playing, description: tr.t('history.deleteCancelled') });
}

export function exportReply(plays: number, fileName: string, bytes: Buffer, tr: Translator): ReplyPayload {
  return {
    embeds: clampEmbeds([{ color: COLORS.playing, description: tr.t('history.exported', { plays: playsText(plays, tr) }) }]),
    components: [],
    files: [{ name: fileName, attachment: bytes, description: tr.t('history.exportFile') }],
  };
}

export function exportEmptyReply(tr: Translator): ReplyPayload {
  return embedPayload({ color: COLORS.playing, description: tr.t('history.exportEmpty') });
}

export function importProgressReply(progress: ImportProgress, tr: Translator): ReplyPayload {
  const description =
    progress.phase === 'reading'
      ? tr.t('history.importReading', {
          done: Math.min(progress.filesDone, progress.files),
          files: progress.files,
          file: escapeAndTruncate(progress.file, 100),
          plays: playsText(progress.plays, tr),
        })
      : tr.t('history.importSaving', { n: progress.plays, plays: playsText(progress.total, tr) });
  return embedPayload({ color: COLORS.playing, description });
}

export function exportTooLargeReply(plays: number, tr: Translator): ReplyPayload {
  return embedPayload({ color: COLORS.error, description: tr.t('history.exportTooLarge', { plays: playsText(plays, tr) }) });
}

/** "3 podcast episodes": a skip reason with its count, in the reply's language and plural. */
function skippedText(reason: SkipReason, n: number, tr: Translator): string {
  return tr.t(`history.skip.${reason}`, { count: n });
}

export function importSummaryText(summary: ImportSummary, tr: Translator): string {
  const skippedTotal = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
  const reasons = SKIP_REASONS.filter((reason) => summary.skipped[reason] > 0).map((reason) => skippedText(reason, summary.skipped[reason], tr));
  const counts = { added: playsText(summary.added, tr), duplicates: summary.duplicates, skipped: skippedTotal };
  const lines = [
    reasons.length > 0
      ? tr.t('history.summaryReasons', { ...counts, reasons: reasons.join(tr.t('history.skipSeparator')) })
      : tr.t('history.summary', counts),
  ];
  if (summary.firstAt !== null && summary.lastAt !== null) {
    lines.push(tr.t('history.summaryRange', { from: localDay(tr, summary.firstAt), to: localDay(tr, summary.lastAt) }));
  }
  lines.push(tr.t('history.filesRead', { count: summary.files }));
  return lines.join('\n');
}

export function importDoneReply(summary: ImportSummary, tr: Translator): ReplyPayload {
  return {
    embeds: clampEmbeds([{ color: COLORS.playing, title: tr.t('history.importDoneTitle'), description: importSummaryText(summary, tr) }]),
    components: [],
  };
}

/** `message`: the importer's own words about the file (what was wrong with it), shown as they are. */
export function importFailedReply(message: string, tr: Translator): ReplyPayload {
  return embedPayload({ color: COLORS.error, title: tr.t('history.importFailedTitle'), description: escapeAndTruncate(message, 1_000) });
}

/** An old or foreign /history button. */
export function buttonExpiredReply(tr: Translator): ReplyPayload {
  return importFailedReply(tr.t('history.buttonExpired'), tr);
}

/** An attachment over the upload limit this command reads. */
export function fileTooLargeReply(file: string, mib: number, tr: Translator): ReplyPayload {
  return importFailedReply(tr.t('history.fileTooLarge', { file, mib }), tr);
}

/**
 * A file or attachment the import can't use. English keeps the reader's own detailed words; other languages say
 * what was wrong by the error's typed problem (the details are English-only).
 */
export function importProblemReply(error: ImportFileError | AttachmentError, tr: Translator): ReplyPayload {
  if (tr.language === SOURCE_LANGUAGE) return importFailedReply(error.message, tr);
  if (error instanceof AttachmentError) return importFailedReply(tr.t('history.problemAttachment'), tr);
  const file = escapeAndTruncate(error.fileName.split('/').at(-1) ?? error.fileName, 100);
  const expected = EXPECTED_FILES;
  switch (error.problem) {
    case 'not-history':
      return importFailedReply(tr.t('history.problemNotHistory', { file, expected }), tr);
    case 'no-history':
      return importFailedReply(tr.t('history.problemNoHistory', { file, expected }), tr);
    case 'too-large':
      return importFailedReply(tr.t('history.problemTooLarge', { file }), tr);
    case 'corrupt-zip':
      return importFailedReply(tr.t('history.problemCorruptZip', { file }), tr);
    default:
      return importFailedReply(tr.t('history.problemUnreadable', { file, expected }), tr);
  }
}
