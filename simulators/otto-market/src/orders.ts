import { Router } from 'express';
import { partnerOf, requireBearer, type TokenIssuer } from './auth';
import { sendError, sendErrors, zodIssuesToErrors } from './errors';
import type { Link } from './model';
import { decodeCursor, encodeCursor, LimitSchema, OrderFilterSchema, selectPage } from './order-query';
import { pathParam } from './params';
import { publicOrder, type OttoStore } from './store';

/** Orders V4: list with filters and cursor paging, and single orders by salesOrderId or orderNumber. */
export function ordersRouter(store: OttoStore, issuer: TokenIssuer): Router {
  const router = Router();
  const auth = requireBearer(issuer, 'orders');

  router.get('/v4/orders', auth, (req, res) => {
    const partnerId = partnerOf(res);
    const parsedLimit = LimitSchema.safeParse(req.query.limit);
    if (!parsedLimit.success)
      return sendErrors(
        res,
        400,
        zodIssuesToErrors(
          req.path,
          parsedLimit.error.issues.map((i) => ({ ...i, path: ['limit'] })),
        ),
      );

    // With a cursor OTTO considers only `limit`; the filters travel inside the cursor.
    const rawCursor = req.query.nextcursor;
    let filterAndAfter;
    if (rawCursor !== undefined) {
      const cursor = typeof rawCursor === 'string' ? decodeCursor(rawCursor) : undefined;
      if (!cursor) return sendError(res, 400, req.path, 'INVALID_CURSOR', 'nextcursor is not a cursor issued by this API');
      filterAndAfter = cursor;
    } else {
      const filter = OrderFilterSchema.safeParse(req.query, { reportInput: true });
      if (!filter.success) return sendErrors(res, 400, zodIssuesToErrors(req.path, filter.error.issues));
      filterAndAfter = { filter: filter.data, after: undefined };
    }

    const ownOrders = [...store.orders.values()].filter((o) => o.partnerId === partnerId);
    const byId = new Map(ownOrders.map((o) => [o.order.salesOrderId, o]));
    // OTTO's next link carries only the cursor; without an explicit limit the first page's size continues.
    const limit =
      req.query.limit === undefined && 'limit' in filterAndAfter && filterAndAfter.limit ? filterAndAfter.limit : parsedLimit.data;
    const { page, next } = selectPage(
      ownOrders.map((o) => o.order),
      filterAndAfter.filter,
      limit,
      filterAndAfter.after,
    );
    const links: Link[] = next ? [{ rel: 'next', href: `/v4/orders?nextcursor=${encodeCursor(next)}` }] : [];
    res.json({ resources: page.map((o) => publicOrder(byId.get(o.salesOrderId)!)), links });
  });

  router.get('/v4/orders/:salesOrderIdOrNumber', auth, (req, res) => {
    const stored = store.findOrder(partnerOf(res), pathParam(req, 'salesOrderIdOrNumber'));
    if (!stored) return sendError(res, 404, req.path, 'RESOURCE_NOT_FOUND', `No order '${pathParam(req, 'salesOrderIdOrNumber')}'`);
    res.json(publicOrder(stored));
  });

  return router;
}
