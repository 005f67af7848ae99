// Tests make temp folders freely; the run's global setup gives them one root and removes it afterwards.
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import { expect, it } from 'vitest';

it('temp files of a test run live under one per-run folder that the run removes', () => {
  expect(basename(tmpdir())).toMatch(/^npb-test-run-/);
});
