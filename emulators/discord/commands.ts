// The application command registry: global and per-guild command sets as the REST routes store them (ids and
// versions kept across bulk overwrites of an unchanged command), validated like Discord validates them.
import type { EventEmitter } from 'node:events';
import { apiError, invalidFormBody } from './http-error.js';
import { isRecord, toJsonObject } from './json.js';
import { param, type RestRouter, type RouteContext } from './rest.js';
import { snowflake } from './snowflake.js';
import type { JsonObject, JsonValue } from './types.js';
import { validate } from './validation.js';

export interface StoredCommand {
  [key: string]: JsonValue;
}

/** The option definitions a command takes under `subcommandGroup` / `subcommand` ([] when there is no such path). */
export function leafOptions(command: StoredCommand, subcommandGroup?: string, subcommand?: string): JsonObject[] {
  const objects = (list: JsonValue | undefined): JsonObject[] =>
    Array.isArray(list) ? list.filter((o): o is JsonObject => typeof o === 'object' && o !== null && !Array.isArray(o)) : [];
  let options = objects(command.options);
  for (const [name, type] of [[subcommandGroup, 2], [subcommand, 1]] as const) {
    if (name === undefined) continue;
    options = objects(options.find((o) => o.name === name && o.type === type)?.options);
  }
  return options;
}

export interface CommandsHost {
  readonly applicationId: string;
  readonly guildIds: string[];
  emit: EventEmitter['emit'];
}

export class CommandRegistry {
  private readonly commandSets = new Map<string, StoredCommand[]>();

  constructor(private readonly host: CommandsHost) {}

  /** Registered command set: global when no guildId. */
  list(guildId?: string): unknown[] {
    return [...(this.commandSets.get(guildId ?? 'global') ?? [])];
  }

  find(name: string, guildId: string | null): StoredCommand | undefined {
    const scoped = guildId ? this.commandSets.get(guildId)?.find((c) => c.name === name) : undefined;
    return scoped ?? this.commandSets.get('global')?.find((c) => c.name === name);
  }

  registerRoutes(router: RestRouter): void {
    const app = (appId: string): void => {
      if (appId !== this.host.applicationId) throw apiError(403, 50001, 'Missing Access');
    };
    const guild = (guildId: string): void => {
      if (!this.host.guildIds.includes(guildId)) throw apiError(403, 50001, 'Missing Access');
    };

    // --- application commands ---
    const scopes: Array<[string, (ctx: RouteContext) => string]> = [
      ['/applications/:app/commands', (ctx) => (app(param(ctx, 0)), 'global')],
      ['/applications/:app/guilds/:guild/commands', (ctx) => (app(param(ctx, 0)), guild(param(ctx, 1)), param(ctx, 1))],
    ];
    for (const [base, scopeOf] of scopes) {
      router.route('GET', base, (ctx) => ({ status: 200, body: this.commandSets.get(scopeOf(ctx)) ?? [] }));
      router.route('PUT', base, (ctx) => {
        const scope = scopeOf(ctx);
        validate('commandsBulk', ctx.body);
        if (!Array.isArray(ctx.body)) throw invalidFormBody([], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
        const previous = this.commandSets.get(scope) ?? [];
        const next = ctx.body.map((cmd: unknown) => this.store(cmd, scope, previous));
        this.commandSets.set(scope, next);
        this.host.emit('commandsUpdated', { scope, commands: next });
        return { status: 200, body: next };
      });
      router.route('POST', base, (ctx) => {
        const scope = scopeOf(ctx);
        validate('commandCreate', ctx.body);
        const previous = this.commandSets.get(scope) ?? [];
        const stored = this.store(ctx.body, scope, previous);
        const existed = previous.some((c) => c.id === stored.id);
        this.commandSets.set(scope, [...previous.filter((c) => c.id !== stored.id), stored]);
        this.host.emit('commandsUpdated', { scope, commands: this.commandSets.get(scope) });
        return { status: existed ? 200 : 201, body: stored };
      });
      const byId = (ctx: RouteContext, idIndex: number): [string, StoredCommand] => {
        const scope = scopeOf(ctx);
        const cmd = (this.commandSets.get(scope) ?? []).find((c) => c.id === param(ctx, idIndex));
        if (!cmd) throw apiError(404, 10063, 'Unknown application command');
        return [scope, cmd];
      };
      const idIndex = base.includes(':guild') ? 2 : 1;
      router.route('GET', `${base}/:id`, (ctx) => ({ status: 200, body: byId(ctx, idIndex)[1] }));
      router.route('PATCH', `${base}/:id`, (ctx) => {
        const [scope, cmd] = byId(ctx, idIndex);
        validate('commandPatch', ctx.body);
        const merged = { ...cmd, ...(isRecord(ctx.body) ? ctx.body : {}) };
        const list = this.commandSets.get(scope) ?? [];
        const stored = this.store(merged, scope, list);
        this.commandSets.set(scope, list.map((c) => (c.id === stored.id ? stored : c)));
        return { status: 200, body: stored };
      });
      router.route('DELETE', `${base}/:id`, (ctx) => {
        const [scope, cmd] = byId(ctx, idIndex);
        this.commandSets.set(scope, (this.commandSets.get(scope) ?? []).filter((c) => c.id !== cmd.id));
        return { status: 204 };
      });
    }
  }

  private store(cmd: unknown, scope: string, previous: StoredCommand[]): StoredCommand {
    const body = toJsonObject(cmd);
    const type = typeof body.type === 'number' ? body.type : 1;
    const existing =
      (typeof body.id === 'string' ? previous.find((c) => c.id === body.id) : undefined) ??
      previous.find((c) => c.name === body.name && c.type === type);
    const definition: StoredCommand = {
      type,
      name: body.name ?? '',
      description: body.description ?? '',
      options: body.options ?? [],
      default_member_permissions: body.default_member_permissions ?? null,
      nsfw: body.nsfw ?? false,
      contexts: body.contexts ?? null,
      integration_types: body.integration_types ?? [0],
      name_localizations: body.name_localizations ?? null,
      description_localizations: body.description_localizations ?? null,
    };
    if (body.dm_permission !== undefined) definition.dm_permission = body.dm_permission;
    const changed = existing ? JSON.stringify(this.definitionOf(existing)) !== JSON.stringify(definition) : true;
    const stored: StoredCommand = {
      id: existing && typeof existing.id === 'string' ? existing.id : snowflake(),
      application_id: this.host.applicationId,
      version: !changed && existing && typeof existing.version === 'string' ? existing.version : snowflake(),
      ...definition,
    };
    if (scope !== 'global') stored.guild_id = scope;
    return stored;
  }

  private definitionOf(stored: StoredCommand): StoredCommand {
    const { id: _id, application_id: _a, version: _v, guild_id: _g, ...definition } = stored;
    return definition;
  }
}
