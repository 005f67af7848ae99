// What crosses between the main thread and the SQLite history worker (history-worker.ts serves, history-thread.ts
// calls). Calls are derived from the HistoryStore type, not listed: a method added to the interface crosses with no
// edit here. Errors cross as plain objects and are revived as the same typed errors.
import type { LogFields } from '../logger.js';
import { HistoryStoreError, type HistoryStore } from '../history/store.js';
import { SqlOpenError } from './open-error.js';

/** Everything on the store that is called through the worker: every member but `engine`, which the proxy knows. */
export type StoreCalls = Omit<HistoryStore, 'engine'>;
export type StoreMethod = keyof StoreCalls & string;

/**
 * Only async methods can cross to another thread: a synchronous method or a data member added to HistoryStore makes
 * this fail to compile (rather than the proxy answering it with a promise at run time).
 */
type CrossesThreads<T> = { [M in keyof T]: (...args: never[]) => Promise<unknown> };
type MustHold<T extends true> = T;
export type StoreCallsCrossThreads = MustHold<StoreCalls extends CrossesThreads<StoreCalls> ? true : false>;

/** The worker's start-up data. */
export interface HistoryWorkerData {
  url: string;
}

export interface SerializedStoreError {
  name: string;
  message: string;
}

export type ToWorker = { kind: 'call'; id: number; method: StoreMethod; args: unknown[] };

export type FromWorker =
  | { kind: 'ready'; engine: HistoryStore['engine'] }
  | { kind: 'failed'; error: SerializedStoreError }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: SerializedStoreError }
  | { kind: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; scopes: string[]; message: string; fields?: LogFields };

export function serializeStoreError(error: unknown): SerializedStoreError {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}

/** The typed errors the store and its opening throw come back as their own class; anything else as an Error of that name. */
export function reviveStoreError(data: SerializedStoreError): Error {
  switch (data.name) {
    case 'HistoryStoreError':
      return new HistoryStoreError(data.message);
    case 'SqlOpenError':
      return new SqlOpenError(data.message);
    default: {
      const error = new Error(data.message);
      error.name = data.name;
      return error;
    }
  }
}
