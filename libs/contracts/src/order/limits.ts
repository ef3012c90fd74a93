/**
 * What one order may hold, so that no legal request can make an event larger than NATS's payload limit
 * (1 MiB by default). Every `order.*` event carries the order as it is after the change, plus the change
 * itself (at most the order's shipments once more): with the order below `orderBytes`, an event stays
 * below ~0.9 MiB. The request schemas bound each list and string; the order aggregate checks the total.
 */
export const OrderLimits = {
  /** The order as events carry it (JSON, UTF-8 bytes; the history and the raw channel payload are not part of it). */
  orderBytes: 400_000,
  /** A channel order as a connector hands it in (without its raw payload): leaves room for tags and shipments. */
  channelOrderBytes: 300_000,
  positionsPerOrder: 2_000,
  tagsPerOrder: 100,
  tagsPerRequest: 100,
  tagLength: 100,
  shipmentsPerOrder: 100,
  positionIdsPerShipment: 2_000,
  parcelsPerReport: 100,
  paymentsPerOrder: 100,
  commentsPerOrder: 100,
} as const;

/** Bytes of a value as JSON in UTF-8: what an event payload costs on the wire. */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
