// What the bot answers an interaction with: the callback (within the deadline, once, of a type that fits), then the
// interaction webhook (edit/delete @original, follow-ups) for as long as the token lives.
import type { EventEmitter } from 'node:events';
import { apiError, invalidFormBody, type FormErrors } from './http-error.js';
import type { InteractionState, Interactions } from './interactions.js';
import { asMessagePayload, isRecord, toJson } from './json.js';
import { checkNotEmpty, type Messages } from './messages.js';
import { param, type RestRouter, type RouteContext, type RouteResult } from './rest.js';
import { snowflake } from './snowflake.js';
import type { InteractionCallbackRecord, JsonObject } from './types.js';
import { validateBody } from './validation.js';

/**
 * What the spec leaves out of an autocomplete answer: `choices` must be there, each value of the focused option's type
 * (a string of at most 100 characters, an integer, a number).
 */
function checkChoices(data: unknown, option: JsonObject, errors: FormErrors): void {
  const choices = isRecord(data) ? data.choices : undefined;
  if (!Array.isArray(choices)) {
    errors.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  choices.forEach((choice: unknown, i) => {
    const value = isRecord(choice) ? choice.value : undefined;
    const at = ['data', 'choices', i, 'value'];
    if (value === undefined || value === null) errors.add(at, 'BASE_TYPE_REQUIRED', 'This field is required');
    else if (option.type === 3 && typeof value !== 'string') errors.add(at, 'BASE_TYPE_BAD_TYPE', `Value "${String(value)}" is not a string.`);
    else if (option.type === 3 && [...String(value)].length > 100) errors.add(at, 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    else if (option.type === 4 && !Number.isInteger(value)) errors.add(at, 'NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`);
    else if (option.type === 10 && (typeof value !== 'number' || !Number.isFinite(value))) {
      errors.add(at, 'NUMBER_TYPE_COERCE', `Value "${String(value)}" is not a number.`);
    }
  });
}

export interface InteractionResponsesHost {
  readonly applicationId: string;
  readonly interactionDeadlineMs: number;
  readonly interactionTokenTtlMs: number;
  emit: EventEmitter['emit'];
}

export class InteractionResponses {
  constructor(
    private readonly host: InteractionResponsesHost,
    private readonly interactions: Interactions,
    private readonly messages: Messages,
  ) {}

  registerRoutes(router: RestRouter): void {
    router.route('POST', '/interactions/:id/:token/callback', (ctx) => this.onCallback(ctx, param(ctx, 0), param(ctx, 1)));
    const webhookState = (ctx: RouteContext): InteractionState => {
      const state = this.interactions.byToken.get(param(ctx, 1));
      if (param(ctx, 0) !== this.host.applicationId || !state) throw apiError(404, 10015, 'Unknown Webhook');
      if (Date.now() - state.dispatchedAt > this.host.interactionTokenTtlMs) throw apiError(401, 50027, 'Invalid Webhook Token');
      // An autocomplete answer makes no message: there is nothing to edit or follow up.
      if (!state.response || state.type === 4) throw apiError(404, 10015, 'Unknown Webhook');
      return state;
    };
    const original = (state: InteractionState): JsonObject => {
      if (!state.original) throw apiError(404, 10008, 'Unknown Message');
      return state.original;
    };
    const base = '/webhooks/:app/:token';
    router.route('GET', `${base}/messages/@original`, (ctx) => ({ status: 200, body: original(webhookState(ctx)) }));
    router.route('PATCH', `${base}/messages/@original`, (ctx) => {
      const state = webhookState(ctx);
      const current = original(state);
      const body = asMessagePayload(ctx.body);
      const errors = validateBody('webhookEdit', ctx.body);
      const attachments = this.messages.resolveAttachments(body, ctx, state.originalAttachments, [], errors);
      errors.throwIfAny();
      state.originalAttachments = attachments;
      state.original = this.messages.patchMessage(current, body, attachments);
      state.edits.push(body);
      this.host.emit('interactionEdit', { interactionId: state.id, body });
      state.events.emit('change');
      return { status: 200, body: state.original };
    });
    router.route('DELETE', `${base}/messages/@original`, (ctx) => {
      const state = webhookState(ctx);
      original(state);
      state.original = null;
      state.originalAttachments = [];
      state.events.emit('change');
      return { status: 204 };
    });
    router.route('POST', base, (ctx) => {
      const state = webhookState(ctx);
      const body = asMessagePayload(ctx.body);
      const errors = validateBody('webhookCreate', ctx.body);
      const attachments = this.messages.resolveAttachments(body, ctx, [], [], errors);
      errors.throwIfAny();
      checkNotEmpty(body, ctx.files.length > 0);
      const msg = this.messages.messageObject({
        id: snowflake(),
        channelId: state.channelId,
        guildId: state.guildId,
        payload: body,
        interaction: state,
        type: 0,
        attachments,
      });
      state.followUps.push(body);
      state.followUpAttachments.push(attachments);
      state.followUpAttachmentsById.set(String(msg.id), attachments);
      state.followUpMessages.set(String(msg.id), msg);
      this.host.emit('interactionFollowUp', { interactionId: state.id, body });
      state.events.emit('change');
      return ctx.query.get('wait') === 'true' ? { status: 200, body: msg } : { status: 204 };
    });
    const followUpMsg = (state: InteractionState, id: string): JsonObject => {
      const msg = state.followUpMessages.get(id);
      if (!msg) throw apiError(404, 10008, 'Unknown Message');
      return msg;
    };
    router.route('GET', `${base}/messages/:id`, (ctx) => {
      const state = webhookState(ctx);
      return { status: 200, body: followUpMsg(state, param(ctx, 2)) };
    });
    router.route('PATCH', `${base}/messages/:id`, (ctx) => {
      const state = webhookState(ctx);
      const body = asMessagePayload(ctx.body);
      const current = followUpMsg(state, param(ctx, 2));
      const errors = validateBody('webhookEdit', ctx.body);
      const previous = state.followUpAttachmentsById.get(param(ctx, 2)) ?? [];
      const attachments = this.messages.resolveAttachments(body, ctx, previous, [], errors);
      errors.throwIfAny();
      const index = state.followUpAttachments.indexOf(previous);
      if (index !== -1) state.followUpAttachments[index] = attachments;
      state.followUpAttachmentsById.set(param(ctx, 2), attachments);
      const msg = this.messages.patchMessage(current, body, attachments);
      state.followUpMessages.set(param(ctx, 2), msg);
      return { status: 200, body: msg };
    });
    router.route('DELETE', `${base}/messages/:id`, (ctx) => {
      const state = webhookState(ctx);
      followUpMsg(state, param(ctx, 2));
      state.followUpMessages.delete(param(ctx, 2));
      return { status: 204 };
    });
  }

  private onCallback(ctx: RouteContext, id: string, token: string): RouteResult {
    const state = this.interactions.byId.get(id);
    if (!state || state.token !== token) throw apiError(404, 10062, 'Unknown interaction');
    if (state.response) throw apiError(400, 40060, 'Interaction has already been acknowledged.');
    // Measured from when the request arrived, so waiting for the schemas to load never makes a reply "late".
    if (ctx.receivedAt - state.dispatchedAt > this.host.interactionDeadlineMs) {
      this.host.emit('interactionExpired', { interactionId: id, lateByMs: ctx.receivedAt - state.dispatchedAt - this.host.interactionDeadlineMs });
      throw apiError(404, 10062, 'Unknown interaction');
    }
    const errors = validateBody('interactionCallback', ctx.body);
    if (!isRecord(ctx.body) || typeof ctx.body.type !== 'number') {
      errors.throwIfAny();
      throw invalidFormBody(['type'], 'BASE_TYPE_REQUIRED', 'This field is required');
    }
    const type = ctx.body.type;
    if (state.type === 4 && type !== 8) {
      errors.add(['type'], 'INTERACTION_CALLBACK_TYPE_INVALID', `An autocomplete interaction is answered with type 8 (choices), not ${type}`);
    }
    if (type === 8 && state.autocompleteOption) checkChoices(ctx.body.data, state.autocompleteOption, errors);
    const data = ctx.body.data === undefined || ctx.body.data === null ? undefined : asMessagePayload(toJson(ctx.body.data));
    const hasFiles = ctx.files.length > 0;
    const attachments = type === 4 || type === 7 ? this.messages.resolveAttachments(data ?? {}, ctx, state.originalAttachments, ['data'], errors) : [];
    errors.throwIfAny();
    switch (type) {
      case 4:
        checkNotEmpty(data ?? {}, hasFiles);
        break;
      case 7:
        if (state.type !== 3 && !(state.type === 5 && state.original)) throw apiError(400, 40043, 'Interaction is not a component interaction');
        break;
      case 5:
      case 1:
        break;
      case 6:
        if (state.type !== 3 && !(state.type === 5 && state.original)) throw apiError(400, 40043, 'Interaction is not a component interaction');
        break;
      case 8:
        if (state.type !== 4) throw invalidFormBody(['type'], 'INTERACTION_CALLBACK_TYPE_INVALID', `Callback type 8 answers autocomplete interactions, not a ${state.type} interaction`);
        break;
      case 9: {
        if (state.type === 5) throw apiError(400, 40043, 'A modal cannot answer a modal submit');
        break;
      }
      default:
        throw invalidFormBody(['type'], 'INTERACTION_CALLBACK_TYPE_INVALID', `Callback type ${type} does not fit a ${state.type} interaction in the emulator.`);
    }
    // When the callback arrived: validating it (or loading the schemas) is the emulator's time, not the bot's.
    const at = ctx.receivedAt;
    const record: InteractionCallbackRecord = { type, at, files: ctx.files, attachments };
    if (type === 4 || type === 7) state.originalAttachments = attachments;
    if (data !== undefined) record.data = data;
    state.response = record;

    // The resulting @original message.
    if (type === 4 || type === 5) {
      const flags = (typeof data?.flags === 'number' ? data.flags : 0) | (type === 5 ? 128 : 0);
      state.original = this.messages.messageObject({
        id: snowflake(),
        channelId: state.channelId,
        guildId: state.guildId,
        payload: type === 5 ? { flags } : { ...(data ?? {}), flags },
        interaction: state,
        type: state.type === 2 ? 20 : 0,
        attachments: type === 4 ? attachments : [],
      });
    } else if (type === 7 && state.original) {
      state.original = this.messages.patchMessage(state.original, data ?? {}, attachments);
    }
    this.host.emit('interactionResponse', { interactionId: id, type, data, at });
    state.events.emit('change');

    if (ctx.query.get('with_response') === 'true') {
      const callbackResponse: JsonObject = {
        interaction: {
          id,
          type: state.type,
          response_message_id: state.original && type !== 9 ? String(state.original.id) : null,
          response_message_loading: type === 5,
          response_message_ephemeral: typeof state.original?.flags === 'number' ? (state.original.flags & 64) !== 0 : false,
        },
        resource: type === 9 || type === 6 || !state.original ? { type } : { type, message: state.original },
      };
      return { status: 200, body: callbackResponse };
    }
    return { status: 204 };
  }
}
