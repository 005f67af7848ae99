// Small numeric helpers for the bench's table.

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "92.1 MB (90.8–94.0, n=5)": the median and the range over the runs. */
export function spread(values: readonly number[], unit: string, digits = 1): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return 'n/a';
  if (finite.length === 1) return `${fmt(finite[0]!, digits)} ${unit}`;
  return `${fmt(median(finite), digits)} ${unit} (${fmt(Math.min(...finite), digits)}–${fmt(Math.max(...finite), digits)}, n=${finite.length})`;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
