// DMs to the bot owner (grant expiry warnings, a dead grant), over Discord's REST API: it needs no gateway
// connection, so the same notifier serves one process and the sharding manager, and works before login finishes.
// Built once in src/index.ts and handed to createApp.
import { REST, Routes } from 'discord.js';
import { clampMessageContent } from './discord/text.js';
import { noticeFor, type NoticeText } from './i18n/notice.js';
import type { Logger } from './logger.js';

/**
 * Sends a DM to the bot owner (in the language of their last interaction, else `locale`: BOT_LOCALE); resolves false
 * when there is no owner or Discord refused. Never throws.
 */
export type OwnerNotifier = (text: NoticeText) => Promise<boolean>;

export function createOwnerNotifier(options: { apiUrl: string; token: string; ownerId: string | null; logger: Logger; locale?: string }): OwnerNotifier {
  const { ownerId, logger } = options;
  if (!ownerId) return async () => false;
  let rest: REST | null = null;
  let dmChannelId: string | null = null;
  return async (text) => {
    try {
      rest ??= new REST({ api: options.apiUrl }).setToken(options.token);
      if (!dmChannelId) {
        const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: ownerId } })) as { id: string };
        dmChannelId = channel.id;
      }
      const content = await noticeFor(text, ownerId, options.locale ?? 'en-US');
      await rest.post(Routes.channelMessages(dmChannelId), { body: { content: clampMessageContent(content) } });
      return true;
    } catch (error) {
      logger.warn('could not DM the bot owner', { error });
      return false;
    }
  };
}
