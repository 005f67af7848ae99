// /history on | off | status | import file: | export | delete — your own listening history, always answered only to
// you. Recording rules live in src/features/history/service.ts; an import is read and checked here (where the
// attachment arrives), then its plays go to the store in batches (over the RPC under SHARDS).
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand, type AttachmentArg } from '../src/discord/command.js';
import { respondWithProgress, respondWithReply, respondWithUpdate } from '../src/discord/respond.js';
import type { ReplyPayload } from '../src/discord/text.js';
import {
  DELETE_CANCEL_ID,
  DELETE_CONFIRM_ID,
  buttonExpiredReply,
  deleteCancelledReply,
  deleteConfirmReply,
  deletedReply,
  exportEmptyReply,
  exportReply,
  exportTooLargeReply,
  fileTooLargeReply,
  HISTORY_ID_PREFIX,
  historyOffReply,
  historyStatusReply,
  importDoneReply,
  importFailedReply,
  importProblemReply,
  importProgressReply,
  recordingChangedReply,
} from '../src/features/history/replies.js';
import { HistoryDisabledError } from '../src/features/history/service.js';
import { extendedHistoryJson } from '../src/history/export-file.js';
import { fetchAttachment } from '../src/history/import/attachment.js';
import { AttachmentError, ImportFileError } from '../src/history/import/errors.js';
import { importEntries } from '../src/history/import/importer.js';
import { exportEntries, MAX_EXPORT_BYTES } from '../src/history/import/sources.js';
import type { PlayInput } from '../src/history/play.js';
import { zipOne } from '../src/history/zip-writer.js';
import { interactionTranslator } from '../src/discord/locale.js';
import type { Translator } from '../src/i18n/translator.js';
import type { CommandContext } from '../src/service-types.js';

const definition = defineCommand({
  name: 'history',
  description: 'Your listening history: recording, import of your Spotify data, export, deletion',
  subcommands: [
    { name: 'status', description: 'Whether your plays are recorded, and how many are stored' },
    { name: 'on', description: 'Record your plays (from your Discord status if you have not linked Spotify)' },
    { name: 'off', description: 'Stop recording your plays (what is stored stays until /history delete)' },
    {
      name: 'import',
      description: "Add your Spotify data export (my_spotify_data.zip or a Streaming_History JSON file)",
      options: [{ type: 'attachment', name: 'file', description: 'my_spotify_data.zip, or one of its streaming-history JSON files', required: true }],
    },
    { name: 'export', description: 'Download every play the bot keeps for you, as a JSON file' },
    { name: 'delete', description: 'Delete everything the bot keeps about your listening history' },
  ],
});
export const { data } = definition;
export const customIdPrefix = HISTORY_ID_PREFIX;

/** Discord's upload limit for a bot's message is 10 MiB; an export stays under it with room for the message. */
const MAX_UPLOAD_BYTES = 9 * 1024 * 1024;
const ATTACHMENT_TIMEOUT_MS = 60_000;

const options = (ctx: CommandContext, what: string) => ({
  logger: ctx.logger.child('command'),
  what,
  deferAfterMs: ctx.deferAfterMs,
  ephemeral: true,
});

/** The friendly answer for failures this command expects; anything else goes to the generic error reply. */
function expectedFailure(error: unknown, tr: Translator): ReplyPayload | null {
  if (error instanceof HistoryDisabledError) return historyOffReply(tr);
  if (error instanceof ImportFileError || error instanceof AttachmentError) return importProblemReply(error, tr);
  return null;
}

async function orExpected(work: () => Promise<ReplyPayload>, tr: Translator): Promise<ReplyPayload> {
  try {
    return await work();
  } catch (error) {
    const reply = expectedFailure(error, tr);
    if (reply) return reply;
    throw error;
  }
}

async function importFile(
  ctx: CommandContext,
  userId: string,
  file: AttachmentArg,
  progress: (p: ReplyPayload) => void,
  tr: Translator,
): Promise<ReplyPayload> {
  if (!ctx.config.history.enabled) return historyOffReply(tr);
  if (file.size > MAX_EXPORT_BYTES) return fileTooLargeReply(file.name, Math.round(MAX_EXPORT_BYTES / 1024 / 1024), tr);
  const bytes = await fetchAttachment(file.url, { cdnUrl: ctx.config.discordCdnUrl, maxBytes: MAX_EXPORT_BYTES, timeoutMs: ATTACHMENT_TIMEOUT_MS });
  // Every file is read and checked before anything is written (a bad one stops the import with nothing added).
  const entries = exportEntries({ name: file.name, bytes });
  const summary = await importEntries(
    entries,
    {
      addPlays: (plays) => ctx.services.history.importPlays(userId, plays),
      recordImport: (record) => ctx.services.history.recordImport(userId, record),
    },
    {
      now: ctx.now,
      onProgress: (p) => progress(importProgressReply(p, tr)),
    },
  );
  return importDoneReply(summary, tr);
}

async function exportAll(ctx: CommandContext, userId: string, tr: Translator): Promise<ReplyPayload> {
  const plays: PlayInput[] = [];
  for (let after = 0; ; ) {
    const page = await ctx.services.history.exportPage(userId, after);
    if (page.length === 0) break;
    for (const play of page) plays.push({ ...play, imageId: null });
    after = page.at(-1)!.id;
  }
  if (plays.length === 0) return exportEmptyReply(tr);
  const day = new Date(ctx.now()).toISOString().slice(0, 10);
  const json = extendedHistoryJson(plays);
  if (json.length <= MAX_UPLOAD_BYTES) return exportReply(plays.length, `listening-history-${day}.json`, Buffer.from(json), tr);
  // Named like Spotify's own files, so the zip re-imports here or anywhere.
  const zip = zipOne(`Streaming_History_Audio_${day}_0.json`, json);
  if (zip.length <= MAX_UPLOAD_BYTES) return exportReply(plays.length, `listening-history-${day}.zip`, zip, tr);
  return exportTooLargeReply(plays.length, tr);
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const args = definition.parse(interaction);
  const userId = interaction.user.id;
  const history = ctx.services.history;
  const tr = await interactionTranslator(interaction);
  switch (args.subcommand) {
    case 'status':
      await respondWithReply(interaction, () => orExpected(async () => historyStatusReply(await history.view(userId), tr), tr), options(ctx, '/history status'));
      return;
    case 'on':
    case 'off': {
      const on = args.subcommand === 'on';
      await respondWithReply(
        interaction,
        () =>
          orExpected(async () => {
            const view = await history.setRecording(userId, on);
            // This process follows the change at once; other shards learn within a minute.
            if (on) await ctx.statusPlays?.refresh();
            else ctx.statusPlays?.forget(userId);
            return recordingChangedReply(view, tr);
          }, tr),
        options(ctx, `/history ${args.subcommand}`),
      );
      return;
    }
    case 'import':
      await respondWithProgress(interaction, (progress) => orExpected(() => importFile(ctx, userId, args.file, progress, tr), tr), options(ctx, '/history import'));
      return;
    case 'export':
      await respondWithReply(interaction, () => orExpected(() => exportAll(ctx, userId, tr), tr), options(ctx, '/history export'));
      return;
    case 'delete':
      await respondWithReply(interaction, () => orExpected(async () => deleteConfirmReply(await history.view(userId), tr), tr), options(ctx, '/history delete'));
      return;
  }
}

export async function handleButton(interaction: ButtonInteraction, ctx: CommandContext): Promise<void> {
  const tr = await interactionTranslator(interaction);
  if (interaction.customId !== DELETE_CONFIRM_ID && interaction.customId !== DELETE_CANCEL_ID) {
    await interaction.reply({ ...buttonExpiredReply(tr), flags: MessageFlags.Ephemeral });
    return;
  }
  // Only ever the presser's own history: the confirm carries no id (an ephemeral message only its asker sees).
  const userId = interaction.user.id;
  await respondWithUpdate(
    interaction,
    () =>
      orExpected(async () => {
        if (interaction.customId === DELETE_CANCEL_ID) return deleteCancelledReply(tr);
        ctx.statusPlays?.forget(userId);
        const erased = await ctx.services.history.erase(userId);
        return deletedReply(erased.plays, tr);
      }, tr),
    options(ctx, '/history delete (confirmed)'),
  );
}
