// Message objects as Discord returns them, and what a body does to a message's attachments and fields.
import { apiError, type FormErrors } from './http-error.js';
import { isRecord, toJsonObject } from './json.js';
import type { UploadedFile } from './multipart.js';
import type { RouteContext } from './rest.js';
import { snowflake } from './snowflake.js';
import type { JsonObject, MessagePayload, StoredAttachment } from './types.js';
import type { World } from './world.js';

/** The interaction a response message belongs to (for its interaction_metadata). */
export interface MessageInteraction {
  id: string;
  type: number;
  user: JsonObject;
  authorizingIntegrationOwners: JsonObject;
}

/** Discord refuses a message with nothing to show (no content, embeds, components, poll, stickers or files). */
export function checkNotEmpty(body: MessagePayload, hasFiles: boolean): void {
  const hasContent = typeof body.content === 'string' && body.content.length > 0;
  const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
  const hasComponents = Array.isArray(body.components) && body.components.length > 0;
  const hasOther = body.poll != null || (Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0);
  if (!hasContent && !hasEmbeds && !hasComponents && !hasOther && !hasFiles) {
    throw apiError(400, 50006, 'Cannot send an empty message');
  }
}


const EMBED_URL_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['image', 'url'],
  ['thumbnail', 'url'],
  ['author', 'icon_url'],
  ['footer', 'icon_url'],
];

export class Messages {
  constructor(
    private readonly world: World,
    private readonly apiUrl: string,
  ) {}

  messageObject(opts: {
    id: string;
    channelId: string;
    guildId: string | null;
    payload: MessagePayload;
    type?: number;
    interaction?: MessageInteraction;
    editedAt?: number | null;
    attachments?: StoredAttachment[];
  }): JsonObject {
    const p = opts.payload;
    const msg: Record<string, unknown> = {
      id: opts.id,
      channel_id: opts.channelId,
      type: opts.type ?? 0,
      content: typeof p.content === 'string' ? p.content : '',
      author: this.world.botUser(),
      embeds: Array.isArray(p.embeds) ? p.embeds : [],
      components: Array.isArray(p.components) ? p.components : [],
      attachments: opts.attachments
        ? opts.attachments.map((a) => this.attachmentJson(a, opts.channelId))
        : Array.isArray(p.attachments)
          ? p.attachments
          : [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: opts.editedAt ? new Date(opts.editedAt).toISOString() : null,
      flags: typeof p.flags === 'number' ? p.flags : 0,
    };
    if (opts.guildId) msg.guild_id = opts.guildId;
    if (opts.interaction) {
      const i = opts.interaction;
      msg.webhook_id = this.world.applicationId;
      msg.application_id = this.world.applicationId;
      msg.interaction_metadata = {
        id: i.id,
        type: i.type,
        user: i.user,
        authorizing_integration_owners: i.authorizingIntegrationOwners,
      };
    }
    return toJsonObject(msg);
  }

  /**
   * The attachments a message ends up with. Uploaded `files[n]` parts are matched to `attachments[].id` n; an id that is
   * neither an upload of this request nor (when editing) a current attachment is refused. `attachments` on an edit is
   * the full list to keep (`[]` drops them all); left out, the current ones stay. Every `attachment://name` in an embed
   * must name one of the resulting files (Discord otherwise refuses the scheme).
   */
  resolveAttachments(
    body: MessagePayload,
    ctx: RouteContext,
    current: StoredAttachment[],
    base: PropertyKey[],
    errors: FormErrors,
  ): StoredAttachment[] {
    const fromUpload = (file: UploadedFile, entry?: Record<string, unknown>): StoredAttachment => {
      const stored: StoredAttachment = {
        id: snowflake(),
        filename: typeof entry?.filename === 'string' ? entry.filename : file.filename,
        contentType: file.contentType,
        size: file.size,
        data: file.data,
      };
      if (typeof entry?.description === 'string') stored.description = entry.description;
      return stored;
    };
    const used = new Set<UploadedFile>();
    const result: StoredAttachment[] = [];
    if (Array.isArray(body.attachments)) {
      body.attachments.forEach((entry: unknown, i) => {
        if (!isRecord(entry)) return;
        const id = String(entry.id);
        const upload = ctx.filesById.get(id);
        const kept = current.find((a) => a.id === id);
        if (upload && !used.has(upload)) {
          used.add(upload);
          result.push(fromUpload(upload, entry));
        } else if (kept) {
          result.push(kept);
        } else {
          errors.add([...base, 'attachments', i, 'id'], 'ATTACHMENT_NOT_FOUND', `No files[${id}] part was uploaded and no attachment ${id} exists`);
        }
      });
    } else {
      result.push(...current);
    }
    for (const file of ctx.files) if (!used.has(file)) result.push(fromUpload(file));
    const names = new Set(result.map((a) => a.filename));
    const embeds = Array.isArray(body.embeds) ? body.embeds : [];
    embeds.forEach((embed, i) => {
      for (const [field, key] of EMBED_URL_FIELDS) {
        const holder = isRecord(embed) ? embed[field] : undefined;
        const url = isRecord(holder) ? holder[key] : undefined;
        if (typeof url !== 'string' || !url.startsWith('attachment://')) continue;
        if (names.has(url.slice('attachment://'.length))) continue;
        errors.add(
          [...base, 'embeds', i, field, key],
          'URL_TYPE_INVALID_SCHEME',
          `Scheme "attachment" is not supported. Scheme must be one of ('http', 'https'). (no attachment named ${url.slice('attachment://'.length)})`,
        );
      }
    });
    return result;
  }

  attachmentJson(attachment: StoredAttachment, channelId: string): JsonObject {
    const url = `${this.apiUrl.replace(/\/api$/, '')}/attachments/${channelId}/${attachment.id}/${encodeURIComponent(attachment.filename)}`;
    const json: JsonObject = {
      id: attachment.id,
      filename: attachment.filename,
      size: attachment.size,
      url,
      proxy_url: url,
      content_type: attachment.contentType,
    };
    if (attachment.description !== undefined) json.description = attachment.description;
    return json;
  }

  patchMessage(current: JsonObject, body: MessagePayload, attachments?: StoredAttachment[]): JsonObject {
    const next: Record<string, unknown> = { ...current, edited_timestamp: new Date().toISOString() };
    for (const key of ['content', 'embeds', 'components', 'attachments', 'poll'] as const) {
      if (key in body && body[key] !== undefined) next[key] = body[key] ?? (key === 'content' ? '' : []);
    }
    if (attachments) next.attachments = attachments.map((a) => this.attachmentJson(a, String(current.channel_id)));
    // The loading flag (128) clears on the first edit; ephemeral (64) cannot change.
    const currentFlags = typeof current.flags === 'number' ? current.flags : 0;
    const bodyFlags = typeof body.flags === 'number' ? body.flags : currentFlags;
    next.flags = (bodyFlags & ~128 & ~64) | (currentFlags & 64);
    return toJsonObject(next);
  }
}
