// Where the heap goes, by constructor: `npx tsx bench/heap-diff.ts bot.heapsnapshot [bare.heapsnapshot] [--top 40]`.
// With one snapshot, lists the biggest groups (self size and count); with two, the groups that differ most (first
// minus second), e.g. the bot against the bare client (bench/bare-client.ts) at the same guild count.
// Objects are grouped by constructor name, closures together, everything else by V8 node type: "(string)",
// "(array)", "(code)", "(object shape)"…
// Take a snapshot of a running process with `node --heapsnapshot-signal=SIGUSR2 …` and `kill -USR2 <pid>`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Group {
  count: number;
  bytes: number;
}

function groups(file: string): Map<string, Group> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out = new Map<string, Group>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!] ?? '?';
    const key = type === 'object' ? (snap.strings[snap.nodes[i + nameAt]!] ?? '?') : type === 'closure' ? '(closure)' : `(${type})`;
    const group = out.get(key) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += snap.nodes[i + sizeAt]!;
    out.set(key, group);
  }
  return out;
}

const total = (g: Map<string, Group>): number => [...g.values()].reduce((sum, x) => sum + x.bytes, 0);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`.padStart(10);

function main(): void {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '40' } }, allowPositionals: true });
  const top = Number(values.top);
  const [a, b] = positionals;
  if (!a) {
    process.stderr.write('usage: npx tsx bench/heap-diff.ts first.heapsnapshot [second.heapsnapshot] [--top N]\n');
    process.exit(2);
  }
  const first = groups(a);
  if (!b) {
    process.stdout.write(`${a}: ${(total(first) / 2 ** 20).toFixed(1)} MB\n`);
    for (const [key, g] of [...first].sort((x, y) => y[1].bytes - x[1].bytes).slice(0, top)) {
      process.stdout.write(`${kb(g.bytes)} ${String(g.count).padStart(8)}  ${key.slice(0, 90)}\n`);
    }
    return;
  }
  const second = groups(b);
  process.stdout.write(`${a}: ${(total(first) / 2 ** 20).toFixed(1)} MB, ${b}: ${(total(second) / 2 ** 20).toFixed(1)} MB\n`);
  const keys = new Set([...first.keys(), ...second.keys()]);
  const rows = [...keys].map((key) => {
    const x = first.get(key) ?? { count: 0, bytes: 0 };
    const y = second.get(key) ?? { count: 0, bytes: 0 };
    return { key, bytes: x.bytes - y.bytes, count: x.count - y.count };
  });
  for (const r of rows.sort((x, y) => Math.abs(y.bytes) - Math.abs(x.bytes)).slice(0, top)) {
    process.stdout.write(`${kb(r.bytes)} ${String(r.count).padStart(8)}  ${r.key.slice(0, 90)}\n`);
  }
}

main();
