// The optional callback server: where the owner has a public HTTPS address (a reverse proxy in front of the bot),
// SPOTIFY_REDIRECT_URI=https://…/callback makes the bot serve Spotify's redirect itself, on SPOTIFY_CALLBACK_LISTEN
// (default 127.0.0.1:8888; bind it wider only if the proxy runs elsewhere). Members click, approve, confirm on a small
// page, and are linked without pasting anything. Without it the paste flow works everywhere.
//
// A `state` proves who *started* a link, not whose browser approved it: a forwarded link would link the approver's
// Spotify to the sender's Discord. So the GET links nothing: it shows which Discord user the account would be linked
// to and a form; only the form's POST, carrying a one-time token, exchanges the code. A HEAD or a link scanner's GET
// never links and never spends the code. An unknown or expired state or token gets a clear page and changes nothing.
// Pages are static text plus escaped names; they never echo the code, the state or anything else from the URL, and
// they are never cached or sent as a referrer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../logger.js';
import { loginFailureText } from './replies.js';
import type { AccountNamespace, CallbackResult, LinkTarget } from './service.js';

export interface CallbackServerOptions {
  host: string;
  port: number;
  /** The redirect URI's path, e.g. /callback. */
  path: string;
  account: Pick<AccountNamespace, 'openCallback' | 'confirmCallback'>;
  logger: Logger;
}

const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The confirm page's form: posts only the one-time token, to the callback path itself. */
export interface ConfirmForm {
  action: string;
  token: string;
  label: string;
}

export function callbackPage(title: string, lines: string[], form?: ConfirmForm): string {
  const button = form
    ? `<form method="post" action="${escapeHtml(form.action)}"><input type="hidden" name="token" value="${escapeHtml(form.token)}">` +
      `<button type="submit">${escapeHtml(form.label)}</button></form>`
    : '';
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    `<title>${escapeHtml(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:34em;margin:3em auto;padding:0 1em}` +
    'button{font:inherit;padding:.5em 1.2em}</style>' +
    `</head><body><h1>${escapeHtml(title)}</h1>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}${button}</body></html>`
  );
}

/** "Eve (@eve, Discord id 1234…)": as Discord showed them when the link was started. */
export function discordUserText(who: LinkTarget): string {
  const id = `Discord id ${who.userId}`;
  if (who.username === null) return `the Discord user with ${id}`;
  const handle = `@${who.username}`;
  return who.displayName && who.displayName !== who.username ? `${who.displayName} (${handle}, ${id})` : `${handle} (${id})`;
}

function confirmPage(who: LinkTarget, form: ConfirmForm): string {
  const target = who.owner ? `this bot, as its owner's own account (the owner is ${discordUserText(who)})` : discordUserText(who);
  return callbackPage(
    'Link this Spotify account?',
    [
      `You approved in this browser. Confirm to link the Spotify account you are logged in with to ${target}.`,
      'Only confirm if that Discord account is yours. If someone sent you this link, close this page: nothing has been linked, and ' +
        'confirming would let their Discord account see your Spotify listening.',
      'This page works once, for 10 minutes.',
    ],
    form,
  );
}

function pageFor(result: CallbackResult): { status: number; html: string } {
  if (result.ok) {
    const to = result.linkTo ? (result.linkTo.owner ? `this bot, for its owner ${discordUserText(result.linkTo)}` : discordUserText(result.linkTo)) : 'you';
    return {
      status: 200,
      html: callbackPage('Spotify linked ✔', [
        `Spotify ${result.account ?? 'account'} is now linked to ${to}.`,
        'You can close this page and go back to Discord: /nowplaying, /toptracks, /topartists and /recent show that listening.',
      ]),
    };
  }
  if (result.reason === 'expired' || result.reason === 'state_mismatch') {
    return {
      status: 400,
      html: callbackPage('This link has expired', [
        'This page belongs to a Spotify link that is unknown, already used, or too old. Nothing was changed.',
        'Run /spotify link in Discord again to get a fresh one.',
      ]),
    };
  }
  return { status: 400, html: callbackPage('Spotify was not linked', [loginFailureText(result.reason), 'Run /spotify link in Discord to try again.']) };
}

/** The form body is one short token: anything longer is not from the confirm page. */
const MAX_BODY_BYTES = 1024;

function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  return new Promise((resolve) => {
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES ? new URLSearchParams(Buffer.concat(chunks).toString('utf8')) : null));
    req.on('error', () => resolve(null));
  });
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
    // A HEAD (link previews, scanners) learns nothing and changes nothing.
    if (req.method === 'HEAD') {
      res.writeHead(200, HEADERS).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('Allow', 'GET, HEAD, POST');
      send(405, callbackPage('Method not allowed', ['Open this page in a browser.']));
      return;
    }
    try {
      if (req.method === 'GET') {
        const opened = await this.options.account.openCallback(url.search);
        if (opened.ok) {
          send(200, confirmPage(opened.linkTo, { action: this.options.path, token: opened.token, label: 'Link my Spotify account' }));
        } else {
          const page = pageFor({ ...opened });
          send(page.status, page.html);
        }
        return;
      }
      // The POST: only the confirm page's own form (a browser says so in Sec-Fetch-Site), carrying its token.
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin') {
        req.resume();
        send(403, callbackPage('Not linked', ['Confirm on the Spotify link page itself. Nothing was changed.']));
        return;
      }
      const token = (await readForm(req))?.get('token') ?? '';
      if (token === '') {
        send(400, callbackPage('Bad request', ['This address only accepts the confirm button of a Spotify link page. Nothing was changed.']));
        return;
      }
      const page = pageFor(await this.options.account.confirmCallback(token));
      send(page.status, page.html);
    } catch (error) {
      // Spotify down, bad app credentials: typed errors, logged without any token or code.
      this.options.logger.warn('Spotify callback failed', { error: error instanceof Error ? error.name : 'Error' });
      send(502, callbackPage('Spotify could not be reached', ['Nothing was linked. Run /spotify link in Discord to try again in a moment.']));
    }
  }
}
