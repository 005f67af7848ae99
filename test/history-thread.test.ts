// The SQLite history store behind its worker thread (src/sql/history-thread.ts): the main thread keeps running while
// a store call is stuck in SQLite, errors come back as their own classes, and close ends the thread. The store's
// behaviour itself is covered on every engine (the worker included) by history-store.test.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import { HistoryStoreError, type HistoryStore } from '../src/history/store.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { SqlOpenError } from '../src/sql/engines.js';
import { openHistoryInWorker } from '../src/sql/history-thread.js';

const MEMBER = '130000000000000042' as HistoryUser;
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const PLAY: PlayInput = {
  title: 'Levitating',
  artist: 'Dua Lipa',
  album: 'Future Nostalgia',
  trackId: null,
  imageId: null,
  startedAt: T0,
  endedAt: T0 + 200_000,
  msPlayed: 200_000,
  durationMs: null,
  source: 'import-extended',
};

let dir = '';
let store: HistoryStore | null = null;
const fileUrl = (): string => {
  dir ||= mkdtempSync(join(tmpdir(), 'npb-history-thread-'));
  return `sqlite://${join(dir, 'history.sqlite')}`;
};

afterEach(async () => {
  await store?.close();
  store = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** A debug logger keeping every line, and a promise kept when the worker says it stopped for being idle. */
function watchWorker(): { lines: string[]; idle: Promise<void>; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  let stopped = (): void => {};
  const idle = new Promise<void>((resolve) => (stopped = resolve));
  const logger = createLogger({
    level: 'debug',
    sink: (line) => {
      lines.push(line);
      if (line.includes('SQLite worker stopped, idle')) stopped();
    },
  });
  return { lines, idle, logger };
}

describe('SQLite history in a worker thread', () => {
  it('keeps the main thread running while a store call waits inside SQLite', async () => {
    const url = fileUrl();
    store = await openHistoryInWorker(url, { logger: silentLogger });
    // Another connection takes the write lock: the store's write then waits in SQLite's busy handler (up to its 5 s
    // timeout), a synchronous sleep. Run on the main thread, it would stop the timers below until it gave up with
    // "database is locked"; in the worker they keep firing, and the lock is released from one of them.
    const holder = new Database(url.slice('sqlite://'.length), { timeout: 5_000 });
    holder.exec('begin immediate');
    let settled = false;
    const write = store.addPlays(MEMBER, [PLAY]).finally(() => (settled = true));
    let ticks = 0;
    while (ticks < 20) {
      await tick();
      ticks++;
    }
    expect(settled).toBe(false);
    holder.exec('commit');
    holder.close();
    expect(await write).toEqual({ added: 1, duplicates: 0 });
    expect((await store.status(MEMBER)).plays).toBe(1);
  });

  it('revives the store’s errors as their own classes, at opening and on a call', async () => {
    const opening = await openHistoryInWorker('sqlite:///proc/npb/history.sqlite', { logger: silentLogger }).catch((e: unknown) => e);
    expect(opening).toBeInstanceOf(SqlOpenError);
    expect((opening as Error).message).toContain('/proc/npb/history.sqlite');

    // A database migrated by a newer version: the store refuses it with a HistoryStoreError.
    const url = fileUrl();
    await (await openHistoryInWorker(url, { logger: silentLogger })).close();
    const raw = new Database(url.slice('sqlite://'.length));
    raw.exec("insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2099-01-01T00:00:00.000Z')");
    raw.close();
    const newer = await openHistoryInWorker(url, { logger: silentLogger }).catch((e: unknown) => e);
    expect(newer).toBeInstanceOf(HistoryStoreError);
    expect((newer as Error).message).toContain("can't prepare the listening-history tables");
  });

  it('stops its thread when idle and starts it again on the next call', async () => {
    const { lines, idle, logger } = watchWorker();
    store = await openHistoryInWorker(fileUrl(), { logger, idleMs: 20 });
    expect(await store.addPlays(MEMBER, [PLAY])).toEqual({ added: 1, duplicates: 0 });
    await idle;
    expect((await store.status(MEMBER)).plays).toBe(1);
    expect(lines.filter((l) => l.includes('starting the SQLite worker'))).toHaveLength(2);
  });

  it('stops the thread it opened with as soon as the start checks are done, and the next call starts one', async () => {
    // Nothing at start needs history: a worker kept for the usual idle time after opening would sit in the bot's
    // memory for seconds after ready (~14 MB).
    const { lines, idle, logger } = watchWorker();
    // The idle time after calls stays long: only the opening worker goes at once.
    store = await openHistoryInWorker(fileUrl(), { logger, idleMs: 60_000 });
    await idle;
    expect(lines.filter((l) => l.includes('starting the SQLite worker'))).toHaveLength(1);
    expect(await store.addPlays(MEMBER, [PLAY])).toEqual({ added: 1, duplicates: 0 });
    expect(lines.filter((l) => l.includes('starting the SQLite worker'))).toHaveLength(2);
  });

  it('a process with nothing else to do runs its calls and close to the end (an idle worker holds no process open)', async () => {
    // Here nothing but the store keeps the event loop alive, as in a script: each call and the close must.
    const script = `
      import { openHistoryInWorker } from './src/sql/history-thread.ts';
      import { silentLogger } from './src/logger.ts';
      const store = await openHistoryInWorker(${JSON.stringify(fileUrl())}, { logger: silentLogger });
      const added = await store.addPlays('owner', [${JSON.stringify(PLAY)}]);
      await store.close();
      console.log(JSON.stringify({ added, closed: true }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ added: { added: 1, duplicates: 0 }, closed: true });
  });

  it('a method the worker does not have is a rejected call, and calls after close are refused', async () => {
    store = await openHistoryInWorker(fileUrl(), { logger: silentLogger });
    expect(store.engine).toBe('sqlite');
    const unknown = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>).noSuchMethod!;
    await expect(unknown()).rejects.toThrow('the history store has no method noSuchMethod');
    await store.close();
    await expect(store.status(MEMBER)).rejects.toThrow('the history store is closed');
    store = null;
  });
});
