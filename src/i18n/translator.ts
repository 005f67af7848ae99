// A Translator speaks one language: message lookup and plurals through i18next (plural forms from
// Intl.PluralRules, numbers from Intl.NumberFormat), dates and relative times through Intl. There is no "current
// language": replies are given the Translator of whoever they answer. English is ready at once; another
// language is imported the first time someone needs it.
import { createInstance, type i18n } from 'i18next';
import { messages as english } from './locales/en.js';
import { languageFor, loadLanguage, SOURCE_LANGUAGE, type Language } from './locales.js';
import type { ArgsOf, MessageKey } from './types.js';

export interface Translator {
  /** The shipped language (a BCP 47 tag Intl accepts). */
  readonly language: string;
  t<K extends MessageKey>(key: K, ...args: ArgsOf<K>): string;
  /** 1,234 / 1.234 / 1 234 */
  number(value: number): string;
  /** A date (and time, with `time`) in the language's style, in `timeZone` (default UTC). */
  date(value: Date | number, options?: { time?: boolean; timeZone?: string }): string;
  /** "vor 3 Min." — `seconds` before now is negative. */
  relative(value: number, unit: Intl.RelativeTimeFormatUnit): string;
  /** A date with Intl options of the caller's (month names, weekdays), in the language. */
  dateWith(value: Date | number, options: Intl.DateTimeFormatOptions): string;
  /** A number with Intl options of the caller's ("62 %": style percent), in the language. */
  numberWith(value: number, options: Intl.NumberFormatOptions): string;
}

let engine: i18n | null = null;

function i18nEngine(): i18n {
  if (engine) return engine;
  const instance = createInstance({
    lng: SOURCE_LANGUAGE,
    fallbackLng: SOURCE_LANGUAGE,
    resources: { [SOURCE_LANGUAGE]: { translation: english } },
    // Flat keys with dots in them; Discord payloads are not HTML (escaping is the text kit's job).
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  void instance.init();
  // {{n, number}} through one NumberFormat per language: i18next's own caches formatters under the call's options,
  // parameters included, so every call made a new NumberFormat (measured: about half of a message's 32 µs).
  instance.services.formatter?.add('number', (value: unknown, lng: string | undefined) =>
    memo(numberFormats, lng ?? SOURCE_LANGUAGE, () => new Intl.NumberFormat(lng)).format(value as number),
  );
  engine = instance;
  return instance;
}

// Intl formatters cost memory on first use (ICU data for the locale); one of each per language, made when needed.
const numberFormats = new Map<string, Intl.NumberFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

function memo<F>(cache: Map<string, F>, key: string, make: () => F): F {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

class I18nextTranslator implements Translator {
  /** `intlLocale`: what Intl formats in, when it is not the language itself (the tests' pseudo-locale). */
  constructor(
    readonly language: string,
    private readonly intlLocale: string = language,
  ) {}
  t<K extends MessageKey>(key: K, ...args: ArgsOf<K>): string {
    // The engine is made on the first message, not with the translator: ENGLISH exists from import on, and i18next's
    // start (Intl's locale data) is paid by the first reply instead of by every start. The language goes with each
    // call rather than through getFixedT, whose function copies all of i18next's options on every call.
    const engine = i18nEngine() as unknown as { t(key: string, options: Record<string, unknown>): string };
    return engine.t(key, { ...(args[0] as Record<string, unknown> | undefined), lng: this.language });
  }
  number(value: number): string {
    return memo(numberFormats, this.intlLocale, () => new Intl.NumberFormat(this.intlLocale)).format(value);
  }
  date(value: Date | number, options: { time?: boolean; timeZone?: string } = {}): string {
    return new Intl.DateTimeFormat(this.intlLocale, {
      dateStyle: 'medium',
      ...(options.time ? { timeStyle: 'short' } : {}),
      timeZone: options.timeZone ?? 'UTC',
    }).format(value);
  }
  relative(value: number, unit: Intl.RelativeTimeFormatUnit): string {
    return memo(relativeFormats, this.intlLocale, () => new Intl.RelativeTimeFormat(this.intlLocale, { numeric: 'auto', style: 'short' })).format(value, unit);
  }
  dateWith(value: Date | number, options: Intl.DateTimeFormatOptions): string {
    return new Intl.DateTimeFormat(this.intlLocale, options).format(value);
  }
  numberWith(value: number, options: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.intlLocale, options).format(value);
  }
}

const translators = new Map<string, Translator>();

/** The English translator: ready at once (defaults, the owner's DMs without a known language, tests). */
export const ENGLISH: Translator = translatorOf(SOURCE_LANGUAGE);

function translatorOf(language: string): Translator {
  return memo(translators, language, () => new I18nextTranslator(language));
}

const loading = new Map<Language, Promise<void>>();

/** The translator for a Discord locale (a user's or a server's): its language loaded first; unknown → English. */
export async function translatorFor(locale: string | null | undefined): Promise<Translator> {
  const language = languageFor(locale);
  if (language === SOURCE_LANGUAGE) return ENGLISH;
  let load = loading.get(language);
  if (!load) {
    load = loadLanguage(language).then((file) => {
      i18nEngine().addResourceBundle(language, 'translation', file.messages, true, true);
    });
    // A failed import is tried again next time rather than remembered.
    load.catch(() => loading.delete(language));
    loading.set(language, load);
  }
  try {
    await load;
  } catch {
    // A language file that fails to load must not cost the member their answer.
    return ENGLISH;
  }
  return translatorOf(language);
}

/** A translator over messages given here, Intl formatting in `intlLocale` (tests: the pseudo-locale). */
export function translatorFromMessages(language: string, messages: Readonly<Record<string, string>>, intlLocale: string): Translator {
  i18nEngine().addResourceBundle(language, 'translation', messages, true, true);
  return new I18nextTranslator(language, intlLocale);
}
