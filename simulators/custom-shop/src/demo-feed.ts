import type { Shop } from './shop';

/** Creates an order in a shop every `intervalMs`, so a demo hub has something new on every poll. */
export class OrderFeed {
  private timer: NodeJS.Timeout | undefined;
  private intervalMs: number | undefined;

  constructor(private readonly shop: Shop) {}

  start(intervalMs: number, ordersPerTick = 1): void {
    this.stop();
    this.intervalMs = intervalMs;
    this.timer = setInterval(() => this.shop.generateOrders(ordersPerTick), intervalMs);
    // The feed must never keep a test process or a shutting-down server alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.intervalMs = undefined;
  }

  status(): { running: boolean; intervalMs: number | null } {
    return { running: this.timer !== undefined, intervalMs: this.intervalMs ?? null };
  }
}
