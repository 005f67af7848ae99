// Ctrl-C in a terminal sends SIGINT to the whole process group and `npm start` forwards one more, so a process
// usually gets two signals a millisecond apart. The first SIGINT/SIGTERM starts the one graceful shutdown; later
// ones are ignored while it runs, so a second can't kill the process before it has said "stopped" and closed its
// storage. A third within 5 s is someone insisting: exit at once, with a line saying so.
import type { Logger } from './logger.js';

export const FORCE_WINDOW_MS = 5_000;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface ShutdownSignalOptions {
  logger: Logger;
  /** Starts the graceful shutdown; called once, for the first signal. */
  shutdown: (signal: NodeJS.Signals) => void;
  now?: () => number;
  exit?: (code: number) => void;
}

/** Installs the handlers; returns their removal. */
export function onShutdownSignals(options: ShutdownSignalOptions): () => void {
  const now = options.now ?? Date.now;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let firstAt: number | null = null;
  let count = 0;
  const handle = (signal: NodeJS.Signals): void => {
    if (firstAt === null) {
      firstAt = now();
      count = 1;
      options.shutdown(signal);
      return;
    }
    if (now() - firstAt > FORCE_WINDOW_MS) {
      firstAt = now(); // a slow shutdown: count again from here
      count = 1;
      return;
    }
    count++;
    if (count < 3) {
      options.logger.debug('already shutting down; signal ignored', { signal });
      return;
    }
    options.logger.warn('a third signal while shutting down: exiting now, without waiting for a clean stop', { signal });
    exit(1);
  };
  for (const signal of SIGNALS) process.on(signal, handle);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handle);
  };
}
