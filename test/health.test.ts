// The container health check: the heartbeat writer (src/health-file.ts) and the HEALTHCHECK command
// (src/healthcheck.ts, run as its own process like Docker runs it) agree on the file and its age.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_FILE, startHeartbeat } from '../src/health-file.js';

const ROOT = join(import.meta.dirname, '..');

function healthcheck(cwd: string, ...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/healthcheck.ts'), ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('heartbeat file and health check', () => {
  it('is unhealthy without a heartbeat, healthy after one, unhealthy once it is stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npb-health-'));
    const file = join(dir, HEARTBEAT_FILE);
    expect(healthcheck(dir)).toMatchObject({ code: 1, out: expect.stringMatching(/unhealthy: no heartbeat/) });

    let connected = false;
    const heartbeat = startHeartbeat({ healthy: () => connected, file, intervalMs: 60_000 });
    try {
      expect(existsSync(file)).toBe(false); // not connected: no beat
      connected = true;
      expect(heartbeat.beat()).toBe(true);
      expect(Date.parse(readFileSync(file, 'utf8').trim())).toBeGreaterThan(Date.now() - 60_000);
      expect(healthcheck(dir)).toMatchObject({ code: 0, out: expect.stringMatching(/^healthy/) });

      const old = new Date(Date.now() - 10 * 60_000);
      utimesSync(file, old, old);
      expect(healthcheck(dir)).toMatchObject({ code: 1, out: expect.stringMatching(/unhealthy: last heartbeat 6\d\d s ago \(limit 100 s\)/) });
      expect(healthcheck(dir, HEARTBEAT_FILE, '900').code).toBe(0);

      connected = false; // disconnected: the file ages instead of being refreshed
      expect(heartbeat.beat()).toBe(false);
      expect(healthcheck(dir).code).toBe(1);
    } finally {
      heartbeat.stop();
    }
  });
});
