// Redis for the tests: the real redis-server on 127.0.0.1:6379 (or REDIS_URL). In CI it must answer (.ci/run starts
// it); elsewhere tests that need it are skipped with a printed reason.
import { connect } from 'node:net';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisAnswers(url = REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** true when Redis tests should run; throws in CI when Redis is missing (CI must not silently skip them). */
export async function requireRedis(): Promise<boolean> {
  if (await redisAnswers()) return true;
  if (process.env.CI) throw new Error(`Redis does not answer at ${REDIS_URL}; .ci/run should have started it`);
  console.warn(`[skip] Redis tests skipped: no Redis answers at ${REDIS_URL} (start redis-server to run them)`);
  return false;
}
