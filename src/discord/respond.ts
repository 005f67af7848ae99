// Answer an interaction within Discord's 3-second window: reply directly when the data is ready in time,
// otherwise acknowledge first (defer) and edit the answer in when it arrives. Failures become friendly replies.
// Files (a card, a chart) go out as multipart with the payload; an edit or update without files sends
// `attachments: []`, so a message that had a picture never keeps a stale one under new text.
import {
  MessageFlags,
  type AttachmentPayload,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Logger } from '../logger.js';
import { errorReply, isExpectedFailure } from './error-replies.js';
import { interactionTranslator } from './locale.js';
import { clampPayload, truncate, type ReplyPayload } from './text.js';

/** Discord's limit for an attachment's description (alt text). */
const ATTACHMENT_DESCRIPTION_MAX = 1024;

type Message = Omit<ReplyPayload, 'files'> & { files?: AttachmentPayload[] };

/** The payload as discord.js takes it for a new message: files go out as multipart (alt text within its limit). */
export function toMessage(payload: ReplyPayload): Message {
  const { files, ...rest } = payload;
  if (!files || files.length === 0) return rest;
  return {
    ...rest,
    // A fresh array each time: discord.js appends to `attachments` while it builds the body.
    files: files.map((f) => ({
      attachment: f.attachment,
      name: f.name,
      ...(f.description ? { description: truncate(f.description, ATTACHMENT_DESCRIPTION_MAX) } : {}),
    })),
  };
}

/**
 * The payload for an edit or update: the message's files are replaced by these (discord.js lists only the new ones in
 * `attachments`), or dropped with `attachments: []` when there are none.
 */
export function toEdit(payload: ReplyPayload): Message & { attachments?: never[] } {
  const message = toMessage(payload);
  return message.files ? message : { ...message, attachments: [] };
}

type Outcome = { ok: true; payload: ReplyPayload } | { ok: false; error: unknown };

/**
 * How long to wait for data before deferring; leaves room for the acknowledgement itself within 3 s. The one value
 * for the whole bot (the app and the shards' remote services take it from here).
 */
export const DEFAULT_DEFER_AFTER_MS = 1_500;

function settle(work: Promise<ReplyPayload>): Promise<Outcome> {
  // Every payload is clamped on its way out, whichever feature built it: nothing over a Discord limit, no lone surrogate.
  return work.then(
    (payload) => ({ ok: true, payload: clampPayload(payload) }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function timer(ms: number): { promise: Promise<'timeout'>; cancel: () => void } {
  let handle: NodeJS.Timeout | undefined;
  const promise = new Promise<'timeout'>((resolve) => {
    handle = setTimeout(() => resolve('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(handle) };
}

function logFailure(logger: Logger, what: string, error: unknown): void {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  // Expected Spotify conditions are warnings; anything else is a bug worth an error line.
  (isExpectedFailure(error) ? logger.warn : logger.error)(`${what} failed`, { error: `${name}: ${message}` });
}

/** Start the work; `early` is its outcome if it settled within the defer threshold, else null (then await `later`). */
async function settleWithin(
  produce: () => Promise<ReplyPayload>,
  options: RespondOptions,
): Promise<{ early: Outcome | null; later: Promise<Outcome> }> {
  const later = settle(produce());
  const wait = timer(options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS);
  const first = await Promise.race([later, wait.promise]);
  wait.cancel();
  return { early: first === 'timeout' ? null : first, later };
}

export interface RespondOptions {
  logger: Logger;
  /** For the log line, e.g. "/nowplaying". */
  what: string;
  deferAfterMs?: number;
  ephemeral?: boolean;
}

/** A new reply to a slash command or modal submit. */
export async function respondWithReply(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
  produce: () => Promise<ReplyPayload>,
  options: RespondOptions,
): Promise<void> {
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  const { early, later } = await settleWithin(produce, options);
  if (early) {
    if (early.ok) {
      await interaction.reply({ ...toMessage(early.payload), ...(flags ? { flags } : {}) });
    } else {
      logFailure(options.logger, options.what, early.error);
      await interaction.reply({ ...errorReply(early.error, await interactionTranslator(interaction)), flags: MessageFlags.Ephemeral });
    }
    return;
  }
  await interaction.deferReply(flags ? { flags } : {});
  const outcome = await later;
  if (!outcome.ok) logFailure(options.logger, options.what, outcome.error);
  await interaction.editReply(toEdit(outcome.ok ? outcome.payload : errorReply(outcome.error, await interactionTranslator(interaction))));
}

/** Update the message a button belongs to (type 7), or defer the update (type 6) when the data is slow. */
export async function respondWithUpdate(
  interaction: ButtonInteraction,
  produce: () => Promise<ReplyPayload>,
  options: RespondOptions,
): Promise<void> {
  const { early, later } = await settleWithin(produce, options);
  if (early) {
    if (early.ok) await interaction.update(toEdit(early.payload));
    else {
      logFailure(options.logger, options.what, early.error);
      // Leave the message as it was; tell only the presser what went wrong.
      await interaction.reply({ ...errorReply(early.error, await interactionTranslator(interaction)), flags: MessageFlags.Ephemeral });
    }
    return;
  }
  await interaction.deferUpdate();
  const outcome = await later;
  if (outcome.ok) await interaction.editReply(toEdit(outcome.payload));
  else {
    logFailure(options.logger, options.what, outcome.error);
    await interaction.followUp({ ...errorReply(outcome.error, await interactionTranslator(interaction)), flags: MessageFlags.Ephemeral });
  }
}

/** Discord allows editing an interaction's reply often, but a person reads progress at this pace at most. */
export const PROGRESS_EVERY_MS = 2_000;

/**
 * Long work (an import): acknowledge at once (ephemeral unless told otherwise), show progress by editing the reply at
 * most every `everyMs` (the latest state wins; nothing is queued), then the final answer.
 */
export async function respondWithProgress(
  interaction: ChatInputCommandInteraction,
  work: (progress: (payload: ReplyPayload) => void) => Promise<ReplyPayload>,
  options: RespondOptions & { everyMs?: number; now?: () => number },
): Promise<void> {
  const every = options.everyMs ?? PROGRESS_EVERY_MS;
  const now = options.now ?? Date.now;
  await interaction.deferReply(options.ephemeral === false ? {} : { flags: MessageFlags.Ephemeral });
  let lastEdit = now();
  let editing: Promise<unknown> = Promise.resolve();
  let done = false;
  const progress = (payload: ReplyPayload): void => {
    if (done || now() - lastEdit < every) return;
    lastEdit = now();
    editing = editing
      .then(() => (done ? undefined : interaction.editReply(toEdit(clampPayload(payload)))))
      .catch((error: unknown) => options.logger.debug(`${options.what}: a progress edit failed`, { error }));
  };
  const outcome = await settle(work(progress));
  done = true;
  await editing;
  if (!outcome.ok) logFailure(options.logger, options.what, outcome.error);
  await interaction.editReply(toEdit(outcome.ok ? outcome.payload : errorReply(outcome.error, await interactionTranslator(interaction))));
}
