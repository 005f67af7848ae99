// Versioned schema changes, run at start (Kysely's Migrator keeps the applied ones in `kysely_migration` and takes
// a lock, so two processes starting together migrate once). Append new migrations; never edit an applied one.
import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** Identity columns: SQLite's rowid alias, PostgreSQL's bigint identity (read back as numbers). */
export type Dialect = 'sqlite' | 'postgres';

function migrations(dialect: Dialect): Record<string, Migration> {
  const id = dialect === 'sqlite' ? 'integer' : 'bigint';
  const time = dialect === 'sqlite' ? 'integer' : 'bigint';
  const primaryId = (column: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    dialect === 'sqlite' ? column.primaryKey() : column.generatedByDefaultAsIdentity().primaryKey();
  return {
    '0001-plays': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('history_users')
          .addColumn('id', id, primaryId)
          .addColumn('user_key', 'text', (c) => c.notNull().unique())
          .addColumn('recording', 'integer')
          .addColumn('only_me', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('recent_after', time)
          .addColumn('created_at', time, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('tracks')
          .addColumn('id', id, primaryId)
          .addColumn('key', 'text', (c) => c.notNull().unique())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('title_key', 'text', (c) => c.notNull())
          .addColumn('artist', 'text', (c) => c.notNull())
          .addColumn('artist_key', 'text', (c) => c.notNull())
          .addColumn('album', 'text')
          .addColumn('album_key', 'text')
          .addColumn('spotify_id', 'text')
          .addColumn('image_id', 'text')
          .execute();
        // Folded names: who-knows and autocomplete look tracks up by them (prefix ranges use these indexes too).
        await db.schema.createIndex('tracks_artist').on('tracks').column('artist_key').execute();
        await db.schema.createIndex('tracks_title').on('tracks').column('title_key').execute();
        await db.schema.createIndex('tracks_album').on('tracks').column('album_key').execute();
        await db.schema
          .createTable('plays')
          .addColumn('id', id, primaryId)
          .addColumn('user_id', id, (c) => c.notNull().references('history_users.id'))
          .addColumn('track_id', id, (c) => c.notNull().references('tracks.id'))
          .addColumn('started_at', time, (c) => c.notNull())
          .addColumn('ended_at', time, (c) => c.notNull())
          .addColumn('ms_played', 'integer')
          .addColumn('duration_ms', 'integer')
          .addColumn('source', 'integer', (c) => c.notNull())
          .execute();
        // A listener's plays by time (their periods, de-duplication) and a track's plays by listener (who knows).
        await db.schema.createIndex('plays_user_time').on('plays').columns(['user_id', 'started_at']).execute();
        await db.schema.createIndex('plays_track_user').on('plays').columns(['track_id', 'user_id']).execute();
        await db.schema
          .createTable('imports')
          .addColumn('id', id, primaryId)
          .addColumn('user_id', id, (c) => c.notNull().references('history_users.id'))
          .addColumn('file_name', 'text', (c) => c.notNull())
          .addColumn('imported_at', time, (c) => c.notNull())
          .addColumn('added', 'integer', (c) => c.notNull())
          .addColumn('duplicates', 'integer', (c) => c.notNull())
          .addColumn('skipped', 'integer', (c) => c.notNull())
          .addColumn('first_at', time)
          .addColumn('last_at', time)
          .execute();
        await db.schema.createIndex('imports_user').on('imports').column('user_id').execute();
      },
    },
    '0002-user-tracks': {
      // Each listener's all-time plays per track, kept with every write: who-knows and a track's or artist's
      // listeners read a few rows per listener instead of every play (a popular artist has 100k+ at 1M plays).
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('user_tracks')
          .addColumn('track_id', id, (c) => c.notNull())
          .addColumn('user_id', id, (c) => c.notNull())
          .addColumn('plays', 'integer', (c) => c.notNull())
          .addColumn('ms', time, (c) => c.notNull())
          .addPrimaryKeyConstraint('user_tracks_pk', ['track_id', 'user_id'])
          .execute();
        await db.schema.createIndex('user_tracks_user').on('user_tracks').column('user_id').execute();
        // A period's plays of some listeners, answered from the index alone (no table row per play): server views.
        await db.schema
          .createIndex('plays_user_time_track')
          .on('plays')
          .columns(['user_id', 'started_at', 'track_id', 'ms_played', 'duration_ms'])
          .execute();
        await db.schema.dropIndex('plays_user_time').execute();
        await sql`insert into user_tracks (track_id, user_id, plays, ms)
          select track_id, user_id, count(*), sum(coalesce(ms_played, duration_ms, 0)) from plays group by track_id, user_id`.execute(db);
      },
    },
    '0003-user-artists': {
      // Each listener's all-time plays per artist, kept with every write: an artist's listeners in a server read one
      // row per listener instead of a row per track and listener (measured at 1M plays on PostgreSQL: ~8,500
      // user_tracks rows on as many heap pages for a popular artist, 60 ms).
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('user_artists')
          .addColumn('artist_key', 'text', (c) => c.notNull())
          .addColumn('user_id', id, (c) => c.notNull())
          .addColumn('plays', 'integer', (c) => c.notNull())
          .addColumn('ms', time, (c) => c.notNull())
          .addPrimaryKeyConstraint('user_artists_pk', ['artist_key', 'user_id'])
          .execute();
        await db.schema.createIndex('user_artists_user').on('user_artists').column('user_id').execute();
        await sql`insert into user_artists (artist_key, user_id, plays, ms)
          select tracks.artist_key, user_tracks.user_id, sum(user_tracks.plays), sum(user_tracks.ms)
          from user_tracks join tracks on tracks.id = user_tracks.track_id group by tracks.artist_key, user_tracks.user_id`.execute(db);
      },
    },
    '0004-plays-checked-per-batch': {
      // PostgreSQL checks a foreign key with a query per inserted row: measured here, 12,000 plays took 600–690 ms
      // with the two keys and 150–200 ms without. The store checks per batch instead: a listener's row is created and
      // erased under that listener's lock, and plays are inserted joined to their listener and tracks FOR KEY SHARE (a
      // vanished one fails the batch) while erase and prune lock the catalogue before deleting from it. SQLite's checks
      // are cheap index probes and stay.
      async up(db: Kysely<unknown>): Promise<void> {
        if (dialect !== 'postgres') return;
        await sql`alter table plays drop constraint if exists plays_user_id_fkey, drop constraint if exists plays_track_id_fkey`.execute(db);
      },
    },
    '0005-keys-compare-bytewise': {
      // Folded keys are matched by prefix as a range ([prefix, prefix + U+10FFFF): autocomplete, /whoknows by name) and
      // ordered; that needs them compared by code point, as SQLite does. PostgreSQL compared them in the database's
      // collation: under glibc's en_US.UTF-8, a common default, U+10FFFF sorts low and "ab" matched nothing but "ab"
      // itself (measured), and every index insert paid for a linguistic comparison. The indexes are rebuilt. The names
      // too (no index): the name shown for a key is the least of its spellings, now the same one as on SQLite.
      async up(db: Kysely<unknown>): Promise<void> {
        if (dialect !== 'postgres') return;
        await sql`alter table tracks alter column key type text collate "C", alter column title_key type text collate "C",
          alter column artist_key type text collate "C", alter column album_key type text collate "C",
          alter column title type text collate "C", alter column artist type text collate "C",
          alter column album type text collate "C"`.execute(db);
        await sql`alter table user_artists alter column artist_key type text collate "C"`.execute(db);
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
