// multipart/form-data as discord.js sends it for uploads: a `payload_json` part plus `files[n]` parts.

export interface UploadedFile {
  /** The form field, e.g. "files[0]". */
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** The uploaded bytes. */
  data: Buffer;
}

export interface ParsedBody {
  body: unknown;
  files: UploadedFile[];
  /** The part name → index in `files` for "files[n]" fields: n → file. */
  filesById: Map<string, UploadedFile>;
}

export function jsonBody(body: unknown): ParsedBody {
  return { body, files: [], filesById: new Map() };
}

export function parseMultipart(buffer: Buffer, contentType: string): ParsedBody {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  const parsed: ParsedBody = { body: null, files: [], filesById: new Map() };
  if (!boundary) return parsed;
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = buffer.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (buffer.subarray(start, start + 2).toString() === '--') break;
    const next = buffer.indexOf(delimiter, start);
    if (next === -1) break;
    // part = "\r\n" headers "\r\n\r\n" content "\r\n"
    const part = buffer.subarray(start + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream';
      if (filename !== undefined) {
        const file: UploadedFile = { field: name, filename, contentType: type, size: content.length, data: Buffer.from(content) };
        parsed.files.push(file);
        const id = /^files\[(\d+)\]$/.exec(name)?.[1];
        if (id !== undefined) parsed.filesById.set(id, file);
      } else if (name === 'payload_json') {
        try {
          parsed.body = JSON.parse(content.toString('utf8'));
        } catch {
          parsed.body = null;
        }
      }
    }
    pos = next;
  }
  return parsed;
}
