// Typed failures of reading a Spotify data export. Messages are user-facing: they name the file and say what was
// expected, and never quote the file's contents or an attachment URL's signed query.

export const EXPECTED_FILES = 'Streaming_History_Audio_*.json, endsong_*.json or StreamingHistory_music_*.json';

export type ImportFileProblem =
  /** Bytes that are not UTF-8 text. */
  | 'not-utf8'
  | 'not-json'
  /** JSON, but not streaming history (another export file such as Userdata.json or Playlist1.json). */
  | 'not-history'
  /** A folder or zip with no streaming-history file in it. */
  | 'no-history'
  /** Over MAX_EXPORT_BYTES, MAX_ENTRY_BYTES or MAX_EXPORT_TOTAL_BYTES. */
  | 'too-large'
  /** A truncated or damaged zip. */
  | 'corrupt-zip'
  | 'not-found'
  /** The path exists but could not be read (permissions, not a file or folder). */
  | 'unreadable';

/** One file (or folder, or zip) of an import that cannot be used; nothing of an import should be written then. */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
  constructor(
    /** The file as the user named it (a zip entry: `<zip>/<path inside>`). */
    readonly fileName: string,
    readonly problem: ImportFileProblem,
    message: string,
  ) {
    super(message);
  }
}

export const notHistory = (fileName: string): ImportFileError =>
  new ImportFileError(fileName, 'not-history', `${fileName} is not Spotify streaming history (expected ${EXPECTED_FILES})`);

export type AttachmentProblem =
  /** Not an https URL on Discord's CDN: nothing was fetched. */
  | 'not-allowed'
  | 'too-large'
  /** Any answer but 200 (404, 5xx, a redirect). */
  | 'http-status'
  | 'timeout'
  | 'network';

/** A Discord attachment that could not be fetched. */
export class AttachmentError extends Error {
  override name = 'AttachmentError';
  constructor(
    readonly problem: AttachmentProblem,
    message: string,
    /** The HTTP status, for 'http-status'. */
    readonly status?: number,
  ) {
    super(message);
  }
}
