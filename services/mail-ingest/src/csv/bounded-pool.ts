/**
 * At most `limit` tasks in flight. `add` waits while the pool is full, so the row reader that feeds
 * it is held back (backpressure: a 100 000-row file never has more than `limit` orders in memory or
 * in flight towards NATS and the database). The first failure is rethrown by the next `add` or by
 * `drain`; tasks already running are let finish.
 */
export class BoundedPool {
  private readonly active = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  async add(task: () => Promise<void>): Promise<void> {
    this.rethrow();
    const p: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.active.delete(p));
    this.active.add(p);
    while (this.active.size >= this.limit) await Promise.race(this.active);
    this.rethrow();
  }

  /** Waits for every task; throws the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    this.rethrow();
  }

  /** Waits for every task, failed or not (the error path: nothing may still write after the job is marked failed). */
  async settle(): Promise<void> {
    while (this.active.size) await Promise.all(this.active);
  }

  private rethrow(): void {
    if (this.failure) throw this.failure.error;
  }
}
