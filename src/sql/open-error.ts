// A database that can't be opened (either engine): the message says what to fix. Its own module so the main thread can
// recognise it (src/databases.ts, the history worker's revived errors) without loading an engine or Kysely.
export class SqlOpenError extends Error {
  override name = 'SqlOpenError';
}
