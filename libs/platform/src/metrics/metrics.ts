import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per service process with the metrics every service shares. Names follow Prometheus
 * conventions (base units, `_total`, `_seconds`) and labels stay low-cardinality: never an order id.
 */
export class PlatformMetrics {
  readonly registry = new Registry();

  readonly handlerDuration = new Histogram({
    name: 'orderhub_message_handler_duration_seconds',
    help: 'Time to handle one JetStream message or RPC request',
    labelNames: ['subject', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Messages handed to a batch handler at once: how well batching amortises a batch's round trips. */
  readonly batchSize = new Histogram({
    name: 'orderhub_message_batch_size',
    help: 'Messages handed to a batch handler at once',
    labelNames: ['subject'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [this.registry],
  });

  readonly messagesPublished = new Counter({
    name: 'orderhub_messages_published_total',
    help: 'JetStream messages published',
    labelNames: ['subject', 'phase'] as const,
    registers: [this.registry],
  });

  /** What a unit of work costs the database: commands sent (driver command monitoring) by kind of work. */
  readonly databaseCommands = new Counter({
    name: 'orderhub_database_commands_total',
    help: 'Database commands sent, by command name, collection and kind of work (command, rpc, outbox, periodic, other)',
    labelNames: ['command', 'collection', 'phase'] as const,
    registers: [this.registry],
  });

  readonly deadLettered = new Counter({
    name: 'orderhub_dead_lettered_messages_total',
    help: 'Messages parked in the dead-letter stream',
    labelNames: ['subject', 'reason'] as const,
    registers: [this.registry],
  });

  readonly httpClientDuration = new Histogram({
    name: 'orderhub_http_client_request_duration_seconds',
    help: 'Outbound HTTP calls to channels and fulfilment providers',
    labelNames: ['target', 'endpoint', 'status'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: 'orderhub_circuit_breaker_state',
    help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
    labelNames: ['breaker'] as const,
    registers: [this.registry],
  });

  readonly breakerEvents = new Counter({
    name: 'orderhub_circuit_breaker_events_total',
    help: 'Circuit breaker events (success, failure, timeout, reject, open, close, halfOpen)',
    labelNames: ['breaker', 'event'] as const,
    registers: [this.registry],
  });

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
  }
}
