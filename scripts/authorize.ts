// `npm run authorize`: links the bot to a Spotify account (Authorization Code flow) and saves the refresh token in
// .env. Argument parsing and I/O only; the flow's logic lives in src/spotify/authorization.ts and src/env-file.ts.
// Never prints the client secret, the code or the refresh token in full.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DEFAULTS, readEnv, SPOTIFY_APP_ID, type Env } from '../src/config.js';
import { upsertEnvFile } from '../src/env-file.js';
import {
  BOT_SCOPES,
  buildAuthorizeUrl,
  checkCallback,
  checkRedirectUri,
  createState,
  exchangeCode,
  isLoopbackRedirectUri,
  maskSecret,
  missingScopes,
  parseRedirect,
  refreshTokenExpiry,
  SPOTIFY_DASHBOARD_HINT,
  type AuthorizationGrant,
} from '../src/spotify/authorization.js';

const USAGE = `Usage: npm run authorize -- [options]

Links the bot to your Spotify account and writes SPOTIFY_REFRESH_TOKEN into .env.

Options:
  --port N           listen on http://127.0.0.1:N/callback (default 8888; 0 picks a free port)
  --manual           headless: paste the redirected URL (or the code) instead of running a listener
  --no-browser       only print the URL, don't try to open a browser
  --env-file PATH    read and write this file instead of ./.env
  --timeout SECONDS  give up after this long (default 300)
  --help             show this help

Environment: SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET (asked for on a terminal if missing),
SPOTIFY_REDIRECT_URI (overrides --port), SPOTIFY_ACCOUNTS_URL, BROWSER (none = don't open one).`;

class Failure extends Error {}

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const err = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

interface Options {
  port: number | undefined;
  manual: boolean;
  browser: boolean;
  envFile: string;
  timeoutSeconds: number;
}

function parseOptions(argv: string[]): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        manual: { type: 'boolean' },
        'no-browser': { type: 'boolean' },
        'env-file': { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Failure(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new Failure(`--port must be a port number 0–65535 (got "${values.port}")`);
  }
  const timeoutSeconds = values.timeout === undefined ? 300 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new Failure(`--timeout must be a positive number of seconds (got "${values.timeout ?? ''}")`);
  }
  return {
    port,
    manual: values.manual ?? false,
    browser: !(values['no-browser'] ?? false),
    envFile: resolve(values['env-file'] ?? '.env'),
    timeoutSeconds,
  };
}

// ------------------------------------------------------------------ terminal prompts

function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  return new Promise((resolvePrompt, reject) => {
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Failure('Cancelled — nothing was saved.'));
    });
    rl.question(question, (answer) => {
      rl.close();
      resolvePrompt(answer.trim());
    });
  });
}

/** Reads a line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the prompt appears, so nothing typed in answer to it can be echoed.
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  process.stdout.write(question);
  return new Promise((resolvePrompt, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk.replace(/\u001b\[20[01]~/g, '')) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolvePrompt(value.trim());
          return;
        }
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) {
          finish();
          reject(new Failure('Cancelled — nothing was saved.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function askCredential(name: string, hidden: boolean): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const value = hidden ? await askHidden(`${name} (input hidden): `) : await ask(`${name}: `);
    if (SPOTIFY_APP_ID.test(value)) return value;
    err(`That doesn't look like a ${name} (32 hexadecimal characters, from ${SPOTIFY_DASHBOARD_HINT.split(' → Redirect')[0]}).`);
  }
  throw new Failure(`No valid ${name} given — nothing was saved.`);
}

/** Client id and secret from the environment/.env, or asked for on a terminal (then saved with the token). */
async function credentials(env: Env, envFile: string): Promise<{ clientId: string; clientSecret: string; toSave: Record<string, string> }> {
  let clientId = env.SPOTIFY_CLIENT_ID?.trim() ?? '';
  let clientSecret = env.SPOTIFY_CLIENT_SECRET?.trim() ?? '';
  const toSave: Record<string, string> = {};
  if (clientId === '' || clientSecret === '') {
    const missing = [clientId === '' ? 'SPOTIFY_CLIENT_ID' : null, clientSecret === '' ? 'SPOTIFY_CLIENT_SECRET' : null].filter(Boolean);
    if (!process.stdin.isTTY) {
      throw new Failure(
        `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing — add ${missing.length > 1 ? 'them' : 'it'} to ${envFile} ` +
          `(copy from developer.spotify.com/dashboard → your app → Settings), or run this command in a terminal to be asked.`,
      );
    }
    out(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set; copy from developer.spotify.com/dashboard → your app → Settings.`);
    if (clientId === '') clientId = toSave.SPOTIFY_CLIENT_ID = await askCredential('SPOTIFY_CLIENT_ID', false);
    if (clientSecret === '') clientSecret = toSave.SPOTIFY_CLIENT_SECRET = await askCredential('SPOTIFY_CLIENT_SECRET', true);
    out(`(They will be saved to ${envFile} together with the token.)`);
  }
  if (!SPOTIFY_APP_ID.test(clientId)) {
    throw new Failure(`SPOTIFY_CLIENT_ID doesn't look right (expected 32 hexadecimal characters) — copy it from developer.spotify.com/dashboard → your app → Settings`);
  }
  if (!SPOTIFY_APP_ID.test(clientSecret)) {
    throw new Failure(`SPOTIFY_CLIENT_SECRET doesn't look right (expected 32 hexadecimal characters) — copy it from developer.spotify.com/dashboard → your app → Settings`);
  }
  return { clientId, clientSecret, toSave };
}

// ------------------------------------------------------------------ browser

function hasDisplay(): boolean {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** Best effort: never throws, never waits for the browser. Returns false when it did not even try. */
function openBrowser(url: string): boolean {
  const custom = process.env.BROWSER?.trim();
  if (custom?.toLowerCase() === 'none') return false;
  let command: string;
  let args: string[];
  if (custom) {
    // $BROWSER is a command, optionally with arguments and a %s placeholder for the URL.
    const [first, ...rest] = custom.split(/\s+/);
    command = first ?? custom;
    args = rest.some((a) => a.includes('%s')) ? rest.map((a) => a.replace('%s', url)) : [...rest, url];
  }
  else if (process.platform === 'darwin') [command, args] = ['open', [url]];
  else if (process.platform === 'win32') [command, args] = ['rundll32', ['url.dll,FileProtocolHandler', url]];
  else if (hasDisplay()) [command, args] = ['xdg-open', [url]];
  else return false;
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => err(`(Couldn't start ${command}; open the URL above yourself.)`));
    child.unref();
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ pages

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendPage(res: ServerResponse, status: number, title: string, message: string): Promise<void> {
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  return new Promise((done) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(html)),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer', // the address holds the code
      connection: 'close',
    });
    res.end(html, () => done());
  });
}

// ------------------------------------------------------------------ the flow

interface Flow {
  envFile: string;
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  toSave: Record<string, string>;
}

/** Exchanges the code and writes .env; returns the lines to show. Throws (with a safe message) on failure. */
async function complete(flow: Flow, code: string, grantedAt: Date): Promise<{ grant: AuthorizationGrant; summary: string[] }> {
  const grant = await exchangeCode({
    accountsUrl: flow.accountsUrl,
    clientId: flow.clientId,
    clientSecret: flow.clientSecret,
    code,
    redirectUri: flow.redirectUri,
  });
  const update = await upsertEnvFile(flow.envFile, {
    ...flow.toSave,
    SPOTIFY_REFRESH_TOKEN: grant.refreshToken,
    SPOTIFY_REFRESH_TOKEN_GRANTED_AT: grantedAt.toISOString(),
  });
  const expiry = refreshTokenExpiry(grantedAt);
  const summary = [
    `Spotify authorized. ${update.created ? 'Created' : 'Updated'} ${update.path}: SPOTIFY_REFRESH_TOKEN=${maskSecret(grant.refreshToken)}` +
      `${update.replaced.includes('SPOTIFY_REFRESH_TOKEN') ? ' (replaced the previous one)' : ''}, SPOTIFY_REFRESH_TOKEN_GRANTED_AT=${grantedAt.toISOString()}` +
      `${Object.keys(flow.toSave).length > 0 ? `, ${Object.keys(flow.toSave).join(', ')}` : ''}.`,
    `Granted scopes: ${grant.scope || '(Spotify did not say)'}`,
    `The refresh token expires 6 months after consent, on ${expiry.toISOString().slice(0, 10)} — run \`npm run authorize\` again before then.`,
  ];
  const missing = grant.scope ? missingScopes(grant.scope) : [];
  if (missing.length > 0) summary.push(`Warning: not granted: ${missing.join(' ')} — the matching commands will fail with 403.`);
  if (process.env.SPOTIFY_REFRESH_TOKEN?.trim()) {
    summary.push('Note: SPOTIFY_REFRESH_TOKEN is also set in the environment, which wins over .env — update or unset it.');
  }
  summary.push('Restart the bot to use the new token.');
  return { grant, summary };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (error.code === 'EADDRINUSE') {
        reject(new Failure(`Port ${port} is already in use on ${where} — stop whatever is using it, or pick another port with --port N (and register http://${where.replace(/:\d+$/, '')}:N/… in the Spotify dashboard).`));
      } else if (error.code === 'EACCES') {
        reject(new Failure(`Not allowed to listen on ${where} (ports below 1024 need extra privileges) — pick another port with --port N.`));
      } else if (error.code === 'EADDRNOTAVAIL') {
        reject(new Failure(`Can't listen on ${where} (address not available here) — use http://127.0.0.1:PORT/… or --manual.`));
      } else {
        reject(new Failure(`Can't listen on ${where}: ${error.message}`));
      }
    };
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

/**
 * How a waiting flow ends: at the first `end(code)`, when `timeoutMs` runs out, or on Ctrl+C — once, with `cleanup`
 * run before `finish`. `stopTimer` is for when a valid code arrived and only the exchange is left.
 */
function flowEnding(
  timeoutMs: number,
  finish: (code: number) => void,
  cleanup: () => void,
): { end: (code: number) => void; isDone: () => boolean; stopTimer: () => void } {
  let done = false;
  const end = (code: number): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    cleanup();
    finish(code);
  };
  const timer = setTimeout(() => {
    err(timeoutMessage(timeoutMs));
    end(1);
  }, timeoutMs);
  process.once('SIGINT', () => {
    err('Cancelled — nothing was saved.');
    end(1);
  });
  return { end, isDone: () => done, stopTimer: () => clearTimeout(timer) };
}

/** Waits for the browser to come back to the loopback listener. Resolves with the exit code. */
function serveCallback(server: Server, flow: Flow, state: string, callbackPath: string, timeoutMs: number): Promise<number> {
  return new Promise((finish) => {
    let busy = false;
    const { end, isDone, stopTimer } = flowEnding(timeoutMs, finish, () => {
      server.close();
      server.closeAllConnections();
    });

    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (url.pathname !== callbackPath) return sendPage(res, 404, 'Not found', `This server only answers ${callbackPath}.`);
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendPage(res, 405, 'Method not allowed', 'Only GET.');
        if (busy || isDone()) {
          return sendPage(res, 409, 'Already handled', 'This authorization has already been answered — check the terminal.');
        }
        const outcome = checkCallback(parseRedirect(url.search), state);
        switch (outcome.kind) {
          case 'state_mismatch':
            err('Ignored a callback with a missing or wrong state (not from this run); still waiting.');
            return sendPage(
              res,
              400,
              'Wrong or missing state',
              "This address doesn't belong to the authorization in progress (state mismatch), so nothing was saved. " +
                'Open the URL the terminal printed and approve again.',
            );
          case 'no_code':
            return sendPage(res, 400, 'No code', 'Spotify sent neither a code nor an error. Nothing was saved; still waiting.');
          case 'denied': {
            const message =
              outcome.error === 'access_denied'
                ? 'You declined access on Spotify (access_denied), so nothing was saved. Run `npm run authorize` again and click Agree.'
                : `Spotify answered with an error (${outcome.error}); nothing was saved. Run \`npm run authorize\` again.`;
            err(message);
            await sendPage(res, 403, 'Authorization declined', message);
            return end(1);
          }
          case 'code': {
            busy = true;
            stopTimer();
            const grantedAt = new Date();
            try {
              const { summary } = await complete(flow, outcome.code, grantedAt);
              await sendPage(res, 200, 'Spotify linked', 'The bot is now authorized. You can close this tab and go back to the terminal.');
              for (const line of summary) out(line);
              return end(0);
            } catch (error) {
              const message = `Authorization failed: ${describe(error)}`;
              err(message);
              await sendPage(res, 502, 'Authorization failed', `${message} Nothing was saved.`);
              return end(1);
            }
          }
        }
      })().catch((error: unknown) => {
        err(`Unexpected error: ${describe(error)}`);
        if (!res.headersSent) res.destroy();
        end(1);
      });
    });
  });
}

/** --manual: reads the redirected URL (or the code) from stdin. Resolves with the exit code. */
function readPasted(flow: Flow, state: string, timeoutMs: number): Promise<number> {
  return new Promise((finish) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    let busy = false;
    const { end, isDone, stopTimer } = flowEnding(timeoutMs, finish, () => {
      rl.close();
      process.stdin.destroy();
    });
    rl.on('close', () => {
      if (!isDone() && !busy) {
        err('Input ended before a redirected URL or code was pasted — nothing was saved.');
        end(1);
      }
    });
    rl.on('line', (line) => {
      if (isDone() || busy || line.trim() === '') return;
      const outcome = checkCallback(parseRedirect(line), state, { allowMissingState: true });
      switch (outcome.kind) {
        case 'state_mismatch':
          err("That address is from a different authorization attempt (its state doesn't match this run). Paste the one from this run:");
          return;
        case 'no_code':
          err("Couldn't find a code in that. Paste the whole address from the browser's address bar (it contains ?code=…):");
          return;
        case 'denied':
          err(
            outcome.error === 'access_denied'
              ? 'You declined access on Spotify (access_denied), so nothing was saved. Run `npm run authorize` again and click Agree.'
              : `Spotify answered with an error (${outcome.error}); nothing was saved.`,
          );
          return end(1);
        case 'code': {
          busy = true;
          stopTimer();
          complete(flow, outcome.code, new Date()).then(
            ({ summary }) => {
              for (const l of summary) out(l);
              end(0);
            },
            (error: unknown) => {
              err(`Authorization failed: ${describe(error)}`);
              end(1);
            },
          );
        }
      }
    });
  });
}

function timeoutMessage(timeoutMs: number): string {
  const seconds = Math.round(timeoutMs / 1000);
  return (
    `Timed out after ${seconds} second${seconds === 1 ? '' : 's'} waiting for Spotify's redirect — nothing was saved. ` +
    'Run `npm run authorize` again (--timeout SECONDS for more time; --manual on a server without a browser).'
  );
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') {
    out(USAGE);
    return 0;
  }
  let env: Env;
  try {
    env = readEnv(process.env, options.envFile);
  } catch (error) {
    throw new Failure(`Can't read ${options.envFile}: ${describe(error)}`);
  }

  // Redirect URI first: it needs no input, and a wrong one should fail before any prompt.
  const configured = env.SPOTIFY_REDIRECT_URI?.trim();
  if (configured && options.port !== undefined) err('Note: SPOTIFY_REDIRECT_URI is set, so --port is ignored.');
  let redirectUri = configured || DEFAULTS.SPOTIFY_REDIRECT_URI;
  if (!configured && options.port !== undefined) {
    const withPort = new URL(DEFAULTS.SPOTIFY_REDIRECT_URI);
    withPort.port = String(options.port);
    redirectUri = withPort.toString();
  }
  const problem = checkRedirectUri(redirectUri);
  if (problem) throw new Failure(`Redirect URI problem: ${problem}`);
  if (!options.manual && !isLoopbackRedirectUri(redirectUri)) {
    throw new Failure(
      `This command can only listen on http://127.0.0.1:PORT/… or http://[::1]:PORT/…; for ${redirectUri} use --manual ` +
        '(approve in a browser, then paste the address it was redirected to).',
    );
  }
  const parsedRedirect = new URL(redirectUri);
  if (options.manual && parsedRedirect.port === '0') throw new Failure('--manual needs a fixed port (the one registered in the Spotify dashboard), not 0.');

  const accountsUrl = (env.SPOTIFY_ACCOUNTS_URL?.trim() || DEFAULTS.SPOTIFY_ACCOUNTS_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(accountsUrl)) throw new Failure(`SPOTIFY_ACCOUNTS_URL must be an http(s) URL (default ${DEFAULTS.SPOTIFY_ACCOUNTS_URL})`);

  const { clientId, clientSecret, toSave } = await credentials(env, options.envFile);

  let server: Server | undefined;
  if (!options.manual) {
    server = createServer();
    const host = parsedRedirect.hostname === '[::1]' ? '::1' : '127.0.0.1';
    const port = parsedRedirect.port === '' ? 80 : Number(parsedRedirect.port);
    const actual = await listen(server, host, port);
    if (port === 0) {
      parsedRedirect.port = String(actual);
      redirectUri = parsedRedirect.toString();
    }
  }

  const flow: Flow = { envFile: options.envFile, accountsUrl, clientId, clientSecret, redirectUri, toSave };
  const state = createState();
  const authorizeUrl = buildAuthorizeUrl({ accountsUrl, clientId, redirectUri, state, scopes: BOT_SCOPES, showDialog: true });
  const timeoutMs = Math.round(options.timeoutSeconds * 1000);

  out('Spotify authorization');
  out(`1. In the Spotify dashboard (${SPOTIFY_DASHBOARD_HINT}) the redirect URIs must include exactly:`);
  out(`     ${redirectUri}`);
  out('2. Open this URL, log in with the Spotify account the bot should show, and click Agree:');
  out(`     ${authorizeUrl}`);
  const tried = options.browser && openBrowser(authorizeUrl);
  if (tried) out('   (Opening it in your browser.)');

  if (options.manual) {
    out(`3. The browser then goes to ${redirectUri}?code=… — it may say it can't connect; that's expected.`);
    out("   Copy the whole address from the address bar (or just the code) and paste it here, then press Enter:");
    return readPasted(flow, state, timeoutMs);
  }
  if (!tried && process.platform === 'linux' && !hasDisplay()) {
    out(`   No display here: if your browser runs on another machine, forward the port (ssh -L ${parsedRedirect.port || 80}:127.0.0.1:${parsedRedirect.port || 80} …) or use --manual.`);
  }
  out(`Waiting for Spotify to redirect to ${redirectUri} (up to ${Math.round(timeoutMs / 1000)} s; Ctrl-C to cancel)…`);
  return serveCallback(server as Server, flow, state, parsedRedirect.pathname, timeoutMs);
}

// A leading `--` is accepted and dropped: Node 20 wrongly treats a script argument `--env-file PATH` as its own
// option and exits when PATH doesn't exist (nodejs/node#54232) unless the script's arguments start with `--`.
const argv = process.argv.slice(2);
main(argv[0] === '--' ? argv.slice(1) : argv).then(
  (code) => {
    process.exitCode = code;
    // Anything left holding the event loop (a stray socket, stdin) must not keep the command alive.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (error: unknown) => {
    err(error instanceof Failure ? error.message : `Error: ${describe(error)}`);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 2_000).unref();
  },
);
