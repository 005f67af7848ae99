// Connecting to Discord, and saying what went wrong when it can't. Every start-up failure becomes one StartupError
// whose `kind` decides whether retrying can help and whose message (written here, nowhere else) tells the person
// running the bot what actually happened — instead of "check DISCORD_TOKEN" for a DNS failure.
//
// - fatal (retrying won't help; exit non-zero so systemd's Restart=on-failure / Docker take over):
//   token_rejected (401 / close 4004), intents_disallowed (close 4014/4013), gateway_refused (other fatal close
//   codes), never_ready (a shard that did not reach ready N times in a row)
// - transient (retried with a capped exponential backoff, then given up on): unreachable (DNS, refused, reset),
//   unavailable (Discord answered 5xx/429), timeout (no answer within the connect timeout)
import { Events, type Client } from 'discord.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

export type StartupFailureKind =
  | 'token_rejected'
  | 'intents_disallowed'
  | 'gateway_refused'
  | 'unreachable'
  | 'unavailable'
  | 'timeout'
  | 'never_ready';

const PORTAL = 'discord.com/developers/applications → your app → Bot';

export function isTransient(kind: StartupFailureKind): boolean {
  switch (kind) {
    case 'unreachable':
    case 'unavailable':
    case 'timeout':
      return true;
    case 'token_rejected':
    case 'intents_disallowed':
    case 'gateway_refused':
    case 'never_ready':
      return false;
    default: {
      const unknown: never = kind;
      throw new Error(`unknown start-up failure ${String(unknown)}`);
    }
  }
}

/** The one place the user-facing text of each start-up failure is written. */
export function describeStartupFailure(kind: StartupFailureKind, detail: string, host: string): string {
  switch (kind) {
    case 'token_rejected':
      return `Discord refused the token (${detail}). Reset it at ${PORTAL} → Reset Token, and set DISCORD_TOKEN to the new one.`;
    case 'intents_disallowed':
      // The only privileged intent the bot asks for is Presence (DISCORD_PRESENCES=on).
      return (
        `Discord refused the gateway intents the bot asks for (${detail}): DISCORD_PRESENCES=on needs the privileged ` +
        `Presence Intent. Switch it on at ${PORTAL} → Privileged Gateway Intents → Presence Intent, or set DISCORD_PRESENCES=off.`
      );
    case 'gateway_refused':
      return `Discord's gateway refused the connection (${detail}).`;
    case 'unreachable':
      return `Can't reach ${host} (DNS/network): ${detail}. Check this machine's network and DNS${host === 'discord.com' ? '' : ' and DISCORD_API_URL'}.`;
    case 'unavailable':
      return `${host} is up but not serving the bot right now (${detail}).`;
    case 'timeout':
      return `Discord didn't answer within ${detail}.`;
    case 'never_ready':
      return `The bot's Discord connection never became ready (${detail}).`;
    default: {
      const unknown: never = kind;
      return `Discord connection failed (${String(unknown)}): ${detail}`;
    }
  }
}

export class StartupError extends Error {
  override name = 'StartupError';
  constructor(
    readonly kind: StartupFailureKind,
    readonly detail: string,
    readonly host = 'discord.com',
  ) {
    super(describeStartupFailure(kind, detail, host));
  }

  get transient(): boolean {
    return isTransient(this.kind);
  }
}

export function hostOf(apiUrl: string): string {
  try {
    return new URL(apiUrl).hostname;
  } catch {
    return apiUrl;
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Gateway close codes after which discord.js gives up (and so do we). */
const FATAL_CLOSE: Record<number, { kind: StartupFailureKind; text: string }> = {
  4004: { kind: 'token_rejected', text: 'gateway close 4004: authentication failed' },
  4010: { kind: 'gateway_refused', text: 'gateway close 4010: invalid shard' },
  4011: { kind: 'gateway_refused', text: 'gateway close 4011: sharding required (set SHARDS=auto)' },
  4012: { kind: 'gateway_refused', text: 'gateway close 4012: invalid API version' },
  4013: { kind: 'intents_disallowed', text: 'gateway close 4013: invalid intents' },
  4014: { kind: 'intents_disallowed', text: 'gateway close 4014: disallowed intents' },
};

export function closeCodeFailure(code: number, host: string): StartupError | null {
  const fatal = FATAL_CLOSE[code];
  return fatal ? new StartupError(fatal.kind, fatal.text, host) : null;
}

/** The first `code` along an error's cause chain (fetch/undici put the system error in `cause`). */
function errorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** Any error from logging in or asking /gateway/bot, as a StartupError. */
export function classifyStartupError(error: unknown, host: string, timeoutS: number): StartupError {
  if (error instanceof StartupError) return error;
  const code = errorCode(error);
  const status = (error as { status?: unknown } | null)?.status;
  if (code === 'TokenInvalid' || status === 401) return new StartupError('token_rejected', '401 Unauthorized', host);
  if (typeof status === 'number') return new StartupError('unavailable', `answered HTTP ${status}`, host);
  if (code && DNS_CODES.has(code)) return new StartupError('unreachable', `DNS lookup failed (${code})`, host);
  if (code && NETWORK_CODES.has(code)) return new StartupError('unreachable', `connection failed (${code})`, host);
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return new StartupError('timeout', `${timeoutS} s`, host);
  const message = error instanceof Error ? error.message : String(error);
  return new StartupError('unreachable', code ? `${message} (${code})` : message, host);
}

export interface GatewayBot {
  url: string;
  shards: number;
  session_start_limit: { total: number; remaining: number; reset_after: number; max_concurrency: number };
}

/** GET /gateway/bot through DISCORD_API_URL with a deadline: the token check, and the recommended shard count. */
export async function fetchGatewayBot(apiUrl: string, token: string, timeoutMs: number): Promise<GatewayBot> {
  const host = hostOf(apiUrl);
  const timeoutS = timeoutMs / 1000;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${apiUrl}/v10/gateway/bot`, {
      headers: { Authorization: `Bot ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw classifyStartupError(error, host, timeoutS);
  }
  if (response.status === 401) throw new StartupError('token_rejected', '401 Unauthorized', host);
  if (!response.ok) throw new StartupError('unavailable', `GET /gateway/bot answered HTTP ${response.status}`, host);
  try {
    const body = JSON.parse(text) as Partial<GatewayBot>;
    if (typeof body.url === 'string' && typeof body.shards === 'number' && body.session_start_limit) return body as GatewayBot;
  } catch {
    // fall through
  }
  throw new StartupError('unavailable', 'GET /gateway/bot answered something that is not a gateway description', host);
}

export interface ConnectTuning {
  /** Deadline for each connection attempt (ms): /gateway/bot, then the gateway until ready. */
  timeoutMs: number;
  /** Attempts for transient failures before giving up (also: times in a row a shard may fail to get ready). */
  attempts: number;
  /** First backoff between attempts (ms); doubles each time, capped at maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_CONNECT_TUNING: ConnectTuning = { timeoutMs: 30_000, attempts: 6, backoffMs: 2_000, maxBackoffMs: 60_000 };

/**
 * DISCORD_CONNECT_TIMEOUT (seconds per attempt, default 30) and DISCORD_CONNECT_ATTEMPTS (default 6): how long to
 * wait for Discord and how often to retry a network failure before exiting non-zero. Invalid values: defaults.
 */
/** The connection tuning from the validated settings (DISCORD_CONNECT_TIMEOUT / DISCORD_CONNECT_ATTEMPTS). */
export function connectTuning(discord: Pick<Config['discord'], 'connectTimeoutMs' | 'connectAttempts'>): ConnectTuning {
  return {
    ...DEFAULT_CONNECT_TUNING,
    ...(discord.connectTimeoutMs !== null ? { timeoutMs: discord.connectTimeoutMs } : {}),
    ...(discord.connectAttempts !== null ? { attempts: discord.connectAttempts } : {}),
  };
}

export function backoffDelay(tuning: ConnectTuning, failuresSoFar: number): number {
  return Math.min(tuning.maxBackoffMs, tuning.backoffMs * 2 ** Math.max(0, Math.min(failuresSoFar - 1, 30)));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Run `attempt` until it succeeds, a fatal StartupError ends it, or `tuning.attempts` transient failures in a row
 * have happened. Every retry is logged with its wait.
 */
export async function withStartupRetries<T>(
  attempt: () => Promise<T>,
  options: { tuning: ConnectTuning; logger: Logger; host: string; wait?: (ms: number) => Promise<void> },
): Promise<T> {
  const { tuning, logger, host } = options;
  for (let failures = 1; ; failures++) {
    try {
      return await attempt();
    } catch (raw) {
      const error = classifyStartupError(raw, host, tuning.timeoutMs / 1000);
      if (!error.transient) throw error;
      if (failures >= tuning.attempts) {
        throw new StartupError(error.kind, `${error.detail}; gave up after ${failures} attempt${failures === 1 ? '' : 's'}`, host);
      }
      const delay = backoffDelay(tuning, failures);
      logger.warn(`${error.message} Retrying in ${delay / 1000} s`, { attempt: failures, of: tuning.attempts });
      await (options.wait ?? sleep)(delay);
    }
  }
}

/**
 * Log in and wait until the client is ready, within `timeoutMs`. A fatal gateway close (bad token, disallowed
 * intents) or the deadline ends the attempt with a StartupError and a destroyed client, so nothing keeps retrying
 * behind our back.
 */
export async function loginUntilReady(
  client: Client,
  token: string,
  options: { apiUrl: string; timeoutMs: number },
): Promise<void> {
  const host = hostOf(options.apiUrl);
  const timeoutS = options.timeoutMs / 1000;
  // The token check and the network check first, with our own deadline (discord.js's REST retries a hang for 60 s).
  await fetchGatewayBot(options.apiUrl, token, options.timeoutMs);

  let timer: NodeJS.Timeout | undefined;
  let onDisconnect: ((event: { code: number }) => void) | undefined;
  let onReady: (() => void) | undefined;
  const failure = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StartupError('timeout', `${timeoutS} s`, host)), options.timeoutMs);
    onDisconnect = (event) => {
      const fatal = closeCodeFailure(event.code, host);
      if (fatal) reject(fatal);
    };
    client.on(Events.ShardDisconnect, onDisconnect);
  });
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
    client.once(Events.ClientReady, onReady);
  });
  const login = client.login(token).then(() => ready);
  // Once the race is lost, a late rejection of the login is expected; it must not surface as unhandled.
  login.catch(() => undefined);
  try {
    await Promise.race([login, failure]);
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw classifyStartupError(error, host, timeoutS);
  } finally {
    clearTimeout(timer);
    if (onDisconnect) client.off(Events.ShardDisconnect, onDisconnect);
    if (onReady) client.off(Events.ClientReady, onReady);
  }
}
