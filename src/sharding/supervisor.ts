// Spawns the shard processes one after the other and keeps them running, instead of discord.js's respawn (which
// retries a shard that can never start 2–3 times a second forever, with an unhandled rejection each time).
// - A shard that reports a fatal cause (token refused, intents disallowed) ends everything: `failed` resolves.
// - A shard that doesn't get ready (crash, timeout, network) is retried with a capped exponential backoff; after
//   `tuning.attempts` failures in a row it is `never_ready`, which is fatal too.
// - A shard that dies after being ready is restarted (after a short backoff), with its failure count reset.
import { setTimeout as sleep } from 'node:timers/promises';
import { ChildProcess } from 'node:child_process';
import type { Worker } from 'node:worker_threads';
import type { Shard, ShardingManager } from 'discord.js';
import { backoffDelay, StartupError, type ConnectTuning } from '../discord/connect.js';
import type { Logger } from '../logger.js';
import { isOurs, TAG, type StartupFailedReport } from './protocol.js';

/** How long a shard that lost its connection before ready gets to report why and exit. */
const GRACE_MS = 5_000;

export interface ShardSupervisorOptions {
  manager: ShardingManager;
  shardCount: number;
  /** Pause between spawning two shards (Discord allows one IDENTIFY per 5 s per bucket). */
  spawnDelayMs: number;
  tuning: ConnectTuning;
  logger: Logger;
  host: string;
}

export class ShardSupervisor {
  /** Resolves once every shard has been ready once; rejects with a StartupError if that cannot happen. */
  readonly ready: Promise<void>;
  /** Resolves with the cause when the supervisor gives up (also after `ready`); never rejects. */
  readonly failed: Promise<StartupError>;
  private fail!: (error: StartupError) => void;
  private stopping = false;
  private readonly abort = new AbortController();
  private readonly shards = new Map<number, Shard>();

  constructor(private readonly options: ShardSupervisorOptions) {
    this.failed = new Promise((resolve) => {
      this.fail = resolve;
    });
    this.ready = this.spawnAll();
    this.ready.catch((error: unknown) => {
      if (error instanceof StartupError) this.fail(error);
    });
  }

  private async spawnAll(): Promise<void> {
    const { shardCount, spawnDelayMs } = this.options;
    for (let id = 0; id < shardCount; id++) {
      if (id > 0 && spawnDelayMs > 0) await this.pause(spawnDelayMs);
      await this.bringUp(this.shard(id));
    }
  }

  private shard(id: number): Shard {
    let shard = this.shards.get(id);
    if (!shard) {
      shard = this.options.manager.createShard(id);
      // discord.js emits 'error' on a shard; without a listener that would throw.
      shard.on('error', (error) => this.options.logger.warn('shard error', { shard: id, error }));
      this.shards.set(id, shard);
    }
    return shard;
  }

  /** Spawn until the shard is ready; throws a fatal StartupError when it can't be. */
  private async bringUp(shard: Shard): Promise<void> {
    const { tuning, logger, host } = this.options;
    for (let failures = 1; ; failures++) {
      if (this.stopping) return;
      const outcome = await this.spawnOnce(shard);
      if (outcome === 'ready') {
        shard.once('death', () => this.onDeathAfterReady(shard));
        return;
      }
      if (this.stopping) return;
      if (!outcome.transient && outcome.kind !== 'never_ready') throw outcome;
      if (failures >= tuning.attempts) {
        throw new StartupError('never_ready', `shard ${shard.id}: ${failures} failed starts in a row; last: ${outcome.detail}`, host);
      }
      const delay = backoffDelay(tuning, failures);
      logger.warn(`shard ${shard.id} did not get ready: ${outcome.message} Retrying in ${delay / 1000} s`, {
        attempt: failures,
        of: tuning.attempts,
      });
      await this.pause(delay);
    }
  }

  private async spawnOnce(shard: Shard): Promise<'ready' | StartupError> {
    const { tuning, host } = this.options;
    let reported: StartupError | null = null;
    const onMessage = (message: unknown): void => {
      if (isOurs<StartupFailedReport>(message) && message[TAG] === 'startup-failed') {
        reported = new StartupError(message.kind, message.detail, host);
      }
    };
    shard.on('message', onMessage);
    // Gone = exited and its IPC channel drained, so a report sent just before exiting has been read.
    let gone: Promise<void> | null = null;
    const onSpawn = (child: ChildProcess | Worker): void => {
      if (!(child instanceof ChildProcess)) return; // mode 'process' only
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const drained = new Promise<void>((resolve) => child.once('disconnect', () => resolve()));
      gone = Promise.all([exited, drained]).then(() => undefined);
    };
    shard.once('spawn', onSpawn);
    // The shard's own deadline is two connect timeouts (/gateway/bot, then the gateway); allow for process start.
    const readyTimeoutMs = 2 * tuning.timeoutMs + 15_000;
    try {
      await shard.spawn(readyTimeoutMs);
      return 'ready';
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // A shard whose connection failed says why and exits by itself; give it a moment to do so.
      if (code !== 'ShardingReadyTimeout' && gone) await Promise.race([gone, this.pause(GRACE_MS)]);
      if (shard.process) shard.kill(); // still running (timed out, or stuck): don't leave it behind
      return (
        reported ??
        new StartupError(
          'never_ready',
          code === 'ShardingReadyTimeout'
            ? `shard ${shard.id} was not ready within ${readyTimeoutMs / 1000} s`
            : `shard ${shard.id} exited before it was ready`,
          host,
        )
      );
    } finally {
      shard.off('message', onMessage);
      shard.off('spawn', onSpawn);
    }
  }

  private onDeathAfterReady(shard: Shard): void {
    if (this.stopping) return;
    const delay = backoffDelay(this.options.tuning, 1);
    this.options.logger.warn(`shard ${shard.id} exited; restarting it in ${delay / 1000} s`);
    void this.pause(delay)
      .then(() => this.bringUp(shard))
      .catch((error: unknown) => {
        if (error instanceof StartupError) this.fail(error);
        else this.options.logger.error('could not restart a shard', { shard: shard.id, error });
      });
  }

  /** A wait that ends early (without throwing) when the supervisor stops. */
  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }

  /** Stop every shard (SIGTERM, then SIGKILL after 3 s) and spawn no more. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await Promise.all(
      [...this.shards.values()].map(async (shard) => {
        const child = shard.process;
        if (!child || child.exitCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        shard.kill(); // SIGTERM; the shard shuts down cleanly.
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
