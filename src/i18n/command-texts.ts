// Localized command names and descriptions, applied centrally to each command's JSON at sync time: a language's
// commands file says, by the English names (command → option or subcommand → choice value), what Discord shows
// in that language. Command modules stay English and need no edit; a test over commands/index.ts finds anything
// left untranslated, and the Discord emulator checks Discord's rules (names lowercase, 1–32 of its allowed set).
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export interface OptionTexts {
  readonly name: string;
  readonly description: string;
  /** Choice value → shown name. */
  readonly choices?: Readonly<Record<string, string>>;
  /** A subcommand's options (or a group's subcommands). */
  readonly options?: Readonly<Record<string, OptionTexts>>;
}

export interface CommandTexts {
  readonly name: string;
  readonly description: string;
  /** Option or subcommand name → its texts. */
  readonly options?: Readonly<Record<string, OptionTexts>>;
}

/** English command name → its texts in one language. */
export type CommandsFile = { commands: Readonly<Record<string, CommandTexts>> };

export type CommandBody = RESTPostAPIChatInputApplicationCommandsJSONBody;

interface Localizable {
  name: string;
  description?: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  options?: Localizable[];
  choices?: Array<{ name: string; value: string | number; name_localizations?: Record<string, string> | null }>;
}

/**
 * `body` with name_localizations / description_localizations from each language's texts (Discord locale → file).
 * Anything a file lacks is left to Discord's fallback (the English name); the completeness test catches it.
 */
export function localizeCommand(body: CommandBody, files: ReadonlyMap<string, CommandsFile>): CommandBody {
  const copy = structuredClone(body) as unknown as Localizable;
  for (const [locale, file] of files) {
    const texts = file.commands[copy.name];
    if (texts) apply(copy, texts, locale);
  }
  return copy as unknown as CommandBody;
}

function apply(target: Localizable, texts: CommandTexts | OptionTexts, locale: string): void {
  target.name_localizations = { ...(target.name_localizations ?? {}), [locale]: texts.name };
  target.description_localizations = { ...(target.description_localizations ?? {}), [locale]: texts.description };
  for (const option of target.options ?? []) {
    const optionTexts = texts.options?.[option.name];
    if (optionTexts) apply(option, optionTexts, locale);
  }
  const choices = 'choices' in texts ? texts.choices : undefined;
  if (!('choices' in target) || !target.choices || !choices) return;
  for (const choice of target.choices) {
    const name = choices[String(choice.value)];
    if (name !== undefined) choice.name_localizations = { ...(choice.name_localizations ?? {}), [locale]: name };
  }
}
