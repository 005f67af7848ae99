// Key-value storage through keyv, chosen by STORAGE_URL:
//   sqlite://path/file.sqlite  embedded SQLite file (default; its folder is created)
//   redis://host:port          Redis, when several processes share state
//   memory://                  in-process, for tests and throwaway runs
// Opening checks the store for real (a write and a read), so a bad path or a Redis that is down is one clear
// startup error. After start, a failing store never throws into the bot: reads miss, writes report false, and
// each distinct failure is logged once until that kind of operation (read or write) works again. While writes
// fail, this process still reads its own writes: a value it could not write (or a key it could not delete) is
// served from memory until a write to that key succeeds, so a stale stored value can't come back.
// The SQLite file holds access tokens and possibly the only copy of a refresh token: it follows private-files.ts
// (folders the bot creates 0700, existing folders left alone, the database and its companions 0600). A Redis that
// can't be reached is reported with its cause (refused, unknown host, wrong password), not as a timeout.
import Keyv from 'keyv';
import type { SqliteHandle } from './sql/sqlite-file.js';
import { ConnectionError, connectionErrorFor, targetOf, type ConnectionProblem } from './connection-errors.js';
import { silentLogger, type Logger } from './logger.js';
import { checkPrivateSqliteFiles, preparePrivateSqliteFile, PrivateFileError } from './private-files.js';

/**
 * A key-value store that never throws into the bot. Reads see this process's own writes even when the store
 * refused them (the value, or the deletion, is kept in memory until a write of that key succeeds), so callers can
 * rely on read-your-writes through an outage.
 */
export interface Storage {
  readonly kind: 'sqlite' | 'postgres' | 'redis' | 'memory';
  /** Where it points, without credentials. */
  readonly description: string;
  get<T>(key: string): Promise<T | undefined>;
  /** Resolves false (and logs) when the write failed. `ttlMs` makes the value expire. */
  set<T>(key: string, value: T, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<boolean>;
  close(): Promise<void>;
}

export class StorageError extends Error {
  override name = 'StorageError';
}

export interface OpenStorageOptions {
  namespace?: string;
  logger?: Logger;
  /** Per-operation limit, so a stalled Redis can't hold a Discord reply past its deadline. */
  operationTimeoutMs?: number;
  connectTimeoutMs?: number;
}

const DEFAULT_NAMESPACE = 'nowplaying';

function describe(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.username) parsed.username = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

const SQLITE_FIX = 'point STORAGE_URL at a folder the bot may write, e.g. sqlite://data/bot.sqlite';

/** Run a private-files step; its error becomes one clear startup error. */
function privately(file: string, step: () => unknown): void {
  try {
    step();
  } catch (error) {
    if (!(error instanceof PrivateFileError)) throw error;
    throw new StorageError(`can't use ${file} for the SQLite database: ${error.message} — ${SQLITE_FIX}`);
  }
}

function redisFix(problem: ConnectionProblem | undefined): string {
  switch (problem) {
    case 'dns':
      return 'fix the host in STORAGE_URL';
    case 'closed':
      return "fix the port in STORAGE_URL: it must be Redis's";
    case 'auth':
      return 'fix the user name or password in STORAGE_URL';
    case 'no-database':
      return 'fix the database number at the end of STORAGE_URL';
    default:
      return 'start Redis or fix STORAGE_URL';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageError(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const logger = options.logger ?? silentLogger;
  const opTimeout = options.operationTimeoutMs ?? 2_000;
  const connectTimeout = options.connectTimeoutMs ?? 3_000;
  const description = describe(url);

  let kind: Storage['kind'];
  let keyv: Keyv;
  /** The SQLite database this store opened (closed with it). */
  let ownSqlite = null as { close(): Promise<void> } | null;
  if (url.startsWith('sqlite://')) {
    kind = 'sqlite';
    const file = url.slice('sqlite://'.length);
    const openOwn = async (): Promise<SqliteHandle> => {
      if (file !== ':memory:') privately(file, () => preparePrivateSqliteFile(file, logger));
      // Backends are loaded on demand: a bot on SQLite never loads the Redis client, and the other way round.
      const { openSqliteHandle } = await import('./sql/sqlite-file.js');
      try {
        // Its writes wait for another connection's lock asynchronously (keyv-sqlite.ts), never inside SQLite.
        const opened = await openSqliteHandle(file, { lockWaitMs: 0 });
        let closed = false;
        ownSqlite = {
          close: async () => {
            if (closed) return;
            closed = true;
            opened.close();
          },
        };
        return opened;
      } catch (error) {
        throw new StorageError(`can't open storage ${description}: ${(error as Error).message} — ${SQLITE_FIX}`);
      }
    };
    const database = await openOwn();
    const { SqliteKeyvStore } = await import('./sql/keyv-sqlite.js');
    keyv = new Keyv({ store: new SqliteKeyvStore(database), namespace });
  } else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    kind = 'postgres';
    const { keyvPostgresStore } = await import('./sql/keyv-postgres.js');
    keyv = new Keyv({ store: keyvPostgresStore(url, { max: 2, connectTimeoutMs: connectTimeout, logger }), namespace });
  } else if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    kind = 'redis';
    const { default: KeyvRedis } = await import('@keyv/redis');
    const store = new KeyvRedis(url, { connectionTimeout: connectTimeout, throwOnConnectError: true, throwOnErrors: true });
    keyv = new Keyv({ store, namespace, useKeyPrefix: false });
  } else if (url.startsWith('memory://')) {
    kind = 'memory';
    keyv = new Keyv({ namespace });
  } else {
    throw new StorageError(`unsupported STORAGE_URL ${description} — use sqlite://, postgres://, redis:// or memory://`);
  }
  keyv.throwOnErrors = true;
  // keyv re-emits store errors; without a listener an 'error' event would crash the process.
  keyv.on('error', () => {});

  // Failures are remembered per kind of operation: a read that works says nothing about writes (an unwritable
  // SQLite file still reads fine), so only a working write ends a write failure, and the other way round.
  type OpKind = 'read' | 'write';
  const failing = new Set<string>();
  const failed = (op: 'get' | 'set' | 'delete' | 'close', error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    const key = `${op === 'get' ? 'read' : 'write'}:${message}`;
    if (failing.has(key)) return;
    failing.add(key);
    logger.warn('storage operation failed', { store: kind, op, error: message });
  };
  const recovered = (opKind: OpKind): void => {
    let cleared = false;
    for (const key of failing) {
      if (!key.startsWith(`${opKind}:`)) continue;
      failing.delete(key);
      cleared = true;
    }
    if (cleared && failing.size === 0) logger.info('storage works again', { store: kind });
  };
  // Writes the store refused, kept so this process reads its own writes (undefined value = deleted).
  const unwritten = new Map<string, { value: unknown; expiresAt: number }>();
  const fromMemory = (key: string): { value: unknown } | null => {
    const entry = unwritten.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) return { value: undefined };
    return { value: entry.value };
  };

  // Prove the store works before the bot relies on it. The Redis client retries a failed connection by itself and
  // only says why in 'error' events; the latest classified one is the cause. A lasting one (wrong password) ends
  // the wait at once: retrying can't fix it.
  const target = kind === 'redis' ? targetOf(url, 'Redis') : kind === 'postgres' ? targetOf(url, 'PostgreSQL') : undefined;
  let cause: ConnectionError | undefined;
  let stopWaiting: (error: ConnectionError) => void = () => {};
  const lasting = new Promise<never>((_, reject) => (stopWaiting = reject));
  const onError = (error: unknown): void => {
    if (target === undefined) return;
    const classified = connectionErrorFor(error, target);
    if (classified.problem === 'other') return;
    cause = classified;
    if (classified.lasting) stopWaiting(classified);
  };
  keyv.on('error', onError);
  const probeKey = `probe:${process.pid}`;
  try {
    await Promise.race([
      (async () => {
        await withTimeout(keyv.set(probeKey, 1), connectTimeout, 'opening storage');
        await withTimeout(keyv.delete(probeKey), connectTimeout, 'opening storage');
      })(),
      lasting,
    ]);
  } catch (error) {
    await withTimeout(keyv.disconnect(), 1_000, 'closing storage').catch(() => {});
    await ownSqlite?.close().catch(() => {});
    if (kind === 'postgres') {
      const classified = cause ?? (target ? connectionErrorFor(error, target) : undefined);
      const reason = classified?.message ?? (error instanceof Error ? error.message : String(error));
      throw new StorageError(`can't open storage ${description}: ${reason} (start PostgreSQL or fix STORAGE_URL)`);
    }
    if (kind !== 'redis') {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StorageError(`can't open storage ${description}: ${reason} — ${SQLITE_FIX}`);
    }
    const reason = cause?.message ?? (error instanceof Error ? error.message : String(error));
    throw new StorageError(`can't open storage ${description}: ${reason} (${redisFix(cause?.problem)})`);
  } finally {
    keyv.off('error', onError);
  }
  if (kind === 'sqlite') {
    const file = url.slice('sqlite://'.length);
    // SQLite has now written (and made its journal): check the files it created are private too.
    if (file !== ':memory:') privately(file, () => checkPrivateSqliteFiles(file, logger));
  }

  return {
    kind,
    description,
    async get<T>(key: string): Promise<T | undefined> {
      const remembered = fromMemory(key);
      if (remembered) return remembered.value as T | undefined;
      try {
        const value = (await withTimeout(keyv.get<T>(key), opTimeout, 'storage get')) as T | undefined;
        recovered('read');
        return value;
      } catch (error) {
        failed('get', error);
        return undefined;
      }
    },
    async set<T>(key: string, value: T, ttlMs?: number): Promise<boolean> {
      try {
        await withTimeout(keyv.set(key, value, ttlMs), opTimeout, 'storage set');
        unwritten.delete(key);
        recovered('write');
        return true;
      } catch (error) {
        failed('set', error);
        unwritten.set(key, { value, expiresAt: ttlMs ? Date.now() + ttlMs : Infinity });
        return false;
      }
    },
    async delete(key: string): Promise<boolean> {
      try {
        const deleted = await withTimeout(keyv.delete(key), opTimeout, 'storage delete');
        unwritten.delete(key);
        recovered('write');
        return deleted;
      } catch (error) {
        failed('delete', error);
        unwritten.set(key, { value: undefined, expiresAt: Infinity });
        return false;
      }
    },
    async close(): Promise<void> {
      await withTimeout(keyv.disconnect(), 2_000, 'closing storage').catch((error: unknown) => failed('close', error));
      await ownSqlite?.close().catch((error: unknown) => failed('close', error));
    },
  };
}
