// Which language answers an interaction, and which one a server's posts are in. The asker's own Discord language
// (interaction.locale) for replies; the server's preferred locale for posts in its channels. Unknown → English.
import { translatorFor, type Translator } from '../i18n/translator.js';

/** The translator for whoever made the interaction. */
export function interactionTranslator(interaction: { locale?: string | null }): Promise<Translator> {
  return translatorFor(interaction.locale);
}

/** The translator for posts in a server: its preferred locale (Discord: preferred_locale / guild_locale). */
export function guildTranslator(guild: { preferredLocale?: string | null } | null | undefined): Promise<Translator> {
  return translatorFor(guild?.preferredLocale);
}
