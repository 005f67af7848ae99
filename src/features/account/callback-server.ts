// The optional callback server: where the owner has a public HTTPS address (a reverse proxy in front of the bot),
// SPOTIFY_REDIRECT_URI=https://…/callback makes the bot serve Spotify's redirect itself, on SPOTIFY_CALLBACK_LISTEN
// (default 127.0.0.1:8888; bind it wider only if the proxy runs elsewhere). Members click, approve, see a small page,
// and are linked without pasting anything. Without it the paste flow works everywhere.
//
// It answers only GET on the redirect URI's path. The `state` must belong to a pending link (looked up by its hash,
// then compared in constant time by checkCallback); an unknown or expired one gets a clear page and changes nothing.
// Pages are static text plus escaped names; they never echo the code, the state or anything else from the URL, and
// they are never cached or sent as a referrer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../logger.js';
import type { CallbackResult, Services } from '../../services.js';
import { loginFailureText } from './replies.js';

export interface CallbackServerOptions {
  host: string;
  port: number;
  /** The redirect URI's path, e.g. /callback. */
  path: string;
  account: Pick<Services['account'], 'finishCallback'>;
  logger: Logger;
}

const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function callbackPage(title: string, lines: string[]): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    `<title>${escapeHtml(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:34em;margin:3em auto;padding:0 1em}</style>` +
    `</head><body><h1>${escapeHtml(title)}</h1>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`
  );
}

function pageFor(result: CallbackResult): { status: number; html: string } {
  if (result.ok) {
    return {
      status: 200,
      html: callbackPage('Spotify linked ✔', [
        `The bot is now linked to ${result.account ?? 'your Spotify account'}.`,
        'You can close this page and go back to Discord: /nowplaying, /toptracks, /topartists and /recent show your listening.',
      ]),
    };
  }
  if (result.reason === 'expired' || result.reason === 'state_mismatch') {
    return {
      status: 400,
      html: callbackPage('This link has expired', [
        'This page belongs to a Spotify link that is unknown, already used, or older than 15 minutes. Nothing was changed.',
        'Run /spotify link in Discord again to get a fresh one.',
      ]),
    };
  }
  return { status: 400, html: callbackPage('Spotify was not linked', [loginFailureText(result.reason), 'Run /spotify link in Discord to try again.']) };
}

export class CallbackServer {
  private server: Server | null = null;

  constructor(private readonly options: CallbackServerOptions) {}

  /** Listen on the configured address (only when this is called: nothing binds by default). */
  async start(): Promise<AddressInfo> {
    if (this.server) throw new Error('the Spotify callback server is already listening');
    const server = createServer((req, res) => void this.handle(req, res));
    server.headersTimeout = 10_000;
    server.requestTimeout = 15_000;
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.options.logger.info('Spotify callback server listening', { address: `${address.address}:${address.port}`, path: this.options.path });
    return address;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, html: string): void => {
      res.writeHead(status, HEADERS).end(html);
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://callback.invalid');
    } catch {
      send(400, callbackPage('Bad request', ['This address is not a Spotify link page.']));
      return;
    }
    if (url.pathname !== this.options.path) {
      send(404, callbackPage('Not found', ['This address is not a Spotify link page.']));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(405, callbackPage('Method not allowed', ['Open this page in a browser.']));
      return;
    }
    try {
      const page = pageFor(await this.options.account.finishCallback(url.search));
      send(page.status, page.html);
    } catch (error) {
      // Spotify down, bad app credentials: typed errors, logged without any token or code.
      this.options.logger.warn('Spotify callback failed', { error: error instanceof Error ? error.name : 'Error' });
      send(502, callbackPage('Spotify could not be reached', ['Nothing was linked. Run /spotify link in Discord to try again in a moment.']));
    }
  }
}
