// The localization kit: translators per language, Discord locale mapping, and the formats built on them.
export { ENGLISH, translatorFor, type Translator } from './translator.js';
export { languageFor, LANGUAGES, DISCORD_LOCALES, SOURCE_LANGUAGE, type Language } from './locales.js';
export type { MessageKey } from './types.js';
export { relativeTime, formatWait } from './time.js';
