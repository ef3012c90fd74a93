import { Router } from 'express';
import { parseFromDate } from '../wemalo-dates';
import { invalid, missingParameter } from '../wemalo-errors';
import { productView } from '../product-catalog';
import type { WemaloWarehouse } from '../warehouse';

const ok = { Success: true, status: 200 };

export function productRoutes(warehouse: WemaloWarehouse, shop: string): Router {
  const router = Router();
  const { catalog } = warehouse;

  router.post('/product/add', (req, res) => {
    catalog.add(req.body ?? {}, shop);
    res.json(ok);
  });

  /** Each product is validated on its own; the ones that fail are listed, the rest are stored. */
  router.post('/product/addMultiple', (req, res) => {
    const products: unknown = req.body?.products;
    if (!Array.isArray(products)) throw missingParameter('products');
    const errors: Record<string, unknown>[] = [];
    products.forEach((p: Record<string, unknown>, index) => {
      try {
        catalog.add(p ?? {}, typeof p?.shop === 'string' ? p.shop : shop);
      } catch (err) {
        const e = err as { type?: string; field?: string; message: string };
        errors.push({ index, externalId: p?.externalId, error: e.type ?? 'INVALID', field: e.field, message: e.message });
      }
    });
    if (errors.length) res.status(400).json({ Success: false, status: 400, added: products.length - errors.length, errors });
    else res.json({ ...ok, added: products.length });
  });

  router.put('/product/update/:externalId', (req, res) => {
    const { ignoredFields } = catalog.update(req.params.externalId, req.body ?? {});
    res.json({ ...ok, ...(ignoredFields.length ? { ignoredFields } : {}) });
  });

  router.put('/product/changeActiveFlag/:externalId', (req, res) => {
    const isActive = req.body?.isActive;
    if (typeof isActive !== 'boolean') throw missingParameter('isActive');
    catalog.setActive(req.params.externalId, isActive);
    res.json(ok);
  });

  router.get('/product/get/:externalId', (req, res) => {
    res.json({ ...productView(catalog.get(req.params.externalId)), ...ok });
  });

  router.get('/product/getAll', (req, res) => {
    const raw = req.query.fromDate;
    let products = catalog.all();
    if (raw !== undefined) {
      const from = typeof raw === 'string' ? parseFromDate(raw) : undefined;
      if (!from) throw invalid('fromDate', 'fromDate must be ddMMyyyyHH');
      products = catalog.changedSince(from);
    }
    res.json({ products: products.map((p) => ({ ...productView(p), ...ok })), Success: true });
  });

  router.get('/product/shop', (_req, res) => {
    res.json({ shop, Success: true });
  });

  return router;
}
