// Structured, levelled log lines: one line per event, `time level scope message key=value …`.
// Secrets are redacted by construction: fields whose name looks secret are never printed, and every registered
// secret value is masked wherever it appears in a line (messages, error texts, stack traces).
// A line is at most LOG_LINE_MAX characters, cut between graphemes (after masking, so a cut can't expose part of a
// secret), and always well-formed: a lone surrogate (hostile Spotify data) is written as U+FFFD.
import { truncate } from './discord/text.js';
import { isoTimestamp } from './iso-time.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines carry `scope` (e.g. "spotify.tokens"). */
  child(scope: string): Logger;
  /** Mask this value in every later line of this logger family (e.g. a freshly issued access token). */
  addSecret(value: string | undefined | null): void;
  /**
   * Undo one `addSecret` of this value (a token that was replaced or expired), so the mask stays as small as the
   * set of live secrets. Counted: a value added twice stays masked until removed twice.
   */
  removeSecret(value: string | undefined | null): void;
  /** How many distinct values are masked now (for tests and the benchmark). */
  secretCount(): number;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where finished lines go; defaults to stdout (debug/info) and stderr (warn/error). */
  sink?: (line: string, level: Exclude<LogLevel, 'silent'>) => void;
  secrets?: Array<string | undefined>;
  now?: () => Date;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_FIELD = /token|secret|password|authorization|credential|^code$|verifier|cookie/i;
export const REDACTED = '[redacted]';
/** Longest line written, in UTF-16 code units; longer lines end in "…". */
export const LOG_LINE_MAX = 8_192;

function defaultSink(line: string, level: Exclude<LogLevel, 'silent'>): void {
  if (level === 'warn' || level === 'error') process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

function formatValue(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as Error & { code?: unknown }).code;
    return JSON.stringify(`${value.name}: ${value.message}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (typeof value === 'string') return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  try {
    return JSON.stringify(value, (key, v: unknown) => (key && SECRET_FIELD.test(key) ? REDACTED : v));
  } catch {
    return JSON.stringify(String(value));
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = RANK[options.level ?? 'info'];
  const sink = options.sink ?? defaultSink;
  const now = options.now ?? (() => new Date());
  // Shared by every child so a secret added anywhere is masked everywhere. Value → how many holders added it:
  // the same token can be registered by two holders (the env refresh token is also the first grant's).
  const secrets = new Map<string, number>();
  // Very short values would mask ordinary words; real secrets here are long.
  const maskable = (value: string | undefined | null): value is string => typeof value === 'string' && value.length >= 8;
  const addSecret = (value: string | undefined | null): void => {
    if (maskable(value)) secrets.set(value, (secrets.get(value) ?? 0) + 1);
  };
  const removeSecret = (value: string | undefined | null): void => {
    if (!maskable(value)) return;
    const holders = secrets.get(value);
    if (holders === undefined) return;
    if (holders > 1) secrets.set(value, holders - 1);
    else secrets.delete(value);
  };
  for (const s of options.secrets ?? []) addSecret(s);

  const mask = (line: string): string => {
    let out = line;
    for (const secret of secrets.keys()) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };

  const make = (scope: string | undefined): Logger => {
    const emit = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
      if (RANK[level] < threshold) return;
      let line = `${isoTimestamp(now())} ${level.padEnd(5)}${scope ? ` ${scope}` : ''} ${message}`;
      if (fields) {
        for (const [key, value] of Object.entries(fields)) {
          if (value === undefined) continue;
          line += ` ${key}=${SECRET_FIELD.test(key) ? REDACTED : formatValue(value)}`;
        }
      }
      sink(truncate(mask(line.replace(/[\r\n]+/g, ' ')), LOG_LINE_MAX), level);
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (childScope) => make(scope ? `${scope}.${childScope}` : childScope),
      addSecret,
      removeSecret,
      secretCount: () => secrets.size,
    };
  };
  return make(undefined);
}

/** A logger that drops everything (for tests and tools that don't want output). */
export const silentLogger: Logger = createLogger({ level: 'silent' });
