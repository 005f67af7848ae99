// The shipped languages, and which of them answers a Discord locale. Adding a language: a file in ./locales/
// (copy en.ts, type it `Translation<…its plural categories>`), and one line in LOADERS below.
import type { CommandsFile } from './command-texts.js';
import type { Translation, PluralCategory } from './types.js';

// Which plural forms a file has is checked by its own type (and a test against Intl.PluralRules).
export type LanguageFile = { messages: Translation<PluralCategory> | Translation<'other'> | Translation<'one' | 'other'> | Translation<'one' | 'many' | 'other'> };

// Each loads on first use; the English source is always there. A language has two files: its replies, and its
// command names (read only when commands are synced, so a start doesn't load every language's replies; the names are
// built by a call at each sync and not kept after it).
const LOADERS = {
  de: { messages: () => import('./locales/de.js'), commands: () => import('./commands/de.js') },
  fr: { messages: () => import('./locales/fr.js'), commands: () => import('./commands/fr.js') },
  'es-ES': { messages: () => import('./locales/es-ES.js'), commands: () => import('./commands/es-ES.js') },
  'pt-BR': { messages: () => import('./locales/pt-BR.js'), commands: () => import('./commands/pt-BR.js') },
  ja: { messages: () => import('./locales/ja.js'), commands: () => import('./commands/ja.js') },
  ko: { messages: () => import('./locales/ko.js'), commands: () => import('./commands/ko.js') },
  'zh-CN': { messages: () => import('./locales/zh-CN.js'), commands: () => import('./commands/zh-CN.js') },
} satisfies Record<string, { messages: () => Promise<LanguageFile>; commands: () => Promise<{ commands: () => CommandsFile['commands'] }> }>;

export const SOURCE_LANGUAGE = 'en-US';
export type Language = typeof SOURCE_LANGUAGE | keyof typeof LOADERS;
export const LANGUAGES: readonly Language[] = [SOURCE_LANGUAGE, ...(Object.keys(LOADERS) as (keyof typeof LOADERS)[])];

/** Discord's locale codes (https://discord.com/developers/docs/reference#locales). */
export const DISCORD_LOCALES = [
  'id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no', 'pl', 'pt-BR', 'ro',
  'fi', 'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN', 'ja', 'zh-TW', 'ko',
] as const;

// Discord locales answered by a shipped language other than their own code.
const ALIASES: Readonly<Record<string, Language>> = { 'en-GB': 'en-US', 'es-419': 'es-ES' };

/** The shipped language for a Discord locale (a user's or a server's); anything else is English. */
export function languageFor(locale: string | null | undefined): Language {
  if (!locale) return SOURCE_LANGUAGE;
  if ((LANGUAGES as readonly string[]).includes(locale)) return locale as Language;
  return ALIASES[locale] ?? SOURCE_LANGUAGE;
}

/** True for a locale this bot ships (or answers through an alias): what BOT_LOCALE accepts. */
export function isKnownLocale(locale: string): boolean {
  return (LANGUAGES as readonly string[]).includes(locale) || locale in ALIASES;
}

export async function loadLanguage(language: Exclude<Language, typeof SOURCE_LANGUAGE>): Promise<LanguageFile> {
  return LOADERS[language].messages();
}

/** Every shipped language's command texts, by each Discord locale it answers (es-ES also for es-419). */
export async function loadCommandTexts(): Promise<Map<string, CommandsFile>> {
  const out = new Map<string, CommandsFile>();
  for (const language of Object.keys(LOADERS) as (keyof typeof LOADERS)[]) {
    const file: CommandsFile = { commands: (await LOADERS[language].commands()).commands() };
    out.set(language, file);
    for (const [alias, target] of Object.entries(ALIASES)) if (target === language) out.set(alias, file);
  }
  return out;
}
