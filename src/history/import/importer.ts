// One import of Spotify's data export, for /history import and `npm run history -- import`: every file is read and
// checked first, so a bad file stops the import before anything is written; then the plays go to the store in
// batches (each de-duplicated against what is stored, so an import that failed half-way and is run again adds
// nothing twice). Progress is reported after each file read and each batch written.
import type { AddResult, HistoryStore, ImportRecord } from '../store.js';
import type { HistoryUser, PlayInput } from '../play.js';
import { playBatch } from '../play-batch.js';
import { emptySkipCounts, readStreamingHistory, SKIP_REASONS, type HistoryFile, type SkipCounts } from './readers.js';
import type { ExportEntry } from './sources.js';

export interface ImportTarget {
  addPlays(plays: PlayInput[]): Promise<AddResult>;
  recordImport(record: ImportRecord): Promise<void>;
}

/**
 * An import straight into a store (the import script, the bench), written as HistoryService.importPlays writes the
 * bot's: each batch as columns (PlayBatch), which the SQLite worker thread receives far faster than play objects.
 */
export function storeTarget(store: Pick<HistoryStore, 'addPlayBatch' | 'recordImport'>, user: HistoryUser): ImportTarget {
  return {
    addPlays: (plays) => store.addPlayBatch(user, playBatch(plays)),
    recordImport: (record) => store.recordImport(user, record),
  };
}

export interface ImportProgress {
  phase: 'reading' | 'writing';
  file: string;
  filesDone: number;
  files: number;
  /** Plays read so far (reading), or written so far (writing). */
  plays: number;
  /** All plays to write (known once reading is done). */
  total: number;
}

export interface ImportSummary {
  added: number;
  duplicates: number;
  skipped: SkipCounts;
  firstAt: number | null;
  lastAt: number | null;
  files: number;
}

/**
 * Plays per store write: about one file of the extended export (Spotify splits it at ~15,000 rows), so a file is
 * one transaction (measured on a 13 MB file, SQLite in its worker: 10–13% less CPU than batches of 5,000), and still
 * small enough to keep the event loop and other writers moving (SQLite writes in its worker; a batch takes ~0.2 s).
 */
export const IMPORT_BATCH = 20_000;

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function importEntries(
  entries: readonly ExportEntry[],
  target: ImportTarget,
  options: { now: () => number; onProgress?: (progress: ImportProgress) => void | Promise<void> },
): Promise<ImportSummary> {
  const report = async (progress: ImportProgress): Promise<void> => {
    await options.onProgress?.(progress);
  };
  const files: HistoryFile[] = [];
  let read = 0;
  for (const [i, entry] of entries.entries()) {
    // Reading is synchronous (inflate, parse): yield between files so the bot keeps answering.
    await tick();
    const file = readStreamingHistory(entry.name, entry.load());
    files.push(file);
    read += file.plays.length;
    await report({ phase: 'reading', file: entry.name, filesDone: i + 1, files: entries.length, plays: read, total: 0 });
  }

  const summary: ImportSummary = { added: 0, duplicates: 0, skipped: emptySkipCounts(), firstAt: null, lastAt: null, files: files.length };
  let written = 0;
  for (const [i, file] of files.entries()) {
    let added = 0;
    let duplicates = 0;
    for (let start = 0; start < file.plays.length; start += IMPORT_BATCH) {
      const result = await target.addPlays(file.plays.slice(start, start + IMPORT_BATCH));
      added += result.added;
      duplicates += result.duplicates;
      written += Math.min(IMPORT_BATCH, file.plays.length - start);
      await report({ phase: 'writing', file: file.name, filesDone: i, files: files.length, plays: written, total: read });
      await tick();
    }
    let skipped = 0;
    for (const reason of SKIP_REASONS) {
      summary.skipped[reason] += file.skipped[reason];
      skipped += file.skipped[reason];
    }
    summary.added += added;
    summary.duplicates += duplicates;
    if (file.firstStartedAt !== null) summary.firstAt = Math.min(summary.firstAt ?? Infinity, file.firstStartedAt);
    if (file.lastStartedAt !== null) summary.lastAt = Math.max(summary.lastAt ?? -Infinity, file.lastStartedAt);
    await target.recordImport({
      fileName: file.name,
      importedAt: options.now(),
      added,
      duplicates,
      skipped,
      firstAt: file.firstStartedAt,
      lastAt: file.lastStartedAt,
    });
    // The file's plays are written: let them go before the next file's batches.
    file.plays.length = 0;
  }
  return summary;
}
