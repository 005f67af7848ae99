// Keep the commands registered with Discord equal to the definitions: GET the registered set, compare, and PUT
// only when they differ (bulk PUT replaces the set; Discord allows 200 command creates per day per guild).
import { REST, Routes } from 'discord.js';
import { localizeCommand } from '../i18n/command-texts.js';
import { loadCommandTexts } from '../i18n/locales.js';
import type { CommandDefinition } from './command.js';

export type CommandScope = { kind: 'guild'; guildId: string } | { kind: 'global' };

export interface SyncResult {
  scope: CommandScope;
  changed: boolean;
  count: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Fields Discord fills in with these values when a definition leaves them out.
const DEFAULTS: Record<string, Json> = {
  type: 1,
  required: false,
  nsfw: false,
  default_member_permissions: null,
  autocomplete: false,
};
// Fields Discord adds that say nothing about the definition.
const IGNORED = new Set(['id', 'application_id', 'guild_id', 'version', 'dm_permission', 'name_localized', 'description_localized', 'handler']);

/** A definition or a registered command, reduced to what decides whether they are the same. */
export function normalizeCommand(value: unknown): Json {
  if (Array.isArray(value)) return value.map(normalizeCommand);
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null) return value as Json;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(value).sort()) {
    if (IGNORED.has(key)) continue;
    const v = normalizeCommand((value as Record<string, unknown>)[key]);
    if (v === null || (key in DEFAULTS && DEFAULTS[key] === v)) continue;
    if ((key.endsWith('_localizations') || key === 'options' || key === 'choices') && Array.isArray(v) && v.length === 0) continue;
    if (key.endsWith('_localizations') && typeof v === 'object' && v !== null && Object.keys(v).length === 0) continue;
    out[key] = v;
  }
  return out;
}

export function sameCommands(registered: readonly unknown[], definitions: readonly CommandDefinition[]): boolean {
  const byName = (list: Json[]): string =>
    JSON.stringify(
      // Plain code-unit order: both sides only need the same order, and localeCompare would page ICU's collation
      // data (~2.5 MB RSS) into every start for it.
      [...list].sort((a, b) => {
        const x = String((a as { name?: Json }).name);
        const y = String((b as { name?: Json }).name);
        return x < y ? -1 : x > y ? 1 : 0;
      }),
    );
  const wanted = definitions.map((d) => normalizeCommand(d.toJSON()));
  const actual = registered.map(normalizeCommand);
  return byName(wanted) === byName(actual);
}

export interface SyncOptions {
  rest: REST;
  applicationId: string;
  scope: CommandScope;
  definitions: readonly CommandDefinition[];
  /** Write even when the sets look the same. */
  force?: boolean;
}

function routeFor(applicationId: string, scope: CommandScope): `/${string}` {
  return scope.kind === 'guild'
    ? Routes.applicationGuildCommands(applicationId, scope.guildId)
    : Routes.applicationCommands(applicationId);
}

/**
 * The definitions as Discord should hold them: with every shipped language's names and descriptions
 * (name_localizations / description_localizations), taken from the language files by English name.
 */
export async function localizedDefinitions(definitions: readonly CommandDefinition[]): Promise<CommandDefinition[]> {
  const texts = await loadCommandTexts();
  return definitions.map((d) => {
    const body = localizeCommand(d.toJSON(), texts);
    return { name: d.name, toJSON: () => body };
  });
}

export async function syncCommands(options: SyncOptions): Promise<SyncResult> {
  const route = routeFor(options.applicationId, options.scope);
  const definitions = await localizedDefinitions(options.definitions);
  const registered = (await options.rest.get(route)) as unknown[];
  if (!options.force && sameCommands(registered, definitions)) {
    return { scope: options.scope, changed: false, count: registered.length };
  }
  await options.rest.put(route, { body: definitions.map((d) => d.toJSON()) });
  return { scope: options.scope, changed: true, count: options.definitions.length };
}

/** Sync and log the outcome; a failure is logged, never thrown (the bot runs on with what Discord has). */
export async function syncCommandsAndLog(
  options: SyncOptions,
  logger: { info(message: string, fields?: Record<string, unknown>): void; error(message: string, fields?: Record<string, unknown>): void },
): Promise<void> {
  try {
    const result = await syncCommands(options);
    logger.info(result.changed ? 'registered slash commands' : 'slash commands already up to date', {
      scope: result.scope.kind,
      count: result.count,
    });
  } catch (error) {
    logger.error('could not register slash commands', { error });
  }
}

export function createRest(apiUrl: string, token: string): REST {
  return new REST({ api: apiUrl }).setToken(token);
}
