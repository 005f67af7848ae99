// The private-file rule on its own, for any SQLite file (the storage's, and other databases to come).
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { silentLogger } from '../src/logger.js';
import { preparePrivateSqliteFile, PrivateFileError } from '../src/private-files.js';

it('prepares any SQLite path: folders 0700, an empty database 0600, and returns its absolute path', () => {
  const base = mkdtempSync(join(tmpdir(), 'npb-private-'));
  const file = join(base, 'history', 'listening.sqlite');
  expect(preparePrivateSqliteFile(file, silentLogger)).toBe(file);
  expect(statSync(join(base, 'history')).mode & 0o777).toBe(0o700);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(file).size).toBe(0); // an empty file is an empty SQLite database
  expect(preparePrivateSqliteFile(file, silentLogger)).toBe(file); // again: nothing to do
});

it.runIf(process.platform === 'linux')('a path on a virtual filesystem is a PrivateFileError naming it, before any folder is made', () => {
  let thrown: unknown;
  try {
    preparePrivateSqliteFile('/sys/nowplaying/x.sqlite', silentLogger);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(PrivateFileError);
  expect((thrown as PrivateFileError).reason).toBe("/sys is on sysfs, a virtual filesystem the kernel makes up; it can't hold a database");
  expect(() => statSync('/sys/nowplaying')).toThrow(/ENOENT/);
});
