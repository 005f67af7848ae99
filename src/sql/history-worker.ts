// The SQLite history store's own thread: libsql is synchronous, so a server-wide view (tens of ms) run on the main
// thread would stall Discord's gateway and every other command. Here the store opens and answers calls one at a
// time, in order; the main thread (history-thread.ts) only posts calls and awaits their answers. Log lines go to the
// main thread's logger.
import { parentPort, workerData } from 'node:worker_threads';
import { isoTimestamp } from '../iso-time.js';
import type { LogFields, Logger } from '../logger.js';
import type { HistoryStore } from '../history/store.js';
import { openHistoryStore } from './history-store.js';
import { openHistoryDatabase } from './open.js';
import { serializeStoreError, type FromWorker, type HistoryWorkerData, type StoreCalls, type ToWorker } from './history-thread-protocol.js';

// Kysely's migrator stamps each migration it runs with Date#toISOString, whose first call in V8 looks up the local time
// zone's display name: ICU's zone names, ~0.4 MB of node's pages resident for the process's life, for a text that never
// shows it. Dates leave this thread only that way, so here toISOString writes the same text from the UTC fields.
Date.prototype.toISOString = function toISOString(this: Date): string {
  return isoTimestamp(this);
};

if (parentPort === null) throw new Error('history-worker.ts runs as a worker thread (src/sql/history-thread.ts starts it)');
const port = parentPort;
const post = (message: FromWorker): void => port.postMessage(message);

/** A logger whose lines are written by the main thread's (its secret masking applies there). */
function forwardingLogger(scopes: string[]): Logger {
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: LogFields): void =>
      post({ kind: 'log', level, scopes, message, ...(fields === undefined ? {} : { fields }) });
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (scope) => forwardingLogger([...scopes, scope]),
    addSecret: () => {},
    removeSecret: () => {},
    secretCount: () => 0,
  };
}

function method(store: HistoryStore, name: string): ((...args: unknown[]) => Promise<unknown>) | null {
  // Only the store's own methods (on its class), never Object.prototype's.
  if (name in Object.prototype || name === 'constructor' || !(name in store)) return null;
  const fn = (store as unknown as Record<string, unknown>)[name];
  return typeof fn === 'function' ? (fn as (...args: unknown[]) => Promise<unknown>).bind(store) : null;
}

async function main(): Promise<void> {
  const { url } = workerData as HistoryWorkerData;
  const logger = forwardingLogger([]);
  let store: HistoryStore;
  let close: () => Promise<void>;
  try {
    const database = await openHistoryDatabase(url, logger);
    try {
      store = await openHistoryStore(database, { logger });
    } catch (error) {
      await database.close().catch(() => {});
      throw error;
    }
    close = async () => {
      await store.close();
      await database.close();
    };
  } catch (error) {
    post({ kind: 'failed', error: serializeStoreError(error) });
    port.close();
    return;
  }
  port.on('message', (call: ToWorker) => {
    const isClose = call.method === ('close' satisfies keyof StoreCalls);
    const fn = isClose ? close : method(store, call.method);
    const run = fn ? Promise.resolve().then(() => fn(...call.args)) : Promise.reject(new Error(`the history store has no method ${call.method}`));
    run.then(
      (value) => {
        post({ kind: 'result', id: call.id, ok: true, value });
        // Closed: nothing keeps the thread alive, so it ends and the main thread sees it exit.
        if (isClose) port.close();
      },
      (error: unknown) => post({ kind: 'result', id: call.id, ok: false, error: serializeStoreError(error) }),
    );
  });
  post({ kind: 'ready', engine: store.engine });
}

void main();
