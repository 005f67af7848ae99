// Private SQLite files: a database that holds tokens (or a member's listening) is readable by the bot's user only.
// The rule, for any such file:
//   - every folder the bot creates on the way is 0700; a folder that already exists is never changed (it may be
//     /srv or a home directory other users rely on), only warned about once when others can write to it;
//   - the database and its -journal/-wal/-shm files are 0600. The database is created 0600 before SQLite opens it,
//     and SQLite gives its companions the database's own mode; looser modes (left by an older version, or by
//     hand) are tightened, with one log line.
//   - a path that can't hold a database fails with the real cause (a virtual filesystem, a file where a folder
//     should be, permission denied, …), not a bare ENOENT.
import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, statfsSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from './logger.js';

export class PrivateFileError extends Error {
  override name = 'PrivateFileError';
  constructor(
    readonly path: string,
    /** What is wrong, in words (not a bare "ENOENT"). */
    readonly reason: string,
  ) {
    super(reason);
  }
}

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
const OTHERS_WRITE = 0o022;
const STICKY = 0o1000;
/** SQLite's companions of a database file. */
const SQLITE_COMPANIONS = ['-journal', '-wal', '-shm'] as const;

/**
 * Linux filesystems the kernel makes up (statfs f_type → name): they hold no ordinary files, and creating folders
 * in some of them has side effects (a folder in cgroupfs is a new cgroup).
 */
const VIRTUAL_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x1cd1, 'devpts'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
  [0x6165676c, 'pstore'],
  [0x19800202, 'mqueue'],
  [0x65735543, 'fusectl'],
  [0x42494e4d, 'binfmt_misc'],
  [0x6e736673, 'nsfs'],
]);

const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`;
const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return null;
    throw error;
  }
}

function virtualFilesystemOf(dir: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return VIRTUAL_FILESYSTEMS.get(statfsSync(dir).type);
  } catch {
    return undefined;
  }
}

/** The cause of a failed filesystem call on `path`, in words. */
function explain(error: unknown, path: string): string {
  const dir = dirname(path);
  switch (codeOf(error)) {
    case 'EROFS':
      return `${dir} is on a read-only filesystem`;
    case 'EACCES':
    case 'EPERM': {
      const uid = process.getuid?.();
      return `permission denied: the bot's user${uid === undefined ? '' : ` (uid ${uid})`} can't write in ${dir}`;
    }
    case 'ENOTDIR':
      return `a part of ${dir} is a file, not a folder`;
    case 'EISDIR':
      return `${path} is a folder, not a file`;
    case 'ENOSPC':
      return `the disk holding ${dir} is full`;
    case 'EDQUOT':
      return `the bot's user is over its disk quota on ${dir}`;
    case 'ENAMETOOLONG':
      return `the path ${path} is too long`;
    case 'ELOOP':
      return `${path} goes through a loop of symbolic links`;
    case 'ENOENT':
      return `${dir} does not accept new files or folders (ENOENT)`;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** The folders from the nearest existing one down to `dir`: [existing, ...missing]. Throws for a file in the way. */
function walkDown(dir: string): { existing: string; stats: Stats; missing: string[] } {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    let stats: Stats | null;
    try {
      stats = statOrNull(current);
    } catch (error) {
      throw new PrivateFileError(current, explain(error, current));
    }
    if (stats) {
      if (!stats.isDirectory()) throw new PrivateFileError(current, `${current} is a file, not a folder`);
      return { existing: current, stats, missing: missing.reverse() };
    }
    missing.push(current);
    current = dirname(current); // the root always exists, so this ends
  }
}

/** Others (group, other, or another user that is not root) can write in this folder. */
function othersCanWrite(stats: Stats): boolean {
  if ((stats.mode & OTHERS_WRITE) !== 0) return true;
  const uid = process.getuid?.();
  return uid !== undefined && stats.uid !== uid && stats.uid !== 0;
}

/** Remove permissions beyond 0600 from whichever of `paths` exist; one log line for all that changed. */
function tightenFiles(paths: string[], logger: Logger): void {
  const changed: string[] = [];
  for (const path of paths) {
    let stats: Stats | null;
    try {
      stats = statOrNull(path);
    } catch (error) {
      throw new PrivateFileError(path, explain(error, path));
    }
    if (!stats) continue;
    if (stats.isDirectory()) throw new PrivateFileError(path, `${path} is a folder, not a file`);
    const current = stats.mode & 0o777;
    const wanted = current & PRIVATE_FILE;
    if (current === wanted) continue;
    try {
      chmodSync(path, wanted);
      changed.push(`${path} ${octal(current)}→${octal(wanted)}`);
    } catch (error) {
      logger.warn(`can't make ${path} private; other users of this machine may read it`, {
        error,
        fix: `chown it to the bot's user, or run: chmod 600 ${path}`,
      });
    }
  }
  if (changed.length === 0) return;
  logger.warn('tightened permissions: the file holds private data, now only the bot\'s user can read it', {
    files: changed.join(', '),
  });
}

const databaseAndCompanions = (path: string): string[] => [path, ...SQLITE_COMPANIONS.map((suffix) => path + suffix)];

/**
 * Make `file` ready to be opened by SQLite as a private database: its missing folders are created 0700, the
 * database (created empty if missing: an empty file is an empty SQLite database) and any companions are 0600.
 * Throws PrivateFileError naming the cause when the path can't hold a database. Returns the absolute path.
 */
export function preparePrivateSqliteFile(file: string, logger: Logger): string {
  const path = resolve(file);
  const dir = dirname(path);
  const { existing, stats, missing } = walkDown(dir);

  const virtual = virtualFilesystemOf(existing);
  if (virtual !== undefined) {
    throw new PrivateFileError(
      path,
      `${existing} is on ${virtual}, a virtual filesystem the kernel makes up; it can't hold a database`,
    );
  }
  // A folder is never taken over; the warning is for the one the files live in, or one in which another user could
  // swap the folder created below it (not possible in a sticky folder such as /tmp).
  if (othersCanWrite(stats) && (missing.length === 0 || (stats.mode & STICKY) === 0)) {
    logger.warn(`other users can write in ${existing}: they could replace or read the bot's private files`, {
      mode: octal(stats.mode),
      fix: `keep the file in a folder only the bot's user can write, e.g. a new folder below ${existing}`,
    });
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder, { mode: PRIVATE_DIR });
      chmodSync(folder, PRIVATE_DIR); // mkdir's mode is subject to the umask
    } catch (error) {
      if (codeOf(error) === 'EEXIST' && statOrNull(folder)?.isDirectory()) continue; // made meanwhile by another process
      throw new PrivateFileError(folder, explain(error, folder));
    }
  }

  tightenFiles(databaseAndCompanions(path), logger);
  if (statOrNull(path) === null) {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'wx', PRIVATE_FILE);
      fchmodSync(fd, PRIVATE_FILE); // open's mode is subject to the umask
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw new PrivateFileError(path, explain(error, path));
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return path;
}

/**
 * After SQLite's first write: its companions exist now (or have come and gone); make sure they are 0600 too. SQLite
 * gives them the database's mode, so this only logs if something else loosened them.
 */
export function checkPrivateSqliteFiles(file: string, logger: Logger): void {
  tightenFiles(databaseAndCompanions(resolve(file)), logger);
}
