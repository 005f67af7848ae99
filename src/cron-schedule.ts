// Runs a job on a cron expression without keeping ICU's time-zone data in memory when it needn't.
//
// node-cron works out every firing with Intl.DateTimeFormat, which pages in ~7 MB of ICU data from the node binary
// (measured with `npm run bench`: RSS after ready at 1,000 guilds, PRESENCE_CRON on vs off). The presence poll's
// expressions are almost always "every N seconds" (the default is "*/15 * * * * *"), which needs no calendar at all:
// those fire on a timer at every whole multiple of N seconds of the clock — the same instants node-cron picks,
// since time zones shift the clock by whole minutes. Any other expression is handed to node-cron, loaded then.
//
// Like node-cron's `noOverlap`: a firing is skipped while the previous run is still going.

import { parse as parseCron } from 'node-cron';

/** The shortest gap between two runs of a cron expression, judged by its seconds field (ms). */
export function shortestCronIntervalMs(cron: string): number {
  const seconds = [...new Set(parseCron(cron).second)].sort((a, b) => a - b);
  if (seconds.length <= 1) return 60_000;
  let shortest = 60 - seconds[seconds.length - 1]! + seconds[0]!;
  for (let i = 1; i < seconds.length; i++) shortest = Math.min(shortest, seconds[i]! - seconds[i - 1]!);
  return shortest * 1000;
}

export interface CronTask {
  destroy(): Promise<void>;
}

/** "* * * * * *", "*\/N * * * * *" or "0/N * * * * *" with N dividing 60 → N; anything else → null. */
export function everySeconds(expression: string): number | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6 || fields.slice(1).some((f) => f !== '*')) return null;
  const match = /^(?:\*|(?:\*|0)\/(\d{1,2}))$/.exec(fields[0]!);
  if (!match) return null;
  const step = match[1] === undefined ? 1 : Number(match[1]);
  return step >= 1 && 60 % step === 0 ? step : null;
}

export function scheduleCron(expression: string, job: () => Promise<void> | void, now: () => number = Date.now): CronTask {
  let running = false;
  const fire = (): void => {
    if (running) return;
    running = true;
    void (async () => {
      try {
        await job();
      } catch {
        // The job reports its own failures; a throw must not stop the schedule.
      } finally {
        running = false;
      }
    })();
  };

  const step = everySeconds(expression);
  if (step !== null) {
    const periodMs = step * 1000;
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    const arm = (): void => {
      // To the next whole multiple of the period; +1 ms so a timer that fires a hair early doesn't re-arm for the
      // same instant.
      const t = now();
      timer = setTimeout(() => {
        if (stopped) return;
        fire();
        arm();
      }, periodMs - (t % periodMs) + 1);
    };
    arm();
    return {
      destroy(): Promise<void> {
        stopped = true;
        if (timer) clearTimeout(timer);
        return Promise.resolve();
      },
    };
  }

  let destroyed = false;
  const loading = import('node-cron').then(({ schedule }) => (destroyed ? null : schedule(expression, fire)));
  return {
    async destroy(): Promise<void> {
      destroyed = true;
      await (await loading)?.destroy();
    },
  };
}
