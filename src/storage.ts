// Key-value storage through keyv, chosen by STORAGE_URL:
//   sqlite://path/file.sqlite  embedded SQLite file (default; its folder is created)
//   redis://host:port          Redis, when several processes share state
//   memory://                  in-process, for tests and throwaway runs
// Opening checks the store for real (a write and a read), so a bad path or a Redis that is down is one clear
// startup error. After start, a failing store never throws into the bot: reads miss, writes report false, and
// each distinct failure is logged once until that kind of operation (read or write) works again. While writes
// fail, this process still reads its own writes: a value it could not write (or a key it could not delete) is
// served from memory until a write to that key succeeds, so a stale stored value can't come back.
// The SQLite file holds access tokens and possibly the only copy of a refresh token: it is created 0600 in a folder
// created 0700, and looser modes left by older versions are tightened at start (with a log line).
import { chmodSync, closeSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, parse, resolve } from 'node:path';
import Keyv from 'keyv';
import { silentLogger, type Logger } from './logger.js';

/**
 * A key-value store that never throws into the bot. Reads see this process's own writes even when the store
 * refused them (the value, or the deletion, is kept in memory until a write of that key succeeds), so callers can
 * rely on read-your-writes through an outage.
 */
export interface Storage {
  readonly kind: 'sqlite' | 'redis' | 'memory';
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

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
/** SQLite's companions of a database file; SQLite gives them the database's own mode when it creates them. */
const SQLITE_COMPANIONS = ['', '-journal', '-wal', '-shm'];

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`;

/** Remove group/other permissions beyond `allowed` from an existing path; logs when it changed anything. */
function tighten(path: string, stats: Stats, allowed: number, logger: Logger): void {
  const current = stats.mode & 0o777;
  const wanted = current & allowed;
  if (current === wanted) return;
  try {
    chmodSync(path, wanted);
    logger.warn('tightened permissions: the storage holds Spotify tokens, now only the bot\'s user can read it', {
      path,
      from: octal(current),
      to: octal(wanted),
    });
  } catch (error) {
    logger.warn(`can't make ${path} private; other users of this machine may read the bot's Spotify tokens`, {
      error,
      fix: `chown it to the bot's user, or run: chmod ${octal(allowed)} ${path}`,
    });
  }
}

/**
 * A folder that is not the bot's own (so its mode is left alone): the working directory, the home directory, a
 * filesystem root, a sticky shared folder such as /tmp, or one owned by another user.
 */
function isSharedFolder(dir: string, stats: Stats): boolean {
  if (dir === process.cwd() || dir === homedir() || dir === parse(dir).root) return true;
  if ((stats.mode & 0o1000) !== 0) return true;
  const uid = process.getuid?.();
  return uid !== undefined && stats.uid !== uid;
}

/** Create (or tighten) the SQLite file's folder 0700 and the file and its companions 0600, before SQLite opens it. */
function preparePrivateSqliteFile(file: string, logger: Logger): void {
  const path = resolve(file);
  const dir = dirname(path);
  try {
    const dirStats = statOrNull(dir);
    if (dirStats !== null && !dirStats.isDirectory()) throw new Error(`${dir} is not a folder`);
    if (dirStats === null) {
      mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
      chmodSync(dir, PRIVATE_DIR); // mkdir's mode is subject to the umask
    } else if (!isSharedFolder(dir, dirStats)) {
      tighten(dir, dirStats, PRIVATE_DIR, logger);
    }
  } catch (error) {
    throw new StorageError(
      `can't create the folder for the SQLite file ${file}: ${(error as Error).message} — ` +
        'set STORAGE_URL to a writable path',
    );
  }
  for (const suffix of SQLITE_COMPANIONS) {
    const companion = path + suffix;
    const stats = statOrNull(companion);
    if (stats) tighten(companion, stats, PRIVATE_FILE, logger);
  }
  if (statOrNull(path) === null) {
    // An empty file is an empty SQLite database: creating it here gives it its mode from the start.
    try {
      closeSync(openSync(path, 'wx', PRIVATE_FILE));
      chmodSync(path, PRIVATE_FILE); // open's mode is subject to the umask
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
      throw new StorageError(
        `can't create the SQLite file ${file}: ${(error as Error).message} — ` +
          'make the folder writable or point STORAGE_URL at a writable path',
      );
    }
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
  if (url.startsWith('sqlite://')) {
    kind = 'sqlite';
    const file = url.slice('sqlite://'.length);
    if (file !== ':memory:') preparePrivateSqliteFile(file, logger);
    // Backends are loaded on demand: a bot on SQLite never loads the Redis client, and the other way round.
    const { default: KeyvSqlite } = await import('@keyv/sqlite');
    keyv = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5_000 }), namespace });
  } else if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    kind = 'redis';
    const { default: KeyvRedis } = await import('@keyv/redis');
    const store = new KeyvRedis(url, { connectionTimeout: connectTimeout, throwOnConnectError: true, throwOnErrors: true });
    keyv = new Keyv({ store, namespace, useKeyPrefix: false });
  } else if (url.startsWith('memory://')) {
    kind = 'memory';
    keyv = new Keyv({ namespace });
  } else {
    throw new StorageError(`unsupported STORAGE_URL ${description} — use sqlite://, redis:// or memory://`);
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

  // Prove the store works before the bot relies on it.
  const probeKey = `probe:${process.pid}`;
  try {
    await withTimeout(keyv.set(probeKey, 1), connectTimeout, 'opening storage');
    await withTimeout(keyv.delete(probeKey), connectTimeout, 'opening storage');
  } catch (error) {
    await withTimeout(keyv.disconnect(), 1_000, 'closing storage').catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    const fix =
      kind === 'redis'
        ? 'start Redis or fix STORAGE_URL'
        : 'make the folder writable or point STORAGE_URL at a writable path';
    throw new StorageError(`can't open storage ${description}: ${reason} — ${fix}`);
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
    },
  };
}
