import { Router } from 'express';
import { partnerOf, requireBearer, type TokenIssuer } from './auth';
import { sendError } from './errors';
import type { PositionItem, StoredOrder } from './model';
import { pathParam } from './params';
import type { OttoStore } from './store';

/**
 * Partner cancellations (Orders V4). Only PROCESSABLE items can be cancelled: ANNOUNCED ones belong to
 * the marketplace and customer, SENT ones have to come back as returns.
 */
export function cancellationsRouter(store: OttoStore, issuer: TokenIssuer): Router {
  const router = Router();
  const auth = requireBearer(issuer, 'orders');

  // Whole order(s); the path segment may list several salesOrderIds, comma-separated.
  router.post('/v4/orders/:salesOrderIds/cancellation', auth, (req, res) => {
    const partnerId = partnerOf(res);
    const ids = pathParam(req, 'salesOrderIds').split(',').filter(Boolean);
    const orders: StoredOrder[] = [];
    for (const id of ids) {
      const stored = store.orders.get(id);
      if (!stored || stored.partnerId !== partnerId) return sendError(res, 404, req.path, 'RESOURCE_NOT_FOUND', `No order '${id}'`);
      orders.push(stored);
    }
    // Items in other states are ignored; only "nothing cancellable at all" is a conflict.
    const cancellable = orders.flatMap((stored) =>
      stored.order.positionItems.filter((i) => i.fulfillmentStatus === 'PROCESSABLE').map((item) => ({ stored, item })),
    );
    if (cancellable.length === 0) return sendError(res, 409, req.path, 'CONFLICT', 'No position item of the order is in state PROCESSABLE');
    const at = store.timestamp();
    for (const { stored, item } of cancellable)
      store.transition(stored, item, 'CANCELLED_BY_PARTNER', { at, cancellationReason: 'CANCELLED_ON_PARTNER_WISH' });
    store.cancellations.push({
      receivedAt: at,
      partnerId,
      kind: 'order',
      salesOrderIds: ids,
      requestedPositionItemIds: [],
      cancelledPositionItemIds: cancellable.map(({ item }) => item.positionItemId),
    });
    res.status(200).end();
  });

  router.post('/v4/orders/:salesOrderId/positionItems/:positionItemIds/cancellation', auth, (req, res) => {
    const partnerId = partnerOf(res);
    const stored = store.orders.get(pathParam(req, 'salesOrderId'));
    if (!stored || stored.partnerId !== partnerId)
      return sendError(res, 404, req.path, 'RESOURCE_NOT_FOUND', `No order '${pathParam(req, 'salesOrderId')}'`);
    const requested = pathParam(req, 'positionItemIds').split(',').filter(Boolean);
    const items: PositionItem[] = [];
    for (const id of requested) {
      const item = stored.order.positionItems.find((i) => i.positionItemId === id);
      if (!item)
        return sendError(res, 404, req.path, 'RESOURCE_NOT_FOUND', `No position item '${id}' in order '${stored.order.salesOrderId}'`);
      items.push(item);
    }
    // All or nothing: one item in a state other than PROCESSABLE / CANCELLED_BY_PARTNER leaves the order unchanged.
    const blocking = items.filter((i) => i.fulfillmentStatus !== 'PROCESSABLE' && i.fulfillmentStatus !== 'CANCELLED_BY_PARTNER');
    if (blocking.length > 0) {
      return sendError(
        res,
        409,
        req.path,
        'CONFLICT',
        `Position items not cancellable: ${blocking.map((i) => `${i.positionItemId} (${i.fulfillmentStatus})`).join(', ')}`,
      );
    }
    const toCancel = items.filter((i) => i.fulfillmentStatus === 'PROCESSABLE');
    const at = store.timestamp();
    for (const item of toCancel)
      store.transition(stored, item, 'CANCELLED_BY_PARTNER', { at, cancellationReason: 'CANCELLED_ON_PARTNER_WISH' });
    store.cancellations.push({
      receivedAt: at,
      partnerId,
      kind: 'positionItems',
      salesOrderIds: [stored.order.salesOrderId],
      requestedPositionItemIds: requested,
      cancelledPositionItemIds: toCancel.map((i) => i.positionItemId),
    });
    res.status(200).end();
  });

  return router;
}
