// What commands and the presence job need from the rest of the bot, split in two:
// - `Services`: the remote part. Namespaces of async methods whose arguments and results are plain JSON (a
//   Listener is data). In one process they are the feature services themselves (createServices, src/services.ts);
//   under the ShardingManager each shard gets an RPC copy derived from this interface, so only the manager talks to
//   Spotify. A method added to a namespace is available to shards with no edit under src/sharding/.
// - `CommandContext`: what a handler receives: the local settings plus `services`.
// Each namespace is declared next to its implementation (`<X>Namespace` in the feature's service.ts, history's here),
// so no feature service imports this module or src/services.ts: this one only gathers their types.
import type { Config } from './config.js';
import type { AccountNamespace } from './features/account/service.js';
import type { AnnounceNamespace } from './features/announce/service.js';
import type { RecapNamespace } from './features/recap/service.js';
import type { HistoryView } from './features/history/service.js';
import type { ListeningNamespace } from './features/nowplaying/service.js';
import type { RecentNamespace } from './features/recent/service.js';
import type { TopNamespace } from './features/top/service.js';
import type { ChartNamespace } from './features/chart/service.js';
import type { WhoKnowsNamespace } from './features/whoknows/service.js';
import type { ServerStats, Stats, StatsPeriod } from './features/stats/service.js';
import type { PlayInput } from './history/play.js';
import type { AddResult, ErasedHistory, ImportRecord, StoredPlay } from './history/store.js';
import type { MembersNamespace } from './listeners/members.js';
import type { MemberSources } from './listeners/resolve.js';
import type { Logger } from './logger.js';
import type { Pictures } from './render/pictures.js';
import type { StatusRecorder } from './history/recorders/status-recorder.js';
import type { TasteNamespace } from './features/taste/service.js';
import type { WrappedNamespace } from './features/wrapped/service.js';

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
  listening: ListeningNamespace;
  top: TopNamespace;
  account: AccountNamespace;
  /** Linked members (src/listeners/members.ts): link records, privacy, seats, unlink. */
  members: MembersNamespace;
  recent: RecentNamespace;
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
  announce: AnnounceNamespace;
  /** Charts from stored history (/chart period:, /serverchart, the recap's picture): top items of a period, with covers. */
  chart: ChartNamespace;
  /** /taste (src/features/taste/service.ts): two members' artist mixes compared. Consent is the caller's. */
  taste: TasteNamespace;
  /** /wrapped (src/features/wrapped/service.ts): a member's year, and the biggest fan among a server's members. */
  wrapped: WrappedNamespace;
  /** Each server's weekly recap channel and the week's numbers (/recap); kept in storage. */
  recap: RecapNamespace;
  /** /whoknows, its autocomplete and the /nowplaying history line (src/features/whoknows/service.ts). */
  whoknows: WhoKnowsNamespace;
}

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
