import { Counter, Gauge, Histogram } from 'prom-client';
import type { PlatformMetrics } from '@orderhub/platform';

/** Metrics every connector exports; labels are bounded (never a connection or order id). */
export class ConnectorMetrics {
  readonly lastSuccessfulPoll: Gauge<'connector'>;
  readonly failingConnections: Gauge<'connector'>;
  readonly longestFailure: Gauge<'connector'>;
  readonly pollDuration: Histogram<'connector' | 'outcome'>;
  readonly pollErrors: Counter<'connector'>;
  readonly ordersSubmitted: Counter<'connector'>;
  readonly ordersParked: Counter<'connector'>;
  readonly writeBacks: Counter<'connector' | 'action' | 'outcome'>;
  readonly leasesHeld: Gauge<'connector'>;

  constructor(metrics: PlatformMetrics) {
    const registers = [metrics.registry];
    this.lastSuccessfulPoll = new Gauge({
      name: 'orderhub_connector_last_successful_poll_timestamp_seconds',
      help: 'Unix time of the last successful poll of any connection',
      labelNames: ['connector'],
      registers,
    });
    this.failingConnections = new Gauge({
      name: 'orderhub_connector_failing_connections',
      help: 'Connections whose last poll or write-back failed (which ones: the connection health API)',
      labelNames: ['connector'],
      registers,
    });
    this.longestFailure = new Gauge({
      name: 'orderhub_connector_longest_failure_seconds',
      help: 'How long the longest running failure of one connection has lasted',
      labelNames: ['connector'],
      registers,
    });
    this.pollDuration = new Histogram({
      name: 'orderhub_connector_poll_duration_seconds',
      help: 'Duration of one poll of one connection',
      labelNames: ['connector', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.pollErrors = new Counter({
      name: 'orderhub_connector_poll_errors_total',
      help: 'Failed polls',
      labelNames: ['connector'],
      registers,
    });
    this.ordersSubmitted = new Counter({
      name: 'orderhub_connector_orders_submitted_total',
      help: 'Channel orders handed to the orders service',
      labelNames: ['connector'],
      registers,
    });
    this.ordersParked = new Counter({
      name: 'orderhub_connector_orders_parked_total',
      help: 'Channel orders the connector could not read, parked with the reason (listed and retried through the API)',
      labelNames: ['connector'],
      registers,
    });
    this.writeBacks = new Counter({
      name: 'orderhub_connector_write_backs_total',
      help: 'Write-backs to the channel by outcome (ok, refused, failed, waiting)',
      labelNames: ['connector', 'action', 'outcome'],
      registers,
    });
    this.leasesHeld = new Gauge({
      name: 'orderhub_connector_leases_held',
      help: 'Connections this replica polls',
      labelNames: ['connector'],
      registers,
    });
  }
}
