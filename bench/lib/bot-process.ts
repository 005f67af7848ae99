// The bot's production entry run from source in a child process (under tsx, with the lean V8 flags), for the bench
// sections that compare its memory with and without a feature: spawn, wait for "connected to Discord", read its
// RSS, stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEAN_NODE_FLAGS } from '../../src/node-flags.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface BotProcess {
  child: ChildProcess;
  /** True once the bot logged "connected to Discord"; false if it exited or took longer than 3 minutes. */
  ready: Promise<boolean>;
  /** What it printed so far (for an error row). */
  output(): string;
  /** Its resident set now, in MB (NaN once it is gone). */
  rssMb(): number;
  /** SIGTERM, and SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

export function rssKb(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

/** `cwd` is an empty folder (no .env is read there): tsx is named by its resolved URL. */
export function spawnBotFromSource(cwd: string, env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, [...LEAN_NODE_FLAGS, '--import', import.meta.resolve('tsx'), join(ROOT, 'src/index.ts')], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<boolean>((resolve) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('connected to Discord')) resolve(true);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => resolve(false));
    setTimeout(() => resolve(false), 180_000).unref();
  });
  return {
    child,
    ready,
    output: () => output,
    rssMb: () => rssKb(child.pid!) / 1024,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      });
    },
  };
}
