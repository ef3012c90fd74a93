import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { SHOP_ACTIONS } from './actions';
import { authenticate } from './auth';
import { ApiErrors, ShopApiError } from './errors';
import type { Params } from './params';
import { param } from './params';
import { jsonStyleFor, writeJson } from './json-style';
import { toWire } from './serialize';
import type { ShopRegistry } from './shop-registry';

/** Path of a shop's API endpoint; the hub appends `?Action=…&Key=…`. */
export const shopApiPath = (shopId: string): string => `/shops/${encodeURIComponent(shopId)}/api`;

/**
 * One endpoint per shop. Order of checks as in the official SDK: authentication first (so a bad Key
 * gets 401 even without an Action), then Action, then the action's own parameters.
 */
export function createShopApiRouter(shops: ShopRegistry): Router {
  const router = Router();
  // Only form bodies are understood; a JSON body leaves the parameters missing, as with the real SDK.
  router.all('/shops/:shopId/api', express.urlencoded({ extended: false }), (req: Request, res: Response) => {
    const shop = shops.find(String(req.params.shopId));
    if (!shop) {
      res.status(404).type('text/plain; charset=utf-8').send('Not Found');
      return;
    }
    try {
      authenticate(shop, req);
    } catch (err) {
      if (shop.config.basicAuth) res.setHeader('WWW-Authenticate', 'Basic realm="Billbee API"');
      throw err;
    }
    const actionName = param(req.query as Params, 'Action')?.trim();
    if (!actionName) throw ApiErrors.noAction();
    const action = SHOP_ACTIONS[actionName];
    if (!action || action.method !== req.method) throw ApiErrors.notImplemented();
    const params = (action.method === 'GET' ? req.query : req.body) as Params | undefined;
    const body = action.handle(shop, params);
    res
      .status(200)
      .type('application/json; charset=utf-8')
      .send(writeJson(toWire(body) ?? {}, jsonStyleFor(shop.config.shopId, shop.config.jsonStyle)));
  });
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof ShopApiError) {
      res.status(err.status).type('text/plain; charset=utf-8').send(err.body);
      return;
    }
    // Any other exception: the SDK answers 500 with the exception message as plain text.
    res
      .status(500)
      .type('text/plain; charset=utf-8')
      .send(err instanceof Error ? err.message : String(err));
  });
  return router;
}
