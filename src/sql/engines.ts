// The two SQL engines the bot runs on, for the key-value store and listening history: an embedded SQLite file
// (libsql: N-API, prebuilt, synchronous — one SQLite engine in the process; history's connection lives in a worker
// thread, history-thread.ts) or a PostgreSQL server (pg). Both are driven through Kysely, so queries are typed and the same on either.
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Pool } from 'pg';
import type { Logger } from '../logger.js';
import { openSqliteHandle, type OpenSqliteOptions, type SqliteHandle } from './sqlite-file.js';

export { SqlOpenError } from './open-error.js';
export type { OpenSqliteOptions, SqliteHandle, SqliteStatement } from './sqlite-file.js';

export type SqlEngine = 'sqlite' | 'postgres';

/** An open database: the raw handle for the few hot paths, and a Kysely instance over it for everything else. */
export type SqlDatabase =
  | { engine: 'sqlite'; file: string; raw: SqliteHandle; kysely: Kysely<object>; close(): Promise<void> }
  | { engine: 'postgres'; description: string; pool: Pool; kysely: Kysely<object>; close(): Promise<void> };

/** Open (creating if needed) an SQLite file with the settings a long-running bot wants, Kysely over it. The caller makes it private. */
export async function openSqlite(file: string, options: OpenSqliteOptions = {}): Promise<SqlDatabase & { engine: 'sqlite' }> {
  const raw = await openSqliteHandle(file, options);
  const kysely = sqliteKysely(raw);
  let closed = false;
  return {
    engine: 'sqlite',
    file,
    raw,
    kysely,
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
      raw.close();
    },
  };
}

/** postgres://user:pass@host:port/db → the same without the password, for messages. */
export function describePostgres(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * An idle client of `pool` losing its connection (a server restart, a terminated backend) is logged once and must not
 * crash the process: a pool with no 'error' listener throws it. The next query reconnects.
 */
export function logLostConnections(pool: Pool, logger: Logger): void {
  let told = false;
  pool.on('error', (error: Error) => {
    if (told) return;
    told = true;
    logger.warn('PostgreSQL connection lost; reconnecting on the next query', { error: error.message });
  });
}

/** A pool on a PostgreSQL server; bigint and numeric results come back as JS numbers (epoch ms, counts). */
export async function openPostgres(url: string, logger: Logger): Promise<SqlDatabase & { engine: 'postgres' }> {
  const pg = await import('pg');
  const types = pg.default.types;
  const asNumber = (value: string): number => Number(value);
  const pool = new pg.default.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === types.builtins.INT8 || oid === types.builtins.NUMERIC
          ? asNumber
          : types.getTypeParser(oid, format ?? 'text')) as typeof types.getTypeParser,
    },
  });
  logLostConnections(pool, logger);
  const kysely = postgresKysely(pool);
  let closed = false;
  return {
    engine: 'postgres',
    description: describePostgres(url),
    pool,
    kysely,
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
      await pool.end();
    },
  };
}

/**
 * Kysely over an open database, typed for the tables a caller uses. Every caller shares the database's one Kysely
 * instance: on SQLite its driver holds the single connection, so one caller's write waits for another's transaction
 * instead of landing inside it.
 */
export function kyselyFor<T>(database: SqlDatabase): Kysely<T> {
  return database.kysely as unknown as Kysely<T>;
}

function sqliteKysely(handle: SqliteHandle): Kysely<object> {
  // Kysely would close the handle on destroy; the database's owner closes it instead.
  return new Kysely<object>({
    dialect: new SqliteDialect({ database: { prepare: (sql: string) => handle.prepare(sql), close: () => {} } }),
  });
}

function postgresKysely(pool: Pool): Kysely<object> {
  // Kysely would end the pool on destroy; the database's owner ends it instead.
  return new Kysely<object>({ dialect: new PostgresDialect({ pool: { connect: () => pool.connect(), end: async () => {} } }) });
}
