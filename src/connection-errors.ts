// Why a connection to a server (Redis, PostgreSQL) failed, in words an operator can act on: "connection refused at
// 127.0.0.1:6379 — is Redis running?" instead of a timeout that hides the cause. Messages never contain a password:
// they are built from the host and port, error codes, and the server's own error text (which names no secret).

export type ConnectionService = 'Redis' | 'PostgreSQL';

export type ConnectionProblem =
  /** Nothing listens at host:port. */
  | 'refused'
  /** The host name does not resolve. */
  | 'dns'
  | 'timeout'
  /** No route to the host (network down, firewall answering with unreachable). */
  | 'unreachable'
  /** Something answered and hung up: often not the service the URL names. */
  | 'closed'
  /** The server refused the user name or password. */
  | 'auth'
  /** The server has no such database. */
  | 'no-database'
  | 'other';

export interface ConnectionTarget {
  service: ConnectionService;
  host: string;
  port: number;
}

export class ConnectionError extends Error {
  override name = 'ConnectionError';
  constructor(
    readonly problem: ConnectionProblem,
    readonly target: ConnectionTarget,
    message: string,
    /** Retrying won't help (wrong password, no such database): a person has to change the settings. */
    readonly lasting: boolean,
  ) {
    super(message);
  }
}

const DEFAULT_PORTS: Record<ConnectionService, number> = { Redis: 6379, PostgreSQL: 5432 };

/** host and port of a `redis://` or `postgres://` URL, for messages (no credentials). */
export function targetOf(url: string, service: ConnectionService): ConnectionTarget {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
    return { service, host, port: parsed.port ? Number(parsed.port) : DEFAULT_PORTS[service] };
  } catch {
    return { service, host: 'localhost', port: DEFAULT_PORTS[service] };
  }
}

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  errors?: unknown;
}

function fieldsOf(error: unknown): { code: string | undefined; name: string; message: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  // Node's happy-eyeballs connect (localhost → ::1 and 127.0.0.1) fails with an AggregateError of the attempts.
  const first = Array.isArray(e.errors) && e.errors.length > 0 ? (e.errors[0] as ErrorLike) : undefined;
  const code = typeof e.code === 'string' ? e.code : typeof first?.code === 'string' ? first.code : undefined;
  const message = typeof e.message === 'string' && e.message ? e.message : String(error);
  return { code, name: typeof e.name === 'string' ? e.name : '', message };
}

/** The cause of a failed connection to `target`, classified; `error` is what the client library threw or emitted. */
export function connectionErrorFor(error: unknown, target: ConnectionTarget): ConnectionError {
  const { service, host, port } = target;
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const make = (problem: ConnectionProblem, message: string, lasting = false): ConnectionError =>
    new ConnectionError(problem, target, message, lasting);
  const { code, name, message } = fieldsOf(error);

  switch (code) {
    case 'ECONNREFUSED':
      return make('refused', `connection refused at ${at} — is ${service} running?`);
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return make('dns', `can't resolve host ${host}`);
    case 'EAI_AGAIN':
      return make('dns', `can't resolve host ${host} (the DNS server did not answer)`);
    case 'ETIMEDOUT':
      return make('timeout', `timed out connecting to ${at}`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return make('unreachable', `no route to ${at}`);
    case 'ECONNRESET':
    case 'EPIPE':
      return make('closed', `${at} closed the connection — is that ${service}?`);
    // PostgreSQL SQLSTATE codes (pg's DatabaseError carries them as `code`).
    case '28P01':
    case '28000':
      return make('auth', `PostgreSQL refused the login: ${message}`, true);
    case '3D000':
      return make('no-database', `PostgreSQL: ${message}`, true);
  }
  // node-redis: its own timeout and hang-up errors, and the server's error replies (first word is the error kind).
  if (name === 'ConnectionTimeoutError') return make('timeout', `timed out connecting to ${at}`);
  if (name === 'SocketClosedUnexpectedlyError') return make('closed', `${at} closed the connection — is that ${service}?`);
  if (/^WRONGPASS\b/.test(message)) return make('auth', `Redis refused the user name or password: ${message}`, true);
  if (/^NOAUTH\b/.test(message)) return make('auth', `Redis wants a password and the URL gives none: ${message}`, true);
  if (/^ERR AUTH\b.*without any password configured/.test(message)) {
    return make('auth', 'the URL gives a password, but this Redis has none set', true);
  }
  if (/^ERR DB index is out of range/.test(message)) {
    return make('no-database', `this Redis has no database with the URL's number: ${message}`, true);
  }
  return make('other', message);
}
