import type { GenerateOrderOptions, OrderGenerator } from './generator';

export interface ContinuousStatus {
  running: boolean;
  intervalMs?: number;
  partnerId?: string;
  created: number;
}

/** Demo mode: a new order every `intervalMs`, so a dashboard shows traffic without anyone clicking. */
export class ContinuousOrders {
  private timer: NodeJS.Timeout | undefined;
  private status: ContinuousStatus = { running: false, created: 0 };

  constructor(private readonly generator: OrderGenerator) {}

  start(partnerId: string, intervalMs: number, options: GenerateOrderOptions = {}): ContinuousStatus {
    this.stop();
    this.status = { running: true, intervalMs, partnerId, created: 0 };
    this.timer = setInterval(() => {
      this.generator.createOrder(partnerId, options);
      this.status.created += 1;
    }, intervalMs);
    // Never keep a test process (or a stopped server) alive just for demo orders.
    this.timer.unref();
    return this.current();
  }

  stop(): ContinuousStatus {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.status = { ...this.status, running: false };
    return this.current();
  }

  current(): ContinuousStatus {
    return { ...this.status };
  }
}
