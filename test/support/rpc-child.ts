// A child process that serves a test API over its IPC channel with the sharding RPC server (test/rpc.test.ts).
// Adding a method here makes it callable from the parent with no other edit.
import { SpotifyRateLimitError } from '../../src/spotify/errors.js';
import { createRpcServer } from '../../src/sharding/rpc.js';

class Counter {
  private count = 0;
  async bump(by: number): Promise<number> {
    this.count += by;
    return this.count;
  }
}

export const testApi = {
  math: {
    add: async (a: number, b: number): Promise<number> => a + b,
    sum: async (values: number[]): Promise<{ total: number; pid: number }> => ({
      total: values.reduce((x, y) => x + y, 0),
      pid: process.pid,
    }),
  },
  counter: new Counter(),
  failing: {
    limited: async (seconds: number): Promise<never> => {
      throw new SpotifyRateLimitError(seconds, false);
    },
  },
};

export type TestApi = typeof testApi;

if (process.send) {
  const server = createRpcServer(testApi);
  process.on('message', (message) => {
    server.handle(message, (result) => process.send?.(result));
  });
  process.on('disconnect', () => process.exit(0));
}
