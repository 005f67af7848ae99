// Posts each server's weekly recap (/recap). Runs in every process that holds guilds (one process, or each shard
// for its own guilds), at RECAP_CRON's firings in the bot's TZ (src/features/recap/schedule.ts), once at start (a week missed while the bot was down is posted
// then) and every hour (a post that failed for a passing reason is tried again). The numbers come through Services
// (the manager's store over RPC in a shard); membership is asked through this process's gateway, like /serverstats.
//
// - One post per week per server: the week is claimed through services.recap before posting (one writer, in the
//   manager), so a restart, an overlapping check or two shards never post it twice. A week with nothing recorded is
//   claimed and posts nothing.
// - Paced: at most RECAP_POSTS_PER_SECOND channel posts in any second, shared by the shards (Discord's global limit
//   is 50/s for everything the bot sends over REST; each channel gets one post a week, far inside 5 per 5 s), and op 8 member lookups at most
//   LOOKUPS_PER_MINUTE (each shard may send 60 a minute in all; the rest is left for commands).
// - A channel the bot can't post to any more (404/10003, 403/50001/50013) turns the recap off for that server: one
//   log line, and one DM to whoever set it (or the owner), as /announce does.
import { DiscordAPIError, Routes, type Client, type RawFile } from 'discord.js';
import { guildTranslator } from '../../discord/locale.js';
import type { ReplyPayload } from '../../discord/text.js';
import { noticeFor } from '../../i18n/notice.js';
import type { Logger } from '../../logger.js';
import type { Pictures } from '../../render/pictures.js';
import { withPicture } from '../nowplaying/card.js';
import { stopReason } from '../announce/announcer.js';
import type { StopReason } from '../announce/replies.js';
import { serverChart } from '../chart/history-chart.js';
import type { ChartNamespace } from '../chart/service.js';
import { recapPost, recapStoppedNotice } from './replies.js';
import { lastFiring, nextFiring } from './schedule.js';
import type { RecapNamespace, RecapSetting } from './service.js';

export const RECAP_POSTS_PER_SECOND = 40;
export const RECAP_LOOKUPS_PER_MINUTE = 40;
const RECHECK_MS = 60 * 60_000;
/** Servers claimed at a time: a crash mid-run loses at most these for the week. */
const CLAIM_BATCH = 25;
/** Servers prepared at once (numbers, picture) while earlier ones are posted. */
const CONCURRENCY = 4;
const MEMBERS_PER_LOOKUP = 100;
/** The chart's grid: 3×3 albums. */
const RECAP_CHART_SIZE = 3;

export interface RecapperOptions {
  client: Client;
  services: { recap: RecapNamespace; stats: { serverCandidates(): Promise<string[]> }; chart: ChartNamespace };
  membership: {
    currentMembers(guildId: string, userIds: Iterable<string>, options?: { unknownAs?: 'present' | 'absent' }): Promise<Set<string>>;
    needsLookup(guildId: string, userIds: Iterable<string>): boolean;
  };
  pictures: Pick<Pictures, 'chart'>;
  /** RECAP_CRON. */
  cron: string;
  /** Told when a server's recap has to stop and nobody is recorded as having set it. */
  ownerId: string | null;
  logger: Logger;
  /** The bot's clock (which week it is). Pacing uses the real clock: Discord's limits are in real time. */
  now: () => number;
  postsPerSecond?: number;
  lookupsPerMinute?: number;
  /** BOT_LOCALE: the stopped-recap DM's language for someone whose language the bot doesn't know. */
  botLocale?: string;
}

/** What one check did (for tests, the benchmark and the log). */
export interface RecapRun {
  /** The scheduled firing the week is for, or null when RECAP_CRON has none in the last 8 days. */
  slot: number | null;
  posted: string[];
  /** Claimed with nothing recorded: no post. */
  empty: string[];
  /** Failed for a passing reason: released, tried again at the next check. */
  failed: string[];
  turnedOff: string[];
}

/** At most `limit` events in any `windowMs` (sliding), waiting in real time. */
class Pacer {
  private readonly times: number[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Resolves when `n` events may happen now (they are counted as happening then). */
  take(n = 1): Promise<void> {
    const turn = this.chain.then(async () => {
      for (let i = 0; i < n; i++) {
        for (;;) {
          const now = Date.now();
          while (this.times.length > 0 && now - this.times[0]! >= this.windowMs) this.times.shift();
          if (this.times.length < this.limit) break;
          await new Promise((resolve) => setTimeout(resolve, this.times[0]! + this.windowMs - now + 1));
        }
        this.times.push(Date.now());
      }
    });
    this.chain = turn;
    return turn;
  }
}

const noRun = (slot: number | null): RecapRun => ({ slot, posted: [], empty: [], failed: [], turnedOff: [] });

/** A reply payload as a REST message body with its files (discord.js's REST takes them apart). */
function restMessage(payload: ReplyPayload): { body: Record<string, unknown>; files?: RawFile[] } {
  const files = payload.files ?? [];
  const body: Record<string, unknown> = { embeds: payload.embeds };
  if (payload.content) body.content = payload.content;
  if (files.length === 0) return { body };
  body.attachments = files.map((f, id) => ({ id: String(id), filename: f.name, ...(f.description ? { description: f.description } : {}) }));
  return { body, files: files.map((f) => ({ name: f.name, data: f.attachment, contentType: 'image/jpeg' })) };
}

export class Recapper {
  private started = false;
  private next: NodeJS.Timeout | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RecapRun> | null = null;
  private stopped = false;
  private readonly posts: Pacer;
  private readonly lookups: Pacer;

  constructor(private readonly options: RecapperOptions) {
    // Discord's global limit is per bot, not per process: under SHARDS=N each shard takes its share.
    const shards = options.client.shard?.count ?? options.client.options.shardCount ?? 1;
    this.posts = new Pacer(options.postsPerSecond ?? Math.max(1, Math.floor(RECAP_POSTS_PER_SECOND / shards)), 1_000);
    this.lookups = new Pacer(options.lookupsPerMinute ?? RECAP_LOOKUPS_PER_MINUTE, 60_000);
  }

  /** Schedule the weekly run and the hourly check, and check now (a week missed while down is posted once). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.arm();
    this.timer = setInterval(() => void this.check(), RECHECK_MS);
    this.timer.unref();
    void this.check();
  }

  /** Resolves when the running check (if any) is done. */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.next) clearTimeout(this.next);
    this.next = null;
    await this.idle();
  }

  /** A timer to RECAP_CRON's next firing (re-armed after each). */
  private arm(): void {
    if (this.stopped) return;
    const now = this.options.now();
    const at = nextFiring(this.options.cron, now);
    // None within 8 days: look again in a day (the hourly check covers a firing found late).
    const delay = Math.min(at === null ? 86_400_000 : at - now + 1, 2 ** 31 - 1);
    this.next = setTimeout(() => {
      this.next = null;
      void this.check().finally(() => this.arm());
    }, delay);
    this.next.unref();
  }

  /** Post every week owed to this process's servers; a check while one runs joins it. Never rejects. */
  check(): Promise<RecapRun> {
    if (this.running) return this.running;
    const run = this.runOnce()
      .catch((error: unknown) => {
        this.options.logger.warn('recap check failed; the next check tries again', { error });
        return noRun(null);
      })
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    this.running = run;
    return run;
  }

  private async runOnce(): Promise<RecapRun> {
    const { services, client, logger } = this.options;
    const slot = lastFiring(this.options.cron, this.options.now());
    const result = noRun(slot);
    if (slot === null || this.stopped) return result;
    const guilds = client.guilds.cache;
    const owed = (await services.recap.list()).filter((s) => guilds.has(s.guildId) && s.setAt < slot && (s.postedSlot ?? 0) < slot);
    if (owed.length === 0) return result;
    // Only members with plays this week can change a recap: the others are never looked up.
    const candidates = await services.recap.active(await services.stats.serverCandidates());
    logger.info('recap: posting the week', { servers: owed.length, slot: new Date(slot).toISOString() });
    for (let i = 0; i < owed.length && !this.stopped; i += CLAIM_BATCH) {
      const batch = owed.slice(i, i + CLAIM_BATCH);
      const claimed = new Set(await services.recap.claim(batch.map((s) => s.guildId), slot));
      const mine = batch.filter((s) => claimed.has(s.guildId));
      for (let j = 0; j < mine.length; j += CONCURRENCY) {
        await Promise.all(mine.slice(j, j + CONCURRENCY).map((setting) => this.recapOne(setting, slot, candidates, result)));
      }
    }
    logger.info('recap: week done', {
      posted: result.posted.length,
      empty: result.empty.length,
      failed: result.failed.length,
      turnedOff: result.turnedOff.length,
    });
    return result;
  }

  private async recapOne(setting: RecapSetting, slot: number, candidates: readonly string[], result: RecapRun): Promise<void> {
    const { guildId, channelId } = setting;
    const { membership, services, client } = this.options;
    try {
      let members = new Set<string>();
      if (candidates.length > 0) {
        if (membership.needsLookup(guildId, candidates)) await this.lookups.take(Math.ceil(candidates.length / MEMBERS_PER_LOOKUP));
        // A public post: only members Discord confirmed, never ones assumed during an outage.
        members = await membership.currentMembers(guildId, candidates, { unknownAs: 'absent' });
      }
      const week = await services.recap.week([...members]);
      if (week.totals.plays === 0) {
        result.empty.push(guildId);
        return;
      }
      // A post in the server's channel: the server's preferred locale, whoever set it up.
      const guild = client.guilds.cache.get(guildId);
      const tr = await guildTranslator(guild);
      const name = guild?.name ?? tr.t('recap.thisServer');
      const text = recapPost(week, name, tr);
      // The same week as the numbers (the last 7 days up to now), as /serverchart draws it.
      const chart = await serverChart({ services, pictures: this.options.pictures }, [...members], 'week', 'albums', RECAP_CHART_SIZE, name);
      const payload = chart.image && chart.alt ? withPicture(text, chart.image, chart.alt) : text;
      await this.posts.take();
      await client.rest.post(Routes.channelMessages(channelId), restMessage(payload));
      result.posted.push(guildId);
    } catch (error) {
      const reason = stopReason(error);
      if (reason) {
        result.turnedOff.push(guildId);
        await this.turnOff(setting, reason);
        return;
      }
      result.failed.push(guildId);
      this.options.logger.warn('recap post failed; the next check tries again', { guild: guildId, channel: channelId, error: describe(error) });
      await services.recap.release(guildId, slot).catch((e: unknown) => this.options.logger.warn('could not release a recap claim', { guild: guildId, error: e }));
    }
  }

  private async turnOff(setting: RecapSetting, reason: StopReason): Promise<void> {
    const { guildId, channelId } = setting;
    let removed: RecapSetting | null;
    try {
      removed = await this.options.services.recap.off(guildId, channelId);
    } catch (error) {
      this.options.logger.warn('could not turn the recap off', { guild: guildId, error });
      return;
    }
    if (!removed) return;
    this.options.logger.warn(`recap turned off: the channel was ${reason === 'deleted' ? 'deleted' : 'refused to the bot'}`, {
      guild: guildId,
      channel: channelId,
    });
    const tell = removed.setBy || this.options.ownerId;
    if (!tell) return;
    const guildName = this.options.client.guilds.cache.get(guildId)?.name ?? null;
    const { rest } = this.options.client;
    try {
      const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: tell } })) as { id: string };
      await rest.post(Routes.channelMessages(dm.id), {
        body: { content: await noticeFor((tr) => recapStoppedNotice(guildName ?? tr.t('recap.aServer'), channelId, reason, tr), tell, this.options.botLocale ?? 'en-US') },
      });
    } catch (error) {
      this.options.logger.warn('could not tell anyone that the recap stopped', { user: tell, error });
    }
  }
}

const describe = (error: unknown): unknown => (error instanceof DiscordAPIError ? `${error.status} ${error.code}: ${error.message}` : error);
