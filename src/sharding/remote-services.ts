// BotServices for a shard process: every Spotify-backed call goes to the manager over the sharding IPC channel.
// The manager's presence poll is pushed to every shard; commands reuse that state while it is fresh, so a
// command within the freshness window costs no Spotify request anywhere.
import type { Config } from '../config.js';
import { atTime, type ListeningState } from '../listening-state.js';
import type { Logger } from '../logger.js';
import type { AccountStatus, BotServices, LoginResult } from '../services.js';
import type { TimeRange } from '../spotify/types.js';
import type { TopArtist, TopList, TopTrack } from '../top-items.js';
import { isOurs, reviveError, TAG, type ManagerToShard, type ServiceOp, type ShardToManager } from './protocol.js';

export interface IpcChannel {
  send(message: ShardToManager): void;
  onMessage(listener: (message: unknown) => void): void;
}

export function processChannel(): IpcChannel {
  return {
    send: (message) => {
      process.send?.(message);
    },
    onMessage: (listener) => {
      process.on('message', listener);
    },
  };
}

export interface RemoteServicesOptions {
  config: Config;
  logger: Logger;
  channel: IpcChannel;
  now?: () => number;
  freshnessMs?: number;
  requestTimeoutMs?: number;
  deferAfterMs?: number;
}

export class RemoteServices implements BotServices {
  readonly config: Config;
  readonly logger: Logger;
  readonly now: () => number;
  readonly deferAfterMs: number;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private pushed: ListeningState | null = null;
  private readonly pushListeners = new Set<(message: ManagerToShard) => void>();

  constructor(private readonly options: RemoteServicesOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.deferAfterMs = options.deferAfterMs ?? 1_500;
    options.channel.onMessage((message) => {
      if (!isOurs<ManagerToShard>(message)) return;
      if (message[TAG] === 'response') {
        const call = this.pending.get(message.id);
        if (!call) return;
        this.pending.delete(message.id);
        clearTimeout(call.timer);
        if (message.ok) call.resolve(message.value);
        else call.reject(reviveError(message.error));
        return;
      }
      if (message[TAG] === 'listening') this.remember(message.state);
      for (const listener of this.pushListeners) listener(message);
    });
  }

  /** Called with each presence poll the manager pushes. */
  onPush(listener: (message: ManagerToShard) => void): void {
    this.pushListeners.add(listener);
  }

  readonly listening = {
    current: async (): Promise<ListeningState> => {
      const pushed = this.pushed;
      if (pushed && this.now() - pushed.observedAt < (this.options.freshnessMs ?? 2_000)) return atTime(pushed, this.now());
      const state = await this.request<ListeningState>('listening.current', []);
      this.remember(state);
      return atTime(state, this.now());
    },
  };

  readonly top = {
    tracks: (range: TimeRange) => this.request<TopList<TopTrack>>('top.tracks', [range]),
    artists: (range: TimeRange) => this.request<TopList<TopArtist>>('top.artists', [range]),
  };

  readonly account = {
    status: () => this.request<AccountStatus>('account.status', []),
    beginLogin: (userId: string) => this.request<{ authorizeUrl: string; redirectUri: string }>('account.beginLogin', [userId]),
    finishLogin: (userId: string, pasted: string) => this.request<LoginResult>('account.finishLogin', [userId, pasted]),
  };

  private remember(state: ListeningState): void {
    if (!this.pushed || state.observedAt >= this.pushed.observedAt) this.pushed = state;
  }

  private request<T>(op: ServiceOp, args: string[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timeoutMs = this.options.requestTimeoutMs ?? 15_000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the sharding manager did not answer ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject, timer });
      this.options.channel.send({ [TAG]: 'request', id, op, args });
    });
  }
}
