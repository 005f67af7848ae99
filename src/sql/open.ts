// Opening the history database from its URL, with the care the key-value store gets: an SQLite file is private
// (src/private-files.ts), a PostgreSQL server that can't be reached says why (src/connection-errors.ts).
import { connectionErrorFor, targetOf } from '../connection-errors.js';
import type { Logger } from '../logger.js';
import { checkPrivateSqliteFiles, preparePrivateSqliteFile, PrivateFileError } from '../private-files.js';
import { describePostgres, openPostgres, openSqlite, SqlOpenError, type SqlDatabase } from './engines.js';

/** `sqlite://file` (`sqlite://:memory:` for throwaway runs) or `postgres://…`; throws SqlOpenError with the fix. */
export async function openHistoryDatabase(url: string, logger: Logger): Promise<SqlDatabase> {
  if (url.startsWith('sqlite://')) {
    const file = url.slice('sqlite://'.length);
    if (file !== ':memory:') {
      try {
        preparePrivateSqliteFile(file, logger);
      } catch (error) {
        if (!(error instanceof PrivateFileError)) throw error;
        throw new SqlOpenError(`can't use ${file} for listening history: ${error.message} — point HISTORY_URL (or STORAGE_URL) at a folder the bot may write`);
      }
    }
    const database = await openSqlite(file);
    // journal_mode=WAL made its companions: they must be private too.
    if (file !== ':memory:') checkPrivateSqliteFiles(file, logger);
    return database;
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const database = await openPostgres(url, logger);
    try {
      await database.pool.query('select 1');
    } catch (error) {
      await database.close().catch(() => {});
      const cause = connectionErrorFor(error, targetOf(url, 'PostgreSQL'));
      throw new SqlOpenError(`can't open the history database ${describePostgres(url)}: ${cause.message} (start PostgreSQL or fix the URL)`);
    }
    return database;
  }
  throw new SqlOpenError(`unsupported history database URL ${url} — use sqlite://file or postgres://user@host/db`);
}
