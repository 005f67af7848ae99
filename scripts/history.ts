// npm run history -- import|export|status|delete — listening history on the host, for exports too big to upload
// and for the owner's own chores. It opens the same database as the bot (STORAGE_URL / HISTORY_URL from .env and
// the environment) and works while the bot runs: the bot sees imported plays at once.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadHistorySettings, readEnv, SNOWFLAKE } from '../src/config.js';
import { importEntries, storeTarget } from '../src/history/import/importer.js';
import { ImportFileError } from '../src/history/import/errors.js';
import { collectPaths } from '../src/history/import/sources.js';
import { extendedHistoryJson } from '../src/history/export-file.js';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import { playsText, importSummaryText } from '../src/features/history/replies.js';
import { ENGLISH } from '../src/i18n/translator.js';
import { createLogger } from '../src/logger.js';
import { openHistoryDatabase } from '../src/sql/open.js';
import { openHistoryStore } from '../src/sql/history-store.js';

const USAGE = `Usage: npm run history -- <command> --user <discord user id | owner> [options]

Commands:
  import <file|folder|zip>...   Add plays from Spotify's data export (my_spotify_data.zip, its folder, or
                                Streaming_History_Audio_*.json / endsong_*.json / StreamingHistory_music_*.json).
                                Other files of the export are ignored. Importing again adds nothing twice.
  export [--out FILE]           Write every play of that user as JSON in the extended-history field names
                                (default FILE: history-<user>.json).
  status                        How many plays are stored, since when, by source.
  delete --yes                  Delete everything kept about that user's listening history.

Options:
  --user ID|owner   Whose history: a Discord user id, or "owner" for the bot owner's own account.
  -h, --help        This text.

The database is the bot's: STORAGE_URL when it is sqlite:// or postgres://, else HISTORY_URL (read from .env).`;

function fail(message: string): never {
  process.stderr.write(`history: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { user: { type: 'string' }, out: { type: 'string' }, yes: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [command, ...paths] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!['import', 'export', 'status', 'delete'].includes(command)) fail(`unknown command "${command}"\n\n${USAGE}`);
  const userArg = values.user;
  if (userArg === undefined) fail('--user is required: a Discord user id, or "owner"');
  if (userArg !== 'owner' && !SNOWFLAKE.test(userArg)) fail(`--user must be a Discord user id (17–20 digits) or "owner" (got "${userArg}")`);

  const env = readEnv();
  const { settings, problems } = loadHistorySettings(env);
  if (problems.length > 0) fail(problems.join('\n'));
  if (!settings.enabled) fail('listening history is off (HISTORY=off in the settings)');
  // The owner's plays are kept as "owner"; their Discord id means the same.
  const ownerId = env.BOT_OWNER_ID?.trim();
  const user = (userArg === ownerId ? 'owner' : userArg) as HistoryUser;

  const logger = createLogger({ level: 'warn' });
  if (command === 'import' && paths.length === 0) fail('import needs at least one file, folder or zip');
  // Every path is read and checked before the database is touched: a bad file changes nothing.
  let entries: Awaited<ReturnType<typeof collectPaths>> = [];
  if (command === 'import') {
    try {
      entries = await collectPaths(paths);
    } catch (error) {
      if (error instanceof ImportFileError) fail(error.message);
      throw error;
    }
  }

  const database = await openHistoryDatabase(settings.url, logger).catch((error: unknown) => fail((error as Error).message));
  const store = await openHistoryStore(database, { logger });
  try {
    switch (command) {
      case 'import': {
        let lastLine = 0;
        const summary = await importEntries(
          entries,
          storeTarget(store, user),
          {
            now: Date.now,
            onProgress: (p) => {
              const now = Date.now();
              if (now - lastLine < 1_000 && p.phase === 'writing' && p.plays < p.total) return;
              lastLine = now;
              process.stderr.write(
                p.phase === 'reading'
                  ? `reading ${p.file} (${p.filesDone}/${p.files}): ${playsText(p.plays)} so far\n`
                  : `writing: ${p.plays.toLocaleString('en-US')} of ${playsText(p.total)}\n`,
              );
            },
          },
        ).catch((error: unknown) => {
          if (error instanceof ImportFileError) fail(`${error.message}\nNothing was imported.`);
          throw error;
        });
        process.stdout.write(`${importSummaryText(summary, ENGLISH).replace(/\*\*/g, '')}\n`);
        break;
      }
      case 'export': {
        const plays: PlayInput[] = [];
        for (let after = 0; ; ) {
          const page = await store.playsPage(user, after, 5_000);
          if (page.length === 0) break;
          for (const p of page) plays.push({ ...p, imageId: null });
          after = page.at(-1)!.id;
        }
        const out = values.out ?? `history-${userArg}.json`;
        writeFileSync(out, extendedHistoryJson(plays), { mode: 0o600 });
        process.stdout.write(`${playsText(plays.length)} written to ${out}\n`);
        break;
      }
      case 'status': {
        const status = await store.status(user);
        process.stdout.write(`${playsText(status.plays)} stored for ${userArg}\n`);
        if (status.firstAt !== null) {
          process.stdout.write(`from ${new Date(status.firstAt).toISOString().slice(0, 10)} to ${new Date(status.lastAt!).toISOString().slice(0, 10)}\n`);
        }
        for (const [source, n] of Object.entries(status.bySource)) process.stdout.write(`  ${source}: ${playsText(n)}\n`);
        break;
      }
      case 'delete': {
        if (!values.yes) fail('delete erases every play of that user: add --yes to confirm');
        const erased = await store.erase(user);
        process.stdout.write(`deleted ${playsText(erased.plays)} and ${erased.imports} import records of ${userArg}\n`);
        break;
      }
    }
  } finally {
    await store.close();
    await database.close();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
