// Loading libsql without a diagnostic report. Its loader (@neon-rs/load) picks the glibc or musl binary by asking
// `process.report.getReport()` whether the C library is glibc: a whole report, its native stack symbolised against
// node's symbol table, for one field — ~0.7 MB of node's pages that stay resident (the bot at 1,000 guilds, from
// /proc/<pid>/pagemap). libsql then decides again itself from /usr/bin/ldd (detect-libc), correcting musl to glibc.
// So where /usr/bin/ldd names the C library, the loader is shown no report while libsql loads; anywhere else (no ldd:
// distroless images, or not Linux) it loads as it always did.
import { readFileSync } from 'node:fs';

const importLibsql = () => import('libsql');
type Libsql = Awaited<ReturnType<typeof importLibsql>>;

/** True when /usr/bin/ldd says which C library this is (detect-libc's first check, the one that then decides). */
function lddNamesTheLibc(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const ldd = readFileSync('/usr/bin/ldd', 'latin1');
    return ldd.includes('GNU C Library') || ldd.includes('musl');
  } catch {
    return false;
  }
}

/** One load at a time: two overlapping loads would each take the other's hidden report for the real one. */
let loading: Promise<Libsql> | null = null;

export function loadLibsql(): Promise<Libsql> {
  loading ??= load().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

async function load(): Promise<Libsql> {
  const report = Object.getOwnPropertyDescriptor(process, 'report');
  const hide = report?.configurable === true && lddNamesTheLibc();
  if (hide) Object.defineProperty(process, 'report', { value: undefined, configurable: true });
  try {
    return await importLibsql();
  } finally {
    if (hide && report) Object.defineProperty(process, 'report', report);
  }
}
