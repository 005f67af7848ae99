import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../src/logger.js';
import { preparePrivateSqliteFile } from '../src/private-files.js';
import { openStorage, StorageError } from '../src/storage.js';
import { createTestDatabase, requirePostgres, terminateConnections } from './support/postgres.js';
import { REDIS_URL, requireRedis } from './support/redis.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'npb-storage-'));

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('storage: SQLite file', () => {
  it('creates the folder and keeps values across a reopen', async () => {
    const file = join(tmp(), 'nested', 'dir', 'bot.sqlite');
    const first = await openStorage(`sqlite://${file}`);
    expect(first.kind).toBe('sqlite');
    expect(await first.set('grant:owner', { refreshToken: 'abc', n: 1 })).toBe(true);
    await first.close();

    const second = await openStorage(`sqlite://${file}`);
    expect(await second.get('grant:owner')).toEqual({ refreshToken: 'abc', n: 1 });
    expect(await second.delete('grant:owner')).toBe(true);
    expect(await second.get('grant:owner')).toBeUndefined();
    await second.close();
  });

  it('reads a file written by earlier versions (the keyv table of @keyv/sqlite, keys prefixed by namespace)', async () => {
    const file = join(tmp(), 'old.sqlite');
    const { default: Database } = await import('libsql');
    const old = new Database(file);
    old.exec('CREATE TABLE keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )');
    old
      .prepare('INSERT INTO keyv (key, value) VALUES (?, ?)')
      .run(['nowplaying:spotify:grant:owner', JSON.stringify({ value: { refreshToken: 'from-2026' }, expires: null })]);
    old.close();
    const storage = await openStorage(`sqlite://${file}`);
    expect(await storage.get('spotify:grant:owner')).toEqual({ refreshToken: 'from-2026' });
    await storage.set('spotify:grant:owner', { refreshToken: 'rotated' });
    await storage.close();
    const reread = new Database(file, { readonly: true });
    const rows = reread.prepare('SELECT key, value FROM keyv').all() as Array<{ key: string; value: string }>;
    reread.close();
    expect(rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as unknown }))).toEqual([
      { key: 'nowplaying:spotify:grant:owner', value: { value: { refreshToken: 'rotated' } } },
    ]);
  });

  it("a write meeting another connection's lock (history's worker, the import script) waits without stopping the event loop", async () => {
    const dir = tmp();
    const file = join(dir, 'bot.sqlite');
    const storage = await openStorage(`sqlite://${file}`);
    const { default: Database } = await import('libsql');
    const holder = new Database(file);
    holder.exec('begin immediate');
    // Waiting inside SQLite (its busy handler) would be a synchronous sleep: the timers below would not fire until the
    // write gave up. Waiting outside it, they fire, and one of them releases the lock.
    let settled = false;
    const written = storage.set('grant:owner', { n: 1 }).finally(() => (settled = true));
    for (let ticks = 0; ticks < 20; ticks++) await new Promise((r) => setTimeout(r, 0));
    expect(settled).toBe(false);
    holder.exec('commit');
    holder.close();
    expect(await written).toBe(true);
    expect(await storage.get('grant:owner')).toEqual({ n: 1 });
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('expires values with a ttl', async () => {
    const storage = await openStorage(`sqlite://${join(tmp(), 'ttl.sqlite')}`);
    await storage.set('short', 'v', 1);
    await new Promise((r) => setTimeout(r, 5)); // the value's own ttl, not a wait on the code under test
    expect(await storage.get('short')).toBeUndefined();
    await storage.set('long', 'v', 60_000);
    expect(await storage.get('long')).toBe('v');
    await storage.close();
  });

  it('namespaces keys so two bots can share one file', async () => {
    const file = join(tmp(), 'shared.sqlite');
    const a = await openStorage(`sqlite://${file}`, { namespace: 'a' });
    const b = await openStorage(`sqlite://${file}`, { namespace: 'b' });
    await a.set('k', 'from a');
    expect(await b.get('k')).toBeUndefined();
    await a.close();
    await b.close();
  });

  it('when writes start failing, this process still reads its own writes and deletions', async () => {
    const file = join(tmp(), 'data', 'bot.sqlite');
    const storage = await openStorage(`sqlite://${file}`);
    await storage.set('kept', 'old');
    await storage.set('gone', 'old');
    // As root chmod can't stop writes, and WAL writes need no new file: refuse them in SQLite itself, from outside.
    const { default: Database } = await import('libsql');
    const other = new Database(file);
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      other.exec(`CREATE TRIGGER refuse_${op.toLowerCase()} BEFORE ${op} ON keyv BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    }
    other.close();
    expect(await storage.set('kept', 'new')).toBe(false);
    expect(await storage.get('kept')).toBe('new');
    expect(await storage.delete('gone')).toBe(false);
    expect(await storage.get('gone')).toBeUndefined();
    await storage.close();
  });

  it('a path that cannot be created is one clear startup error', async () => {
    const blocker = join(tmp(), 'a-file');
    writeFileSync(blocker, 'not a folder');
    const attempt = openStorage(`sqlite://${join(blocker, 'bot.sqlite')}`);
    await expect(attempt).rejects.toBeInstanceOf(StorageError);
    await expect(attempt).rejects.toThrow(/STORAGE_URL/);
  });
});

describe('storage: memory', () => {
  it('works for tests and throwaway runs', async () => {
    const storage = await openStorage('memory://');
    await storage.set('k', [1, 2]);
    expect(await storage.get('k')).toEqual([1, 2]);
    await storage.close();
  });
});

describe('storage: Redis', async () => {
  const available = await requireRedis();

  it.runIf(available)('round-trips values and shares them between two connections', async () => {
    const namespace = `test-${process.pid}-${Date.now()}`;
    const a = await openStorage(REDIS_URL, { namespace });
    const b = await openStorage(REDIS_URL, { namespace });
    expect(a.kind).toBe('redis');
    await a.set('state', { kind: 'track', title: 'x' }, 10_000);
    expect(await b.get('state')).toEqual({ kind: 'track', title: 'x' });
    await a.delete('state');
    await a.close();
    await b.close();
  });

  it.runIf(available)('a wrong password or database number is said at once, not after the timeout', async () => {
    const { hostname, port } = new URL(REDIS_URL);
    const cases = [
      [`redis://nobody:hunter2@${hostname}:${port}`, 'Redis refused the user name or password: WRONGPASS'],
      [`redis://${hostname}:${port}/99`, "this Redis has no database with the URL's number"],
    ] as const;
    for (const [url, cause] of cases) {
      const started = Date.now();
      const error = await openStorage(url, { connectTimeoutMs: 10_000 }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(StorageError);
      expect(error?.message).toContain(cause);
      expect(error?.message).not.toContain('hunter2');
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });

  it('a refused connection at start says so, not "took longer than"', async () => {
    const port = await closedPort();
    const error = await openStorage(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 500 }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error?.message).toBe(
      `can't open storage redis://127.0.0.1:${port}: connection refused at 127.0.0.1:${port} — is Redis running? ` +
        '(start Redis or fix STORAGE_URL)',
    );
  });

  it('a server that accepts and never answers is still a timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const error = await openStorage(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 500 }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(StorageError);
      expect(error?.message).toContain('took longer than 500 ms');
      expect(error?.message).not.toContain('refused');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('Redis that does not answer at start is one clear startup error', async () => {
    // Port 9 on loopback: nothing listens there.
    const attempt = openStorage('redis://user:hunter2@127.0.0.1:9', { connectTimeoutMs: 1_000 });
    const error = await attempt.then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error?.message).toMatch(/start Redis or fix STORAGE_URL/);
    expect(error?.message).not.toContain('hunter2');
  });
});

describe('storage: PostgreSQL', async () => {
  const available = await requirePostgres();

  it('a connection the server ends while idle (a restart) is logged once, and the next call reconnects; the process stays up', async () => {
    if (!available) return;
    const db = await createTestDatabase();
    const seen: string[] = [];
    const storage = await openStorage(db.url, { logger: createLogger({ level: 'debug', sink: (line) => seen.push(line) }) });
    try {
      const lost = (): number => seen.filter((line) => line.includes('PostgreSQL connection lost')).length;
      await storage.set('kept', 'value');
      for (let round = 0; round < 2; round++) {
        expect(await terminateConnections(db.name)).toBeGreaterThan(0);
        // The idle client hears of it from the server: wait for the pool to say so (a pool with no listener threw).
        await expect.poll(lost, { timeout: 5_000, interval: 10 }).toBe(1);
        expect(await storage.get('kept')).toBe('value');
      }
      expect(lost()).toBe(1);
    } finally {
      await storage.close();
      await db.drop();
    }
  });
});

describe('storage: the SQLite file is private (it holds Spotify tokens)', () => {
  const modeOf = (path: string): number => statSync(path).mode & 0o777;
  const lines = (): { logger: Logger; seen: string[] } => {
    const seen: string[] = [];
    return { logger: createLogger({ level: 'debug', sink: (line) => seen.push(line) }), seen };
  };

  it('creates the folder 0700 and the file 0600, whatever the umask allows', async () => {
    const folder = join(tmp(), 'data');
    const file = join(folder, 'bot.sqlite');
    const storage = await openStorage(`sqlite://${file}`);
    await storage.set('grant:owner', { refreshToken: 'r'.repeat(40) });
    expect(modeOf(folder)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    await storage.close();
  });

  it('tightens files left 0644 by an older version with one log line, keeps the data, and leaves the folder alone', async () => {
    const folder = join(tmp(), 'data');
    const file = join(folder, 'bot.sqlite');
    // What an older version left: its keyv table, written in SQLite's default rollback-journal mode.
    const { default: Database } = await import('libsql');
    mkdirSync(folder);
    const old = new Database(file);
    old.exec('CREATE TABLE keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )');
    old.prepare('INSERT INTO keyv (key, value) VALUES (?, ?)').run(['nowplaying:grant:owner', JSON.stringify({ value: 'kept' })]);
    old.close();
    chmodSync(folder, 0o755);
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o644);
    writeFileSync(join(folder, 'other-file'), 'x'); // the folder's other files are left as they are
    chmodSync(join(folder, 'other-file'), 0o644);

    const { logger, seen } = lines();
    const storage = await openStorage(`sqlite://${file}`, { logger });
    expect(modeOf(folder)).toBe(0o755); // an existing folder is never changed
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    expect(modeOf(join(folder, 'other-file'))).toBe(0o644);
    expect(await storage.get('grant:owner')).toBe('kept');
    const tightened = seen.filter((l) => l.includes('tightened permissions'));
    expect(tightened).toHaveLength(1);
    expect(tightened[0]).toContain(`${file} 0644→0600`);
    expect(tightened[0]).toContain(`${file}-wal 0644→0600`);
    expect(seen.filter((l) => l.includes('other users can write'))).toEqual([]); // 0755: only its owner writes
    await storage.close();

    const again = lines();
    await (await openStorage(`sqlite://${file}`, { logger: again.logger })).close();
    expect(again.seen.filter((l) => l.includes('tightened permissions'))).toEqual([]);
  });

  it('creates every missing folder on the way 0700, and leaves the existing one above them as it was', async () => {
    const base = tmp();
    chmodSync(base, 0o755);
    const file = join(base, 'a', 'b', 'c', 'bot.sqlite');
    const storage = await openStorage(`sqlite://${file}`);
    expect(modeOf(base)).toBe(0o755);
    for (const folder of ['a', 'a/b', 'a/b/c']) expect(modeOf(join(base, folder))).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    await storage.close();
  });

  it('an existing folder others can write (0777) is left 0777, with one warning', async () => {
    const folder = tmp();
    chmodSync(folder, 0o777);
    const file = join(folder, 'bot.sqlite');
    const { logger, seen } = lines();
    const storage = await openStorage(`sqlite://${file}`, { logger });
    expect(modeOf(folder)).toBe(0o777);
    expect(modeOf(file)).toBe(0o600);
    await storage.set('grant:owner', 'x');
    await storage.close();
    const warnings = seen.filter((l) => l.includes('other users can write'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(folder);
    expect(warnings[0]).toContain('mode=0777');
  });

  it("SQLite's -journal, -wal and -shm files get the database's 0600, even with umask 0", async () => {
    const file = join(tmp(), 'data', 'bot.sqlite');
    const umask = process.umask(0);
    try {
      // The file as the bot prepares it, then SQLite directly, in the two journal modes that leave their files.
      preparePrivateSqliteFile(file, createLogger({ level: 'silent' }));
      const { default: Database } = await import('libsql');
      const sqlite = new Database(file);
      sqlite.exec('CREATE TABLE keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )');
      sqlite.exec('PRAGMA journal_mode=PERSIST');
      sqlite.exec("INSERT OR REPLACE INTO keyv (key, value) VALUES ('k', 'v1')");
      expect(modeOf(`${file}-journal`)).toBe(0o600);
      sqlite.exec('PRAGMA journal_mode=WAL');
      sqlite.exec("INSERT OR REPLACE INTO keyv (key, value) VALUES ('k', 'v2')");
      expect(modeOf(`${file}-wal`)).toBe(0o600);
      expect(modeOf(`${file}-shm`)).toBe(0o600);
      expect(modeOf(file)).toBe(0o600);
      sqlite.close();
    } finally {
      process.umask(umask);
    }
  });

  it.runIf(process.platform === 'linux')('a path in /proc is one clear startup error naming the cause, and /proc is left as it was', async () => {
    const before = statSync('/proc').mode;
    try {
      const error = await openStorage('sqlite:///proc/x.sqlite').then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(statSync('/proc').mode).toBe(before);
      expect(error).toBeInstanceOf(StorageError);
      expect(error?.message).toContain('/proc is on proc, a virtual filesystem');
      expect(error?.message).toContain("it can't hold a database");
      expect(error?.message).toMatch(/STORAGE_URL/);
    } finally {
      if (statSync('/proc').mode !== before) chmodSync('/proc', before & 0o7777); // never leave /proc changed
    }
  });

  it('a folder path that is a file, or a database path that is a folder, is named as such', async () => {
    const base = tmp();
    writeFileSync(join(base, 'a-file'), 'x');
    await expect(openStorage(`sqlite://${join(base, 'a-file', 'sub', 'bot.sqlite')}`)).rejects.toThrow(
      `${join(base, 'a-file')} is a file, not a folder`,
    );
    await expect(openStorage(`sqlite://${base}`)).rejects.toThrow(`${base} is a folder, not a file`);
  });

  it('leaves a shared folder (the working directory) alone but still makes the file private', async () => {
    const folder = tmp();
    chmodSync(folder, 0o755);
    const cwd = process.cwd();
    process.chdir(folder);
    try {
      const storage = await openStorage('sqlite://bot.sqlite');
      expect(modeOf(folder)).toBe(0o755);
      expect(modeOf(join(folder, 'bot.sqlite'))).toBe(0o600);
      await storage.close();
    } finally {
      process.chdir(cwd);
    }
  });
});
