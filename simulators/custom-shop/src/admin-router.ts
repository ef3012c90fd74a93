import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import { applyOrderPatch, CountSchema, FeedSchema, NewOrderSchema, OrderPatchSchema } from './admin-schemas';
import { shopApiPath } from './api-router';
import { ShopApiError } from './errors';
import { toWire } from './serialize';
import type { Shop } from './shop';
import { ShopSettingsPatchSchema } from './shop-config';
import { ShopExistsError, type ShopRegistry } from './shop-registry';

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Test and demo controls under `/_admin` (not part of the Custom Shop API): create and steer shops,
 * seed and change data, read back what the hub pushed. JSON in, JSON out.
 */
export function createAdminRouter(shops: ShopRegistry, reset: () => void): Router {
  const router = Router();
  router.use('/_admin', express.json());
  const shopOf = (req: Request): Shop => {
    const shop = shops.find(String(req.params.shopId));
    if (!shop) throw new AdminError(404, `unknown shop ${String(req.params.shopId)}`);
    return shop;
  };

  router.post('/_admin/reset', (_req, res) => {
    reset();
    res.json({ shops: shops.list().map(summary(shops)) });
  });

  router.get('/_admin/shops', (_req, res) => {
    res.json(shops.list().map(summary(shops)));
  });
  router.post('/_admin/shops', (req, res) => {
    const shop = shops.create(req.body ?? {});
    res.status(201).json(summary(shops)(shop));
  });
  router.get('/_admin/shops/:shopId', (req, res) => {
    res.json(summary(shops)(shopOf(req)));
  });
  router.patch('/_admin/shops/:shopId', (req, res) => {
    const shop = shopOf(req);
    shop.updateSettings(ShopSettingsPatchSchema.parse(req.body ?? {}));
    res.json(summary(shops)(shop));
  });
  router.delete('/_admin/shops/:shopId', (req, res) => {
    shops.remove(shopOf(req).id);
    res.status(204).end();
  });

  router.get('/_admin/shops/:shopId/orders', (req, res) => {
    const shop = shopOf(req);
    res.json(
      [...shop.orders.values()]
        .sort((a, b) => a.sequence - b.sequence)
        .map((s) => ({ order: toWire(s.order), acknowledged: s.acknowledged, modifiedAt: s.modifiedAt.toISOString() })),
    );
  });
  router.post('/_admin/shops/:shopId/orders/generate', (req, res) => {
    const { count } = CountSchema.parse(req.body ?? {});
    res.status(201).json(
      shopOf(req)
        .generateOrders(count)
        .map((s) => toWire(s.order)),
    );
  });
  router.post('/_admin/shops/:shopId/orders', (req, res) => {
    const shop = shopOf(req);
    const { order_id, ...patch } = NewOrderSchema.parse(req.body ?? {});
    if (order_id && shop.orders.has(order_id)) throw new AdminError(409, `order ${order_id} exists`);
    const order = shop.newOrder();
    if (order_id) order.order_id = order_id;
    applyOrderPatch(order, patch, shop.now());
    res.status(201).json(toWire(shop.store(order).order));
  });
  router.patch('/_admin/shops/:shopId/orders/:orderId', (req, res) => {
    const shop = shopOf(req);
    const patch = OrderPatchSchema.parse(req.body ?? {});
    const stored = shop.modifyOrder(String(req.params.orderId), (order) => applyOrderPatch(order, patch, shop.now()));
    res.json(toWire(stored.order));
  });

  router.get('/_admin/shops/:shopId/products', (req, res) => {
    res.json([...shopOf(req).products.values()].map(toWire));
  });
  router.post('/_admin/shops/:shopId/products/generate', (req, res) => {
    const { count } = CountSchema.parse(req.body ?? {});
    res.status(201).json(shopOf(req).generateProducts(count).map(toWire));
  });

  router.get('/_admin/shops/:shopId/received', (req, res) => {
    res.json(shopOf(req).received.snapshot());
  });
  router.delete('/_admin/shops/:shopId/received', (req, res) => {
    shopOf(req).received.clear();
    res.status(204).end();
  });

  router.post('/_admin/shops/:shopId/feed', (req, res) => {
    const shop = shopOf(req);
    const { intervalMs, ordersPerTick } = FeedSchema.parse(req.body ?? {});
    const feed = shops.feed(shop.id);
    feed?.start(intervalMs, ordersPerTick);
    res.json(feed?.status());
  });
  router.delete('/_admin/shops/:shopId/feed', (req, res) => {
    shops.feed(shopOf(req).id)?.stop();
    res.status(204).end();
  });

  router.use('/_admin', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof ZodError) return void res.status(400).json({ error: 'invalid body', issues: err.issues });
    if (err instanceof ShopExistsError) return void res.status(409).json({ error: err.message });
    if (err instanceof AdminError) return void res.status(err.status).json({ error: err.message });
    if (err instanceof ShopApiError) return void res.status(err.status).json({ error: err.body });
    if (err instanceof SyntaxError) return void res.status(400).json({ error: 'invalid JSON' });
    res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
  });
  return router;
}

function summary(shops: ShopRegistry) {
  return (shop: Shop) => {
    const orders = [...shop.orders.values()];
    return {
      shopId: shop.id,
      apiPath: shopApiPath(shop.id),
      settings: {
        key: shop.config.key,
        basicAuth: shop.config.basicAuth,
        clockOffsetSeconds: shop.config.clockOffsetSeconds,
        acceptPreviousKeyWindow: shop.config.acceptPreviousKeyWindow,
        hideAcknowledgedOrders: shop.config.hideAcknowledgedOrders,
        defaultOrderPageSize: shop.config.defaultOrderPageSize,
        defaultProductPageSize: shop.config.defaultProductPageSize,
      },
      orders: orders.length,
      acknowledgedOrders: orders.filter((s) => s.acknowledged).length,
      products: shop.products.size,
      shippingProfiles: shop.shippingProfiles.length,
      feed: shops.feed(shop.id)?.status() ?? null,
    };
  };
}
