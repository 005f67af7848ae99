// keyv's store on PostgreSQL: @keyv/postgres (its table and queries), over a pool of ours. Its own pool is one per
// process, kept in a module variable, with no 'error' listener: a connection the server closed while idle (a restart,
// a terminated backend) threw from that pool and ended the bot. Ours logs it once and reconnects on the next query,
// as history's pool does (engines.ts), and is ended with the store.
import KeyvPostgres from '@keyv/postgres';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { logLostConnections } from './engines.js';

export interface KeyvPostgresStoreOptions {
  /** Connections at most (the store's traffic is small). */
  max: number;
  connectTimeoutMs: number;
  logger: Logger;
}

export function keyvPostgresStore(url: string, options: KeyvPostgresStoreOptions): KeyvPostgres {
  const pool = new pg.Pool({ connectionString: url, max: options.max, connectionTimeoutMillis: options.connectTimeoutMs });
  logLostConnections(pool, options.logger);
  // The adapter asks connect() for its query function from its constructor, and disconnect() ends the pool.
  class PooledKeyvPostgres extends KeyvPostgres {
    override async connect(): Promise<(sql: string, values?: unknown) => Promise<unknown[]>> {
      return async (sql, values) => (await pool.query(sql, values as unknown[] | undefined)).rows as unknown[];
    }
    override async disconnect(): Promise<void> {
      if (!pool.ended) await pool.end();
    }
  }
  return new PooledKeyvPostgres({ uri: url });
}
