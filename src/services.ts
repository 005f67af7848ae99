// What commands and the presence job need from the rest of the bot, split in two:
// - `Services`: the remote part. Namespaces of async methods whose arguments and results are plain JSON (a
//   Listener is data). In one process they are the feature services themselves (createServices); under the
//   ShardingManager each shard gets an RPC copy derived from this interface, so only the manager talks to
//   Spotify. A method added here is available to shards with no edit under src/sharding/.
// - `CommandContext`: what a handler receives: the local settings plus `services`.
// `createServices` (below) builds the local implementation: one feature service per namespace.
import type { Config } from './config.js';
import {
  AccountFeature,
  type AccountStatus,
  type BeginLoginResult,
  type CallbackOpened,
  type CallbackResult,
  type DiscordNames,
  type LoginResult,
} from './features/account/service.js';
import { AnnounceFeature, type AnnounceSetting } from './features/announce/service.js';
import { HistoryFeature, type HistoryView } from './features/history/service.js';
import type { PlayInput } from './history/play.js';
import type { AddResult, ErasedHistory, HistoryStore, ImportRecord, StoredPlay } from './history/store.js';
import { ListeningFeature } from './features/nowplaying/service.js';
import { RecentFeature, type RecentPlays } from './features/recent/service.js';
import { StatsFeature, type ServerStats, type Stats, type StatsPeriod } from './features/stats/service.js';
import { TopFeature, type TopArtist, type TopList, type TopTrack } from './features/top/service.js';
import type { ListeningState } from './listening-state.js';
import type { Listener } from './listeners/listener.js';
import type { ListenerRegistry } from './listeners/registry.js';
import { MemberDirectory, MembersFeature, type MemberView, type Privacy, type SeatsView } from './listeners/members.js';
import type { MemberSources } from './listeners/resolve.js';
import type { Logger } from './logger.js';
import type { Pictures } from './render/pictures.js';
import type { StatusRecorder } from './history/recorders/status-recorder.js';
import type { TokenManager } from './spotify/tokens.js';
import type { TimeRange } from './spotify/types.js';
import type { Storage } from './storage.js';

export type {
  AccountStatus,
  BeginLoginResult,
  CallbackOpened,
  CallbackResult,
  DiscordNames,
  LinkTarget,
  LoginResult,
} from './features/account/service.js';

export interface Services {
  listening: { current(listener: Listener): Promise<ListeningState> };
  top: {
    tracks(listener: Listener, range: TimeRange): Promise<TopList<TopTrack>>;
    artists(listener: Listener, range: TimeRange): Promise<TopList<TopArtist>>;
  };
  account: {
    status(listener: Listener): Promise<AccountStatus>;
    /**
     * Start a `/spotify login` (owner) or `/spotify link` (member) by this Discord user: the authorize URL to open.
     * `names` (Discord's, at that moment) let the callback page say whose Discord account it links to.
     */
    beginLogin(listener: Listener, userId: string, names?: DiscordNames): Promise<BeginLoginResult>;
    /** Finish it with what the user pasted: the whole redirected URL, with its state. */
    finishLogin(listener: Listener, userId: string, pasted: string): Promise<LoginResult>;
    /** The callback server's GET (the redirect's query string): a confirm page's token, nothing linked yet. */
    openCallback(query: string): Promise<CallbackOpened>;
    /** The confirm page's POST: the one-time token finishes the link. */
    confirmCallback(token: string): Promise<CallbackResult>;
  };
  /** Linked members (src/listeners/members.ts): link records, privacy, seats, unlink. */
  members: {
    get(userId: string): Promise<MemberView | null>;
    privateAmong(userIds: string[]): Promise<string[]>;
    inGuild(guildId: string): Promise<MemberView[]>;
    seenIn(userId: string, guildId: string): Promise<void>;
    /** Forget that a member is in this guild (Discord says they left: src/listeners/membership.ts). */
    leftGuild(userId: string, guildId: string): Promise<void>;
    setPrivacy(userId: string, privacy: Privacy): Promise<MemberView | null>;
    seats(): Promise<SeatsView>;
    notices(userId: string): Promise<string[]>;
    unlink(userId: string): Promise<boolean>;
  };
  recent: { plays(listener: Listener): Promise<RecentPlays> };
  /**
   * Listening history (src/features/history/service.ts): consent, recording, imports, export, deletion. Users are
   * Discord ids; the owner's id (BOT_OWNER_ID) means the owner's own history.
   */
  history: {
    view(userId: string): Promise<HistoryView>;
    setRecording(userId: string, recording: boolean): Promise<HistoryView>;
    setOnlyMe(userId: string, onlyMe: boolean): Promise<void>;
    /** Members whose Discord status is recorded (opted in, not linked): what the status detectors follow. */
    statusRecorded(): Promise<string[]>;
    recordStatusPlays(batch: Array<{ userId: string; plays: PlayInput[] }>): Promise<number>;
    importPlays(userId: string, plays: PlayInput[]): Promise<AddResult>;
    recordImport(userId: string, record: ImportRecord): Promise<void>;
    exportPage(userId: string, afterId: number): Promise<StoredPlay[]>;
    erase(userId: string): Promise<ErasedHistory>;
  };
  /**
   * /stats and /serverstats (src/features/stats/service.ts): numbers over stored history. Users are Discord ids; a
   * server view gets the ids of its current members and counts only those recording and not "only me".
   */
  stats: {
    user(userId: string, period: StatsPeriod): Promise<Stats>;
    server(userIds: string[], period: StatsPeriod): Promise<ServerStats>;
    /** Everyone a server view may count (recording, not "only me"), before the membership check. */
    serverCandidates(): Promise<string[]>;
    /** Of these, who chose "only me" (linked or not). */
    privateAmong(userIds: string[]): Promise<string[]>;
  };
  /** Each server's now-playing channel (/announce); kept in storage. */
  announce: {
    get(guildId: string): Promise<AnnounceSetting | null>;
    list(): Promise<AnnounceSetting[]>;
    set(setting: AnnounceSetting): Promise<void>;
    off(guildId: string, channelId: string | null): Promise<AnnounceSetting | null>;
  };
}

/** One namespace of `Services`, for the classes that implement it. */
export type ServiceNamespace<K extends keyof Services> = Services[K];

export interface CommandContext {
  config: Config;
  logger: Logger;
  now: () => number;
  /** Wait this long for data before deferring an interaction (Discord's deadline is 3 s). */
  deferAfterMs: number;
  services: Services;
  /** Members' listening as this process sees it: Discord status (per guild) and linked members. Local, never RPC. */
  members: MemberSources;
  /** This process's pictures (cards, charts) and its one cover-art cache: drawn where the command runs, never RPC. */
  pictures: Pictures;
  /**
   * This process's recorder of members' Discord-status plays (DISCORD_PRESENCES=on with history on), else null.
   * /history on|off tells it at once; other processes learn within a minute.
   */
  statusPlays: StatusRecorder | null;
}

/** What the feature services are built from (once, in createApp). */
export interface FeatureDeps {
  config: Config;
  logger: Logger;
  storage: Storage;
  /** The listening-history store (src/databases.ts); null when HISTORY=off. */
  history: HistoryStore | null;
  now: () => number;
  tokens: TokenManager;
  listeners: ListenerRegistry;
  /** Tell a listener something about their Spotify link (a DM); resolves false when nothing was sent. */
  notify: (listener: Listener, text: string) => Promise<boolean>;
  tuning: { listeningFreshnessMs?: number; topTtlMs?: number };
}

/** The services of this process, backed by Spotify. A feature added to `Services` is a compile error here until built. */
export function createServices(deps: FeatureDeps) {
  const directory = new MemberDirectory(deps.storage, deps.config.spotify.maxUsers);
  const account = new AccountFeature(deps, directory);
  const history = new HistoryFeature({ config: deps.config, logger: deps.logger.child('history'), store: deps.history, directory });
  return {
    listening: new ListeningFeature(deps),
    top: new TopFeature(deps),
    account,
    members: new MembersFeature(deps, directory, account),
    recent: new RecentFeature(deps),
    announce: new AnnounceFeature(deps),
    history,
    stats: new StatsFeature({ store: deps.history, history, ownerId: deps.config.discord.ownerId, directory, now: deps.now }),
  } satisfies Services;
}

export type LocalServices = ReturnType<typeof createServices>;
