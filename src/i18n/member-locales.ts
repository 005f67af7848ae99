// The language each member last used with the bot (Discord's interaction.locale), for messages that reach them
// outside an interaction: DMs. Small and bounded: the most recent MAX members in this process, oldest forgotten
// first; a member not (or no longer) known gets BOT_LOCALE.
export const MEMBER_LOCALES_MAX = 1_000;

export class MemberLocales {
  private readonly byUser = new Map<string, string>();
  constructor(private readonly max: number = MEMBER_LOCALES_MAX) {}

  remember(userId: string, locale: string | null | undefined): void {
    if (!locale) return;
    // Re-inserting moves the member to the newest end of the Map's order.
    this.byUser.delete(userId);
    this.byUser.set(userId, locale);
    if (this.byUser.size > this.max) {
      const oldest = this.byUser.keys().next().value;
      if (oldest !== undefined) this.byUser.delete(oldest);
    }
  }

  /** Their last locale, else `fallback` (BOT_LOCALE). */
  localeOf(userId: string | null | undefined, fallback: string): string {
    return (userId ? this.byUser.get(userId) : undefined) ?? fallback;
  }

  forget(userId: string): void {
    this.byUser.delete(userId);
  }

  get size(): number {
    return this.byUser.size;
  }
}

/** This process's memory of members' languages (fed by the interaction dispatcher). */
export const memberLocales = new MemberLocales();
