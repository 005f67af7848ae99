// Guild text channels and DMs over REST: posting (with Discord's permission checks and per-channel rate limit),
// reading, editing and deleting the bot's messages, opening DM channels.
import type { EventEmitter } from 'node:events';
import { apiError } from './http-error.js';
import { asMessagePayload, isRecord } from './json.js';
import { checkNotEmpty, type Messages } from './messages.js';
import { P } from './permissions.js';
import { ChannelRateLimiter } from './rate-limits.js';
import { param, type RestRouter, type RouteContext } from './rest.js';
import { snowflake } from './snowflake.js';
import type { ChannelMessageRecord, DirectMessageRecord, MessagePayload } from './types.js';
import { validate, validateBody } from './validation.js';
import type { ChannelState, World } from './world.js';

export class Channels {
  readonly directMessages: DirectMessageRecord[] = [];
  private readonly channelPosts: ChannelMessageRecord[] = [];
  private readonly rateLimiter: ChannelRateLimiter;

  constructor(
    private readonly events: { emit: EventEmitter['emit'] },
    private readonly world: World,
    private readonly messages: Messages,
    channelRateLimit: { messages: number; windowMs: number },
  ) {
    this.rateLimiter = new ChannelRateLimiter(channelRateLimit);
  }

  /** Messages the bot posted to guild channels (all channels, or one), with their edits and attachments. */
  channelMessages(channelId?: string): ChannelMessageRecord[] {
    return this.channelPosts.filter((m) => channelId === undefined || m.channelId === channelId);
  }

  registerRoutes(router: RestRouter): void {
    router.route('POST', '/users/@me/channels', (ctx) => {
      validate('dmCreate', ctx.body);
      const recipient = isRecord(ctx.body) ? String(ctx.body.recipient_id) : '';
      const channelId = this.world.dmChannelFor(recipient);
      return { status: 200, body: this.world.dmChannelObject(channelId, recipient) };
    });
    router.route('GET', '/channels/:id', (ctx) => {
      const id = param(ctx, 0);
      const dmUser = this.world.dmChannels.get(id);
      if (dmUser) return { status: 200, body: this.world.dmChannelObject(id, dmUser) };
      const channel = this.world.liveChannel(id);
      if (!this.world.can(channel, P.ViewChannel)) throw apiError(403, 50001, 'Missing Access');
      return { status: 200, body: this.world.channelObject(channel) };
    });
    router.route('POST', '/channels/:id/messages', (ctx) => {
      const channelId = param(ctx, 0);
      const body = asMessagePayload(ctx.body);
      const dmUser = this.world.dmChannels.get(channelId);
      if (dmUser) {
        const errors = validateBody('channelMessageCreate', ctx.body);
        const attachments = this.messages.resolveAttachments(body, ctx, [], [], errors);
        errors.throwIfAny();
        checkNotEmpty(body, ctx.files.length > 0);
        const msg = this.messages.messageObject({ id: snowflake(), channelId, guildId: null, payload: body, attachments });
        const record: DirectMessageRecord = { userId: dmUser, channelId, body, at: Date.now(), files: ctx.files };
        this.directMessages.push(record);
        this.events.emit('directMessage', record);
        return { status: 200, body: msg };
      }
      const channel = this.world.liveChannel(channelId);
      const headers = this.rateLimiter.take(channelId, ctx.receivedAt);
      this.checkCanPost(channel, ctx.files.length > 0);
      const errors = validateBody('channelMessageCreate', ctx.body);
      const attachments = this.messages.resolveAttachments(body, ctx, [], [], errors);
      errors.throwIfAny();
      checkNotEmpty(body, ctx.files.length > 0);
      const id = snowflake();
      const message = this.messages.messageObject({ id, channelId, guildId: channel.guildId, payload: this.visiblePart(channel, body), attachments });
      const record: ChannelMessageRecord = {
        id,
        channelId,
        guildId: channel.guildId,
        body,
        at: Date.now(),
        files: ctx.files,
        attachments,
        edits: [],
        message,
      };
      this.channelPosts.push(record);
      this.events.emit('channelMessage', record);
      return { status: 200, body: message, headers };
    });
    const channelPost = (ctx: RouteContext): [ChannelState, ChannelMessageRecord] => {
      const channel = this.world.liveChannel(param(ctx, 0));
      const record = this.channelPosts.find((m) => m.channelId === channel.id && m.id === param(ctx, 1));
      if (!this.world.can(channel, P.ViewChannel)) throw apiError(403, 50001, 'Missing Access');
      if (!record) throw apiError(404, 10008, 'Unknown Message');
      return [channel, record];
    };
    router.route('GET', '/channels/:id/messages/:mid', (ctx) => {
      const [channel, record] = channelPost(ctx);
      if (!this.world.can(channel, P.ReadMessageHistory)) throw apiError(403, 50001, 'Missing Access');
      return { status: 200, body: record.message };
    });
    router.route('PATCH', '/channels/:id/messages/:mid', (ctx) => {
      const [channel, record] = channelPost(ctx);
      const body = asMessagePayload(ctx.body);
      // Editing one's own message needs no Send Messages; new files still need Attach Files.
      if (ctx.files.length > 0 && !this.world.can(channel, P.AttachFiles)) throw apiError(403, 50013, 'Missing Permissions');
      const errors = validateBody('channelMessageEdit', ctx.body);
      const attachments = this.messages.resolveAttachments(body, ctx, record.attachments, [], errors);
      errors.throwIfAny();
      record.attachments = attachments;
      record.message = this.messages.patchMessage(record.message, this.visiblePart(channel, body), attachments);
      record.edits.push(body);
      this.events.emit('channelMessageEdit', { record, body });
      return { status: 200, body: record.message };
    });
    router.route('DELETE', '/channels/:id/messages/:mid', (ctx) => {
      const [, record] = channelPost(ctx);
      this.channelPosts.splice(this.channelPosts.indexOf(record), 1);
      this.events.emit('channelMessageDelete', record);
      return { status: 204 };
    });
  }

  /** Discord's order: no View Channel → 50001 Missing Access; no Send Messages (or files without Attach Files) → 50013. */
  private checkCanPost(channel: ChannelState, hasFiles: boolean): void {
    if (!this.world.can(channel, P.ViewChannel)) throw apiError(403, 50001, 'Missing Access');
    if (!this.world.can(channel, P.SendMessages)) throw apiError(403, 50013, 'Missing Permissions');
    if (hasFiles && !this.world.can(channel, P.AttachFiles)) throw apiError(403, 50013, 'Missing Permissions');
  }

  /** What the channel shows of a body: without Embed Links, Discord drops the embeds silently (no error). */
  private visiblePart(channel: ChannelState, body: MessagePayload): MessagePayload {
    if (this.world.can(channel, P.EmbedLinks) || body.embeds === undefined) return body;
    return { ...body, embeds: [] };
  }
}
