// Every temp file a test run makes lives under one folder that is removed when the run ends, however the tests
// ended: TMPDIR points there for the test workers and for every process they spawn (os.tmpdir() reads it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'npb-test-run-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
