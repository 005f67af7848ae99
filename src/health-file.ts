// A heartbeat file for container health checks: while `healthy()` holds, the file's modification time is kept
// fresh; `node dist/src/healthcheck.js` (the Dockerfile's HEALTHCHECK) fails once it is older than a limit. The
// file is written under data/ (the one folder the bot may write to in the container and under systemd).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const HEARTBEAT_FILE = 'data/.heartbeat';
export const HEARTBEAT_INTERVAL_MS = 30_000;
/** A heartbeat older than this is a failed health check: three missed beats, plus slack. */
export const HEARTBEAT_MAX_AGE_MS = 100_000;

export interface HeartbeatOptions {
  /** True while the bot is connected to Discord (e.g. `client.isReady()`, or every shard ready). */
  healthy: () => boolean;
  file?: string;
  intervalMs?: number;
}

export interface Heartbeat {
  /** Write now if healthy; false when unhealthy or the file could not be written. */
  beat(): boolean;
  /** Stop beating and remove the file: a bot that stopped is not connected, even in the next 100 s. */
  stop(): void;
}

/** Beats once now and then every `intervalMs`; the timer never keeps the process alive. */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const file = options.file ?? HEARTBEAT_FILE;
  const beat = (): boolean => {
    if (!options.healthy()) return false;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${new Date().toISOString()}\n`);
      return true;
    } catch {
      return false; // a read-only or full disk shows up as a failing health check
    }
  };
  const timer = setInterval(beat, options.intervalMs ?? HEARTBEAT_INTERVAL_MS);
  timer.unref();
  beat();
  return {
    beat,
    stop: () => {
      clearInterval(timer);
      try {
        rmSync(file, { force: true });
      } catch {
        // can't remove it (read-only disk): it goes stale instead
      }
    },
  };
}
