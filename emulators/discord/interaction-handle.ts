// The handle a test gets for an interaction it sent: the callback, the final message, follow-ups, as they arrive.
import type { InteractionState } from './interactions.js';
import type { AutocompleteChoice, AutocompleteHandle, InteractionHandle } from './types.js';

type Waiter = <T>(what: string, get: () => T | undefined, timeoutMs: number) => Promise<T>;

/** Resolves once `get` returns a value, re-checked whenever the interaction changes. */
function waiterFor(state: InteractionState): Waiter {
  return <T>(what: string, get: () => T | undefined, timeoutMs: number): Promise<T> => {
    const now = get();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = get();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `DiscordEmulator: interaction ${state.id} (${String(state.payload.type)}) — ${what} not received within ${timeoutMs} ms` +
              ` (callback: ${state.response ? `type ${state.response.type}` : 'none'}, edits: ${state.edits.length}, followUps: ${state.followUps.length})`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        state.events.off('change', check);
      };
      state.events.on('change', check);
    });
  };
}

/** What every handle has: the interaction's identity and its callback. */
function common(state: InteractionState, waitUntil: Waiter): Pick<InteractionHandle, 'id' | 'token' | 'shard' | 'payload' | 'dispatchedAt' | 'response'> {
  return {
    id: state.id,
    token: state.token,
    shard: state.shard,
    payload: state.payload,
    dispatchedAt: state.dispatchedAt,
    response: (timeoutMs = 5000) => waitUntil('callback', () => state.response ?? undefined, timeoutMs),
  };
}

export function interactionHandle(state: InteractionState): InteractionHandle {
  const waitUntil = waiterFor(state);
  return {
    ...common(state, waitUntil),
    edits: state.edits,
    followUps: state.followUps,
    get originalMessage() {
      return state.original;
    },
    get originalAttachments() {
      return state.originalAttachments;
    },
    followUpAttachments: state.followUpAttachments,
    finalMessage: (timeoutMs = 5000) =>
      waitUntil(
        'final message',
        () => {
          const r = state.response;
          if (!r) return undefined;
          if (r.type === 4 || r.type === 7) return r.data ?? {};
          return state.edits[0];
        },
        timeoutMs,
      ),
    followUp: (index = 0, timeoutMs = 5000) => waitUntil(`follow-up #${index}`, () => state.followUps[index], timeoutMs),
  };
}

export function autocompleteHandle(state: InteractionState): AutocompleteHandle {
  const waitUntil = waiterFor(state);
  return {
    ...common(state, waitUntil),
    choices: (timeoutMs = 5000) =>
      waitUntil(
        'autocomplete choices',
        () => {
          const choices = state.response?.data?.choices;
          return Array.isArray(choices) ? (choices as AutocompleteChoice[]) : undefined;
        },
        timeoutMs,
      ),
  };
}
