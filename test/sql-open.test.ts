// Opening the history database: a PostgreSQL that can't be used says why (refused, no such database), with real
// connections to a closed port and to the real server; an SQLite path that can't hold a database says so.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.js';
import { SqlOpenError } from '../src/sql/engines.js';
import { openHistoryDatabase } from '../src/sql/open.js';
import { POSTGRES_ADMIN_URL, requirePostgres } from './support/postgres.js';

const postgres = await requirePostgres();

async function failure(url: string): Promise<Error> {
  return openHistoryDatabase(url, silentLogger).then(
    async (db) => {
      await db.close();
      throw new Error(`${url} opened`);
    },
    (error: unknown) => error as Error,
  );
}

describe('openHistoryDatabase', () => {
  it('a refused PostgreSQL port is named, with the fix', async () => {
    const error = await failure('postgres://postgres@127.0.0.1:1/history');
    expect(error).toBeInstanceOf(SqlOpenError);
    expect(error.message).toContain('connection refused at 127.0.0.1:1 — is PostgreSQL running?');
    expect(error.message).toContain('start PostgreSQL or fix the URL');
  });

  it.runIf(postgres)('a database that does not exist on the real server says so', async () => {
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = '/npb_no_such_database';
    const error = await failure(url.toString());
    expect(error).toBeInstanceOf(SqlOpenError);
    expect(error.message).toMatch(/database "npb_no_such_database" does not exist/);
  });

  it.runIf(process.platform === 'linux')('an SQLite file in /proc is refused with the cause', async () => {
    const error = await failure('sqlite:///proc/history.sqlite');
    expect(error).toBeInstanceOf(SqlOpenError);
    expect(error.message).toContain('virtual filesystem');
    expect(error.message).toContain('HISTORY_URL');
  });
});
