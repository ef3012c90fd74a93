import { allowsHubToChannel, type ActivityOutcome } from '@orderhub/contracts';
import type { JetStreamHandlerOptions } from '@orderhub/platform';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import { contentHash, type OrdersInbox } from './channel-gateway';
import type { ConnectionHealthBook } from './connection-health';
import type { Connection, ConnectionRegistry } from './connection-registry';
import type { ConnectorMetrics } from './connector-metrics';

/** What the connector's action decided; failures it cannot decide on are thrown and classified. */
export interface WriteBackResult {
  outcome: 'ok' | 'refused' | 'failed';
  detail: string;
  ruleId?: string;
  /** The history's action when it differs from the write-back's (e.g. "send changes" of a goods order). */
  action?: string;
  /** Tags the orders service sets with the report (e.g. `order_received_by_wemalo`, WEM-4). */
  addTags?: string[];
  /** Tells apart outcomes of the same target that must each be recorded (e.g. a hash of what was sent). */
  key?: string;
}

/**
 * How a thrown error is treated: `transient` (channel down, rate limit) and `auth` (credentials refused:
 * a rotated key, basic auth) wait and retry with backoff; `permanent` (the channel refuses this request)
 * is recorded as failed at once.
 */
export type FailureKind = 'transient' | 'auth' | 'permanent';

export interface ChannelErrors {
  classify(err: unknown): FailureKind;
  /** A short readable reason for the order history, never a whole response body. */
  describe(err: unknown): string;
}

export interface WriteBackEvent {
  eventId: string;
  accountId: string;
  data: { orderId: string; connectionId: string; channel: string };
}

/** What one write-back is about: an order, the connector's connection that writes it, and its report key. */
export interface WriteBackTarget {
  accountId: string;
  orderId: string;
  connectionId: string;
  /** Same key, same report: the event id, or what a sweep sees again (e.g. the order version). */
  key: string;
}

/** The history's action, and its family as the metric label when the name has no `<family> …` form. */
export type WriteBackAction = string | { name: string; metric: string };

export interface Delivery {
  deliveryCount: number;
}

/** Deliveries before a waiting write-back is parked in the dead-letter stream (still resendable there). */
export const WRITE_BACK_MAX_DELIVER = 2_000;
/** Waits between attempts; the last repeats: 2 000 deliveries cover about a week. */
export const WRITE_BACK_BACKOFF_MS = [1_000, 3_000, 10_000, 30_000, 60_000, 120_000, 300_000];
/** A transient failure is retried this often quietly before the order shows "waiting". */
const QUIET_TRANSIENT_ATTEMPTS = 3;

/** Thrown to have JetStream deliver the event again after the backoff. */
export class WriteBackPending extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly reason: string,
  ) {
    super(`write-back waits (${kind}): ${reason}`);
    this.name = 'WriteBackPending';
  }
}

/**
 * `@EventPattern` options of a write-back consumer. Durable names follow `durableName(service, subject)`;
 * a consumer that already exists keeps its name, because a renamed durable replays the whole stream.
 */
export function writeBackHandler(durable: string, schema: ZodType): JetStreamHandlerOptions {
  return {
    durable,
    schema,
    maxDeliver: WRITE_BACK_MAX_DELIVER,
    backoffMs: WRITE_BACK_BACKOFF_MS,
    concurrency: WRITE_BACK_CONCURRENCY,
    sequentialBy: orderOfEvent,
  };
}

/**
 * Write-backs in flight per consumer and replica: one at a time held a channel to one request's round
 * trip plus the report (~5-8 orders/s). A channel's rate limit is its client's business (OTTO: 429 and
 * Retry-After); the facts of one order still go out one after another.
 */
export const WRITE_BACK_CONCURRENCY = 16;

const orderOfEvent = (payload: unknown): string | undefined => {
  const orderId = (payload as { data?: { orderId?: unknown } } | null)?.data?.orderId;
  return typeof orderId === 'string' ? orderId : undefined;
};

/** The durable consumer name convention: `<service>_<subject>` with dots as underscores (`channel-serverspot_order_shipped`). */
export function durableName(service: string, subject: string): string {
  return `${service}_${subject.replace(/\./g, '_')}`;
}

/**
 * The one write-back path of every connector (HUB-3): channel filter → sync direction (CONN-4) → the
 * connector's action → failure classification → activity report on the order (deterministic
 * idempotency key, so a redelivery never writes the history twice) → metric and connection health.
 * Nothing is dropped: a write-back the channel cannot take now shows "waiting" with the reason and
 * goes out when the channel takes it again.
 */
export class WriteBackPipeline<C extends Connection = Connection> {
  constructor(
    private readonly registry: ConnectionRegistry<C>,
    private readonly inbox: OrdersInbox,
    private readonly metrics: ConnectorMetrics,
    private readonly health: ConnectionHealthBook,
    private readonly logger: Logger,
  ) {}

  /** A write-back of an order fact to the order's own channel connection. */
  async run(
    event: WriteBackEvent,
    delivery: Delivery,
    action: WriteBackAction,
    errors: ChannelErrors,
    work: (connection: C) => Promise<WriteBackResult>,
  ): Promise<void> {
    if (event.data.channel !== this.registry.type) return; // another channel's order
    const target = { accountId: event.accountId, orderId: event.data.orderId, connectionId: event.data.connectionId, key: event.eventId };
    await this.runOn(target, delivery, action, errors, work);
  }

  /** A write-back through any connection of this connector (a fulfilment connector sends other channels' orders). */
  async runOn(
    target: WriteBackTarget,
    delivery: Delivery,
    action: WriteBackAction,
    errors: ChannelErrors,
    work: (connection: C) => Promise<WriteBackResult>,
  ): Promise<void> {
    const connection = await this.registry.byId(target.connectionId);
    if (!connection || connection.accountId !== target.accountId) {
      return this.report(target, action, {
        outcome: 'refused',
        ruleId: 'CONN-4',
        detail: `the ${this.registry.type} connection is inactive or was deleted`,
      });
    }
    if (!allowsHubToChannel(connection.settings.syncDirection)) {
      return this.report(target, action, {
        outcome: 'refused',
        ruleId: 'CONN-4',
        detail: `sync direction "${connection.settings.syncDirection}" does not send hub changes to ${this.registry.type}`,
      });
    }
    let result: WriteBackResult;
    try {
      result = await work(connection);
      await this.health.succeeded(connection);
    } catch (err) {
      const kind = errors.classify(err);
      const reason = errors.describe(err);
      if (kind === 'permanent') {
        result = { outcome: 'failed', detail: reason };
      } else {
        await this.health.failed(connection, `${nameOf(action)}: ${reason}`);
        await this.wait(target, action, kind, reason, delivery);
        return;
      }
    }
    await this.report(target, action, result);
  }

  /** Records "waiting" once per event (auth at once, transient after a few quiet tries) and asks for a redelivery. */
  private async wait(
    target: WriteBackTarget,
    action: WriteBackAction,
    kind: FailureKind,
    reason: string,
    delivery: Delivery,
  ): Promise<never> {
    this.logger.warn(
      { orderId: target.orderId, action: nameOf(action), kind, reason, deliveryCount: delivery.deliveryCount },
      'write-back waits',
    );
    if (delivery.deliveryCount >= WRITE_BACK_MAX_DELIVER) {
      await this.report(target, action, {
        outcome: 'failed',
        detail: `parked for resend after ${delivery.deliveryCount} attempts: ${reason}`,
      });
    } else if (kind === 'auth' || delivery.deliveryCount >= QUIET_TRANSIENT_ATTEMPTS) {
      const why = kind === 'auth' ? `${this.registry.type} refused the credentials` : `${this.registry.type} is not reachable`;
      await this.report(
        target,
        action,
        { outcome: 'waiting', detail: `${why}; retried with backoff until it goes out: ${reason}` },
        'waiting',
      );
    }
    throw new WriteBackPending(kind, reason);
  }

  private async report(
    target: WriteBackTarget,
    action: WriteBackAction,
    r: WriteBackResult | { outcome: ActivityOutcome; detail: string; ruleId?: string },
    phase = 'final',
  ): Promise<void> {
    const { key, addTags, action: shownAction } = r as WriteBackResult;
    const name = shownAction ?? nameOf(action);
    const metric = typeof action === 'string' ? actionFamily(action) : action.metric;
    this.metrics.writeBacks.inc({ connector: this.registry.type, action: metric, outcome: r.outcome });
    if (r.outcome !== 'ok')
      this.logger.warn({ orderId: target.orderId, action: name, outcome: r.outcome, ruleId: r.ruleId }, 'write-back not done');
    await this.inbox.reportActivity(
      { id: target.connectionId, accountId: target.accountId, type: this.registry.type },
      {
        orderId: target.orderId,
        action: name,
        outcome: r.outcome,
        detail: r.detail.slice(0, 5000),
        ruleId: r.ruleId,
        ...(addTags?.length ? { addTags } : {}),
      },
      // Same target, same phase, same report: a redelivery does not write the history twice.
      contentHash(key === undefined ? [nameOf(action), target.key, phase] : [nameOf(action), target.key, phase, key]),
    );
  }
}

function nameOf(action: WriteBackAction): string {
  return typeof action === 'string' ? action : action.name;
}

/** Metric label: the action without its details (`serverspot.SetOrderState 4 (…)` → `serverspot.SetOrderState`). */
function actionFamily(action: string): string {
  return action.split(' ')[0] ?? action;
}
