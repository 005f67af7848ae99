// The shape of a command module in commands/: its definition, its handler, and the buttons/modals it owns.
// A definition is written once as data (`defineCommand({...} as const)`); the builder payload Discord receives and
// the type of the parsed arguments are both derived from it, so an option renamed in one place can't be read
// under its old name in the handler.
import { SlashCommandBuilder } from '@discordjs/builders';
import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandContext } from '../services.js';
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
    }
  | {
      readonly type: 'integer';
      readonly name: string;
      readonly description: string;
      readonly required?: boolean;
      readonly min?: number;
      readonly max?: number;
    };

export interface SubcommandSpec {
  readonly name: string;
  readonly description: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options?: readonly OptionSpec[];
  /** A command with subcommands has no options of its own here. */
  readonly subcommands?: readonly SubcommandSpec[];
}

type ValueOf<O extends OptionSpec> = O extends { type: 'string'; choices: readonly Choice<infer V>[] }
  ? V
  : O extends { type: 'string' }
    ? string
    : number;

type OptionArgs<S extends CommandSpec> = S extends { options: readonly OptionSpec[] }
  ? { [O in S['options'][number] as O['name']]: O extends { required: true } ? ValueOf<O> : ValueOf<O> | null }
  : unknown;

type SubcommandArgs<S extends CommandSpec> = S extends { subcommands: readonly SubcommandSpec[] }
  ? { subcommand: S['subcommands'][number]['name'] }
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
    .setIntegrationTypes(INTEGRATION_TYPES)
    .setContexts(CONTEXTS);
  for (const sub of spec.subcommands ?? []) builder.addSubcommand((s) => s.setName(sub.name).setDescription(sub.description));
  for (const option of spec.options ?? []) addOption(builder, option);
  return { data: builder, parse: (interaction) => parseArgs(spec, interaction) as ArgsOf<S> };
}

function addOption(builder: SlashCommandBuilder, option: OptionSpec): void {
  switch (option.type) {
    case 'string':
      builder.addStringOption((o) => {
        o.setName(option.name).setDescription(option.description).setRequired(option.required === true);
        if (option.choices) o.addChoices(...option.choices.map((c) => ({ name: c.name, value: c.value })));
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
  }
  for (const option of spec.options ?? []) args[option.name] = parseOption(option, interaction);
  return args;
}

function parseOption(option: OptionSpec, interaction: ChatInputCommandInteraction): string | number | null {
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
    default: {
      const unknown: never = option;
      throw new Error(`unknown option type in ${JSON.stringify(unknown)}`);
    }
  }
}
