// Concurrent callers asking for the same key share one running promise; the next call after it settles starts
// afresh (a failure is not cached).
export class SingleFlight<K, V> {
  private readonly running = new Map<K, Promise<V>>();

  run(key: K, start: () => Promise<V>): Promise<V> {
    const current = this.running.get(key);
    if (current) return current;
    const started = start().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}
