// PostgreSQL for the tests: the real server on 127.0.0.1:5432 (trust auth, user postgres; or POSTGRES_URL). In CI
// it must answer (.ci/run starts it); elsewhere tests that need it are skipped with a printed reason. Each caller
// gets a database of its own, dropped when it is done, so test files running in parallel never share tables.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_ADMIN_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function postgresAnswers(): Promise<boolean> {
  try {
    await admin((c) => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

/** true when PostgreSQL tests should run; throws in CI when it is missing (CI must not silently skip them). */
export async function requirePostgres(): Promise<boolean> {
  if (await postgresAnswers()) return true;
  if (process.env.CI) throw new Error(`PostgreSQL does not answer at ${POSTGRES_ADMIN_URL}; .ci/run should have started it`);
  console.warn(`[skip] PostgreSQL tests skipped: nothing answers at ${POSTGRES_ADMIN_URL}`);
  return false;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database (npb_test_…); `drop()` removes it even while connections are still open. `collation`: the
 * database's default collation and character classes (an operating-system locale such as en_US.UTF-8), made from
 * template0; it throws when the server has no such locale.
 */
export async function createTestDatabase(options: { collation?: string } = {}): Promise<TestDatabase> {
  const name = `npb_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const { collation } = options;
  if (collation !== undefined && !/^[A-Za-z0-9_.@-]+$/.test(collation)) throw new Error(`not a locale name: ${collation}`);
  await admin((c) =>
    c.query(collation === undefined ? `create database ${name}` : `create database ${name} template template0 lc_collate '${collation}' lc_ctype '${collation}'`),
  );
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Ends every connection to database `name` from the server's side (as a restart does); how many it ended. */
export async function terminateConnections(name: string): Promise<number> {
  const { rows } = await admin((c) => c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]));
  return rows.length;
}

/** Names of the test databases that exist now (to prove a test dropped its own). */
export async function testDatabases(): Promise<string[]> {
  const { rows } = await admin((c) => c.query<{ datname: string }>("select datname from pg_database where datname like 'npb_test_%'"));
  return rows.map((r) => r.datname);
}

/** Every row of every table of a database, as text: to prove what is (or is not) stored. */
export async function databaseText(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ t: string }>("select table_name as t from information_schema.tables where table_schema = 'public'");
    let all = '';
    for (const { t } of tables.rows) all += (await client.query<{ r: string }>(`select x::text as r from "${t}" x`)).rows.map((r) => r.r).join('\n');
    return all;
  } finally {
    await client.end();
  }
}
