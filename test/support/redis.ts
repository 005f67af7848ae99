// Redis for the tests: the real redis-server on 127.0.0.1:6379 (or REDIS_URL). In CI it must answer (.ci/run starts
// it); elsewhere tests that need it are skipped with a printed reason.
import { connect } from 'node:net';

const BASE_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The Redis this test file uses. `requireRedis()` gives each test file a database of its own (1–15, handed out in
 * turn by an INCR in database 0, and flushed before use), so files running in parallel never share keys.
 */
export let REDIS_URL = BASE_URL;

/** Send RESP commands on one connection; resolves with the raw replies once `replies` of them arrived. */
function redisCommands(url: string, commands: string[][], replies: number): Promise<string> {
  const { hostname, port } = new URL(url);
  const wire = commands.map((args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join('');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    let received = '';
    socket.setTimeout(2_000, () => {
      socket.destroy();
      reject(new Error(`Redis at ${url} did not answer`));
    });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(wire));
    socket.on('data', (data) => {
      received += data.toString();
      if (received.split('\r\n').filter((line) => /^[+:-]/.test(line)).length >= replies) {
        socket.destroy();
        resolve(received);
      }
    });
  });
}

async function ownDatabase(): Promise<string> {
  const counter = await redisCommands(BASE_URL, [['INCR', 'npb:test-database']], 1);
  const n = Number(/:(\d+)/.exec(counter)?.[1] ?? '0');
  const db = 1 + (n % 15);
  const url = new URL(BASE_URL);
  url.pathname = `/${db}`;
  await redisCommands(url.toString(), [['SELECT', String(db)], ['FLUSHDB']], 2);
  return url.toString();
}

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
  if (await redisAnswers(BASE_URL)) {
    REDIS_URL = await ownDatabase();
    return true;
  }
  if (process.env.CI) throw new Error(`Redis does not answer at ${REDIS_URL}; .ci/run should have started it`);
  console.warn(`[skip] Redis tests skipped: no Redis answers at ${REDIS_URL} (start redis-server to run them)`);
  return false;
}
