/** Billbee's order state ids (Billbee REST API `OrderState`, 1..17); the hub keeps the same numbers. */
export const OrderState = {
  Ordered: 1,
  Confirmed: 2,
  Paid: 3,
  Shipped: 4,
  Reclamation: 5,
  Deleted: 6,
  Completed: 7,
  Cancelled: 8,
  Archived: 9,
  Rated: 10,
  DemandNote1: 11,
  DemandNote2: 12,
  Packed: 13,
  Offered: 14,
  PaymentReminder: 15,
  InFulfillment: 16,
  Returned: 17,
} as const;
export type OrderStateId = (typeof OrderState)[keyof typeof OrderState];
export const ORDER_STATE_IDS = Object.values(OrderState) as OrderStateId[];

export const ORDER_STATE_NAMES: Record<OrderStateId, string> = {
  1: 'ordered',
  2: 'confirmed',
  3: 'paid',
  4: 'shipped',
  5: 'reclamation',
  6: 'deleted',
  7: 'completed',
  8: 'cancelled',
  9: 'archived',
  10: 'rated',
  11: 'demand note 1',
  12: 'demand note 2',
  13: 'packed',
  14: 'offered',
  15: 'payment reminder',
  16: 'in fulfilment',
  17: 'returned',
};

const S = OrderState;
const OPEN: OrderStateId[] = [S.Ordered, S.Confirmed, S.Paid, S.Offered, S.PaymentReminder, S.DemandNote1, S.DemandNote2];

/**
 * Allowed state changes. Everything not listed is refused with a reason. Open orders move freely
 * among the open states and into fulfilment; once shipped an order can only be completed, returned,
 * reclaimed or archived; cancelled, deleted and archived orders are final except for archiving.
 */
export const ORDER_STATE_TRANSITIONS: Record<OrderStateId, readonly OrderStateId[]> = {
  1: [...OPEN, S.Packed, S.InFulfillment, S.Shipped, S.Cancelled, S.Deleted],
  2: [...OPEN, S.Packed, S.InFulfillment, S.Shipped, S.Cancelled, S.Deleted],
  3: [...OPEN, S.Packed, S.InFulfillment, S.Shipped, S.Cancelled, S.Deleted],
  14: [...OPEN, S.Cancelled, S.Deleted],
  15: [...OPEN, S.Packed, S.InFulfillment, S.Shipped, S.Cancelled, S.Deleted],
  11: [...OPEN, S.Packed, S.InFulfillment, S.Shipped, S.Cancelled, S.Deleted],
  12: [...OPEN, S.Packed, S.InFulfillment, S.Shipped, S.Cancelled, S.Deleted],
  13: [S.InFulfillment, S.Shipped, S.Cancelled, S.Paid, S.Confirmed],
  16: [S.Packed, S.Shipped, S.Cancelled, S.Paid, S.Confirmed],
  4: [S.Completed, S.Reclamation, S.Returned, S.Archived, S.Rated],
  5: [S.Shipped, S.Completed, S.Returned, S.Archived],
  7: [S.Archived, S.Reclamation, S.Returned, S.Rated],
  10: [S.Archived, S.Completed],
  17: [S.Completed, S.Archived, S.Reclamation],
  8: [S.Archived],
  6: [S.Archived],
  9: [],
};

/**
 * Final states: such an order takes no more shipments, position edits, invoices or tags; it can only
 * be archived (the state machine above).
 */
export const FINAL_ORDER_STATES: readonly OrderStateId[] = [S.Cancelled, S.Deleted, S.Archived];

export const isFinalState = (state: OrderStateId): boolean => FINAL_ORDER_STATES.includes(state);

export function canTransition(from: OrderStateId, to: OrderStateId): boolean {
  return from !== to && ORDER_STATE_TRANSITIONS[from].includes(to);
}
