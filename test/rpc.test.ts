// The sharding RPC is derived from the API type: a real child process serves test/support/rpc-child.ts's API and
// this process calls it through createRpcClient<TestApi> — no list of methods anywhere. Unknown methods are answered
// with an UnknownMethodError, typed errors come back as the same class, and a method missing from the type doesn't
// compile (the TypeScript compiler checks a few lines at run time).
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import ts from 'typescript';
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

  it('a method missing from the type is a compile error, and so are wrong arguments (the TypeScript compiler asked)', () => {
    const errors = typeErrorsOf([
      "import { createRpcClient } from '../src/sharding/rpc.js';",
      "import type { TestApi } from './support/rpc-child.js';",
      'declare const rpc: ReturnType<typeof createRpcClient<TestApi>>;',
      'void rpc.api.math.add(2, 3);',
      'void rpc.api.math.mul(2, 3);',
      "void rpc.api.math.add('2', 3);",
    ]);
    expect(errors).toEqual([
      expect.stringMatching(/^5: TS2339 .*'mul' does not exist/),
      expect.stringMatching(/^6: TS2345 .*'string' is not assignable to parameter of type 'number'/),
    ]);
  }, 30_000);
});

/**
 * `line: TS<code> message` for each type error in `lines`, checked as a file in test/ with the project's tsconfig.
 * Only the RPC's own files are loaded (noResolve): following every import pulls in discord.js's typings and takes
 * tens of seconds on a busy machine; the RPC's types don't depend on them.
 */
function typeErrorsOf(lines: string[]): string[] {
  const root = join(import.meta.dirname, '..');
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), { noEmit: true, noResolve: true, types: [] }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!config) throw new Error('tsconfig.json could not be read');
  const probe = join(import.meta.dirname, 'rpc-type-probe.ts');
  const files = ['src/sharding/rpc.ts', 'src/sharding/protocol.ts', 'src/spotify/errors.ts', 'test/support/rpc-child.ts'];
  const host = ts.createCompilerHost(config.options);
  const text = lines.join('\n');
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === probe ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === probe || fileExists(name);
  const program = ts.createProgram([probe, ...files.map((f) => join(root, f))], config.options, host);
  const file = program.getSourceFile(probe);
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

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
