import express, { Router } from 'express';
import { z } from 'zod';
import type { TokenIssuer } from './auth';
import type { ContinuousOrders } from './continuous';
import type { OrderGenerator } from './generator';
import { CANCELLATION_REASONS, FULFILLMENT_STATUSES, type FulfillmentStatus, ORDER_DEFECTS } from './model';
import { pathParam } from './params';
import { publicShipment } from './shipments';
import { publicOrder, type OttoStore, type SellerAccount } from './store';

/** Moves the marketplace may make on its own; shipping and partner cancellations go through the API. */
const ADMIN_TRANSITIONS: Record<FulfillmentStatus, readonly FulfillmentStatus[]> = {
  ANNOUNCED: ['PROCESSABLE', 'CANCELLED_BY_MARKETPLACE'],
  PROCESSABLE: ['CANCELLED_BY_MARKETPLACE'],
  SENT: ['RETURNED'],
  RETURNED: [],
  CANCELLED_BY_PARTNER: [],
  CANCELLED_BY_MARKETPLACE: [],
};

export const SellerInputSchema = z.object({
  partnerId: z.string().min(1).optional(),
  username: z.string().min(1),
  password: z.string().min(1),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  /** How many product variations (with stock) the seller's catalog starts with. */
  products: z.number().int().min(0).max(1000).optional(),
});
export type SellerInput = z.input<typeof SellerInputSchema>;

const GenerateSchema = z.object({
  partnerId: z.string().optional(),
  count: z.number().int().min(1).max(5000).default(1),
  fulfillmentStatus: z.enum(['ANNOUNCED', 'PROCESSABLE']).optional(),
});

const TransitionSchema = z.object({
  to: z.enum(FULFILLMENT_STATUSES),
  /** Default: every item of the order that may make this move. */
  positionItemIds: z.array(z.string()).min(1).optional(),
  cancellationReason: z.enum(CANCELLATION_REASONS).optional(),
});

const ContinuousSchema = z.object({
  partnerId: z.string().optional(),
  intervalMs: z.number().int().min(10),
  fulfillmentStatus: z.enum(['ANNOUNCED', 'PROCESSABLE']).optional(),
});

export interface AdminDeps {
  store: OttoStore;
  issuer: TokenIssuer;
  generator: OrderGenerator;
  continuous: ContinuousOrders;
  createSeller(input: SellerInput): SellerAccount;
  reset(options: { sellers?: boolean }): void;
}

/** Test and demo controls under /_admin: not part of OTTO's API. */
export function adminRouter(deps: AdminDeps): Router {
  const { store, issuer, generator, continuous } = deps;
  const router = Router();
  router.use('/_admin', express.json());
  const bad = (res: express.Response, error: unknown) =>
    res.status(400).json({ error: error instanceof z.ZodError ? z.prettifyError(error) : String(error) });
  const seller = (res: express.Response, partnerId?: string) => {
    const found = store.resolveSeller(partnerId);
    if (!found)
      res
        .status(404)
        .json({ error: partnerId ? `No seller '${partnerId}'` : 'partnerId is required when there is not exactly one seller' });
    return found;
  };

  router.post('/_admin/sellers', (req, res) => {
    const input = SellerInputSchema.safeParse(req.body ?? {});
    if (!input.success) return bad(res, input.error);
    if ([...store.sellers.values()].some((s) => s.username === input.data.username))
      return res.status(409).json({ error: `username '${input.data.username}' exists` });
    const created = deps.createSeller(input.data);
    res.status(201).json({ ...created, skus: [...store.productsOf(created.partnerId).keys()] });
  });
  router.get('/_admin/sellers', (_req, res) => {
    res.json([...store.sellers.values()]);
  });

  router.post('/_admin/products', (req, res) => {
    const input = z
      .object({ partnerId: z.string().optional(), count: z.number().int().min(1).max(1000).default(1) })
      .safeParse(req.body ?? {});
    if (!input.success) return bad(res, input.error);
    const owner = seller(res, input.data.partnerId);
    if (!owner) return;
    res.status(201).json(generator.createCatalog(owner.partnerId, input.data.count));
  });

  router.post('/_admin/orders/generate', (req, res) => {
    const input = GenerateSchema.safeParse(req.body ?? {});
    if (!input.success) return bad(res, input.error);
    const owner = seller(res, input.data.partnerId);
    if (!owner) return;
    const orders = Array.from({ length: input.data.count }, () =>
      generator.createOrder(owner.partnerId, { fulfillmentStatus: input.data.fulfillmentStatus }),
    );
    res.status(201).json({ orders: orders.map(adminOrder) });
  });

  router.get('/_admin/orders', (req, res) => {
    const partnerId = typeof req.query.partnerId === 'string' ? req.query.partnerId : undefined;
    res.json([...store.orders.values()].filter((o) => !partnerId || o.partnerId === partnerId).map(adminOrder));
  });

  router.get('/_admin/orders/:salesOrderId', (req, res) => {
    const stored = store.orders.get(pathParam(req, 'salesOrderId'));
    if (!stored) return res.status(404).json({ error: 'No such order' });
    res.json(adminOrder(stored));
  });

  router.post('/_admin/orders/:salesOrderId/transition', (req, res) => {
    const stored = store.orders.get(pathParam(req, 'salesOrderId'));
    if (!stored) return res.status(404).json({ error: 'No such order' });
    const input = TransitionSchema.safeParse(req.body ?? {});
    if (!input.success) return bad(res, input.error);
    const { to, positionItemIds, cancellationReason } = input.data;
    const items = positionItemIds
      ? positionItemIds.map((id) => stored.order.positionItems.find((i) => i.positionItemId === id))
      : stored.order.positionItems.filter((i) => ADMIN_TRANSITIONS[i.fulfillmentStatus].includes(to));
    if (items.length === 0) return res.status(409).json({ error: `No position item can move to ${to}` });
    for (const item of items) {
      if (!item) return res.status(404).json({ error: 'No such position item in this order' });
      if (!ADMIN_TRANSITIONS[item.fulfillmentStatus].includes(to)) {
        return res
          .status(409)
          .json({ error: `${item.positionItemId}: ${item.fulfillmentStatus} -> ${to} is not a marketplace transition` });
      }
    }
    for (const item of items) if (item) store.transition(stored, item, to, { cancellationReason });
    res.json(adminOrder(stored));
  });

  /**
   * Serves the order with a defect from now on (`defect: null` serves it whole again). Its dates stay as
   * they are: a poll that already passed it does not see it again, only a partner's own re-read does.
   */
  router.post('/_admin/orders/:salesOrderId/defect', (req, res) => {
    const stored = store.orders.get(pathParam(req, 'salesOrderId'));
    if (!stored) return res.status(404).json({ error: 'No such order' });
    const input = z.object({ defect: z.enum(ORDER_DEFECTS).nullable() }).safeParse(req.body ?? {});
    if (!input.success) return bad(res, input.error);
    if (input.data.defect) stored.defect = input.data.defect;
    else delete stored.defect;
    res.json(adminOrder(stored));
  });

  // What reached "OTTO", so tests can assert a write-back arrived exactly once.
  router.get('/_admin/shipments', (_req, res) => {
    res.json([...store.shipments.values()].map((s) => ({ partnerId: s.partnerId, ...publicShipment(s) })));
  });
  router.get('/_admin/cancellations', (_req, res) => {
    res.json(store.cancellations);
  });
  router.get('/_admin/stock-updates', (_req, res) => {
    res.json(store.stockUpdates);
  });
  router.get('/_admin/stock', (req, res) => {
    const owner = seller(res, typeof req.query.partnerId === 'string' ? req.query.partnerId : undefined);
    if (!owner) return;
    res.json([...store.stockOf(owner.partnerId).values()]);
  });

  router.post('/_admin/continuous', (req, res) => {
    const input = ContinuousSchema.safeParse(req.body ?? {});
    if (!input.success) return bad(res, input.error);
    const owner = seller(res, input.data.partnerId);
    if (!owner) return;
    res.json(continuous.start(owner.partnerId, input.data.intervalMs, { fulfillmentStatus: input.data.fulfillmentStatus }));
  });
  router.get('/_admin/continuous', (_req, res) => {
    res.json(continuous.current());
  });
  router.delete('/_admin/continuous', (_req, res) => {
    res.json(continuous.stop());
  });

  router.post('/_admin/tokens/expire', (_req, res) => {
    res.json({ expired: issuer.expireAll() });
  });

  router.post('/_admin/reset', (req, res) => {
    const input = z.object({ sellers: z.boolean().default(false) }).safeParse(req.body ?? {});
    if (!input.success) return bad(res, input.error);
    deps.reset(input.data);
    res.status(204).end();
  });

  return router;
}

/** Admin view: OTTO's public order plus the hidden facts (owner, addresses held back while ANNOUNCED). */
function adminOrder(stored: Parameters<typeof publicOrder>[0]) {
  return {
    partnerId: stored.partnerId,
    addressReleased: stored.addressReleased,
    pendingDeliveryAddress: stored.deliveryAddress,
    order: publicOrder(stored),
  };
}
