// The REST side: one HTTP request → fault injection, auth, the upload cap, the matching route, Discord's JSON answer.
// Every exchange is logged (restLog); bad requests are kept too (refusedBodies), so a test can see why Discord said 400.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';
import { jsonBody, parseMultipart, type ParsedBody, type UploadedFile } from './multipart.js';
import { loadSpec } from './validation.js';
import { RestFaults } from './faults.js';
import { GlobalRateLimiter } from './rate-limits.js';
import type { RestLogEntry } from './types.js';

export interface RouteContext {
  method: string;
  path: string;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
  filesById: Map<string, UploadedFile>;
  req: IncomingMessage;
  /** When the request arrived (before its body was read and the schemas were awaited). */
  receivedAt: number;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (ctx: RouteContext) => RouteResult;

/** The route's `i`-th `:name` segment. */
export function param(ctx: RouteContext, i: number): string {
  return ctx.params[i] ?? '';
}

export interface RestHost {
  readonly token: string;
  readonly maxUploadBytes: number;
  /** Discord's global REST limit (50 per second); null: not enforced. */
  readonly globalRateLimit: { requests: number; windowMs: number } | null;
  emit: EventEmitter['emit'];
}

export class RestRouter {
  readonly restLog: RestLogEntry[] = [];
  readonly unknownRoutes: RestLogEntry[] = [];
  /** Requests answered 400 (bad form body, empty message, …) or 413, with the error Discord would give. */
  readonly refusedBodies: Array<{ method: string; path: string; body: unknown; status: number; error: unknown; at: number }> = [];
  readonly faults = new RestFaults();
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: RouteHandler }> = [];
  private readonly global: GlobalRateLimiter | null;

  constructor(private readonly host: RestHost) {
    this.global = host.globalRateLimit ? new GlobalRateLimiter(host.globalRateLimit) : null;
  }

  /** `pattern` is a path without /api/v10 with `:name` segments; they reach the handler as `ctx.params`, in order. */
  route(method: string, pattern: string, handler: RouteHandler): void {
    const regex = new RegExp(`^${pattern.replace(/:[a-z]+/gi, '([^/]+)')}$`);
    this.routes.push({ method, pattern: regex, handler });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const contentType = req.headers['content-type'] ?? '';
    let parsed: ParsedBody = jsonBody(null);
    if (raw.length > 0) {
      // Every body is checked against Discord's schemas: they load once, in the background since start().
      await loadSpec();
      if (contentType.startsWith('multipart/form-data')) parsed = parseMultipart(raw, contentType);
      else {
        try {
          parsed = jsonBody(JSON.parse(raw.toString('utf8')));
        } catch {
          parsed = jsonBody(raw.toString('utf8'));
        }
      }
    }
    const prefix = '/api/v10';
    // discord.js percent-encodes route segments ('@original' arrives as '%40original').
    const decoded = url.pathname
      .split('/')
      .map((segment) => {
        try {
          return decodeURIComponent(segment);
        } catch {
          return segment;
        }
      })
      .join('/');
    const path = decoded.startsWith(`${prefix}/`) ? decoded.slice(prefix.length) : decoded;
    const entry: RestLogEntry = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: parsed.body,
      status: 0,
      at: receivedAt,
      files: parsed.files,
    };

    const result = this.resolveRequest(entry, url, parsed, req);
    entry.status = result.status;
    this.restLog.push(entry);
    this.host.emit('rest', entry);
    this.send(res, result);
  }

  private resolveRequest(entry: RestLogEntry, url: URL, parsed: ParsedBody, req: IncomingMessage): RouteResult {
    const { method, path } = entry;
    const fault = this.faults.take(method, path);
    if (fault) return fault;
    if (!/^\/api\/v10\//.test(url.pathname)) {
      this.unknownRoutes.push(entry);
      return { status: 404, body: { message: '404: Not Found', code: 0 } };
    }
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (!m) continue;
      const needsAuth = !path.startsWith('/interactions/') && !path.startsWith('/webhooks/');
      if (needsAuth && req.headers.authorization !== `Bot ${this.host.token}`) {
        return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      }
      try {
        // Interaction responses (callback, webhooks) are not counted by Discord's global limit.
        if (needsAuth) this.global?.take(entry.at);
      } catch (error) {
        if (error instanceof HttpError) return { status: error.status, body: error.body, headers: error.headers };
        throw error;
      }
      const tooLarge = parsed.files.find((f) => f.size > this.host.maxUploadBytes);
      if (tooLarge) return { status: 413, body: { message: 'Request entity too large', code: 40005 } };
      try {
        return r.handler({
          method,
          path,
          params: m.slice(1),
          query: url.searchParams,
          body: parsed.body,
          files: parsed.files,
          filesById: parsed.filesById,
          req,
          receivedAt: entry.at,
        });
      } catch (error) {
        if (error instanceof HttpError) {
          if (error.status === 400 || error.status === 413) this.recordRefusal(entry, error);
          return { status: error.status, body: error.body, headers: error.headers };
        }
        throw error;
      }
    }
    this.unknownRoutes.push(entry);
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  /**
   * Keeps what was refused as a bad request, so a test (or a developer chasing "why did Discord say 400?") can look:
   * `emulator.refusedBodies`, the 'refusedBody' event, or DISCORD_EMULATOR_LOG_REFUSED=1 to print each to stderr.
   */
  private recordRefusal(entry: RestLogEntry, error: HttpError): void {
    const record = { method: entry.method, path: entry.path, body: entry.body, status: error.status, error: error.body, at: entry.at };
    this.refusedBodies.push(record);
    this.host.emit('refusedBody', record);
    if (process.env.DISCORD_EMULATOR_LOG_REFUSED) {
      process.stderr.write(`[discord-emulator] refused ${entry.method} ${entry.path}: ${JSON.stringify(error.body)}\n  body: ${JSON.stringify(entry.body)}\n`);
    }
  }


  send(res: ServerResponse, result: RouteResult): void {
    const headers: Record<string, string> = { ...(result.headers ?? {}) };
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(result.body);
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(text));
    res.writeHead(result.status, headers);
    res.end(text);
  }
}
