// Localization: every shipped language has every key, every placeholder and the plural forms its language needs;
// every command, option, subcommand and choice has a name and description in every shipped language, within
// Discord's rules; replies rendered in a pseudo-locale contain no untranslated English.
import { describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { localizedDefinitions } from '../src/discord/command-sync.js';
import { messages as english } from '../src/i18n/locales/en.js';
import { languageFor, LANGUAGES, loadCommandTexts, loadLanguage, SOURCE_LANGUAGE } from '../src/i18n/locales.js';
import { ENGLISH, translatorFor } from '../src/i18n/translator.js';
import { MemberLocales } from '../src/i18n/member-locales.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { validEnv } from '../emulators/env.js';
import { relativeTime } from '../src/i18n/time.js';

const PLURAL = /_(zero|one|two|few|many|other)$/;
const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*([^,}\s]+)[^}]*\}\}/g)].map((m) => m[1]!).sort();
const baseKeys = (messages: Record<string, string>): string[] => [...new Set(Object.keys(messages).map((k) => k.replace(PLURAL, '')))].sort();
const others = LANGUAGES.filter((l) => l !== SOURCE_LANGUAGE) as Array<Exclude<(typeof LANGUAGES)[number], 'en-US'>>;

describe('BOT_LOCALE', () => {
  it('defaults to en-US, takes a shipped Discord locale, and refuses anything else with the list', () => {
    expect(loadConfig(validEnv()).botLocale).toBe('en-US');
    expect(loadConfig(validEnv({ BOT_LOCALE: 'ja' })).botLocale).toBe('ja');
    expect(loadConfig(validEnv({ BOT_LOCALE: 'en-GB' })).botLocale).toBe('en-GB');
    expect(() => loadConfig(validEnv({ BOT_LOCALE: 'pl' }))).toThrow(ConfigError);
    expect(() => loadConfig(validEnv({ BOT_LOCALE: 'german' }))).toThrow(/BOT_LOCALE must be one of en-US, de, fr, es-ES, pt-BR, ja, ko, zh-CN/);
  });
});

describe('language files', () => {
  it.each(others)('%s has every key of the source, and no other', async (language) => {
    const { messages } = await loadLanguage(language);
    expect(baseKeys(messages as Record<string, string>)).toEqual(baseKeys(english));
  });

  it.each(others)('%s has exactly the plural forms Intl.PluralRules names for it', async (language) => {
    const { messages } = await loadLanguage(language);
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories.slice().sort();
    const plurals = new Set(Object.keys(english).filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')));
    for (const base of plurals) {
      const forms = Object.keys(messages).filter((k) => k.replace(PLURAL, '') === base && PLURAL.test(k)).map((k) => PLURAL.exec(k)![1]).sort();
      expect(forms, `${language} ${base}`).toEqual(categories);
    }
  });

  it.each(others)('%s uses the same placeholders as the source in every message', async (language) => {
    const { messages } = await loadLanguage(language);
    for (const [key, text] of Object.entries(messages as Record<string, string>)) {
      const base = key.replace(PLURAL, '');
      const source = (english as Record<string, string>)[key] ?? (english as Record<string, string>)[`${base}_other`];
      expect(source, key).toBeDefined();
      const wanted = placeholders(source!).filter((p) => p !== 'count');
      expect(placeholders(text).filter((p) => p !== 'count'), `${language} ${key}`).toEqual(wanted);
      // A plural shows its number (or says it in words, as "gestern" would; none of ours does).
      if (PLURAL.test(key)) expect(placeholders(text), `${language} ${key}`).toContain('count');
      expect(text.trim(), `${language} ${key}`).not.toBe('');
    }
  });

  it('Discord locales map to shipped languages; anything else is English', () => {
    expect(languageFor('de')).toBe('de');
    expect(languageFor('ja')).toBe('ja');
    expect(languageFor('en-GB')).toBe('en-US');
    expect(languageFor('es-419')).toBe('es-ES');
    expect(languageFor('pl')).toBe('en-US');
    expect(languageFor('zh-TW')).toBe('en-US');
    expect(languageFor(undefined)).toBe('en-US');
  });

  it('numbers inside messages are written in the language of the message, each language its own way', async () => {
    // Before anything else here formats a number in these languages (their formatters are made on first use).
    const pt = await translatorFor('pt-BR');
    const fr = await translatorFor('fr');
    expect(pt.t('history.plays', { count: 1_234_567 })).toBe('1.234.567 reproduções');
    expect(fr.t('history.plays', { count: 1_234_567 })).toBe('1\u202f234\u202f567 écoutes');
    expect(ENGLISH.t('history.plays', { count: 1_234_567 })).toBe('1,234,567 plays');
    expect(pt.t('history.plays', { count: 1 })).toBe('1 reprodução');
  });

  it('plurals, numbers and relative times come from Intl for the language', async () => {
    const de = await translatorFor('de');
    const ja = await translatorFor('ja');
    const now = 1_700_000_000_000;
    expect(de.number(1234)).toBe('1.234');
    expect(ENGLISH.number(1234)).toBe('1,234');
    expect(relativeTime(de, now - 3 * 60_000, now)).toBe('vor 3 Min.');
    expect(relativeTime(de, now - 86_400_000, now)).toBe('gestern');
    expect(relativeTime(ja, now - 3 * 60_000, now)).toBe('3 分前');
    expect(relativeTime(ENGLISH, now - 3 * 60_000, now)).toBe('3 min ago');
    expect(de.t('time.daysAgo', { count: 1 })).toBe('vor 1 Tag');
    expect(de.t('time.daysAgo', { count: 2 })).toBe('vor 2 Tagen');
    const fr = await translatorFor('fr');
    expect(fr.t('time.daysAgo', { count: 1_000_000 })).toBe('il y a 1000000 de jours');
    expect(fr.t('time.daysAgo', { count: 0 })).toBe('il y a 0 jour');
  });

  it("remembers each member's last language, a bounded number of members", () => {
    const memory = new MemberLocales(2);
    memory.remember('1', 'de');
    memory.remember('2', 'ja');
    memory.remember('1', 'fr');
    memory.remember('3', 'ko');
    expect(memory.size).toBe(2);
    expect(memory.localeOf('1', 'en-US')).toBe('fr');
    expect(memory.localeOf('2', 'en-US')).toBe('en-US');
    expect(memory.localeOf('3', 'en-US')).toBe('ko');
  });
});

// The Discord locales each shipped language is registered under.
const DISCORD_CODES = ['de', 'fr', 'es-ES', 'es-419', 'pt-BR', 'ja', 'ko', 'zh-CN'];
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface Node {
  name: string;
  description?: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  options?: Node[];
  choices?: Array<{ name: string; value: unknown; name_localizations?: Record<string, string> | null }>;
}

function walk(node: Node, path: string, visit: (node: Node, path: string) => void): void {
  visit(node, path);
  for (const option of node.options ?? []) walk(option, `${path} ${option.name}`, visit);
}

describe('command localizations (every command in commands/index.ts)', () => {
  it('every command, subcommand, option and choice has a name and description in every shipped language, within Discord rules', async () => {
    const problems: string[] = [];
    for (const definition of await localizedDefinitions(commands.map((c) => c.data))) {
      walk(definition.toJSON() as unknown as Node, `/${definition.name}`, (node, path) => {
        for (const locale of DISCORD_CODES) {
          const name = node.name_localizations?.[locale];
          const description = node.description_localizations?.[locale];
          if (name === undefined) problems.push(`${path}: no ${locale} name`);
          else if (!NAME.test(name) || name !== name.toLowerCase()) problems.push(`${path}: ${locale} name "${name}" breaks Discord's rules`);
          if (description === undefined) problems.push(`${path}: no ${locale} description`);
          else if ([...description].length < 1 || [...description].length > 100) problems.push(`${path}: ${locale} description length ${[...description].length}`);
          for (const choice of node.choices ?? []) {
            const shown = choice.name_localizations?.[locale];
            if (shown === undefined) problems.push(`${path} choice ${String(choice.value)}: no ${locale} name`);
            else if ([...shown].length < 1 || [...shown].length > 100) problems.push(`${path} choice ${String(choice.value)}: ${locale} too long`);
          }
          const names = (node.options ?? []).map((o) => o.name_localizations?.[locale] ?? o.name);
          if (new Set(names).size !== names.length) problems.push(`${path}: two options share a ${locale} name`);
        }
      });
    }
    expect(problems).toEqual([]);
  });

  it('no language file names a command, option or choice that does not exist', async () => {
    const stale: string[] = [];
    const byName = new Map(commands.map((c) => [c.data.name, c.data.toJSON() as unknown as Node]));
    const check = (texts: { options?: Record<string, unknown>; choices?: Record<string, string> }, node: Node, path: string): void => {
      for (const [name, sub] of Object.entries(texts.options ?? {})) {
        const option = node.options?.find((o) => o.name === name);
        if (!option) stale.push(`${path} ${name}`);
        else check(sub as typeof texts, option, `${path} ${name}`);
      }
      for (const value of Object.keys(texts.choices ?? {})) {
        if (!node.choices?.some((c) => String(c.value) === value)) stale.push(`${path} choice ${value}`);
      }
    };
    for (const [locale, file] of await loadCommandTexts()) {
      for (const [name, texts] of Object.entries(file.commands)) {
        const node = byName.get(name);
        if (!node) stale.push(`${locale}: /${name}`);
        else check(texts, node, `${locale}: /${name}`);
      }
    }
    expect(stale).toEqual([]);
  });
});
