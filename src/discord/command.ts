// The shape of a command module in commands/: its definition, its handler, and the buttons/modals it owns.
// A definition is written once as data (`defineCommand({...} as const)`); the builder payload Discord receives and
// the type of the parsed arguments are both derived from it, so an option renamed in one place can't be read
// under its old name in the handler.
import {
  SlashCommandBuilder,
  type SlashCommandAttachmentOption,
  type SlashCommandBooleanOption,
  type SlashCommandChannelOption,
  type SlashCommandIntegerOption,
  type SlashCommandStringOption,
  type SlashCommandUserOption,
} from 'discord.js'; // its re-export: importing @discordjs/builders here would load a second (ESM) copy of it
import {
  ApplicationIntegrationType,
  ChannelType,
  type AutocompleteInteraction,
  InteractionContextType,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandContext } from '../service-types.js';
import { CONTEXTS, INTEGRATION_TYPES } from './availability.js';

export interface CommandDefinition {
  readonly name: string;
  toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody;
}

export interface SlashCommand {
  data: CommandDefinition;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void>;
  /** custom_id prefix of the components this command owns; their interactions go to the handlers below. */
  customIdPrefix?: string;
  handleButton?(interaction: ButtonInteraction, ctx: CommandContext): Promise<void>;
  handleModal?(interaction: ModalSubmitInteraction, ctx: CommandContext): Promise<void>;
  /** Suggestions for an option defined with `autocomplete: true` (answer with `interaction.respond`, within 3 s). */
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
}

export interface Choice<V extends string = string> {
  readonly name: string;
  readonly value: V;
}

export type OptionSpec =
  | {
      readonly type: 'string';
      readonly name: string;
      readonly description: string;
      readonly required?: boolean;
      readonly choices?: readonly Choice[];
      /** Suggestions as the member types (the command's `autocomplete` handler); never with `choices`. */
      readonly autocomplete?: boolean;
    }
  | {
      readonly type: 'integer';
      readonly name: string;
      readonly description: string;
      readonly required?: boolean;
      readonly min?: number;
      readonly max?: number;
    }
  | { readonly type: 'boolean'; readonly name: string; readonly description: string; readonly required?: boolean }
  /** A user (the handler gets their id; their name shows through a mention). */
  | { readonly type: 'user'; readonly name: string; readonly description: string; readonly required?: boolean }
  /** A text or announcement channel of the guild (the handler gets its id). */
  | { readonly type: 'channel'; readonly name: string; readonly description: string; readonly required?: boolean }
  /** An uploaded file (the handler gets what Discord says of it; the bytes are fetched by whoever needs them). */
  | { readonly type: 'attachment'; readonly name: string; readonly description: string; readonly required?: boolean };

/** An attachment option's value: Discord's own description of the upload. */
export interface AttachmentArg {
  name: string;
  url: string;
  size: number;
  contentType: string | null;
}

export interface SubcommandSpec {
  readonly name: string;
  readonly description: string;
  /** The subcommand's own options (read only when it is the one used). */
  readonly options?: readonly OptionSpec[];
}

export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options?: readonly OptionSpec[];
  /** A command with subcommands has no options of its own here. */
  readonly subcommands?: readonly SubcommandSpec[];
  /** Only in servers the bot is in (no user install, no DMs). */
  readonly guildOnly?: boolean;
  /** Hidden from members without these permissions (Discord enforces it; servers may override). */
  readonly defaultMemberPermissions?: bigint;
}

type ValueOf<O extends OptionSpec> = O extends { type: 'string'; choices: readonly Choice<infer V>[] }
  ? V
  : O extends { type: 'string' }
    ? string
    : O extends { type: 'boolean' }
      ? boolean
      : O extends { type: 'user' | 'channel' }
        ? string
        : O extends { type: 'attachment' }
          ? AttachmentArg
          : number;

type OptionArgs<S extends CommandSpec> = S extends { options: readonly OptionSpec[] }
  ? { [O in S['options'][number] as O['name']]: O extends { required: true } ? ValueOf<O> : ValueOf<O> | null }
  : unknown;

type SubOptionArgs<Sub extends SubcommandSpec> = Sub extends { options: readonly OptionSpec[] }
  ? { [O in Sub['options'][number] as O['name']]: O extends { required: true } ? ValueOf<O> : ValueOf<O> | null }
  : unknown;

/** One member per subcommand: `{ subcommand: 'privacy', visibility: … }`, so a switch on `subcommand` narrows. */
type SubcommandArgs<S extends CommandSpec> = S extends { subcommands: readonly SubcommandSpec[] }
  ? { [Sub in S['subcommands'][number] as Sub['name']]: { subcommand: Sub['name'] } & SubOptionArgs<Sub> }[S['subcommands'][number]['name']]
  : unknown;

/** The arguments a handler gets for a definition: option name → value (null when left out), and the subcommand. */
export type ArgsOf<S extends CommandSpec> = OptionArgs<S> & SubcommandArgs<S>;

export class InvalidArgumentError extends Error {
  override name = 'InvalidArgumentError';
}

export interface DefinedCommand<S extends CommandSpec> {
  data: CommandDefinition;
  /** Read this command's arguments from an interaction, checked against the definition. */
  parse(interaction: ChatInputCommandInteraction): ArgsOf<S>;
}

export function defineCommand<const S extends CommandSpec>(spec: S): DefinedCommand<S> {
  const builder = new SlashCommandBuilder()
    .setName(spec.name)
    .setDescription(spec.description)
    .setIntegrationTypes(spec.guildOnly ? [ApplicationIntegrationType.GuildInstall] : INTEGRATION_TYPES)
    .setContexts(spec.guildOnly ? [InteractionContextType.Guild] : CONTEXTS);
  if (spec.defaultMemberPermissions !== undefined) builder.setDefaultMemberPermissions(spec.defaultMemberPermissions);
  for (const sub of spec.subcommands ?? []) {
    builder.addSubcommand((s) => {
      s.setName(sub.name).setDescription(sub.description);
      for (const option of sub.options ?? []) addOption(s, option);
      return s;
    });
  }
  for (const option of spec.options ?? []) addOption(builder, option);
  return { data: builder, parse: (interaction) => parseArgs(spec, interaction) as ArgsOf<S> };
}

/** Anything options can be added to: a command, or one of its subcommands. */
interface OptionHolder {
  addStringOption(input: (o: SlashCommandStringOption) => SlashCommandStringOption): unknown;
  addIntegerOption(input: (o: SlashCommandIntegerOption) => SlashCommandIntegerOption): unknown;
  addBooleanOption(input: (o: SlashCommandBooleanOption) => SlashCommandBooleanOption): unknown;
  addUserOption(input: (o: SlashCommandUserOption) => SlashCommandUserOption): unknown;
  addChannelOption(input: (o: SlashCommandChannelOption) => SlashCommandChannelOption): unknown;
  addAttachmentOption(input: (o: SlashCommandAttachmentOption) => SlashCommandAttachmentOption): unknown;
}

function addOption(builder: OptionHolder, option: OptionSpec): void {
  switch (option.type) {
    case 'string':
      builder.addStringOption((o) => {
        o.setName(option.name).setDescription(option.description).setRequired(option.required === true);
        if (option.choices) o.addChoices(...option.choices.map((c) => ({ name: c.name, value: c.value })));
        if (option.autocomplete === true) o.setAutocomplete(true);
        return o;
      });
      return;
    case 'integer':
      builder.addIntegerOption((o) => {
        o.setName(option.name).setDescription(option.description).setRequired(option.required === true);
        if (option.min !== undefined) o.setMinValue(option.min);
        if (option.max !== undefined) o.setMaxValue(option.max);
        return o;
      });
      return;
    case 'boolean':
      builder.addBooleanOption((o) => o.setName(option.name).setDescription(option.description).setRequired(option.required === true));
      return;
    case 'user':
      builder.addUserOption((o) => o.setName(option.name).setDescription(option.description).setRequired(option.required === true));
      return;
    case 'channel':
      builder.addChannelOption((o) =>
        o
          .setName(option.name)
          .setDescription(option.description)
          .setRequired(option.required === true)
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      );
      return;
    case 'attachment':
      builder.addAttachmentOption((o) => o.setName(option.name).setDescription(option.description).setRequired(option.required === true));
      return;
    default: {
      const unknown: never = option;
      throw new Error(`unknown option type in ${JSON.stringify(unknown)}`);
    }
  }
}

function parseArgs(spec: CommandSpec, interaction: ChatInputCommandInteraction): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (spec.subcommands) {
    const name = interaction.options.getSubcommand(true);
    if (!spec.subcommands.some((s) => s.name === name)) throw new InvalidArgumentError(`unknown subcommand ${name}`);
    args.subcommand = name;
    for (const option of spec.subcommands.find((s) => s.name === name)?.options ?? []) args[option.name] = parseOption(option, interaction);
  }
  for (const option of spec.options ?? []) args[option.name] = parseOption(option, interaction);
  return args;
}

function parseOption(option: OptionSpec, interaction: ChatInputCommandInteraction): string | number | boolean | AttachmentArg | null {
  const required = option.required === true;
  switch (option.type) {
    case 'string': {
      const value = interaction.options.getString(option.name, required);
      if (value === null || !option.choices) return value;
      // Discord only sends listed choices; anything else is refused rather than passed on.
      if (!option.choices.some((c) => c.value === value)) throw new InvalidArgumentError(`${option.name}: not a choice`);
      return value;
    }
    case 'integer': {
      const value = interaction.options.getInteger(option.name, required);
      if (value === null) return null;
      if ((option.min !== undefined && value < option.min) || (option.max !== undefined && value > option.max)) {
        throw new InvalidArgumentError(`${option.name}: out of range`);
      }
      return value;
    }
    case 'boolean':
      return interaction.options.getBoolean(option.name, required);
    case 'user':
    case 'channel': {
      // The raw id: it needs no resolved object, and the handler decides what it may show of it.
      const raw = interaction.options.get(option.name, required);
      if (raw === null) return null;
      const id = String(raw.value ?? '');
      if (!/^\d{17,20}$/.test(id)) throw new InvalidArgumentError(`${option.name}: not a Discord id`);
      return id;
    }
    case 'attachment': {
      const file = interaction.options.getAttachment(option.name, required);
      if (file === null) return null;
      return { name: file.name, url: file.url, size: file.size, contentType: file.contentType };
    }
    default: {
      const unknown: never = option;
      throw new Error(`unknown option type in ${JSON.stringify(unknown)}`);
    }
  }
}
