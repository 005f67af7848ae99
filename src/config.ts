// Environment (.env through dotenv; real environment variables win) → one typed, validated Config.
// Every problem is collected and reported at once, each with how to fix it. No secret value is ever echoed.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parse as parseDotenv } from 'dotenv';
import { validate as validateCron } from 'node-cron';
import { shortestCronIntervalMs } from './cron-schedule.js';
import { isKnownLocale, LANGUAGES } from './i18n/locales.js';
import { LOG_LEVELS, type LogFields, type LogLevel } from './logger.js';
import { checkRedirectUri } from './spotify/authorization.js';

export interface Config {
  discord: {
    token: string;
    clientId: string;
    guildId: string | null;
    ownerId: string | null;
    apiUrl: string;
    /** DISCORD_CONNECT_TIMEOUT (seconds) → ms per connection attempt; null: the default (src/discord/connect.ts). */
    connectTimeoutMs: number | null;
    /** DISCORD_CONNECT_ATTEMPTS: network failures in a row before giving up; null: the default. */
    connectAttempts: number | null;
  };
  spotify: {
    clientId: string;
    clientSecret: string;
    /** From the environment; a token stored later by `/spotify login` or rotation may supersede it. */
    refreshToken: string | null;
    /** When the owner consented (SPOTIFY_REFRESH_TOKEN_GRANTED_AT, written by `npm run authorize`); epoch ms. */
    refreshTokenGrantedAt: number | null;
    accountsUrl: string;
    apiUrl: string;
    /**
     * SPOTIFY_IMAGES_URL (tests, demo, bench only): fetch cover art from this origin instead of Spotify's image hosts.
     * Only the path of a URL that is already on an allowed Spotify host is used, so no payload can pick the host.
     */
    imagesUrl: string | null;
    /** Where Spotify sends the browser after consent (registered in the Spotify app); used by /spotify login. */
    redirectUri: string;
    /** SPOTIFY_MAX_USERS: Spotify accounts the bot may link, the owner's included (development mode: 5). */
    maxUsers: number;
    /**
     * The bot serves the redirect itself (members are linked without pasting) when SPOTIFY_REDIRECT_URI is https://
     * (a reverse proxy in front of it): where to listen (SPOTIFY_CALLBACK_LISTEN, default 127.0.0.1:8888) and the
     * redirect URI's path. null with a loopback redirect URI: the paste flow only.
     */
    callbackServer: { host: string; port: number; path: string } | null;
  };
  /** node-cron expression, or null when the presence job is off. */
  presenceCron: string | null;
  /** RECAP_CRON: when the weekly recaps are posted (node-cron, in the bot's TZ). */
  recapCron: string;
  storageUrl: string;
  logLevel: LogLevel;
  /** HEARTBEAT_FILE (set in the Docker image): kept fresh while connected to Discord, for the HEALTHCHECK. */
  heartbeatFile: string | null;
  /** null: one process (default). N or 'auto': discord.js's ShardingManager with that many shard processes. */
  shards: number | 'auto' | null;
  /** DISCORD_PRESENCES=on: ask for the privileged GUILD_PRESENCES intent and read members' Spotify status. */
  discordPresences: boolean;
  history: HistorySettings;
  /** DISCORD_CDN_URL (tests and demo only): fetch attachments from this origin instead of Discord's CDN. */
  discordCdnUrl: string | null;
  /** BOT_LOCALE: the language of DMs to someone whose language the bot hasn't seen (a Discord locale; default en-US). */
  botLocale: string;
}

/** Listening history: where it is kept, whether it is on, how long plays are kept. */
export interface HistorySettings {
  /** HISTORY=off turns recording, imports and every history view off. */
  enabled: boolean;
  /**
   * The SQL database: `sqlite://file` or `postgres://…`. The same as STORAGE_URL when that is SQLite or PostgreSQL
   * (one file or one server for everything), else HISTORY_URL (default sqlite://data/history.sqlite; memory://
   * storage keeps history in memory too).
   */
  url: string;
  /** HISTORY_RETENTION_DAYS: plays older than this are deleted daily; null keeps everything. */
  retentionDays: number | null;
}

const SQL_URL = /^(sqlite:\/\/.+|postgres(ql)?:\/\/.+)$/;

/** The history settings alone, for the import script (which needs no Discord or Spotify settings). */
export function loadHistorySettings(env: Env): { settings: HistorySettings; problems: string[] } {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const enabledRaw = (value('HISTORY') ?? 'on').toLowerCase();
  if (enabledRaw !== 'on' && enabledRaw !== 'off') problems.push(`HISTORY must be "on" or "off" (got "${enabledRaw}") — leave it empty for on`);
  const storageUrl = value('STORAGE_URL') ?? DEFAULTS.STORAGE_URL;
  const explicit = value('HISTORY_URL');
  if (explicit !== undefined && !SQL_URL.test(explicit)) {
    problems.push(`HISTORY_URL must be sqlite://path/to/file.sqlite or postgres://user@host/db (got "${explicit}")`);
  }
  const url =
    explicit ??
    (SQL_URL.test(storageUrl) ? storageUrl : storageUrl.startsWith('memory://') ? 'sqlite://:memory:' : DEFAULTS.HISTORY_URL);
  const retentionRaw = value('HISTORY_RETENTION_DAYS');
  let retentionDays: number | null = null;
  if (retentionRaw !== undefined) {
    if (/^\d+$/.test(retentionRaw) && Number(retentionRaw) >= 1) retentionDays = Number(retentionRaw);
    else problems.push(`HISTORY_RETENTION_DAYS must be a whole number of days, 1 or more (got "${retentionRaw}") — leave it empty to keep everything`);
  }
  return { settings: { enabled: enabledRaw !== 'off', url, retentionDays }, problems };
}

export const DEFAULTS = {
  SPOTIFY_ACCOUNTS_URL: 'https://accounts.spotify.com',
  SPOTIFY_API_URL: 'https://api.spotify.com/v1',
  SPOTIFY_REDIRECT_URI: 'http://127.0.0.1:8888/callback',
  SPOTIFY_MAX_USERS: 5,
  SPOTIFY_CALLBACK_LISTEN: '127.0.0.1:8888',
  DISCORD_API_URL: 'https://discord.com/api',
  PRESENCE_CRON: '*/15 * * * * *',
  RECAP_CRON: '0 10 * * 1',
  STORAGE_URL: 'sqlite://data/bot.sqlite',
  HISTORY_URL: 'sqlite://data/history.sqlite',
  LOG_LEVEL: 'info',
  BOT_LOCALE: 'en-US',
} as const;

const SETTINGS_HINT = 'Set these in .env (see .env.example and the README) or in the environment.';

/** Every start-up problem with the settings, each with its fix; printed as one block, no stack trace. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly problems: string[],
    hint: string | null = SETTINGS_HINT,
  ) {
    super(
      `The bot can't start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}.\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        (hint ? `\n${hint}` : ''),
    );
  }
}

export type Env = Record<string, string | undefined>;

/** Who this process runs as, for a fix that names the user ("bot", or "uid 999" without a passwd entry). */
function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** Why `envFile` can't be read, with what to do about it. */
function envFileProblem(envFile: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM': {
      const user = currentUser();
      return (
        `${envFile} can't be read: permission denied (${error.code}); the bot runs as ${user} — ` +
        `make the file readable by that user only, e.g. \`chown ${user} ${envFile} && chmod 600 ${envFile}\` ` +
        '(under systemd, run deploy/install.sh again)'
      );
    }
    case 'EISDIR':
      return `${envFile} is a folder, not a file (EISDIR) — move the folder away and put the settings in a file named ${envFile} (start from .env.example)`;
    default:
      return `${envFile} can't be read: ${error.message} — check the file, or remove it and set the settings in the environment`;
  }
}

/**
 * The one rule for every setting: a variable that is empty (or only spaces) is not set. Compose's `env_file`,
 * systemd's `Environment=` and a shell's `export X=` all pass `.env.example`'s `KEY=` lines on as empty variables.
 */
export function settingValue(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  return value ? value : undefined;
}

/** `env` without its unset (empty) variables, so an empty one never hides a value underneath it. */
function setOnly(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, raw]) => settingValue(raw) !== undefined));
}

/**
 * Variables from `.env` (if the file exists) overlaid by the real environment; an empty variable in either counts
 * as not set. A `.env` that exists but can't be read (permissions, a folder) is a ConfigError: one message with the
 * fix, never a stack trace.
 */
export function readEnv(env: Env = process.env, envFile = '.env'): Env {
  let fromFile: Env = {};
  try {
    fromFile = parseDotenv(readFileSync(envFile));
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    if (failure.code !== 'ENOENT') throw new ConfigError([envFileProblem(envFile, failure)], null);
  }
  return { ...setOnly(fromFile), ...setOnly(env) };
}

/** What the command line may set, and the setting each flag stands for. */
const FLAGS: Readonly<Record<string, string>> = {
  // The Docker image passes its heartbeat path this way: an empty HEARTBEAT_FILE= from Compose's env_file would
  // replace an image `ENV`, but nothing in the environment can change the image's CMD.
  '--heartbeat-file': 'HEARTBEAT_FILE',
};

/** Command-line settings (`--heartbeat-file=PATH` or `--heartbeat-file PATH`); they win over the environment. */
export function readArgs(argv: readonly string[]): Env {
  const settings: Env = {};
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const name = FLAGS[flag];
    if (name === undefined) {
      problems.push(`unknown argument "${arg}" — the bot takes only ${Object.keys(FLAGS).join(', ')}; put settings in .env`);
      continue;
    }
    const value = settingValue(eq === -1 ? argv[++i] : arg.slice(eq + 1));
    if (value === undefined) problems.push(`${flag} needs a value, e.g. ${flag}=data/.heartbeat`);
    else settings[name] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems, null);
  return settings;
}

/** Which shards a shard process runs, of how many (set by discord.js's ShardingManager, passed to the Client). */
export interface ShardAssignment {
  ids: number[];
  count: number;
}

/**
 * In a shard process: the ShardingManager's SHARDS (one id, or a JSON list of ids) and SHARD_COUNT. Read here, like
 * every other setting, and handed to discord.js explicitly (src/discord/library-env.ts).
 */
export function loadShardAssignment(env: Env): ShardAssignment {
  const idsRaw = settingValue(env.SHARDS);
  const countRaw = settingValue(env.SHARD_COUNT);
  const count = countRaw !== undefined && /^\d+$/.test(countRaw) ? Number(countRaw) : NaN;
  let ids: unknown = undefined;
  try {
    ids = idsRaw === undefined ? undefined : JSON.parse(idsRaw);
  } catch {
    // reported below
  }
  const list = typeof ids === 'number' ? [ids] : ids;
  if (
    !(count >= 1) ||
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((id): id is number => Number.isInteger(id) && id >= 0 && id < count)
  ) {
    throw new ConfigError(
      [`a shard process needs SHARDS (its shard ids) and SHARD_COUNT from the ShardingManager (got "${idsRaw ?? ''}" of "${countRaw ?? ''}")`],
      'Shard processes are started by the bot itself (SHARDS=N in .env); run dist/src/index.js, not shard.js.',
    );
  }
  return { ids: list, count };
}

/** A Discord id (snowflake): 17–20 digits. */
export const SNOWFLAKE = /^\d{17,20}$/;
/** A Spotify app's client id (and secret): 32 hexadecimal characters. */
export const SPOTIFY_APP_ID = /^[0-9a-f]{32}$/i;
// Discord bot tokens are three base64url parts joined by dots.
const DISCORD_TOKEN = /^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/;

const AUTHORIZE_HINT = 'run `npm run authorize` to get one';
const DISCORD_PORTAL = 'discord.com/developers/applications';
const SPOTIFY_DASHBOARD = 'developer.spotify.com/dashboard';

function checker(env: Env) {
  const problems: string[] = [];
  const value = (name: string): string | undefined => settingValue(env[name]);

  const required = (name: string, fix: string, pattern?: RegExp, shape?: string): string => {
    const v = value(name);
    if (v === undefined) {
      problems.push(`${name} is missing — ${fix}`);
      return '';
    }
    if (pattern && !pattern.test(v)) {
      problems.push(`${name} doesn't look right (expected ${shape}) — ${fix}`);
    }
    return v;
  };

  const optionalSnowflake = (name: string, fix: string): string | null => {
    const v = value(name);
    if (v === undefined) return null;
    if (!SNOWFLAKE.test(v)) problems.push(`${name} must be a Discord ID (17–20 digits) — ${fix}`);
    return v;
  };

  const url = (name: string, fallback: string): string => {
    const v = value(name) ?? fallback;
    try {
      const parsed = new URL(v);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      problems.push(`${name} must be an http(s) URL (default ${fallback}) — remove it to use the default`);
    }
    return v.replace(/\/+$/, '');
  };

  return { problems, value, required, optionalSnowflake, url };
}

/** An optional number setting within [min, max]; a malformed one is a problem with its fix. */
function optionalNumber(problems: string[], name: string, raw: string | undefined, min: number, max: number, what: string): number | null {
  if (raw === undefined) return null;
  const n = Number(raw);
  if (Number.isFinite(n) && n >= min && n <= max) return n;
  problems.push(`${name} must be ${what} from ${min} to ${max} (got "${raw}") — leave it empty for the default`);
  return null;
}

function discordSection(check: ReturnType<typeof checker>): Config['discord'] {
  const { required, optionalSnowflake, url, value, problems } = check;
  const timeoutSeconds = optionalNumber(problems, 'DISCORD_CONNECT_TIMEOUT', value('DISCORD_CONNECT_TIMEOUT'), 0.1, 600, 'a number of seconds');
  const attempts = optionalNumber(problems, 'DISCORD_CONNECT_ATTEMPTS', value('DISCORD_CONNECT_ATTEMPTS'), 1, 100, 'a whole number');
  return {
    token: required(
      'DISCORD_TOKEN',
      `copy it from ${DISCORD_PORTAL} → your app → Bot → Reset Token`,
      DISCORD_TOKEN,
      'a bot token: three dot-separated parts',
    ),
    clientId: required(
      'DISCORD_CLIENT_ID',
      `copy the Application ID from ${DISCORD_PORTAL} → your app → General Information`,
      SNOWFLAKE,
      'a Discord ID of 17–20 digits',
    ),
    guildId: optionalSnowflake(
      'DISCORD_GUILD_ID',
      'right-click your server with Developer Mode on → Copy Server ID, or leave it empty for global commands',
    ),
    ownerId: optionalSnowflake(
      'BOT_OWNER_ID',
      'right-click your own name with Developer Mode on → Copy User ID, or leave it empty',
    ),
    apiUrl: url('DISCORD_API_URL', DEFAULTS.DISCORD_API_URL),
    connectTimeoutMs: timeoutSeconds === null ? null : Math.round(timeoutSeconds * 1000),
    connectAttempts: attempts === null ? null : Math.floor(attempts),
  };
}

/** Only what talking to Discord needs (for `npm run deploy`). */
export function loadDiscordConfig(env: Env): Config['discord'] {
  const check = checker(env);
  const discord = discordSection(check);
  if (check.problems.length > 0) throw new ConfigError(check.problems);
  return discord;
}

export function loadConfig(env: Env): Config {
  const check = checker(env);
  const { problems, value, required, url } = check;
  const discord = discordSection(check);

  const spotifyClientId = required(
    'SPOTIFY_CLIENT_ID',
    `copy the Client ID from ${SPOTIFY_DASHBOARD} → your app → Settings`,
    SPOTIFY_APP_ID,
    '32 hexadecimal characters',
  );
  const spotifyClientSecret = required(
    'SPOTIFY_CLIENT_SECRET',
    `copy the Client secret from ${SPOTIFY_DASHBOARD} → your app → Settings`,
    SPOTIFY_APP_ID,
    '32 hexadecimal characters',
  );
  const refreshToken = required('SPOTIFY_REFRESH_TOKEN', AUTHORIZE_HINT, /^\S{20,}$/, 'a long token without spaces');

  const grantedRaw = value('SPOTIFY_REFRESH_TOKEN_GRANTED_AT');
  let refreshTokenGrantedAt: number | null = null;
  if (grantedRaw !== undefined) {
    const parsed = Date.parse(grantedRaw);
    if (Number.isFinite(parsed)) refreshTokenGrantedAt = parsed;
    else problems.push('SPOTIFY_REFRESH_TOKEN_GRANTED_AT must be an ISO date (e.g. 2026-11-28T12:00:00Z) — `npm run authorize` writes it');
  }

  const redirectUri = value('SPOTIFY_REDIRECT_URI') ?? DEFAULTS.SPOTIFY_REDIRECT_URI;
  const redirectProblem = checkRedirectUri(redirectUri);
  if (redirectProblem) problems.push(`SPOTIFY_REDIRECT_URI: ${redirectProblem}`);

  const maxUsersRaw = value('SPOTIFY_MAX_USERS') ?? String(DEFAULTS.SPOTIFY_MAX_USERS);
  const maxUsers = /^\d+$/.test(maxUsersRaw) ? Number(maxUsersRaw) : NaN;
  if (!(maxUsers >= 1 && maxUsers <= 1000)) {
    problems.push(
      `SPOTIFY_MAX_USERS must be a number from 1 (the owner only) up (got "${maxUsersRaw}") — a development-mode Spotify app allows 5, the owner included`,
    );
  }
  const listenRaw = value('SPOTIFY_CALLBACK_LISTEN') ?? DEFAULTS.SPOTIFY_CALLBACK_LISTEN;
  const listen = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(listenRaw);
  if (!listen || Number(listen[2]) > 65535) {
    problems.push(`SPOTIFY_CALLBACK_LISTEN must be host:port, e.g. 127.0.0.1:8888 (got "${listenRaw}")`);
  }
  let callbackServer: Config['spotify']['callbackServer'] = null;
  if (!redirectProblem && redirectUri.startsWith('https://') && listen) {
    callbackServer = { host: listen[1]!.replace(/^\[|\]$/g, ''), port: Number(listen[2]), path: new URL(redirectUri).pathname };
  }

  const cronRaw = value('PRESENCE_CRON') ?? DEFAULTS.PRESENCE_CRON;
  let presenceCron: string | null = cronRaw;
  if (cronRaw.toLowerCase() === 'off') presenceCron = null;
  else if (!validateCron(cronRaw)) {
    problems.push(
      `PRESENCE_CRON "${cronRaw}" is not a valid cron expression — use e.g. "*/15 * * * * *" (every 15 s) or "off"`,
    );
  }

  const recapCron = value('RECAP_CRON') ?? DEFAULTS.RECAP_CRON;
  if (!validateCron(recapCron)) {
    problems.push(`RECAP_CRON "${recapCron}" is not a valid cron expression — use e.g. "0 10 * * 1" (Mondays at 10:00, the default)`);
  }

  const storageUrl = value('STORAGE_URL') ?? DEFAULTS.STORAGE_URL;
  if (!/^(sqlite:\/\/.+|redis:\/\/.+|rediss:\/\/.+|postgres(ql)?:\/\/.+|memory:\/\/.*)$/.test(storageUrl)) {
    problems.push(
      'STORAGE_URL must be sqlite://path/to/file.sqlite, redis://host:6379 (or rediss://), postgres://user@host/db, ' +
        `or memory:// — remove it to use ${DEFAULTS.STORAGE_URL}`,
    );
  }
  const history = loadHistorySettings(env);
  problems.push(...history.problems);

  const shardsRaw = value('SHARDS');
  let shards: Config['shards'] = null;
  if (shardsRaw !== undefined) {
    if (shardsRaw.toLowerCase() === 'auto') shards = 'auto';
    else if (/^\d+$/.test(shardsRaw) && Number(shardsRaw) >= 1 && Number(shardsRaw) <= 1024) shards = Number(shardsRaw);
    else problems.push(`SHARDS must be a number of shards (1–1024) or "auto" (got "${shardsRaw}") — leave it empty to run one process`);
  }

  const presencesRaw = (value('DISCORD_PRESENCES') ?? 'off').toLowerCase();
  if (presencesRaw !== 'on' && presencesRaw !== 'off') {
    problems.push(`DISCORD_PRESENCES must be "on" or "off" (got "${presencesRaw}") — leave it empty for off`);
  }

  const botLocale = value('BOT_LOCALE') ?? DEFAULTS.BOT_LOCALE;
  if (!isKnownLocale(botLocale)) {
    problems.push(`BOT_LOCALE must be one of ${LANGUAGES.join(', ')} (Discord's locale codes; got "${botLocale}") — leave it empty for en-US`);
  }

  const levelRaw = (value('LOG_LEVEL') ?? DEFAULTS.LOG_LEVEL).toLowerCase();
  const logLevel = LOG_LEVELS.find((l) => l === levelRaw);
  if (!logLevel) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${levelRaw}")`);

  const config: Config = {
    discord,
    spotify: {
      clientId: spotifyClientId,
      clientSecret: spotifyClientSecret,
      refreshToken: refreshToken || null,
      refreshTokenGrantedAt,
      accountsUrl: url('SPOTIFY_ACCOUNTS_URL', DEFAULTS.SPOTIFY_ACCOUNTS_URL),
      apiUrl: url('SPOTIFY_API_URL', DEFAULTS.SPOTIFY_API_URL),
      imagesUrl: value('SPOTIFY_IMAGES_URL') === undefined ? null : url('SPOTIFY_IMAGES_URL', 'none'),
      redirectUri,
      maxUsers: Number.isFinite(maxUsers) ? maxUsers : DEFAULTS.SPOTIFY_MAX_USERS,
      callbackServer,
    },
    presenceCron,
    recapCron,
    storageUrl,
    logLevel: logLevel ?? 'info',
    heartbeatFile: value('HEARTBEAT_FILE') ?? null,
    shards,
    discordPresences: presencesRaw === 'on',
    history: history.settings,
    discordCdnUrl: value('DISCORD_CDN_URL') === undefined ? null : url('DISCORD_CDN_URL', 'none'),
    botLocale,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** A PRESENCE_CRON faster than this is warned about at start: every poll is a Spotify request against the quota. */
export const FAST_POLL_WARNING_MS = 5_000;

/** Settings that work but are probably a mistake: one line each, logged once at start by the entry point. */
export function configWarnings(config: Config): Array<{ message: string; fields: LogFields }> {
  const warnings: Array<{ message: string; fields: LogFields }> = [];
  if (config.presenceCron) {
    const interval = shortestCronIntervalMs(config.presenceCron);
    if (interval < FAST_POLL_WARNING_MS) {
      warnings.push({
        message:
          'PRESENCE_CRON polls Spotify more often than every 5 s: every poll is a request that counts against the ' +
          'Spotify quota shared with commands; "*/15 * * * * *" (the default) is plenty',
        fields: { cron: config.presenceCron, everyS: interval / 1000 },
      });
    }
  }
  return warnings;
}
