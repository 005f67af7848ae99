// Pure payloads for /history (always ephemeral: it is about the asker's own data).
import { ButtonStyle, ComponentType } from 'discord.js';
import { clampEmbeds, COLORS, embedPayload, escapeAndTruncate, type ReplyPayload } from '../../discord/text.js';
import type { PlaySource } from '../../history/play.js';
import type { ImportProgress, ImportSummary } from '../../history/import/importer.js';
import { SKIP_REASONS, type SkipReason } from '../../history/import/readers.js';
import type { HistoryView } from './service.js';

export const HISTORY_ID_PREFIX = 'history:';
export const DELETE_CONFIRM_ID = 'history:delete:confirm';
export const DELETE_CANCEL_ID = 'history:delete:cancel';

const SOURCE_LABELS: Record<PlaySource, string> = {
  'spotify-recent': 'Spotify (recently played)',
  'discord-status': 'Discord status',
  'import-extended': 'imported (extended streaming history)',
  'import-account': 'imported (account data)',
};

const count = new Intl.NumberFormat('en-US');

/** "1 play", "4,657 plays". */
export function playsText(n: number): string {
  return `${count.format(n)} ${n === 1 ? 'play' : 'plays'}`;
}

/** A day in UTC, as Discord users read dates everywhere: "2024-05-06". */
export function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function historyOffReply(): ReplyPayload {
  return embedPayload({
    color: COLORS.error,
    description: 'Listening history is turned off on this bot (the owner set `HISTORY=off`): nothing is recorded or stored.',
  });
}

function recordingLine(view: HistoryView): string {
  if (view.recording) {
    return view.kind === 'status'
      ? '🔴 **Recording** your plays from your Discord status. `/history off` stops it.'
      : '🔴 **Recording** your plays from Spotify. `/history off` stops it.';
  }
  return view.kind === 'status'
    ? '⏸️ **Not recording.** `/history on` records your plays from your Discord status (Spotify shown as your status).'
    : '⏸️ **Not recording.** `/history on` records your Spotify plays again.';
}

export function historyStatusReply(view: HistoryView): ReplyPayload {
  const lines = [recordingLine(view), ''];
  if (view.plays === 0) {
    lines.push('No plays stored yet.');
  } else {
    lines.push(`**${playsText(view.plays)}** stored, since ${dayText(view.firstAt!)}.`);
    for (const source of Object.keys(SOURCE_LABELS) as PlaySource[]) {
      const n = view.bySource[source];
      if (n) lines.push(`• ${SOURCE_LABELS[source]}: ${playsText(n)}`);
    }
  }
  if (view.imports.length > 0) {
    lines.push('', '**Imports**');
    for (const record of view.imports.slice(0, 5)) {
      lines.push(
        // A zip entry's own name (`my_spotify_data.zip/Spotify Extended Streaming History/…`) is the telling part.
        `• ${escapeAndTruncate(record.fileName.split('/').at(-1) ?? record.fileName, 80)} — ${dayText(record.importedAt)}: ${playsText(record.added)} added` +
          (record.duplicates > 0 ? `, ${count.format(record.duplicates)} already there` : ''),
      );
    }
  }
  if (view.choice.onlyMe) lines.push('', 'Privacy: **only me** — you are left out of server views.');
  lines.push(
    '',
    '`/history import` adds your Spotify data export · `/history export` downloads everything · `/history delete` erases it.',
  );
  return { embeds: clampEmbeds([{ color: COLORS.playing, title: 'Your listening history', description: lines.join('\n') }]), components: [] };
}

export function recordingChangedReply(view: HistoryView): ReplyPayload {
  const kept = view.plays > 0 ? ` Your ${playsText(view.plays)} stay stored until you run \`/history delete\`.` : '';
  const text = view.recording
    ? view.kind === 'status'
      ? 'Recording is **on**: from now on, each track your Discord status shows (Spotify as your status) is kept as a play once you listened to half of it or 4 minutes. `/history off` stops it; `/history delete` erases everything.'
      : 'Recording is **on**: your Spotify plays are kept from now on. `/history off` stops it; `/history delete` erases everything.'
    : `Recording is **off**: nothing new is kept.${kept}`;
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
