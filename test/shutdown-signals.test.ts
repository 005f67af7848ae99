// onShutdownSignals in a process of its own, signalled one signal at a time (so the kernel can't merge two): the
// first starts the shutdown, the second is ignored, a third within 5 s exits 1 with a line saying so.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SCRIPT = `
import { createLogger } from './src/logger.ts';
import { onShutdownSignals } from './src/shutdown-signals.ts';
const logger = createLogger({ level: 'debug' });
onShutdownSignals({ logger, shutdown: (signal) => logger.info('shutdown started', { signal }) }); // and never ends
setInterval(() => undefined, 60_000);
logger.info('listening');
`;

it('first signal: the shutdown; second: ignored; third within 5 s: exit 1, said', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer): void => {
    output += d.toString();
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logged = async (pattern: RegExp): Promise<void> => {
    while (!pattern.test(output)) {
      if (child.exitCode !== null) throw new Error(output);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  try {
    await logged(/listening/);
    child.kill('SIGINT');
    await logged(/shutdown started signal=SIGINT/);
    child.kill('SIGTERM');
    await logged(/already shutting down; signal ignored signal=SIGTERM/);
    expect(child.exitCode).toBeNull();
    child.kill('SIGINT');
    expect(await exit, output).toBe(1);
    expect(output).toMatch(/warn +a third signal while shutting down: exiting now/);
    expect(output.match(/shutdown started/g)).toHaveLength(1);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 30_000);
