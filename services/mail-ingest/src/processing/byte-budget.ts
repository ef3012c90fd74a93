/**
 * Bytes held by the work in flight: a task waits while others hold the budget and it would not fit;
 * a task alone always runs, whatever its size (its size is capped where it comes in).
 */
export class ByteBudget {
  private held = 0;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly limit: number) {}

  async run<T>(bytes: number, task: () => Promise<T>): Promise<T> {
    while (this.held > 0 && this.held + bytes > this.limit) await new Promise<void>((resolve) => this.waiting.add(resolve));
    this.held += bytes;
    try {
      return await task();
    } finally {
      this.held -= bytes;
      for (const resolve of this.waiting) resolve();
      this.waiting.clear();
    }
  }
}
