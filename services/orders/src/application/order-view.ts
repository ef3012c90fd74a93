import type { HistoryEntry, Order } from '@orderhub/contracts';
import type { OrderData, OrderHistoryEntry } from '../domain/order';

/** The contract's Order: internal fields (content hash, raw payload, lock rule, command ids) stay inside. */
export function toOrderView(data: Readonly<OrderData>, history?: readonly OrderHistoryEntry[]): Order {
  const { contentHash: _h, rawPayload: _r, positionsLockRuleId: _l, ...order } = data;
  return {
    ...order,
    ...(history ? { history: history.map(({ commandId: _c, ...entry }): HistoryEntry => entry) } : {}),
  };
}
