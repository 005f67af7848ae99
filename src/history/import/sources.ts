// What an import reads: the streaming-history files of an upload (a zip or one JSON file) or of paths on the host.
//
// Entries are loaded lazily and one at a time, so a 150 MB export never sits decompressed in memory at once; the
// caller can load each to validate, then load each again to import. A zip's central directory is read and checked
// (signatures, bounds, sizes against the caps) before any entry is returned, so a truncated or damaged zip fails up
// front, naming it. Entries are inflated with node:zlib, bounded by the size the directory declares and checked
// against its CRC: fflate's unzipSync keeps inflating past a lying declared size (a crafted 200 KB entry blocked the
// event loop for 4 s), and zlib is ~6× faster on these files. In a zip or folder only the files named like streaming
// history that can hold plays are taken (audio and music history; video and podcast history hold none); everything
// else (Userdata.json, playlists, the ReadMe, zips next to their extracted folder) is ignored.

import { open, readdir, stat } from 'node:fs/promises';
import { readFileSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { EXPECTED_FILES, ImportFileError } from './errors.js';
import { historyFileKind, readStreamingHistory } from './readers.js';

const MiB = 1024 * 1024;

/**
 * Largest file handed in (a zip, or a JSON file on its own). Spotify's export zip of a heavy listener is ~15–20 MB
 * (150 MB of JSON compresses ~10×); 200 MiB leaves room for a zip made without compression.
 */
export const MAX_EXPORT_BYTES = 200 * MiB;
/**
 * Largest streaming-history file, decompressed. Spotify splits at ~13 MB (~15,000 rows); 64 MiB is five times that
 * while bounding one parse to a few hundred MB of heap (the text, twice as wide with CJK or Arabic, plus the rows).
 */
export const MAX_ENTRY_BYTES = 64 * MiB;
/** All streaming-history files of one zip, decompressed: a lifetime of heavy listening is ~300 MB; a zip bomb is not. */
export const MAX_EXPORT_TOTAL_BYTES = 1024 * MiB;

const TOO_LARGE_HINT = "Spotify's export files are ~13 MB each";

export interface ExportEntry {
  /** The file as the user named it; in a zip `<zip>/<path inside>`. */
  readonly name: string;
  /** Its size in bytes (decompressed, for a zip entry). */
  readonly size: number;
  /** Its bytes, read (or extracted) now; nothing is kept between calls. Throws ImportFileError. */
  load(): Uint8Array;
}

/** A zip by its magic bytes (a local file header first), whatever its name. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Whether a file in a folder or zip is taken: named like streaming history that can hold plays. */
export function takesPlays(fileName: string): boolean {
  const kind = historyFileKind(fileName);
  return kind === 'extended-audio' || kind === 'account-music';
}

function mib(bytes: number): string {
  return `${Math.round(bytes / MiB)} MiB`;
}

function tooLarge(name: string, cap: number): ImportFileError {
  return new ImportFileError(name, 'too-large', `${name} is larger than ${mib(cap)} (${TOO_LARGE_HINT})`);
}

function noHistory(name: string): ImportFileError {
  return new ImportFileError(name, 'no-history', `${name} holds no Spotify streaming history (expected ${EXPECTED_FILES})`);
}

/**
 * The streaming-history entries of an upload: a zip's (any folder depth), or a JSON file itself. Throws
 * ImportFileError for a zip that is truncated, damaged, over a cap or without streaming history, and for a file
 * over the cap; whether a JSON file is streaming history is for readStreamingHistory to say.
 */
export function exportEntries(input: { name: string; bytes: Uint8Array }): ExportEntry[] {
  const { name, bytes } = input;
  if (!isZip(bytes)) {
    if (bytes.length > MAX_ENTRY_BYTES) throw tooLarge(name, MAX_ENTRY_BYTES);
    return [{ name, size: bytes.length, load: () => bytes }];
  }
  if (bytes.length > MAX_EXPORT_BYTES) throw tooLarge(name, MAX_EXPORT_BYTES);
  const taken = zipDirectory(name, bytes).filter((entry) => !entry.directory && takesPlays(entry.path));
  if (taken.length === 0) throw noHistory(name);
  let total = 0;
  for (const entry of taken) {
    if (entry.size > MAX_ENTRY_BYTES) throw tooLarge(`${name}/${entry.path}`, MAX_ENTRY_BYTES);
    if ((total += entry.size) > MAX_EXPORT_TOTAL_BYTES) throw tooLarge(name, MAX_EXPORT_TOTAL_BYTES);
    if (entry.encrypted) throw corrupt(name, `${entry.path} is encrypted`);
    if (entry.method !== 0 && entry.method !== 8) throw corrupt(name, `${entry.path} uses an unsupported compression`);
  }
  return taken.map((entry) => ({ name: `${name}/${entry.path}`, size: entry.size, load: () => extract(name, bytes, entry) }));
}

/**
 * The streaming-history entries of paths on the host (the import script): files, folders (recursive) and zips. In a
 * folder or zip only files named like streaming history are taken; a file named explicitly is taken whatever its
 * name, if its content is streaming history (else ImportFileError naming it). A path given twice is read once.
 */
export async function collectPaths(paths: string[]): Promise<ExportEntry[]> {
  const entries: ExportEntry[] = [];
  const seen = new Set<string>();
  const take = (path: string, size: number): void => {
    const key = resolve(path);
    if (seen.has(key)) return;
    seen.add(key);
    entries.push({ name: path, size, load: () => readPath(path) });
  };
  for (const path of paths) {
    const info = await statPath(path);
    if (info.isDirectory()) {
      const found = await walk(path);
      if (found.length === 0) throw noHistory(path);
      for (const file of found) {
        if (file.size > MAX_ENTRY_BYTES) throw tooLarge(file.path, MAX_ENTRY_BYTES);
        take(file.path, file.size);
      }
    } else if (info.isFile()) {
      if (info.size > MAX_EXPORT_BYTES) throw tooLarge(path, MAX_EXPORT_BYTES);
      if (await startsLikeZip(path)) {
        if (seen.has(resolve(path))) continue;
        seen.add(resolve(path));
        entries.push(...exportEntries({ name: path, bytes: readPath(path) }));
        continue;
      }
      if (info.size > MAX_ENTRY_BYTES) throw tooLarge(path, MAX_ENTRY_BYTES);
      // A file named otherwise (renamed, or another file of the export) is taken only if its content is history.
      if (historyFileKind(path) === null) readStreamingHistory(path, readPath(path));
      take(path, info.size);
    } else {
      throw new ImportFileError(path, 'unreadable', `${path} is not a file or a folder`);
    }
  }
  return entries;
}

async function statPath(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    throw fsError(path, error);
  }
}

function fsError(path: string, error: unknown): ImportFileError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ImportFileError(path, 'not-found', `${path} does not exist`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new ImportFileError(path, 'unreadable', `${path} cannot be read (permission denied)`);
  }
  return new ImportFileError(path, 'unreadable', `${path} cannot be read (${code ?? 'unknown error'})`);
}

function readPath(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw fsError(path, error);
  }
}

async function startsLikeZip(path: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const head = new Uint8Array(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return isZip(head.subarray(0, bytesRead));
  } catch (error) {
    throw fsError(path, error);
  } finally {
    await handle?.close();
  }
}

/** The files under `dir` named like streaming history, in path order. Symlinked folders are not followed. */
async function walk(dir: string): Promise<Array<{ path: string; size: number }>> {
  const found: Array<{ path: string; size: number }> = [];
  let dirents;
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw fsError(dir, error);
  }
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const dirent of dirents) {
    const path = join(dir, dirent.name);
    if (dirent.isDirectory()) {
      found.push(...(await walk(path)));
    } else if ((dirent.isFile() || dirent.isSymbolicLink()) && takesPlays(dirent.name)) {
      const info = await statPath(path);
      if (info.isFile()) found.push({ path, size: info.size });
    }
  }
  return found;
}

// --- zip ---------------------------------------------------------------------------------------------------------

interface ZipEntry {
  path: string;
  directory: boolean;
  encrypted: boolean;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where the entry's compressed bytes start. */
  dataStart: number;
}

function corrupt(zipName: string, detail: string): ImportFileError {
  const message = `${zipName} is not a complete zip file (${detail}); download the export again`;
  return new ImportFileError(zipName, 'corrupt-zip', message);
}

const u16 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8);
const u32 = (b: Uint8Array, i: number): number => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
const u64 = (b: Uint8Array, i: number): number => u32(b, i) + u32(b, i + 4) * 2 ** 32;

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Every entry of a zip's central directory, each checked to lie inside the file. Throws ImportFileError. */
function zipDirectory(zipName: string, b: Uint8Array): ZipEntry[] {
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535, at the very end.
  let end = -1;
  for (let i = b.length - 22; i >= 0 && i >= b.length - 22 - 0xffff; i--) {
    if (u32(b, i) === EOCD && i + 22 + u16(b, i + 20) === b.length) {
      end = i;
      break;
    }
  }
  if (end < 0) throw corrupt(zipName, 'its end is missing');
  let count = u16(b, end + 10);
  let dirSize = u32(b, end + 12);
  let dirStart = u32(b, end + 16);
  let dirLimit = end;
  if (count === 0xffff || dirSize === 0xffffffff || dirStart === 0xffffffff) {
    if (end < 20 || u32(b, end - 20) !== ZIP64_LOCATOR) throw corrupt(zipName, 'its zip64 directory is missing');
    const z = u64(b, end - 12);
    if (z + 56 > end - 20 || u32(b, z) !== ZIP64_EOCD) throw corrupt(zipName, 'its zip64 directory is missing');
    count = u64(b, z + 32);
    dirSize = u64(b, z + 40);
    dirStart = u64(b, z + 48);
    dirLimit = z;
  }
  if (dirStart + dirSize > dirLimit) throw corrupt(zipName, 'its directory is cut off');
  const entries: ZipEntry[] = [];
  let p = dirStart;
  for (let n = 0; n < count; n++) {
    if (p + 46 > dirStart + dirSize || u32(b, p) !== CENTRAL) throw corrupt(zipName, 'its directory is damaged');
    const flags = u16(b, p + 8);
    const nameLength = u16(b, p + 28);
    const extraLength = u16(b, p + 30);
    const next = p + 46 + nameLength + extraLength + u16(b, p + 32);
    if (next > dirStart + dirSize) throw corrupt(zipName, 'its directory is damaged');
    const nameBytes = b.subarray(p + 46, p + 46 + nameLength);
    // Names are UTF-8 when flag 11 says so, else (in practice) ASCII; CP437 beyond ASCII is read as Latin-1.
    const path = flags & 0x800 ? new TextDecoder().decode(nameBytes) : String.fromCharCode(...nameBytes);
    let compressedSize = u32(b, p + 20);
    let size = u32(b, p + 24);
    let local = u32(b, p + 42);
    if (compressedSize === 0xffffffff || size === 0xffffffff || local === 0xffffffff) {
      // zip64: the real values are in extra field 0x0001, in this order, for the fields that overflowed.
      let x = p + 46 + nameLength;
      const xEnd = x + extraLength;
      for (; x + 4 <= xEnd; x += 4 + u16(b, x + 2)) {
        if (u16(b, x) !== 1) continue;
        let v = x + 4;
        if (size === 0xffffffff) (size = u64(b, v)), (v += 8);
        if (compressedSize === 0xffffffff) (compressedSize = u64(b, v)), (v += 8);
        if (local === 0xffffffff) local = u64(b, v);
        break;
      }
    }
    if (local + 30 > dirStart || u32(b, local) !== LOCAL) throw corrupt(zipName, `${path} is damaged`);
    const dataStart = local + 30 + u16(b, local + 26) + u16(b, local + 28);
    if (dataStart + compressedSize > dirStart) throw corrupt(zipName, `${path} is cut off`);
    entries.push({
      path,
      directory: path.endsWith('/'),
      encrypted: (flags & 1) === 1,
      method: u16(b, p + 10),
      crc: u32(b, p + 16),
      compressedSize,
      size,
      dataStart,
    });
    p = next;
  }
  return entries;
}

/** One entry's bytes, no larger than the directory says and matching its CRC. Throws ImportFileError. */
function extract(zipName: string, b: Uint8Array, entry: ZipEntry): Uint8Array {
  const data = b.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    out = data.slice();
  } else {
    try {
      // maxOutputLength stops an entry inflating past its declared size (a zip bomb) at once.
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
    } catch {
      throw corrupt(zipName, `${entry.path} is damaged`);
    }
  }
  if (out.length !== entry.size || crc32(out) !== entry.crc) throw corrupt(zipName, `${entry.path} is damaged`);
  return out;
}

