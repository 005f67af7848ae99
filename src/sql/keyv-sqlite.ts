// keyv's store on the bot's SQLite database, through libsql like listening history (one SQLite engine in the
// process: @keyv/sqlite would bring a second one, sqlite3), on its own connection of the main thread. The table is the one @keyv/sqlite made —
// `keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)`, keys prefixed `<namespace>:` by keyv itself — so a file written
// by an older version of the bot reads on unchanged.
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { kyselyFor, type SqlDatabase } from './engines.js';

interface KeyvTables {
  keyv: { key: string; value: string };
}

/** How long a write keeps trying while another connection holds the write lock, and the pauses between tries. */
const LOCK_WAIT_MS = 5_000;
const LOCK_PAUSES_MS = [1, 2, 5, 10, 20, 50];

const isLocked = (error: unknown): boolean => String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');

export class SqliteKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts: { dialect: 'sqlite'; table: 'keyv' } = { dialect: 'sqlite', table: 'keyv' };
  namespace?: string | undefined;
  private readonly db: Kysely<KeyvTables>;
  private readonly ready: Promise<void>;
  /** Writes in order: one that waits for the lock can't land after a later write of the same key. */
  private writes: Promise<unknown> = Promise.resolve();

  /** `database` is opened with `lockWaitMs: 0` (src/storage.ts): a write that meets the lock retries here, asynchronously. */
  constructor(database: SqlDatabase & { engine: 'sqlite' }) {
    super();
    this.db = kyselyFor<KeyvTables>(database);
    this.ready = this.write(() => sql`CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)`.execute(this.db)).then(() => {});
  }

  /**
   * One write, retried while another connection (history's worker thread, the import script) holds the write lock:
   * waiting inside SQLite would be a synchronous sleep of the main thread.
   */
  private write<T>(work: () => Promise<T>): Promise<T> {
    const attempt = async (): Promise<T> => {
      const started = Date.now();
      for (let tries = 0; ; tries++) {
        try {
          return await work();
        } catch (error) {
          if (!isLocked(error) || Date.now() - started >= LOCK_WAIT_MS) throw error;
          await sleep(LOCK_PAUSES_MS[Math.min(tries, LOCK_PAUSES_MS.length - 1)]);
        }
      }
    };
    const result = this.writes.then(attempt, attempt);
    this.writes = result.catch(() => {});
    return result;
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    await this.ready;
    const row = await this.db.selectFrom('keyv').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value as StoredData<Value> | undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.ready;
    await this.write(() =>
      this.db
        .insertInto('keyv')
        .values({ key, value: value as string })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: value as string }))
        .execute(),
    );
  }

  async delete(key: string): Promise<boolean> {
    await this.ready;
    const result = await this.write(() => this.db.deleteFrom('keyv').where('key', '=', key).executeTakeFirst());
    return Number(result.numDeletedRows) > 0;
  }

  async clear(): Promise<void> {
    await this.ready;
    await this.write(() =>
      this.db
        .deleteFrom('keyv')
        .where('key', 'like', this.namespace ? `${this.namespace}:%` : '%')
        .execute(),
    );
  }

  async has(key: string): Promise<boolean> {
    await this.ready;
    return (await this.db.selectFrom('keyv').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
  }

  /** The database belongs to whoever opened it (src/storage.ts closes it): nothing to close here. */
  async disconnect(): Promise<void> {
    await this.ready.catch(() => {});
  }
}
