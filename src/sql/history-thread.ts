// The SQLite history store behind a worker thread (history-worker.ts): every query and write runs there, so a slow
// server view never blocks the main thread's event loop; here each method only posts a call and awaits its answer.
// The proxy is derived from the HistoryStore type, like the sharding RPC from Services: a method added to the
// interface works through the worker with no edit here. PostgreSQL needs none of this (pg is asynchronous).
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import type { HistoryStore } from '../history/store.js';
import {
  reviveStoreError,
  type FromWorker,
  type HistoryWorkerData,
  type StoreMethod,
  type ToWorker,
} from './history-thread-protocol.js';

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

/** Open the SQLite history at `url` (sqlite://…) in its own thread; rejects with the store's typed errors. */
export async function openHistoryInWorker(url: string, options: { logger: Logger }): Promise<HistoryStore> {
  const { logger } = options;
  const worker = new Worker(workerEntry(), {
    workerData: { url } satisfies HistoryWorkerData,
    // Its own small young generation, as the main thread's --max-semi-space-size=1: results are short-lived.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  /** Why the worker can no longer answer (it exited or failed); every later call is rejected with it. */
  let gone: Error | null = null;

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
          const call = pending.get(message.id);
          if (call === undefined) return;
          pending.delete(message.id);
          if (message.ok) call.resolve(message.value);
          else call.reject(reviveStoreError(message.error));
          return;
        }
      }
    });
    const end = (error: Error): void => {
      gone ??= error;
      reject(gone);
      for (const call of pending.values()) call.reject(gone);
      pending.clear();
    };
    worker.on('error', (error) => {
      logger.error('history: the SQLite worker failed', { error: error.message });
      end(error);
    });
    worker.on('exit', (code) => end(new Error(`the history worker has stopped (exit code ${code})`)));
  });

  const call = (method: StoreMethod, args: unknown[]): Promise<unknown> => {
    if (gone !== null) return Promise.reject(gone);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ kind: 'call', id, method, args } satisfies ToWorker);
    });
  };

  let engine: HistoryStore['engine'];
  try {
    engine = await opened;
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    // The worker closes the database and then ends by itself; waiting for its exit means the file is closed.
    closing ??= new Promise<void>((resolve) => {
      if (gone !== null) return resolve();
      worker.once('exit', () => resolve());
      call('close', []).catch((error: unknown) => {
        logger.warn('history: closing the SQLite store failed', { error: (error as Error).message });
        void worker.terminate();
      });
    });
    return closing;
  };

  return new Proxy({} as HistoryStore, {
    get: (_target, name) => {
      // Not a method name (symbols; `then`, so the store is never mistaken for a promise).
      if (typeof name !== 'string' || name === 'then') return undefined;
      if (name === 'engine') return engine;
      if (name === 'close') return close;
      return (...args: unknown[]) => call(name as StoreMethod, args);
    },
  });
}
