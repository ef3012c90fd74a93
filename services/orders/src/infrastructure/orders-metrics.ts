import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The orders service's own metrics, in the platform's per-process registry. No ids in labels. */
export class OrdersMetrics {
  readonly imports: Counter<'channel' | 'outcome'>;
  readonly outboxPending: Gauge;
  readonly outboxPublishLatency: Histogram<'aggregate'>;
  private readonly backlogSources: (() => Promise<number>)[] = [];

  constructor(registry: Registry) {
    this.imports = new Counter({
      name: 'orderhub_orders_imports_total',
      help: 'Channel order imports by outcome (imported, updated, unchanged)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    });
    const sources = this.backlogSources;
    this.outboxPending = new Gauge({
      name: 'orderhub_outbox_pending_documents',
      help: 'Orders and articles with events written to their outbox and not yet published',
      registers: [registry],
      async collect() {
        const counts = await Promise.all(sources.map((s) => s().catch(() => 0)));
        this.set(counts.reduce((a, b) => a + b, 0));
      },
    });
    this.outboxPublishLatency = new Histogram({
      name: 'orderhub_outbox_publish_latency_seconds',
      help: 'Time from writing an event to the outbox until JetStream acknowledged it',
      labelNames: ['aggregate'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  addBacklogSource(source: () => Promise<number>): void {
    this.backlogSources.push(source);
  }
}
