// Discord's CDN for files users attach to slash command options (option type 11): each upload gets a signed,
// expiring URL on cdn.discordapp.com (proxy_url on media.discordapp.net). The emulator serves the bytes at the same
// path and query on its own origin, so a bot that swaps only the origin fetches them. Strict like the CDN: an unknown
// id, a wrong file name or a missing/forged/expired signature is 404.
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { snowflake } from './snowflake.js';
import type { JsonObject } from './types.js';

export const CDN_ORIGIN = 'https://cdn.discordapp.com';
export const MEDIA_ORIGIN = 'https://media.discordapp.net';
const PATH_PREFIX = '/ephemeral-attachments/';
/** Discord signs attachment URLs for 24 hours. */
const URL_LIFETIME_S = 24 * 60 * 60;

export interface AttachmentUpload {
  filename: string;
  bytes: Buffer | Uint8Array | string;
  /** Default: from the file name's extension (application/octet-stream when unknown). */
  contentType?: string;
  /**
   * Serve only this many bytes, then cut the connection (Content-Length still announces the whole file): a download
   * that breaks off, for testing how the bot copes.
   */
  truncateAfterBytes?: number;
}

/** The attachment object as Discord puts it in an interaction's `data.resolved.attachments`. */
export interface ResolvedAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
  ephemeral: true;
}

export interface CdnRequestRecord {
  method: string;
  /** Path and query as requested. */
  path: string;
  status: number;
  /** Body bytes written (less than the size for a truncated download). */
  bytesSent: number;
  at: number;
}

interface CdnFile {
  attachment: ResolvedAttachment;
  path: string;
  query: URLSearchParams;
  expiresAt: number;
  data: Buffer;
  truncateAfterBytes: number | undefined;
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json; charset=utf-8',
  zip: 'application/zip',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

function contentTypeFor(filename: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

export class AttachmentCdn {
  readonly requests: CdnRequestRecord[] = [];
  private readonly files = new Map<string, CdnFile>();
  private readonly key = randomBytes(32);

  constructor(private readonly applicationId: string) {}

  /** Registers a file as if a user had attached it to a command option; returns its attachment object. */
  add(upload: AttachmentUpload): ResolvedAttachment {
    if (upload.filename.length === 0 || upload.filename.includes('/')) {
      throw new TypeError(`DiscordEmulator.addAttachment: "${upload.filename}" is not a file name`);
    }
    const data = typeof upload.bytes === 'string' ? Buffer.from(upload.bytes) : Buffer.from(upload.bytes);
    const id = snowflake();
    const path = `${PATH_PREFIX}${this.applicationId}/${id}/${encodeURIComponent(upload.filename)}`;
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + URL_LIFETIME_S;
    const query = new URLSearchParams({ ex: expiresAt.toString(16), is: issuedAt.toString(16) });
    query.set('hm', createHmac('sha256', this.key).update(`${path}?${query.toString()}`).digest('hex'));
    // Discord's signed URLs end with a bare '&'.
    const search = `?${query.toString()}&`;
    const attachment: ResolvedAttachment = {
      id,
      filename: upload.filename,
      size: data.length,
      url: `${CDN_ORIGIN}${path}${search}`,
      proxy_url: `${MEDIA_ORIGIN}${path}${search}`,
      content_type: upload.contentType ?? contentTypeFor(upload.filename),
      ephemeral: true,
    };
    this.files.set(id, { attachment, path, query, expiresAt, data, truncateAfterBytes: upload.truncateAfterBytes });
    return attachment;
  }

  get(id: string): ResolvedAttachment | undefined {
    return this.files.get(id)?.attachment;
  }

  /** A copy for an interaction payload. */
  json(id: string): JsonObject | undefined {
    const attachment = this.get(id);
    return attachment ? { ...attachment } : undefined;
  }

  handles(req: IncomingMessage): boolean {
    return (req.url ?? '').startsWith(PATH_PREFIX);
  }

  serve(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const record: CdnRequestRecord = { method, path: `${url.pathname}${url.search}`, status: 0, bytesSent: 0, at: Date.now() };
    this.requests.push(record);
    const file = this.match(url);
    if (method !== 'GET' && method !== 'HEAD') {
      record.status = 405;
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': '0' }).end();
      return;
    }
    if (!file) {
      record.status = 404;
      const text = 'This content is no longer available.';
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(method === 'HEAD' ? undefined : text);
      return;
    }
    record.status = 200;
    res.writeHead(200, {
      'Content-Type': file.attachment.content_type,
      'Content-Length': String(file.data.length),
      'Content-Disposition': `attachment; filename="${encodeURIComponent(file.attachment.filename)}"`,
    });
    if (method === 'HEAD') {
      res.end();
      return;
    }
    const limit = file.truncateAfterBytes;
    if (limit !== undefined && limit < file.data.length) {
      const part = file.data.subarray(0, limit);
      record.bytesSent = part.length;
      // Written, then the socket is cut: the client sees fewer bytes than Content-Length promised.
      res.write(part, () => res.destroy());
      return;
    }
    record.bytesSent = file.data.length;
    res.end(file.data);
  }

  /** The file this URL names, when its path is exact and its signature valid and current. */
  private match(url: URL): CdnFile | undefined {
    const [, , , id] = url.pathname.split('/');
    const file = id === undefined ? undefined : this.files.get(id);
    if (!file || url.pathname !== file.path) return undefined;
    for (const key of ['ex', 'is', 'hm'] as const) {
      if (url.searchParams.get(key) !== file.query.get(key)) return undefined;
    }
    return Date.now() / 1000 < file.expiresAt ? file : undefined;
  }
}
