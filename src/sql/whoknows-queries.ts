// SQL for /whoknows and the /nowplaying history line: finding an artist, track or album by catalogue id, by its
// folded key or by the name someone typed; stored names for autocomplete; and one listener's plays of a track and
// its artist with the server's listeners of the track, in one statement. Every lookup is an index range or an index
// probe (tracks' folded-name indexes, user_tracks' (track_id, user_id) key); only an album typed by name scans.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { foldName, trackKey, type HistoryUser } from '../history/play.js';
import type { ItemKind, KnownItem, PlayCounts } from '../history/store.js';
import type { HistoryTables } from './history-schema.js';

type Db = Kysely<HistoryTables>;

/** The catalogue column a kind is identified by. */
const KEY_COLUMN = { artist: 'artist_key', track: 'key', album: 'album_key' } as const;
/** The folded column a typed name is matched against (an album's key starts with its artist: see `albumNamed`). */
const NAME_KEY = { artist: 'artist_key', track: 'title_key', album: 'album_key' } as const;
const NAME_COLUMN = { artist: 'artist', track: 'title', album: 'album' } as const;
/** The end of a prefix range over folded keys: every key that starts with `prefix` sorts below it. */
const PREFIX_END = '\u{10FFFF}';
const SEPARATOR = '\u001f';

interface ItemRow {
  id: unknown;
  key: unknown;
  name: unknown;
  artist: unknown;
}

const known = (kind: ItemKind, r: ItemRow): KnownItem => ({
  kind,
  id: Number(r.id),
  key: String(r.key),
  name: String(r.name),
  artist: kind === 'artist' ? null : String(r.artist),
});

/** One item by a key of its kind (a track's id stands for the whole group), or null. */
async function itemByKey(db: Db, kind: ItemKind, key: string): Promise<KnownItem | null> {
  const column = KEY_COLUMN[kind];
  const row = await db
    .selectFrom('tracks')
    .select((eb) => [eb.fn.min('id').as('id'), eb.fn.min(NAME_COLUMN[kind]).as('name'), eb.fn.min('artist').as('artist')])
    .where(column, '=', key)
    .executeTakeFirst();
  if (!row || row.id === null || row.id === undefined) return null;
  return known(kind, { ...row, key });
}

/** The item a catalogue id belongs to (an autocomplete choice's value). */
export async function itemById(db: Db, kind: ItemKind, id: number): Promise<KnownItem | null> {
  const row = await db.selectFrom('tracks').select(['artist_key', 'key', 'album_key']).where('id', '=', id).executeTakeFirst();
  const key = row?.[KEY_COLUMN[kind]];
  return key === undefined || key === null ? null : itemByKey(db, kind, key);
}

/** What someone is playing, as the item of this kind (null: not stored, or a track without an album). */
export async function itemPlaying(db: Db, kind: ItemKind, track: { title: string; artist: string; album: string | null }): Promise<KnownItem | null> {
  const key =
    kind === 'artist'
      ? foldName(track.artist)
      : kind === 'track'
        ? trackKey(track.artist, track.title)
        : track.album === null || track.album === ''
          ? null
          : `${foldName(track.artist)}${SEPARATOR}${foldName(track.album)}`;
  return key === null ? null : itemByKey(db, kind, key);
}

/** Plays a track has had, all listeners: decides between tracks (or albums) of the same name. */
const allPlays = (): RawBuilder<number> =>
  sql<number>`(select coalesce(sum(user_tracks.plays), 0) from user_tracks where user_tracks.track_id = tracks.id)`;

/**
 * The item someone typed (not picked from the suggestions): an artist by its name; a track by its title (the most
 * played of that title), else "Title - Artist" or "Artist - Title"; an album by its title (the most played).
 */
export async function itemNamed(db: Db, kind: ItemKind, typed: string): Promise<KnownItem | null> {
  const folded = foldName(typed);
  if (folded === '') return null;
  if (kind === 'artist') return itemByKey(db, 'artist', folded);
  const best = await db
    .selectFrom('tracks')
    .select(['key', 'album_key', allPlays().as('plays')])
    .$if(kind === 'track', (q) => q.where('title_key', '=', folded))
    // An album's key is its artist and title folded: a typed title matches its end (a scan: albums have no title index).
    .$if(kind === 'album', (q) => q.where(like('album_key', `%${SEPARATOR}${likeEscaped(folded)}`)))
    .orderBy('plays', 'desc')
    .limit(1)
    .executeTakeFirst();
  const key = kind === 'track' ? best?.key : best?.album_key;
  if (key !== undefined && key !== null) return itemByKey(db, kind, key);
  if (kind !== 'track') return null;
  // "Levitating - Dua Lipa", "Dua Lipa — Levitating": both orders, either dash.
  const parts = typed.split(/\s+[-–—]\s+/);
  if (parts.length !== 2) return null;
  const [a, b] = parts as [string, string];
  return (await itemByKey(db, 'track', trackKey(b, a))) ?? itemByKey(db, 'track', trackKey(a, b));
}

/** LIKE's wildcards in a name taken literally (with `like`'s ESCAPE, the same on SQLite and PostgreSQL). */
function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function like(column: 'album_key', pattern: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

/**
 * Stored items whose folded name starts with `prefix`, in name order, at most `limit`: for autocomplete. Artists and
 * tracks are one index range; albums match their title's start or their artist's (an album key starts with the artist).
 */
export async function searchItems(db: Db, kind: ItemKind, prefix: string, limit: number): Promise<KnownItem[]> {
  const folded = foldName(prefix);
  const key = KEY_COLUMN[kind];
  const column = NAME_KEY[kind];
  let query = db
    .selectFrom('tracks')
    .select((eb) => [eb.ref(key).as('key'), eb.fn.min('id').as('id'), eb.fn.min(NAME_COLUMN[kind]).as('name'), eb.fn.min('artist').as('artist')]);
  if (kind === 'album') {
    const title = `%${SEPARATOR}${likeEscaped(folded)}%`;
    query = query.where((eb) =>
      eb.or([eb.and([eb(column, '>=', folded), eb(column, '<', folded + PREFIX_END)]), like('album_key', title)]),
    );
  } else {
    query = query.where(column, '>=', folded).where(column, '<', folded + PREFIX_END);
  }
  const rows = await query.where(key, 'is not', null).groupBy(key).orderBy(key).limit(limit).execute();
  return rows.map((r) => known(kind, { ...r, key: r.key }));
}

/**
 * One listener's plays of a track and of its artist, and how many of `members` played the track: one statement of
 * three indexed sub-selects (`members` null: no server part).
 */
export async function playCounts(
  db: Db,
  user: HistoryUser,
  track: { title: string; artist: string },
  members: readonly HistoryUser[] | null,
): Promise<PlayCounts> {
  const key = trackKey(track.artist, track.title);
  const artistKey = foldName(track.artist);
  const userId = sql`(select id from history_users where user_key = ${user})`;
  const trackId = sql`(select id from tracks where key = ${key})`;
  const listeners =
    members === null || members.length === 0
      ? sql<number>`0`
      : sql<number>`(select count(*) from user_tracks join history_users on history_users.id = user_tracks.user_id
          where user_tracks.track_id = ${trackId} and user_tracks.plays > 0
          and history_users.user_key in (${sql.join(members.map((m) => sql`${m}`))}))`;
  const { rows } = await sql<{ track: unknown; artist: unknown; listeners: unknown }>`select
      (select coalesce(sum(plays), 0) from user_tracks where track_id = ${trackId} and user_id = ${userId}) as track,
      (select coalesce(sum(plays), 0) from user_tracks where user_id = ${userId}
        and track_id in (select id from tracks where artist_key = ${artistKey})) as artist,
      ${listeners} as listeners`.execute(db);
  const row = rows[0];
  return { track: Number(row?.track ?? 0), artist: Number(row?.artist ?? 0), listeners: Number(row?.listeners ?? 0) };
}
