// The bench's table: one row per measurement (metric | result | target | ✓/✗), plus raw numbers for --json.
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { fmt } from './stats.js';

/** One row of the benchmark table, as the sections that run alone (members, server view, pictures) produce them. */
export interface BenchRow {
  metric: string;
  result: string;
  target: string;
  /** null: informational. */
  ok: boolean | null;
}

/** Rows as the markdown table `npm run bench` prints (for the sections that also run alone). */
export function rowsTable(rows: readonly BenchRow[]): string {
  const out = ['| metric | result | target | ✓/✗ |', '|---|---|---|---|'];
  for (const r of rows) out.push(`| ${r.metric} | ${r.result.replace(/\|/g, '\\|')} | ${r.target} | ${r.ok === null ? '' : r.ok ? '✓' : '✗ MISSED'} |`);
  return out.join('\n');
}

/** Run `main` when the module at `moduleUrl` is the script node was started with; exit 0, or 1 with the error. */
export function runWhenMain(moduleUrl: string, main: () => Promise<void>): void {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

export interface Row {
  metric: string;
  result: string;
  target: string;
  /** null: informational, no target. */
  ok: boolean | null;
}

export class Report {
  readonly rows: Row[] = [];
  readonly data: Record<string, unknown> = {};

  row(metric: string, result: string, target = '—', ok: boolean | null = null): void {
    this.rows.push({ metric, result, target, ok });
  }

  /** The markdown table, the command line and the machine, as printed at the end of a run. */
  render(command: string, wallMs: number, json: unknown | null): string {
    const out: string[] = ['| metric | result | target | ✓/✗ |', '|---|---|---|---|'];
    for (const r of this.rows) {
      out.push(`| ${r.metric} | ${r.result.replace(/\|/g, '\\|')} | ${r.target} | ${r.ok === null ? '' : r.ok ? '✓' : '✗ MISSED'} |`);
    }
    const missed = this.rows.filter((r) => r.ok === false).length;
    out.push('', missed === 0 ? 'All targets met.' : `✗ ${missed} target${missed === 1 ? '' : 's'} missed (marked ✗ MISSED above).`, '');
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    out.push(`Command: ${command}`);
    out.push(
      `Machine: node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs (available parallelism ${availableParallelism()}), ${cpu}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM; bench wall time ${fmt(wallMs / 1000, 1)} s`,
    );
    if (json !== null) {
      const doc = {
        ...(json as object),
        machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpuModel: cpu, totalMemBytes: totalmem() },
        wallMs,
        rows: this.rows,
        data: this.data,
      };
      out.push('', '```json', JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2), '```');
    }
    return `${out.join('\n')}\n`;
  }
}
