// The SQLite history store behind a worker thread (history-worker.ts): every query and write runs there, so a slow
// server view never blocks the main thread's event loop; here each method only posts a call and awaits its answer.
// The proxy is derived from the HistoryStore type, like the sharding RPC from Services: a method added to the
// interface works through the worker with no edit here. PostgreSQL needs none of this (pg is asynchronous).
// A worker costs ~14 MB (its own V8 heap and copies of Kysely and the store's code), so it runs only while history is
// used: it starts at open (migrations and a bad path show at start) and stops as soon as that is done unless a call
// came in meanwhile (nothing at start needs history: the bot's first calls come seconds later); after calls, it stops
// once idleMs pass without one, and starts again on the next call.
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import type { HistoryStore } from '../history/store.js';
import { reviveStoreError, type FromWorker, type HistoryWorkerData, type StoreMethod, type ToWorker } from './history-thread-protocol.js';

export interface HistoryWorkerOptions {
  logger: Logger;
  /** Stop the worker after this long without a call (the next call starts it again). Default 10 s. */
  idleMs?: number;
  /**
   * After opening, stop the worker once this long passes without a call. Default 0: right after the start checks (a
   * call made as soon as the store is returned still finds it running).
   */
  openedIdleMs?: number;
}

/**
 * The worker's entry beside this module: history-worker.js from dist/; under tsx or vitest (sources, .ts) a bootstrap
 * that registers tsx's loader in the worker first — a worker thread does not inherit it, nor an `--import` of it.
 */
function workerEntry(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./history-worker.js', import.meta.url);
  const source = new URL('./history-worker.ts', import.meta.url).href;
  const bootstrap = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(source)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

/** One started worker with the store open in it. */
interface RunningWorker {
  engine: HistoryStore['engine'];
  call(method: StoreMethod, args: unknown[]): Promise<unknown>;
  readonly pending: number;
  /** Close the store there and wait for the thread to end. */
  stop(): Promise<void>;
}

async function startWorker(url: string, logger: Logger, onExit: (worker: RunningWorker) => void): Promise<RunningWorker> {
  const worker = new Worker(workerEntry(), {
    workerData: { url } satisfies HistoryWorkerData,
    // Its own small young generation, as the main thread's --max-semi-space-size=1: results are short-lived.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  /** Why this worker can no longer answer (it exited or failed). */
  let gone: Error | null = null;
  let stopping: Promise<void> | null = null;
  // While a call waits or the thread is stopping, it keeps the process alive; idle, it doesn't (a forgotten close
  // can't hang an exit).
  const settle = (id: number): { resolve: (value: unknown) => void; reject: (error: Error) => void } | undefined => {
    const call = pending.get(id);
    pending.delete(id);
    if (pending.size === 0 && stopping === null) worker.unref();
    return call;
  };

  const opened = new Promise<HistoryStore['engine']>((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      switch (message.kind) {
        case 'ready':
          resolve(message.engine);
          return;
        case 'failed':
          reject(reviveStoreError(message.error));
          return;
        case 'log': {
          const scoped = message.scopes.reduce((l, scope) => l.child(scope), logger);
          scoped[message.level](message.message, message.fields);
          return;
        }
        case 'result': {
          const call = settle(message.id);
          if (message.ok) call?.resolve(message.value);
          else call?.reject(reviveStoreError(message.error));
          return;
        }
      }
    });
    worker.on('error', (error) => {
      logger.error('history: the SQLite worker failed', { error: error.message });
      gone ??= error;
    });
    worker.on('exit', (code) => {
      gone ??= new Error(`the history worker has stopped (exit code ${code})`);
      reject(gone);
      for (const call of pending.values()) call.reject(gone);
      pending.clear();
      onExit(running);
    });
  });

  const call = (method: StoreMethod, args: unknown[]): Promise<unknown> => {
    if (gone !== null) return Promise.reject(gone);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ kind: 'call', id, method, args } satisfies ToWorker);
    });
  };
  const running: RunningWorker = {
    engine: 'sqlite',
    call,
    get pending() {
      return pending.size;
    },
    stop() {
      // The worker closes the database and then ends by itself; its exit means the file is closed.
      stopping ??= new Promise<void>((resolve) => {
        if (gone !== null) return resolve();
        worker.ref();
        worker.once('exit', () => resolve());
        call('close', []).catch((error: unknown) => {
          if (gone !== null) return;
          logger.warn('history: closing the SQLite store failed', { error: (error as Error).message });
          void worker.terminate();
        });
      });
      return stopping;
    },
  };
  try {
    running.engine = await opened;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  if (pending.size === 0) worker.unref();
  return running;
}

/** Open the SQLite history at `url` (sqlite://…) in its own thread; rejects with the store's typed errors. */
export async function openHistoryInWorker(url: string, options: HistoryWorkerOptions): Promise<HistoryStore> {
  const { logger } = options;
  const idleMs = options.idleMs ?? 10_000;
  const openedIdleMs = options.openedIdleMs ?? 0;
  let current: Promise<RunningWorker> | null = null;
  let idleTimer: NodeJS.Timeout | undefined;
  let closed: Promise<void> | null = null;

  /** The started worker that calls go to (null while none is, or while one is starting). */
  let active: RunningWorker | null = null;

  const forget = (worker: RunningWorker): void => {
    // An exit we did not ask for (a crash): the next call starts a new worker.
    if (active !== worker) return;
    active = null;
    current = null;
  };
  const start = (): Promise<RunningWorker> => {
    logger.debug('history: starting the SQLite worker');
    const starting = startWorker(url, logger, forget);
    starting.then(
      (worker) => {
        if (current === starting) active = worker;
      },
      // A failed start is not kept: the next call tries again.
      () => {
        if (current === starting) current = null;
      },
    );
    return starting;
  };
  const idleCheck = (worker: RunningWorker, afterMs: number): void => {
    if (worker !== active || worker.pending > 0 || closed !== null) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (worker !== active || worker.pending > 0) return;
      active = null;
      current = null;
      void worker.stop().then(() => logger.debug('history: SQLite worker stopped, idle', { idleMs: afterMs }));
    }, afterMs);
    idleTimer.unref();
  };

  current = start();
  const first = await current;
  idleCheck(first, openedIdleMs);

  const call = async (method: StoreMethod, args: unknown[]): Promise<unknown> => {
    if (closed !== null) throw new Error('the history store is closed');
    clearTimeout(idleTimer);
    const worker = await (current ??= start());
    try {
      return await worker.call(method, args);
    } finally {
      idleCheck(worker, idleMs);
    }
  };
  const close = (): Promise<void> => {
    closed ??= (async () => {
      clearTimeout(idleTimer);
      const worker = await current?.catch(() => null);
      active = null;
      current = null;
      await worker?.stop();
    })();
    return closed;
  };

  return new Proxy({} as HistoryStore, {
    get: (_target, name) => {
      // Not a method name (symbols; `then`, so the store is never mistaken for a promise).
      if (typeof name !== 'string' || name === 'then') return undefined;
      if (name === 'engine') return first.engine;
      if (name === 'close') return close;
      return (...args: unknown[]) => call(name as StoreMethod, args);
    },
  });
}
