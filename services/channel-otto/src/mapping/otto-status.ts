import { OrderState, type OrderStateId } from '@orderhub/contracts';
import { OTTO_FULFILLMENT_STATUSES, type OttoFulfillmentStatus, type OttoPositionItem } from '../clients/otto-types';

/**
 * OTTO-9: an order's status is the "smallest" of its position items' statuses, in OTTO's own order
 * ANNOUNCED < PROCESSABLE < SENT < RETURNED < CANCELLED_BY_PARTNER < CANCELLED_BY_MARKETPLACE
 * (so an order with one piece sent and one cancelled is SENT; only an all-cancelled order is cancelled).
 */
export function smallestStatus(items: readonly Pick<OttoPositionItem, 'fulfillmentStatus'>[]): OttoFulfillmentStatus {
  let lowest = OTTO_FULFILLMENT_STATUSES.length - 1;
  for (const item of items) {
    const rank = OTTO_FULFILLMENT_STATUSES.indexOf(item.fulfillmentStatus);
    // An unknown (new) status is ranked like PROCESSABLE: visible, never silently cancelled or shipped.
    lowest = Math.min(lowest, rank < 0 ? 1 : rank);
  }
  return OTTO_FULFILLMENT_STATUSES[lowest] ?? 'PROCESSABLE';
}

/**
 * OTTO status → hub state id. ANNOUNCED is a reservation (unpaid prepayment, no address): ordered (1).
 * PROCESSABLE means OTTO took the payment and releases the order: paid (3), which also makes a hub
 * cancellation eligible for write-back (OTTO-10). SENT → shipped, RETURNED → returned, both cancelled → cancelled.
 */
export const HUB_STATE_BY_OTTO_STATUS: Record<OttoFulfillmentStatus, OrderStateId> = {
  ANNOUNCED: OrderState.Ordered,
  PROCESSABLE: OrderState.Paid,
  SENT: OrderState.Shipped,
  RETURNED: OrderState.Returned,
  CANCELLED_BY_PARTNER: OrderState.Cancelled,
  CANCELLED_BY_MARKETPLACE: OrderState.Cancelled,
};

export const isCancelledStatus = (s: string) => s === 'CANCELLED_BY_PARTNER' || s === 'CANCELLED_BY_MARKETPLACE';
