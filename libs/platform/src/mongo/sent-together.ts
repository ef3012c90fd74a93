interface Waiter<R> {
  from: number;
  count: number;
  resolve(results: R[]): void;
  reject(err: unknown): void;
}

/**
 * Group commit for one kind of database write: items that arrive while a command of this kind is
 * under way go out together in the next one, so under load one command carries many writers' items
 * (FerretDB's CPU goes mostly per command, not per item), while an idle caller's item goes out at once.
 * `send` answers one result per item, in order; a failed command fails every caller of its batch.
 */
export class SentTogether<I, R> {
  private items: I[] = [];
  private waiters: Waiter<R>[] = [];
  private sending = false;

  constructor(private readonly send: (items: I[]) => Promise<R[]>) {}

  submit(items: I[]): Promise<R[]> {
    if (!items.length) return Promise.resolve([]);
    const done = new Promise<R[]>((resolve, reject) => {
      this.waiters.push({ from: this.items.length, count: items.length, resolve, reject });
    });
    this.items.push(...items);
    if (!this.sending) void this.sendWaiting();
    return done;
  }

  private async sendWaiting(): Promise<void> {
    this.sending = true;
    try {
      while (this.items.length) {
        const items = this.items;
        const waiters = this.waiters;
        this.items = [];
        this.waiters = [];
        try {
          const results = await this.send(items);
          for (const w of waiters) w.resolve(results.slice(w.from, w.from + w.count));
        } catch (err) {
          for (const w of waiters) w.reject(err);
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
