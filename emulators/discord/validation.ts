// Request-body validation: Discord's own OpenAPI schemas (discord-api-spec's zod/mini build) plus the limits the
// published spec leaves out (button style vs url/custom_id, unique custom_ids, 6000-character embeds, option order, …).
// Every failure is collected into FormErrors and answered as Discord does: 400 / 50035 with the errors tree.
import type { SpecIssue, SpecSchema } from 'discord-api-spec/zod';
import { FormErrors } from './http-error.js';

type SpecModule = typeof import('discord-api-spec/zod');

let loading: Promise<SpecModule> | null = null;
let loaded: SpecModule | null = null;

/**
 * Loads the schema module once per process (about 0.2 s cold: it builds ~500 zod schemas). The emulator starts the load
 * when it starts and awaits it before validating the first body, so `DiscordEmulator.start()` itself stays fast.
 */
export function loadSpec(): Promise<SpecModule> {
  loading ??= import('discord-api-spec/zod').then((m) => {
    loaded = m;
    return m;
  });
  return loading;
}

function spec(): SpecModule {
  if (!loaded) throw new Error('discord-api-spec schemas are not loaded yet (await loadSpec() first)');
  return loaded;
}

type Path = ReadonlyArray<PropertyKey>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isRecord(node)) node = node[String(key)];
    else return undefined;
  }
  return node;
}

function strLen(value: unknown): number {
  return typeof value === 'string' ? [...value].length : 0;
}

// ---------------------------------------------------------------------------------------------
// zod issues → Discord's error codes and messages
// ---------------------------------------------------------------------------------------------

function describeIssue(issue: SpecIssue, value: unknown): [string, string] {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined || value === null) return ['BASE_TYPE_REQUIRED', 'This field is required'];
      switch (issue.expected) {
        case 'number':
        case 'int':
          return ['NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`];
        case 'boolean':
          return ['BOOLEAN_TYPE_COERCE', `Value "${String(value)}" is not bool.`];
        case 'array':
          return ['LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType'];
        case 'object':
          return ['DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType'];
        default:
          return ['BASE_TYPE_BAD_TYPE', `Expected ${issue.expected ?? 'another type'}.`];
      }
    case 'too_big':
      if (issue.origin === 'string' || issue.origin === 'array') {
        return ['BASE_TYPE_MAX_LENGTH', `Must be ${String(issue.maximum)} or fewer in length.`];
      }
      return ['NUMBER_TYPE_MAX', `int value should be less than or equal to ${String(issue.maximum)}.`];
    case 'too_small':
      if (issue.origin === 'string' || issue.origin === 'array') {
        return ['BASE_TYPE_MIN_LENGTH', `Must be ${String(issue.minimum)} or more in length.`];
      }
      return ['NUMBER_TYPE_MIN', `int value should be greater than or equal to ${String(issue.minimum)}.`];
    case 'invalid_value':
      return ['BASE_TYPE_CHOICES', `Value must be one of (${(issue.values ?? []).map(String).join(', ')}).`];
    case 'invalid_format':
      if (issue.format === 'url') return ['URL_TYPE_INVALID_URL', 'Not a well formed URL.'];
      if (issue.format === 'regex') return ['SNOWFLAKE_TYPE_INVALID', `Value "${String(value)}" is not snowflake.`];
      if (issue.format === 'datetime') return ['DATE_TYPE_PARSE', `Could not parse ${String(value)}. Should be ISO8601.`];
      return ['BASE_TYPE_BAD_FORMAT', issue.message];
    default:
      return [issue.code.toUpperCase(), issue.message];
  }
}

/** A discriminated union ("type": 1 | 2 | …) fails on every branch; report the branch whose `type` matched. */
function addIssues(issues: SpecIssue[], base: Path, body: unknown, errors: FormErrors): void {
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0) {
      const typeMismatch = (branch: SpecIssue[]): boolean =>
        branch.some((i) => i.code === 'invalid_value' && i.path.length === 1 && i.path[0] === 'type');
      // An optional field is a union with `undefined`; once a value is there, that branch says nothing useful.
      const onlyUndefined = (branch: SpecIssue[]): boolean =>
        branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].expected === 'undefined' && branch[0].path.length === 0;
      const matching = issue.errors.filter((branch) => !typeMismatch(branch) && !onlyUndefined(branch));
      if (matching.length === 0) {
        const types = [...new Set(issue.errors.flatMap((b) => b.filter((i) => i.path[0] === 'type').flatMap((i) => i.values ?? [])))];
        errors.add([...path, 'type'], 'UNION_TYPE_CHOICES', `Value of field "type" must be one of (${types.map(String).join(', ')}).`);
        continue;
      }
      const best = matching.reduce((a, b) => (b.length < a.length ? b : a));
      addIssues(best, path, body, errors);
      continue;
    }
    const [code, message] = describeIssue(issue, valueAt(body, path));
    errors.add(path, code, message);
  }
}

function checkSchema(schema: SpecSchema, value: unknown, base: Path, body: unknown, errors: FormErrors): void {
  const result = schema.safeParse(value);
  if (!result.success) addIssues(result.error.issues, base, body, errors);
}

// ---------------------------------------------------------------------------------------------
// Messages: the limits the spec leaves out
// ---------------------------------------------------------------------------------------------

const EMBED_TOTAL = 6000;

function checkEmbeds(embeds: unknown, base: Path, errors: FormErrors): void {
  if (!Array.isArray(embeds)) return;
  let total = 0;
  embeds.forEach((embed: unknown, i) => {
    if (!isRecord(embed)) return;
    const at = [...base, 'embeds', i];
    const footer = isRecord(embed.footer) ? embed.footer : {};
    const author = isRecord(embed.author) ? embed.author : {};
    if (strLen(footer.text) > 2048) errors.add([...at, 'footer', 'text'], 'BASE_TYPE_MAX_LENGTH', 'Must be 2048 or fewer in length.');
    if (strLen(author.name) > 256) errors.add([...at, 'author', 'name'], 'BASE_TYPE_MAX_LENGTH', 'Must be 256 or fewer in length.');
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    fields.forEach((field: unknown, j) => {
      if (!isRecord(field)) return;
      const fat = [...at, 'fields', j];
      if (strLen(field.name) > 256) errors.add([...fat, 'name'], 'BASE_TYPE_MAX_LENGTH', 'Must be 256 or fewer in length.');
      if (strLen(field.value) > 1024) errors.add([...fat, 'value'], 'BASE_TYPE_MAX_LENGTH', 'Must be 1024 or fewer in length.');
      if (strLen(field.name) === 0) errors.add([...fat, 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
      if (strLen(field.value) === 0) errors.add([...fat, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
      total += strLen(field.name) + strLen(field.value);
    });
    total += strLen(embed.title) + strLen(embed.description) + strLen(footer.text) + strLen(author.name);
  });
  if (total > EMBED_TOTAL) errors.add([...base, 'embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${EMBED_TOTAL}`);
}

/** Every component with a custom_id, anywhere in the tree (rows, sections, containers, labels). */
function walkComponents(list: unknown, base: Path, visit: (c: Record<string, unknown>, path: Path) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((c: unknown, i) => {
    if (!isRecord(c)) return;
    const path = [...base, i];
    visit(c, path);
    walkComponents(c.components, [...path, 'components'], visit);
    if (isRecord(c.accessory)) visit(c.accessory, [...path, 'accessory']);
    if (isRecord(c.component)) visit(c.component, [...path, 'component']);
  });
}

function checkComponents(components: unknown, base: Path, errors: FormErrors): void {
  const seen = new Set<string>();
  walkComponents(components, [...base, 'components'], (c, path) => {
    if (typeof c.custom_id === 'string') {
      if (seen.has(c.custom_id)) errors.add([...path, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      seen.add(c.custom_id);
    }
    if (c.type !== 2 || typeof c.style !== 'number') return;
    const has = (key: string): boolean => c[key] !== undefined && c[key] !== null;
    if (c.style === 5) {
      if (!has('url')) errors.add([...path, 'url'], 'BUTTON_COMPONENT_URL_REQUIRED', 'A url is required');
      if (has('custom_id')) errors.add([...path, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_LINK_INVALID', 'A link button cannot have a custom id');
    } else if (c.style === 6) {
      if (!has('sku_id')) errors.add([...path, 'sku_id'], 'BUTTON_COMPONENT_SKU_ID_REQUIRED', 'A sku id is required');
      for (const key of ['custom_id', 'url', 'label', 'emoji']) {
        if (has(key)) errors.add([...path, key], 'BUTTON_COMPONENT_PREMIUM_FIELD_INVALID', `A premium button cannot have a ${key}`);
      }
    } else if (c.style >= 1 && c.style <= 4) {
      if (!has('custom_id')) errors.add([...path, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_REQUIRED', 'A custom id is required');
      if (has('url')) errors.add([...path, 'url'], 'BUTTON_COMPONENT_URL_NOT_ALLOWED', 'A non-link button cannot have a url');
    }
  });
}

/** Content, embeds and components of a message body at `base` (e.g. ['data'] inside a callback). */
function checkMessageBody(body: Record<string, unknown>, base: Path, errors: FormErrors): void {
  // Bots may send 2000 characters (the 4000 in the spec is the Nitro limit for users).
  if (strLen(body.content) > 2000) errors.add([...base, 'content'], 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
  checkEmbeds(body.embeds, base, errors);
  checkComponents(body.components, base, errors);
}

function checkModal(data: Record<string, unknown>, base: Path, errors: FormErrors): void {
  checkComponents(data.components, base, errors);
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

const COMMAND_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const ALL_PERMISSIONS = (1n << 54n) - 1n;
// The locales Discord accepts as keys of name_localizations / description_localizations.
const LOCALES = [
  'id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no', 'pl', 'pt-BR', 'ro',
  'fi', 'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN', 'ja', 'zh-TW', 'ko',
];

/**
 * name_localizations / description_localizations as Discord checks them: known locales only; a command's or
 * option's localized name follows the name rules (lowercase for chat commands), a choice's is 1–100 characters;
 * a description 1–100.
 */
function checkLocalizations(target: Record<string, unknown>, base: Path, errors: FormErrors, kind: 'name' | 'choice'): void {
  for (const field of ['name_localizations', 'description_localizations'] as const) {
    const value = target[field];
    if (value === undefined || value === null) continue;
    if (!isRecord(value)) {
      errors.add([...base, field], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      continue;
    }
    for (const [locale, text] of Object.entries(value)) {
      const at = [...base, field, locale];
      if (!LOCALES.includes(locale)) {
        errors.add(at, 'BASE_TYPE_CHOICES', `Value must be one of {${LOCALES.map((l) => `'${l}'`).join(', ')}}.`);
        continue;
      }
      if (typeof text !== 'string') {
        errors.add(at, 'BASE_TYPE_BAD_TYPE', 'Must be a string.');
        continue;
      }
      if (field === 'name_localizations' && kind === 'name') {
        if (!COMMAND_NAME.test(text) || text !== text.toLowerCase()) errors.add(at, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
      } else {
        const len = strLen(text);
        if (len < 1 || len > 100) errors.add(at, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
    }
  }
}

/** Two options of one level may not share a name in any locale (a localized name, or the default one). */
function checkLocalizedNamesUnique(options: unknown[], base: Path, errors: FormErrors): void {
  for (const locale of LOCALES) {
    const seen = new Set<string>();
    options.forEach((opt, i) => {
      if (!isRecord(opt) || typeof opt.name !== 'string') return;
      const localized = isRecord(opt.name_localizations) ? opt.name_localizations[locale] : undefined;
      const name = typeof localized === 'string' ? localized : opt.name;
      if (seen.has(name)) {
        errors.add([...base, i, 'name_localizations', locale], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option name already exists');
      }
      seen.add(name);
    });
  }
}

function checkOptions(options: unknown, base: Path, errors: FormErrors): void {
  if (!Array.isArray(options)) return;
  checkLocalizedNamesUnique(options, base, errors);
  let optionalSeen = false;
  const names = new Set<string>();
  options.forEach((opt: unknown, i) => {
    if (!isRecord(opt)) return;
    const at = [...base, i];
    checkLocalizations(opt, at, errors, 'name');
    if (Array.isArray(opt.choices)) {
      opt.choices.forEach((choice: unknown, c) => {
        if (isRecord(choice)) checkLocalizations(choice, [...at, 'choices', c], errors, 'choice');
      });
    }
    if (typeof opt.name !== 'string' || !COMMAND_NAME.test(opt.name) || opt.name !== opt.name.toLowerCase()) {
      errors.add([...at, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    } else {
      if (names.has(opt.name)) errors.add([...at, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option name already exists');
      names.add(opt.name);
    }
    const isSub = opt.type === 1 || opt.type === 2;
    if (!isSub) {
      if (opt.required === true && optionalSeen) {
        errors.add([...at, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
      }
      if (opt.required !== true) optionalSeen = true;
    }
    if (opt.autocomplete === true) {
      // Discord's wording; the error codes are the emulator's (Discord does not document them).
      if (opt.type !== 3 && opt.type !== 4 && opt.type !== 10) {
        errors.add([...at, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID', 'Autocomplete is only valid for string, integer and number options');
      } else if (Array.isArray(opt.choices) && opt.choices.length > 0) {
        errors.add([...at, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES_INVALID', 'Autocomplete and choices are mutually exclusive');
      }
    }
    if (opt.type === 4) {
      for (const k of ['min_value', 'max_value'] as const) {
        const v = opt[k];
        if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isInteger(v))) {
          errors.add([...at, k], 'NUMBER_TYPE_COERCE', `Value "${String(v)}" is not int.`);
        }
      }
    }
    checkOptions(opt.options, [...at, 'options'], errors);
  });
}

function checkCommand(cmd: unknown, base: Path, errors: FormErrors, partial: boolean): void {
  if (!isRecord(cmd)) return;
  const type = typeof cmd.type === 'number' ? cmd.type : 1;
  if (!partial || cmd.name !== undefined) {
    const name = cmd.name;
    if (typeof name !== 'string' || !COMMAND_NAME.test(name) || (type === 1 && name !== name.toLowerCase())) {
      errors.add([...base, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
  }
  checkLocalizations(cmd, base, errors, type === 1 ? 'name' : 'choice');
  if (type === 1 && (!partial || cmd.description !== undefined)) {
    const len = strLen(cmd.description);
    if (len < 1 || len > 100) errors.add([...base, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  const perms = cmd.default_member_permissions;
  if (perms !== undefined && perms !== null) {
    // Discord documents (and discord.js sends) a string of digits; the published spec says number.
    const text = typeof perms === 'number' && Number.isInteger(perms) ? String(perms) : perms;
    if (typeof text !== 'string' || !/^\d{1,20}$/.test(text) || BigInt(text) > ALL_PERMISSIONS) {
      errors.add([...base, 'default_member_permissions'], 'PERMISSIONS_INVALID', `Value "${String(perms)}" is not a valid permissions string.`);
    }
  }
  checkOptions(cmd.options, [...base, 'options'], errors);
}

/** The command as the published spec can check it: without the fields where the spec and Discord disagree. */
function commandForSpec(cmd: unknown): unknown {
  if (!isRecord(cmd)) return cmd;
  const { default_member_permissions: _perms, ...rest } = cmd;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Entry points, one per request body the emulator accepts
// ---------------------------------------------------------------------------------------------

export type BodyKind =
  | 'interactionCallback'
  | 'webhookCreate'
  | 'webhookEdit'
  | 'channelMessageCreate'
  | 'channelMessageEdit'
  | 'commandsBulk'
  | 'commandCreate'
  | 'commandPatch'
  | 'dmCreate';

/** Collects every problem in `body` (for `kind`) into a FormErrors; nothing is thrown. */
export function validateBody(kind: BodyKind, body: unknown): FormErrors {
  const s = spec();
  const errors = new FormErrors();
  const message = (schema: SpecSchema): void => {
    checkSchema(schema, body, [], body, errors);
    if (isRecord(body)) checkMessageBody(body, [], errors);
  };
  switch (kind) {
    case 'interactionCallback': {
      if (!isRecord(body)) {
        errors.add([], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
        break;
      }
      const schemas: Record<number, SpecSchema> = {
        1: s.PongInteractionCallbackRequestSchema,
        4: s.CreateMessageInteractionCallbackRequestSchema,
        5: s.CreateMessageInteractionCallbackRequestSchema,
        6: s.UpdateMessageInteractionCallbackRequestSchema,
        7: s.UpdateMessageInteractionCallbackRequestSchema,
        8: s.ApplicationCommandAutocompleteCallbackRequestSchema,
        9: s.ModalInteractionCallbackRequestSchema,
        12: s.LaunchActivityInteractionCallbackRequestSchema,
      };
      const schema = typeof body.type === 'number' ? schemas[body.type] : undefined;
      if (!schema) {
        errors.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of (${Object.keys(schemas).join(', ')}).`);
        break;
      }
      checkSchema(schema, body, [], body, errors);
      if (isRecord(body.data)) {
        if (body.type === 9) checkModal(body.data, ['data'], errors);
        else checkMessageBody(body.data, ['data'], errors);
      }
      break;
    }
    case 'webhookCreate':
      message(s.IncomingWebhookRequestPartialSchema);
      break;
    case 'webhookEdit':
      message(s.IncomingWebhookUpdateRequestPartialSchema);
      break;
    case 'channelMessageCreate':
      message(s.MessageCreateRequestSchema);
      break;
    case 'channelMessageEdit':
      message(s.MessageEditRequestPartialSchema);
      break;
    case 'commandsBulk':
      if (!Array.isArray(body)) {
        errors.add([], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
        break;
      }
      if (body.length > 100) errors.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
      body.forEach((cmd: unknown, i) => {
        checkSchema(s.ApplicationCommandUpdateRequestSchema, commandForSpec(cmd), [i], body, errors);
        checkCommand(cmd, [i], errors, false);
      });
      break;
    case 'commandCreate':
      checkSchema(s.ApplicationCommandCreateRequestSchema, commandForSpec(body), [], body, errors);
      checkCommand(body, [], errors, false);
      break;
    case 'commandPatch':
      checkSchema(s.ApplicationCommandPatchRequestPartialSchema, commandForSpec(body), [], body, errors);
      checkCommand(body, [], errors, true);
      break;
    case 'dmCreate':
      checkSchema(s.CreatePrivateChannelRequestSchema, body, [], body, errors);
      if (!isRecord(body) || body.recipient_id === undefined || body.recipient_id === null) {
        errors.add(['recipient_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      }
      break;
    default: {
      const never: never = kind;
      throw new Error(`unknown body kind ${String(never)}`);
    }
  }
  return errors;
}

/** Throws 400 / 50035 with Discord's errors tree when `body` is not a valid `kind` body. */
export function validate(kind: BodyKind, body: unknown): void {
  validateBody(kind, body).throwIfAny();
}
