// The Services of a shard process: an RPC proxy of the manager's (src/sharding/rpc.ts), plus one shortcut — the
// owner's listening state is answered from the manager's last presence push while it is fresh, so a command within
// the freshness window costs no Spotify request anywhere.
import { LISTENING_FRESHNESS_MS } from '../features/nowplaying/service.js';
import { atTime, type ListeningState } from '../listening-state.js';
import { OWNER, sameListener, type Listener } from '../listeners/listener.js';
import type { PollOutcome } from '../presence/poller.js';
import type { Services } from '../service-types.js';
import { isOurs, reviveError, TAG, type PresencePush } from './protocol.js';
import { createRpcClient, type RpcCall } from './rpc.js';

export interface IpcChannel {
  send(message: RpcCall): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** This process's IPC channel to the ShardingManager. */
export function processChannel(): IpcChannel {
  return {
    send: (message) => {
      if (!process.send) throw new Error('not running under the sharding manager (no IPC channel)');
      process.send(message);
    },
    onMessage: (listener) => {
      process.on('message', listener);
    },
  };
}

export interface RemoteServicesOptions {
  channel: IpcChannel;
  now?: () => number;
  /** How long a pushed listening state answers commands (default 2 s). */
  freshnessMs?: number;
  requestTimeoutMs?: number;
}

export interface RemoteServices {
  services: Services;
  /** Called with every presence poll outcome the manager pushes. */
  onPresence(listener: (outcome: PollOutcome<ListeningState>) => void): void;
}

export function createRemoteServices(options: RemoteServicesOptions): RemoteServices {
  const now = options.now ?? Date.now;
  const freshnessMs = options.freshnessMs ?? LISTENING_FRESHNESS_MS;
  let pushed: ListeningState | null = null;
  const remember = (state: ListeningState): void => {
    if (!pushed || state.observedAt >= pushed.observedAt) pushed = state;
  };
  const presenceListeners = new Set<(outcome: PollOutcome<ListeningState>) => void>();

  const rpc = createRpcClient<Services>(
    { send: (call) => options.channel.send(call), ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}) },
    (wire) => ({
      listening: {
        current: async (listener: Listener): Promise<ListeningState> => {
          const owner = sameListener(listener, OWNER);
          if (owner && pushed && now() - pushed.observedAt < freshnessMs) return atTime(pushed, now());
          const state = await wire.listening.current(listener);
          if (owner) remember(state);
          return atTime(state, now());
        },
      },
    }),
  );

  options.channel.onMessage((message) => {
    if (rpc.handle(message)) return;
    if (!isOurs<PresencePush>(message) || message[TAG] !== 'presence') return;
    const outcome: PollOutcome<ListeningState> = message.outcome.ok
      ? { ok: true, value: message.outcome.value }
      : { ok: false, error: reviveError(message.outcome.error) };
    if (outcome.ok) remember(outcome.value);
    for (const listener of presenceListeners) listener(outcome);
  });

  return {
    services: rpc.api,
    onPresence: (listener) => presenceListeners.add(listener),
  };
}
