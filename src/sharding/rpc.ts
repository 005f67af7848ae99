// One typed RPC, derived from an API type: namespaces of async methods whose arguments and results are plain JSON
// (the `Services` of src/service-types.ts). The manager serves the real object; each shard gets a proxy of the same
// type. Nothing here names a namespace or a method, so a method added to the interface crosses processes with no
// edit under src/sharding/, a call to a method the type doesn't have is a compile error, and a call the serving side
// doesn't know is answered with an UnknownMethodError (never `undefined`). Errors cross as SerializedError and are
// revived as the same typed errors (reviveError).
import { isOurs, reviveError, serializeError, TAG, UnknownMethodError, type SerializedError } from './protocol.js';

/** The shape an API must have: every member of every namespace is an async method. Works for interfaces too. */
export type ApiShape<A> = { [N in keyof A]: { [M in keyof A[N]]: (...args: never[]) => Promise<unknown> } };

export type RpcCall = { [TAG]: 'call'; id: number; ns: string; method: string; args: unknown[] };
export type RpcResult =
  | { [TAG]: 'result'; id: number; ok: true; value: unknown }
  | { [TAG]: 'result'; id: number; ok: false; error: SerializedError };

export { UnknownMethodError };

/** Method-level replacements on the proxy side (e.g. answering from pushed state); the rest goes over the wire. */
export type Overrides<A> = { [N in keyof A]?: Partial<A[N]> };

function lookup(api: object, ns: string, method: string): ((...args: unknown[]) => unknown) | null {
  if (!Object.hasOwn(api, ns)) return null;
  const namespace = (api as Record<string, unknown>)[ns];
  if (typeof namespace !== 'object' || namespace === null) return null;
  // Methods live on class prototypes, so `in` rather than hasOwn; Object.prototype's members are not methods of ours.
  if (method in Object.prototype || method === 'constructor' || !(method in namespace)) return null;
  const fn = (namespace as Record<string, unknown>)[method];
  return typeof fn === 'function' ? (fn as (...args: unknown[]) => unknown).bind(namespace) : null;
}

/** The manager's side: answers `call` messages from `api`. `handle` returns false for messages that aren't calls. */
export function createRpcServer<A extends ApiShape<A>>(api: A) {
  return {
    /** Answer one message if it is a call; the answer goes to `reply`. */
    handle(message: unknown, reply: (result: RpcResult) => void): boolean {
      if (!isOurs<RpcCall>(message) || message[TAG] !== 'call') return false;
      const { id, ns, method, args } = message;
      const fn = typeof ns === 'string' && typeof method === 'string' ? lookup(api, ns, method) : null;
      const run = (): Promise<unknown> =>
        fn
          ? Promise.resolve().then(() => fn(...(Array.isArray(args) ? args : [])))
          : Promise.reject(new UnknownMethodError(`the sharding manager has no method ${String(ns)}.${String(method)}`));
      run().then(
        (value) => reply({ [TAG]: 'result', id, ok: true, value }),
        (error: unknown) => reply({ [TAG]: 'result', id, ok: false, error: serializeError(error) }),
      );
      return true;
    },
  };
}

export interface RpcClientOptions {
  send: (call: RpcCall) => void;
  /** A call not answered within this long is rejected (default 15 s). */
  timeoutMs?: number;
}

/** The shard's side: `api` is a proxy of type A whose every method is a call over `send`. */
export function createRpcClient<A extends ApiShape<A>>(options: RpcClientOptions, overridesFor?: (wire: A) => Overrides<A>) {
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();

  const call = (ns: string, method: string, args: unknown[]): Promise<unknown> => {
    const id = nextId++;
    const timeoutMs = options.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the sharding manager did not answer ${ns}.${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      try {
        options.send({ [TAG]: 'call', id, ns, method, args });
      } catch (error) {
        pending.delete(id);
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  };

  const build = (overrides: Overrides<A>): A => {
    const namespaces = new Map<string, object>();
    const namespace = (ns: string): object => {
      let proxy = namespaces.get(ns);
      if (!proxy) {
        const own = (overrides as Record<string, Record<string, unknown> | undefined>)[ns];
        proxy = new Proxy(
          {},
          {
            get: (_target, method) => {
              // Not a method name (symbols; `then`, so the namespace is never mistaken for a promise).
              if (typeof method !== 'string' || method === 'then') return undefined;
              const override = own?.[method];
              if (typeof override === 'function') return override;
              return (...args: unknown[]) => call(ns, method, args);
            },
          },
        );
        namespaces.set(ns, proxy);
      }
      return proxy;
    };
    return new Proxy({}, { get: (_target, ns) => (typeof ns === 'string' && ns !== 'then' ? namespace(ns) : undefined) }) as A;
  };
  /** Every method over the wire. */
  const wire = build({});
  /** The same, with the overrides in place. */
  const api = overridesFor ? build(overridesFor(wire)) : wire;

  return {
    api,
    wire,
    /** Settle the pending call a `result` message answers; false for any other message. */
    handle(message: unknown): boolean {
      if (!isOurs<RpcResult>(message) || message[TAG] !== 'result') return false;
      const entry = pending.get(message.id);
      if (!entry) return true;
      pending.delete(message.id);
      clearTimeout(entry.timer);
      if (message.ok) entry.resolve(message.value);
      else entry.reject(reviveError(message.error));
      return true;
    },
    /** Calls still waiting for an answer. */
    get pendingCount(): number {
      return pending.size;
    },
  };
}
