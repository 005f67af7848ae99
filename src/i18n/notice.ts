// A message for someone outside an interaction (a DM): plain text, or words to be put in the recipient's language
// when it is sent — the language of their last interaction with the bot, else BOT_LOCALE.
import { memberLocales } from './member-locales.js';
import { translatorFor, type Translator } from './translator.js';

export type NoticeText = string | ((tr: Translator) => string);

/** The text of a notice for `userId` (null: no known user, BOT_LOCALE). */
export async function noticeFor(text: NoticeText, userId: string | null, botLocale: string): Promise<string> {
  if (typeof text === 'string') return text;
  return text(await translatorFor(memberLocales.localeOf(userId, botLocale)));
}
