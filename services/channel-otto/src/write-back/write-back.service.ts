import {
  ORDER_STATE_NAMES,
  type Order,
  OrderState,
  type OrderCancelled,
  type OrderShipped,
  type OrderStateId,
  type Shipment,
} from '@orderhub/contracts';
import type { ChannelErrors, Delivery, WriteBackPipeline, WriteBackResult } from '@orderhub/connector-kit';
import { bodyExcerpt, HttpStatusError } from '@orderhub/platform';
import { isTransient, type OttoApiClient } from '../clients/otto-api-client';
import type { OttoShipmentRequest } from '../clients/otto-types';
import type { OttoConfig } from '../config';
import type { OttoConnection } from '../connections/otto-connection';

export type WriteBackAction = 'otto.ship' | 'otto.cancel';

/** OTTO-3: OTTO only accepts parcels with a pre-printed return label; in practice DHL Geschäftskundenversand. */
export const isDhl = (carrier: string) =>
  /^DHL( PAKET| GESCHÄFTSKUNDENVERSAND| GESCHAEFTSKUNDENVERSAND)?$/.test(carrier.trim().toUpperCase());

type ShipmentItem = { positionItemId: string };

/**
 * The pieces to ship when the hub's copy of the order says every one is PROCESSABLE (positions are
 * pieces, `externalId` = positionItemId); otherwise undefined, and OTTO is asked.
 */
export function processablePieces(order: Order): ShipmentItem[] | undefined {
  const pieces = order.positions.filter((p) => !p.isDiscount);
  if (!pieces.length || !pieces.every((p) => p.externalId && p.channelStatus === 'PROCESSABLE')) return undefined;
  return pieces.map((p) => ({ positionItemId: p.externalId as string }));
}

/** OTTO-10: a cancellation goes back only when it happened before shipping (from confirmed or paid). */
export const CANCELLABLE_FROM: readonly OrderStateId[] = [OrderState.Confirmed, OrderState.Paid];

/** How OTTO's failures are treated by the write-back pipeline: 401/403 wait for working credentials. */
export const ottoErrors: ChannelErrors = {
  classify: (err) => {
    if (err instanceof HttpStatusError && (err.status === 401 || err.status === 403)) return 'auth';
    return isTransient(err) ? 'transient' : 'permanent';
  },
  describe: (err) => errorText(err),
};

/**
 * Hub → OTTO write-backs (HUB-3): "shipped" as a shipment with return label, "cancelled" as a whole
 * order cancellation. Every outcome, refusals and failures included, lands in the order history via
 * `channel.activity.report`; nothing is dropped silently.
 */
export class WriteBackService {
  constructor(
    private readonly api: OttoApiClient,
    private readonly pipeline: WriteBackPipeline<OttoConnection>,
    private readonly config: OttoConfig,
  ) {}

  async shipped(event: OrderShipped, delivery: Delivery): Promise<void> {
    await this.pipeline.run(event, delivery, 'otto.ship', ottoErrors, async (c): Promise<WriteBackResult> => {
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
      const shipment = (items: ShipmentItem[]): OttoShipmentRequest => ({
        trackingKey: { carrier: 'DHL', trackingNumber: parcel.trackingNumber },
        shipDate: parcel.createdAt,
        shipFromAddress: c.settings.shipFrom ?? {
          city: this.config.OTTO_SHIP_FROM_CITY,
          countryCode: this.config.OTTO_SHIP_FROM_COUNTRY,
          zipCode: this.config.OTTO_SHIP_FROM_ZIP,
        },
        positionItems: items.map((i) => ({
          positionItemId: i.positionItemId,
          salesOrderId: event.data.externalId,
          returnTrackingKey: { carrier: 'DHL', trackingNumber: label.trackingNumber },
        })),
      });
      // OTTO allows 20 requests/s per seller, shared with imports and stock: when the hub's copy says
      // every piece is PROCESSABLE the shipment goes out in one request, and OTTO's refusal (a piece
      // cancelled since the last poll) is the reason to read the order.
      const known = processablePieces(event.data.order);
      if (known) {
        try {
          return await this.createShipment(c, event.data.externalId, parcel.trackingNumber, shipment(known));
        } catch (err) {
          if (!(err instanceof HttpStatusError && (err.status === 400 || err.status === 409))) throw err;
        }
      }
      const order = await this.api.getOrder(c, event.data.externalId);
      const items = order.positionItems.filter((i) => i.fulfillmentStatus !== 'RETURNED' && !i.fulfillmentStatus.startsWith('CANCELLED'));
      if (items.length === 0)
        return { outcome: 'failed', detail: 'OTTO lists no position item of this order that could be shipped (all cancelled or returned)' };
      return this.createShipment(c, event.data.externalId, parcel.trackingNumber, shipment(items));
    });
  }

  async cancelled(event: OrderCancelled, delivery: Delivery): Promise<void> {
    await this.pipeline.run(event, delivery, 'otto.cancel', ottoErrors, async (c): Promise<WriteBackResult> => {
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

  private async createShipment(
    c: OttoConnection,
    salesOrderId: string,
    trackingNumber: string,
    body: OttoShipmentRequest,
  ): Promise<WriteBackResult> {
    const itemIds = body.positionItems.map((i) => i.positionItemId);
    try {
      const created = await this.api.createShipment(c, body);
      return { outcome: 'ok', detail: `OTTO shipment ${created.shipmentId} (${itemIds.length} piece(s), DHL ${trackingNumber})` };
    } catch (err) {
      if (err instanceof HttpStatusError && err.status === 409 && (await this.alreadyShipped(c, salesOrderId, trackingNumber, itemIds))) {
        // Our own earlier attempt got through (redelivery after a crash): the write-back is done.
        return { outcome: 'ok', detail: `already shipped at OTTO with DHL ${trackingNumber}` };
      }
      throw err;
    }
  }

  private async alreadyShipped(c: OttoConnection, salesOrderId: string, trackingNumber: string, itemIds: string[]): Promise<boolean> {
    try {
      const existing = await this.api.shipmentByTrackingKey(c, 'DHL', trackingNumber);
      const shipped = new Set((existing.positionItems ?? []).filter((p) => p.salesOrderId === salesOrderId).map((p) => p.positionItemId));
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
    return `OTTO answered ${err.status}: ${bodyExcerpt(err.body)}`;
  }
  return err instanceof Error ? err.message : String(err);
}
