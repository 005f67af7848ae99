// DMs to a linked member about their own Spotify link (expiry reminder, a dropped link), over Discord's REST API like
// the owner's notices (src/owner-notifier.ts), so the sharding manager can send them. Discord refuses a DM to a user
// who doesn't allow DMs from the bot (shared-server privacy setting, or no shared server): that is "not allowed", the
// notifier resolves false and the caller falls back to the member's next reply. Never throws.
import { REST, Routes } from 'discord.js';
import { clampMessageContent } from '../../discord/text.js';
import { noticeFor, type NoticeText } from '../../i18n/notice.js';
import type { Logger } from '../../logger.js';

/** A DM in the member's language (their last interaction's, else `locale`: BOT_LOCALE). */
export type MemberNotifier = (userId: string, text: NoticeText) => Promise<boolean>;

export function createMemberNotifier(options: { apiUrl: string; token: string; logger: Logger; locale?: string }): MemberNotifier {
  let rest: REST | null = null;
  return async (userId, text) => {
    try {
      rest ??= new REST({ api: options.apiUrl }).setToken(options.token);
      const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
      const content = await noticeFor(text, userId, options.locale ?? 'en-US');
      await rest.post(Routes.channelMessages(channel.id), { body: { content: clampMessageContent(content) } });
      return true;
    } catch (error) {
      options.logger.info('could not DM a linked member (their DMs may be closed to the bot)', {
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  };
}
