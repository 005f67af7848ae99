// Posts the owner's new track to each server's now-playing channel (/announce). It follows the same stream of
// listening states the bot's status shows (the PresenceJob's outcomes: polled here in one process, pushed by the
// manager to every shard under SHARDS=N), and posts only for the guilds this process's client holds — so under
// SHARDS=N each guild's post is made by its own shard, once.
//
// - A post on track change only: the same track again (a poll with nothing new, a resume after a pause) posts
//   nothing; pauses, ads and silence post nothing. The first state seen after start is the baseline.
// - A change within `editWithinMs` (20 s) of the last post or edit in that channel edits it instead (a quick skip),
//   well inside Discord's 5 messages per 5 s per channel.
// - A channel the bot can't post to any more (deleted: 404/10003; no access: 403/50001/50013) turns announce off for
//   that server: logged once, and whoever set it (or the owner) gets one DM. Other failures are logged and the next
//   change tries again; nothing is retried in a loop.
import type { ReplyPayload } from '../../discord/text.js';
import { languageFor } from '../../i18n/locales.js';
import { noticeFor } from '../../i18n/notice.js';
import { translatorFor } from '../../i18n/translator.js';
import { DiscordAPIError, Routes, type Client } from 'discord.js';
import type { ListeningState } from '../../listening-state.js';
import type { Logger } from '../../logger.js';
import type { PollOutcome } from '../../presence/poller.js';
import { announcePost, announceStoppedNotice, type Announceable, type StopReason } from './replies.js';
import type { AnnounceNamespace, AnnounceSetting } from './service.js';

export const ANNOUNCE_EDIT_WITHIN_MS = 20_000;
/** Channels posted to at once. */
const CONCURRENCY = 4;

export interface AnnouncerOptions {
  client: Client;
  services: { announce: AnnounceNamespace };
  /** Told when a server's announce has to stop and nobody is recorded as having set it. */
  ownerId: string | null;
  logger: Logger;
  now: () => number;
  editWithinMs?: number;
  /** BOT_LOCALE: the language of the "stopped" DM to someone whose language the bot hasn't seen. */
  botLocale?: string;
}

interface LastPost {
  channelId: string;
  messageId: string;
  /** When it was posted or last edited. */
  at: number;
}

/** The item a state announces (a playing track or episode), or null. */
function announceable(state: ListeningState): Announceable | null {
  return (state.kind === 'track' || state.kind === 'episode') && state.isPlaying ? state : null;
}

/** Why a channel is gone for good, or null for a failure worth trying again at the next change. */
export function stopReason(error: unknown): StopReason | null {
  if (!(error instanceof DiscordAPIError)) return null;
  if (error.status === 404 && error.code === 10003) return 'deleted';
  if (error.status === 403 && (error.code === 50001 || error.code === 50013)) return 'forbidden';
  return null;
}

export class Announcer {
  private baselined = false;
  private announced: string | null = null;
  private readonly lastPost = new Map<string, LastPost>();
  /** `guild:channel` → when this process stopped posting there (a setting made later starts again). */
  private readonly stoppedAt = new Map<string, number>();
  private next: Announceable | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly editWithinMs: number;
  /** Posts and edits made (for tests and the benchmark). */
  posts = 0;
  edits = 0;

  constructor(private readonly options: AnnouncerOptions) {
    this.editWithinMs = options.editWithinMs ?? ANNOUNCE_EDIT_WITHIN_MS;
  }

  /** One outcome of the owner's listening (every poll, changed or not). */
  onOutcome(outcome: PollOutcome<ListeningState>): void {
    if (!outcome.ok || this.stopped) return;
    const state = outcome.value;
    const uri = state.kind === 'track' || state.kind === 'episode' ? state.uri : null;
    if (!this.baselined) {
      this.baselined = true;
      this.announced = uri;
      return;
    }
    const item = announceable(state);
    if (!item || item.uri === this.announced) return;
    this.announced = item.uri;
    this.next = item;
    this.running ??= this.drain();
  }

  /** Resolves when every change received so far has been posted. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.next = null;
    await this.idle();
  }

  private async drain(): Promise<void> {
    try {
      // Changes that arrive while posting collapse into the latest one.
      while (this.next && !this.stopped) {
        const item = this.next;
        this.next = null;
        await this.announce(item);
      }
    } finally {
      this.running = null;
    }
  }

  private async announce(item: Announceable): Promise<void> {
    let settings: AnnounceSetting[];
    try {
      settings = await this.options.services.announce.list();
    } catch (error) {
      this.options.logger.warn('announce skipped: could not read the settings', { error });
      return;
    }
    const guilds = this.options.client.guilds.cache;
    const mine = settings.filter((s) => guilds.has(s.guildId) && !this.isStopped(s));
    // Each server's post in its preferred locale (Discord's, kept current by GUILD_UPDATE); one payload per language.
    const payloads = new Map<string, Promise<ReplyPayload>>();
    const payloadFor = (guildId: string): Promise<ReplyPayload> => {
      const locale = languageFor(guilds.get(guildId)?.preferredLocale);
      let payload = payloads.get(locale);
      if (!payload) {
        payload = translatorFor(locale).then((tr) => announcePost(item, tr));
        payloads.set(locale, payload);
      }
      return payload;
    };
    for (let i = 0; i < mine.length; i += CONCURRENCY) {
      await Promise.all(mine.slice(i, i + CONCURRENCY).map(async (setting) => this.postTo(setting, await payloadFor(setting.guildId))));
    }
  }

  private isStopped(setting: AnnounceSetting): boolean {
    const at = this.stoppedAt.get(`${setting.guildId}:${setting.channelId}`);
    return at !== undefined && setting.setAt <= at;
  }

  private async postTo(setting: AnnounceSetting, payload: ReplyPayload): Promise<void> {
    const { rest } = this.options.client;
    const { guildId, channelId } = setting;
    const now = this.options.now();
    const last = this.lastPost.get(guildId);
    try {
      if (last && last.channelId === channelId && now - last.at < this.editWithinMs) {
        try {
          await rest.patch(Routes.channelMessage(channelId, last.messageId), { body: payload });
          last.at = now;
          this.edits++;
          return;
        } catch (error) {
          // Someone deleted the post: make a new one. Anything else is handled below.
          if (!(error instanceof DiscordAPIError && error.code === 10008)) throw error;
        }
      }
      const message = (await rest.post(Routes.channelMessages(channelId), { body: payload })) as { id: string };
      this.lastPost.set(guildId, { channelId, messageId: message.id, at: now });
      this.posts++;
    } catch (error) {
      const reason = stopReason(error);
      if (reason) await this.turnOff(setting, reason);
      else this.options.logger.warn('announce post failed; the next track tries again', { guild: guildId, channel: channelId, error });
    }
  }

  private async turnOff(setting: AnnounceSetting, reason: StopReason): Promise<void> {
    const { guildId, channelId } = setting;
    this.stoppedAt.set(`${guildId}:${channelId}`, this.options.now());
    this.lastPost.delete(guildId);
    let removed: AnnounceSetting | null;
    try {
      removed = await this.options.services.announce.off(guildId, channelId);
    } catch (error) {
      this.options.logger.warn('could not turn announce off', { guild: guildId, error });
      return;
    }
    // Someone changed or removed the setting meanwhile: nothing to tell.
    if (!removed) return;
    this.options.logger.warn(`announce turned off: the channel was ${reason === 'deleted' ? 'deleted' : 'refused to the bot'}`, {
      guild: guildId,
      channel: channelId,
    });
    const tell = removed.setBy || this.options.ownerId;
    if (!tell) return;
    const guildName = this.options.client.guilds.cache.get(guildId)?.name ?? 'a server';
    await this.dm(tell, await noticeFor((tr) => announceStoppedNotice(guildName, channelId, reason, tr), tell, this.options.botLocale ?? 'en-US'));
  }

  private async dm(userId: string, content: string): Promise<void> {
    const { rest } = this.options.client;
    try {
      const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
      await rest.post(Routes.channelMessages(channel.id), { body: { content } });
    } catch (error) {
      this.options.logger.warn('could not tell anyone that announce stopped', { user: userId, error });
    }
  }
}
