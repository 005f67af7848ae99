// This process's environment, for tests whose child processes read their settings from it (the sharding manager's
// shards inherit process.env). Every change is undone, so later tests in the same worker start from what was there.
import { afterAll, expect } from 'vitest';

/** Sets `vars` in process.env (undefined: removed); the returned function puts back what each of them was. */
export function setProcessEnv(vars: Record<string, string | undefined>): () => void {
  const previous = Object.keys(vars).map((key) => [key, process.env[key]] as const);
  const put = (key: string, value: string | undefined): void => {
    // process.env turns undefined into the string "undefined": delete instead.
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  };
  for (const [key, value] of Object.entries(vars)) put(key, value);
  return () => {
    for (const [key, value] of previous) put(key, value);
  };
}

/**
 * What the sharded tests set: the shards' settings, and the two variables discord.js's ShardingManager writes into
 * its own process's environment (a later Client in this worker would take itself for a shard).
 */
export function setShardedEnv(vars: Record<string, string | undefined>): () => void {
  return setProcessEnv({ ...vars, SHARDING_MANAGER: undefined, SHARDING_MANAGER_MODE: undefined });
}

/** For a test file: after all its tests and hooks, process.env must be as it was when the file was loaded. */
export function expectEnvRestoredAfterFile(): void {
  const before = { ...process.env };
  afterAll(() => {
    const keys = new Set([...Object.keys(before), ...Object.keys(process.env)]);
    expect([...keys].filter((key) => before[key] !== process.env[key]), 'process.env keys changed and not restored').toEqual([]);
  });
}
