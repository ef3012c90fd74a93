import type { Logger } from 'pino';
import {
  allowsHubToChannel,
  ORDER_STATE_NAMES,
  OrderState,
  type OrderCancelled,
  type OrderShipped,
  type OrderStateId,
  type Shipment,
} from '@orderhub/contracts';
import { contentHash, type ConnectorMetrics, type OrdersInbox } from '@orderhub/connector-kit';
import { HttpStatusError } from '@orderhub/platform';
import { isTransient, type OttoApiClient } from '../api-client/otto-api-client';
import type { OttoOrder } from '../api-client/otto-types';
import type { OttoConfig } from '../config';
import type { ConnectionRegistry } from '../connections/connection-registry';
import type { OttoConnection } from '../connections/otto-connection';

export type WriteBackAction = 'otto.ship' | 'otto.cancel';
type Outcome = 'ok' | 'refused' | 'failed';

interface HubEvent {
  eventId: string;
  accountId: string;
  data: { orderId: string; connectionId: string; channel: string; externalId: string };
}

/** Thrown for a transient failure: the message is redelivered with backoff (the report waits for the last try). */
export class RetryLater extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'RetryLater';
  }
}

/** OTTO-3: OTTO only accepts parcels with a pre-printed return label; in practice DHL Geschäftskundenversand. */
export const isDhl = (carrier: string) =>
  /^DHL( PAKET| GESCHÄFTSKUNDENVERSAND| GESCHAEFTSKUNDENVERSAND)?$/.test(carrier.trim().toUpperCase());

/** OTTO-10: a cancellation goes back only when it happened before shipping (from confirmed or paid). */
export const CANCELLABLE_FROM: readonly OrderStateId[] = [OrderState.Confirmed, OrderState.Paid];

/**
 * Hub → OTTO write-backs (HUB-3): "shipped" as a shipment with return label, "cancelled" as a whole
 * order cancellation. Every outcome, refusals and failures included, lands in the order history via
 * `channel.activity.report`; nothing is dropped silently.
 */
export class WriteBackService {
  constructor(
    private readonly api: OttoApiClient,
    private readonly registry: ConnectionRegistry,
    private readonly inbox: OrdersInbox,
    private readonly metrics: ConnectorMetrics,
    private readonly logger: Logger,
    private readonly config: OttoConfig,
  ) {}

  async shipped(event: OrderShipped, lastAttempt: boolean): Promise<void> {
    await this.run(event, 'otto.ship', lastAttempt, async (c) => {
      const shipments: Shipment[] = event.data.order.shipments.length > 0 ? event.data.order.shipments : event.data.shipments;
      const parcels = shipments.filter((s) => s.type === 'shipment');
      const returns = shipments.filter((s) => s.type === 'return');
      const [parcel] = parcels;
      const [label] = returns;
      if (parcels.length !== 1 || returns.length !== 1 || !parcel || !label) {
        return {
          outcome: 'refused',
          ruleId: 'OTTO-4',
          detail: `OTTO takes "shipped" only with exactly one shipment and one return label; the order has ${parcels.length} shipment(s) and ${returns.length} return label(s)`,
        };
      }
      const notDhl = [parcel, label].filter((s) => !isDhl(s.carrier));
      if (notDhl.length > 0) {
        return {
          outcome: 'refused',
          ruleId: 'OTTO-3',
          detail: `OTTO orders ship only with DHL (return label with the shipment); got ${notDhl.map((s) => `${s.type} via "${s.carrier}"`).join(', ')}`,
        };
      }
      const order = await this.api.getOrder(c, event.data.externalId);
      const items = order.positionItems.filter((i) => i.fulfillmentStatus !== 'RETURNED' && !i.fulfillmentStatus.startsWith('CANCELLED'));
      if (items.length === 0)
        return { outcome: 'failed', detail: 'OTTO lists no position item of this order that could be shipped (all cancelled or returned)' };
      try {
        const created = await this.api.createShipment(c, {
          trackingKey: { carrier: 'DHL', trackingNumber: parcel.trackingNumber },
          shipDate: parcel.createdAt,
          shipFromAddress: c.settings.shipFrom ?? {
            city: this.config.OTTO_SHIP_FROM_CITY,
            countryCode: this.config.OTTO_SHIP_FROM_COUNTRY,
            zipCode: this.config.OTTO_SHIP_FROM_ZIP,
          },
          positionItems: items.map((i) => ({
            positionItemId: i.positionItemId,
            salesOrderId: order.salesOrderId,
            returnTrackingKey: { carrier: 'DHL', trackingNumber: label.trackingNumber },
          })),
        });
        return { outcome: 'ok', detail: `OTTO shipment ${created.shipmentId} (${items.length} piece(s), DHL ${parcel.trackingNumber})` };
      } catch (err) {
        if (
          err instanceof HttpStatusError &&
          err.status === 409 &&
          (await this.alreadyShipped(
            c,
            order,
            parcel.trackingNumber,
            items.map((i) => i.positionItemId),
          ))
        ) {
          // Our own earlier attempt got through (redelivery after a crash): the write-back is done.
          return { outcome: 'ok', detail: `already shipped at OTTO with DHL ${parcel.trackingNumber}` };
        }
        throw err;
      }
    });
  }

  async cancelled(event: OrderCancelled, lastAttempt: boolean): Promise<void> {
    await this.run(event, 'otto.cancel', lastAttempt, async (c) => {
      const previous = event.data.previousState;
      if (!CANCELLABLE_FROM.includes(previous)) {
        return {
          outcome: 'refused',
          ruleId: 'OTTO-10',
          detail: `a cancellation goes to OTTO only from confirmed or paid (before shipping); the order was ${ORDER_STATE_NAMES[previous] ?? previous}`,
        };
      }
      try {
        // OTTO-8: always the whole order; the connector never calls the position-item cancellation.
        await this.api.cancelOrder(c, event.data.externalId);
        return { outcome: 'ok', detail: 'whole order cancelled at OTTO' };
      } catch (err) {
        if (err instanceof HttpStatusError && err.status === 409) {
          const order = await this.api.getOrder(c, event.data.externalId);
          const statuses = order.positionItems.map((i) => i.fulfillmentStatus);
          if (!statuses.includes('PROCESSABLE') && statuses.includes('CANCELLED_BY_PARTNER') && !statuses.includes('SENT')) {
            return { outcome: 'ok', detail: 'already cancelled at OTTO' };
          }
          return { outcome: 'failed', detail: `OTTO refused the cancellation (no PROCESSABLE item): ${summarize(statuses)}` };
        }
        throw err;
      }
    });
  }

  private async run(
    event: HubEvent,
    action: WriteBackAction,
    lastAttempt: boolean,
    work: (c: OttoConnection) => Promise<{ outcome: Outcome; detail: string; ruleId?: string }>,
  ): Promise<void> {
    if (event.data.channel !== 'otto') return; // another channel's order: not ours to write back
    const c = await this.registry.byId(event.data.connectionId);
    if (!c || !c.settings.active) {
      return this.report(event, action, { outcome: 'refused', ruleId: 'CONN-4', detail: 'the OTTO connection is inactive or was deleted' });
    }
    if (!allowsHubToChannel(c.settings.syncDirection)) {
      return this.report(event, action, {
        outcome: 'refused',
        ruleId: 'CONN-4',
        detail: `sync direction "${c.settings.syncDirection}" does not send hub changes to OTTO`,
      });
    }
    let result: { outcome: Outcome; detail: string; ruleId?: string };
    try {
      result = await work(c);
    } catch (err) {
      if (isTransient(err) && !lastAttempt) {
        this.logger.warn({ err: errorText(err), orderId: event.data.orderId, action }, 'OTTO write-back failed, will retry');
        throw new RetryLater(err);
      }
      result = { outcome: 'failed', detail: `${lastAttempt && isTransient(err) ? 'gave up: ' : ''}${errorText(err)}` };
    }
    await this.report(event, action, result);
  }

  private async report(event: HubEvent, action: WriteBackAction, r: { outcome: Outcome; detail: string; ruleId?: string }): Promise<void> {
    this.metrics.writeBacks.inc({ connector: 'otto', action, outcome: r.outcome });
    if (r.outcome !== 'ok') this.logger.warn({ orderId: event.data.orderId, action, ...r }, 'OTTO write-back not done');
    await this.inbox.reportActivity(
      { id: event.data.connectionId, accountId: event.accountId, type: 'otto' },
      { orderId: event.data.orderId, action, outcome: r.outcome, detail: r.detail.slice(0, 5000), ruleId: r.ruleId },
      // Same event, same report id: a redelivery does not write the history twice.
      contentHash([action, event.eventId]),
    );
  }

  private async alreadyShipped(c: OttoConnection, order: OttoOrder, trackingNumber: string, itemIds: string[]): Promise<boolean> {
    try {
      const existing = await this.api.shipmentByTrackingKey(c, 'DHL', trackingNumber);
      const shipped = new Set(
        (existing.positionItems ?? []).filter((p) => p.salesOrderId === order.salesOrderId).map((p) => p.positionItemId),
      );
      return itemIds.every((id) => shipped.has(id));
    } catch {
      return false;
    }
  }
}

function summarize(statuses: string[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n}× ${s}`).join(', ');
}

/** OTTO's error envelope `{errors:[{title, detail}]}` made readable for the order history. */
export function errorText(err: unknown): string {
  if (err instanceof HttpStatusError) {
    try {
      const body = JSON.parse(err.body) as { errors?: { title?: string; detail?: string }[] };
      const first = body.errors?.map((e) => [e.title, e.detail].filter(Boolean).join(': ')).join('; ');
      if (first) return `OTTO answered ${err.status}: ${first}`;
    } catch {
      /* not JSON */
    }
    return `OTTO answered ${err.status}: ${err.body.slice(0, 300)}`;
  }
  return err instanceof Error ? err.message : String(err);
}
