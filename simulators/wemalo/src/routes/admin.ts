import express, { Router } from 'express';
import { z } from 'zod';
import { GOODS_ORDER_STATUSES, statusView } from '../goods-orders';
import { productView } from '../product-catalog';
import type { TokenAccess } from '../token-access';
import type { WemaloWarehouse } from '../warehouse';

const ParcelSpecSchema = z.object({
  trackingNumber: z.string().min(1).optional(),
  carrier: z.string().min(1).optional(),
  profileName: z.string().min(1).optional(),
  dispatcherProduct: z.string().min(1).optional(),
  returnLabel: z.boolean().optional(),
  returnTrackingNumber: z.string().min(1).optional(),
  weightTotal: z.number().int().positive().optional(),
  items: z
    .array(z.object({ externalId: z.string().optional(), sku: z.string().optional(), quantity: z.number().int().positive().optional() }))
    .optional(),
});

const AdvanceSchema = z.object({
  to: z.enum(GOODS_ORDER_STATUSES.filter((s) => s !== 'CANCELLED') as [string, ...string[]]),
  parcels: z.array(ParcelSpecSchema).optional(),
});

const AccessSchema = z.object({ token: z.string().min(1).optional(), locked: z.boolean().optional() });

const AutoFulfilSchema = z.object({ seconds: z.number().positive().max(86_400).nullable() });

/** Steering the simulated warehouse; not part of wemalo's API. */
export function adminRoutes(warehouse: WemaloWarehouse, access: TokenAccess): Router {
  const router = Router();
  router.use(express.json());

  router.post('/_admin/goodsOrders/:externalId/advance', (req, res) => {
    const parsed = AdvanceSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.message });
      return;
    }
    const { to, parcels } = parsed.data;
    const order = warehouse.advance(req.params.externalId, to as (typeof GOODS_ORDER_STATUSES)[number], parcels as never);
    res.json({ ...statusView(order), packages: warehouse.orders.parcelsOf(order) });
  });

  router.get('/_admin/received', (_req, res) => {
    const orders = warehouse.orders.all();
    res.json({
      counts: {
        products: warehouse.catalog.all().length,
        goodsOrders: orders.length,
        goodsOrderSubmissions: warehouse.receivedOrders.length,
        cancellations: warehouse.cancellations.filter((c) => c.accepted).length,
        refusedCancellations: warehouse.cancellations.filter((c) => !c.accepted).length,
        syncedMarks: warehouse.ledger.synced().length,
        unsyncedBookings: warehouse.ledger.unsynced().length,
        webhookAttempts: warehouse.webhooks.attempts.length,
      },
      products: warehouse.catalog.all().map((p) => ({ ...productView(p), updatedAt: p.updatedAt.toISOString() })),
      goodsOrders: orders.map((o) => ({
        id: o.id,
        externalId: o.externalId,
        orderNumber: o.orderNumber,
        status: o.status,
        meta: o.meta,
        positions: o.positions,
        packages: warehouse.orders.parcelsOf(o),
        ...(o.cancelReason !== undefined ? { cancelReason: o.cancelReason } : {}),
      })),
      goodsOrderSubmissions: warehouse.receivedOrders,
      cancellations: warehouse.cancellations,
      syncedMarks: warehouse.ledger
        .synced()
        .map((b) => ({ bookingId: b.historyId, externalGoodsOrderId: b.externalGoodsOrderId, syncedAt: b.syncedAt })),
    });
  });

  router.get('/_admin/webhooks', (_req, res) => {
    res.json({
      registered: warehouse.webhooks.list(),
      attempts: warehouse.webhooks.attempts,
      deactivationNotices: warehouse.webhooks.notices,
      pending: warehouse.webhooks.pending,
    });
  });

  router.post('/_admin/auto-fulfil', (req, res) => {
    const parsed = AutoFulfilSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.message });
      return;
    }
    warehouse.setAutoFulfil(parsed.data.seconds ?? undefined);
    res.json({ seconds: warehouse.autoFulfilSeconds ?? null });
  });

  /** A new token (the old one answers 401 from then on), or the account locked (every call 401) and unlocked. */
  router.post('/_admin/access', (req, res) => {
    const parsed = AccessSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.message });
      return;
    }
    res.json(access.set(parsed.data));
  });

  router.post('/_admin/reset', (_req, res) => {
    warehouse.reset();
    res.status(204).end();
  });

  return router;
}
