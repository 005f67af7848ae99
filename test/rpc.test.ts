// The sharding RPC is derived from the API type: a real child process serves test/support/rpc-child.ts's API and
// this process calls it through createRpcClient<TestApi> — no list of methods anywhere. Unknown methods are answered
// with an UnknownMethodError, typed errors come back as the same class, and a method missing from the type doesn't
// compile.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnknownMethodError } from '../src/sharding/protocol.js';
import { createRpcClient, createRpcServer } from '../src/sharding/rpc.js';
import { SpotifyRateLimitError } from '../src/spotify/errors.js';
import type { TestApi } from './support/rpc-child.js';

let child: ChildProcess;
let rpc: ReturnType<typeof createRpcClient<TestApi>>;

beforeAll(async () => {
  child = fork(join(import.meta.dirname, 'support/rpc-child.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  rpc = createRpcClient<TestApi>({ send: (call) => child.send(call), timeoutMs: 10_000 });
  child.on('message', (message) => rpc.handle(message));
  await new Promise<void>((resolve) => child.once('spawn', () => resolve()));
});

afterAll(async () => {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.disconnect();
  await exited;
});

describe('RPC across a real child process', () => {
  it('every method of the API type is callable, with JSON arguments and results', async () => {
    expect(await rpc.api.math.add(2, 3)).toBe(5);
    const summed = await rpc.api.math.sum([1, 2, 3, 4]);
    expect(summed.total).toBe(10);
    expect(summed.pid).toBe(child.pid);
    // Methods on a class prototype (how the feature services are written) are served too, with their `this`.
    expect(await rpc.api.counter.bump(2)).toBe(2);
    expect(await rpc.api.counter.bump(3)).toBe(5);
  }, 20_000);

  it('typed errors come back as the same class', async () => {
    const error: unknown = await rpc.api.failing.limited(42).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpotifyRateLimitError);
    expect((error as SpotifyRateLimitError).retryAfterSeconds).toBe(42);
  }, 20_000);

  it('a method the server lacks is an UnknownMethodError, not undefined; so are prototype tricks', async () => {
    type Wider = TestApi & { math: { mul(a: number, b: number): Promise<number> }; nothing: { here(): Promise<void> } };
    const wider = rpc.api as unknown as Wider;
    for (const call of [
      () => wider.math.mul(2, 3),
      () => wider.nothing.here(),
      () => (wider.math as unknown as { constructor(): Promise<unknown> }).constructor(),
      () => (wider.math as unknown as { hasOwnProperty(): Promise<unknown> }).hasOwnProperty(),
      () => (wider as unknown as { __proto__: { x(): Promise<unknown> } }).__proto__.x(),
    ]) {
      const error: unknown = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownMethodError);
      expect((error as Error).message).toMatch(/has no method/);
    }
    expect(rpc.pendingCount).toBe(0);
  }, 20_000);

  it('a method missing from the type is a compile error (checked by tsc)', () => {
    const compileOnly = (): void => {
      // @ts-expect-error — `mul` is not part of TestApi
      void rpc.api.math.mul(2, 3);
      // @ts-expect-error — arguments are checked against the API type
      void rpc.api.math.add('2', 3);
    };
    expect(typeof compileOnly).toBe('function');
  });
});

describe('the serving side on its own', () => {
  it('answers only call messages, and overrides on the proxy side replace single methods', async () => {
    const server = createRpcServer({ ns: { hello: async (name: string) => `hello ${name}` } });
    expect(server.handle({ not: 'ours' }, () => undefined)).toBe(false);
    type Api = { ns: { hello(name: string): Promise<string>; bye(name: string): Promise<string> } };
    const client = createRpcClient<Api>(
      { send: (call) => server.handle(call, (result) => client.handle(result)) },
      (wire) => ({ ns: { bye: async (name: string) => `${await wire.ns.hello(name)}, and bye` } }),
    );
    expect(await client.api.ns.hello('you')).toBe('hello you');
    expect(await client.api.ns.bye('you')).toBe('hello you, and bye');
    await expect(client.wire.ns.bye('you')).rejects.toBeInstanceOf(UnknownMethodError);
  });
});
