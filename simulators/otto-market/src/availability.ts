import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { partnerOf, requireBearer, type TokenIssuer } from './auth';
import type { StockLevel } from './model';
import { pathParam } from './params';
import type { OttoStore } from './store';

export const MAX_QUANTITIES_PER_REQUEST = 200;

const QuantityUpdateSchema = z.object({ sku: z.string().min(1).max(50), quantity: z.number().int().min(0) });

/** Availability V1: stock per SKU. POST (not PUT), 1–200 SKUs; unknown SKUs fail singly with 207. */
export function availabilityRouter(store: OttoStore, issuer: TokenIssuer): Router {
  const router = Router();
  const auth = requireBearer(issuer, 'availability');

  router.post('/v1/availability/quantities', auth, (req, res) => {
    const partnerId = partnerOf(res);
    const path = req.path;
    const problem = (status: number, title: string, detail: string) =>
      // Availability answers its 400/413 in a problem-like shape, unlike the other interfaces.
      res.status(status).json({ type: path, title, status, validationErrors: [{ detail, logref: randomUUID() }] });
    if (!Array.isArray(req.body)) return problem(400, 'Bad Request', 'The request body must be a JSON array of {sku, quantity}');
    if (req.body.length > MAX_QUANTITIES_PER_REQUEST)
      return problem(413, 'Payload Too Large', `At most ${MAX_QUANTITIES_PER_REQUEST} quantities per request, got ${req.body.length}`);
    const parsed = z.array(QuantityUpdateSchema).min(1).safeParse(req.body);
    if (!parsed.success) {
      return res.status(422).json({
        errors: parsed.error.issues.map((issue) => ({
          code: 422,
          title: 'Unprocessable Entity',
          detail: `${issue.path.join('.') || 'body'}: ${issue.message}`,
          path,
          logref: randomUUID(),
        })),
      });
    }

    const products = store.productsOf(partnerId);
    const stock = store.stockOf(partnerId);
    const results: (StockLevel & { links: { rel: string; href: string }[] })[] = [];
    const errors: { code: number; title: string; detail: string; path: string; logref: string }[] = [];
    for (const { sku, quantity } of parsed.data) {
      if (!products.has(sku)) {
        errors.push({
          code: 404,
          title: 'SKU_NOT_FOUND',
          detail: `Unknown sku '${sku}'`,
          path: `${path}/${encodeURIComponent(sku)}`,
          logref: randomUUID(),
        });
        continue;
      }
      const level = { sku, quantity, lastModified: store.timestamp() };
      stock.set(sku, level);
      results.push({ ...level, links: [{ rel: 'self', href: `/v1/availability/quantities/${encodeURIComponent(sku)}` }] });
    }
    store.stockUpdates.push({
      receivedAt: store.timestamp(),
      partnerId,
      items: parsed.data,
      acceptedSkus: results.map((r) => r.sku),
      rejectedSkus: parsed.data.filter((i) => !products.has(i.sku)).map((i) => i.sku),
    });
    res.status(errors.length > 0 ? 207 : 200).json({ results, errors });
  });

  // Sorted by SKU; `cursor` is the last SKU of the previous page, `page` the 0-based alternative.
  router.get('/v1/availability/quantities', auth, (req, res) => {
    const query = z
      .object({
        limit: z.coerce.number().int().min(1).max(200).default(200),
        page: z.coerce.number().int().min(0).optional(),
        cursor: z.string().optional(),
      })
      .safeParse(req.query);
    if (!query.success)
      return res.status(400).json({
        type: req.path,
        title: 'Bad Request',
        status: 400,
        validationErrors: query.error.issues.map((i) => ({ detail: `${i.path.join('.')}: ${i.message}`, logref: randomUUID() })),
      });
    const { limit, page, cursor } = query.data;
    const all = [...store.stockOf(partnerOf(res)).values()].sort((a, b) => a.sku.localeCompare(b.sku));
    const rest = cursor !== undefined ? all.filter((s) => s.sku.localeCompare(cursor) > 0) : all.slice((page ?? 0) * limit);
    const variations = rest.slice(0, limit);
    const last = variations[variations.length - 1];
    const links =
      rest.length > limit && last
        ? [{ rel: 'next', href: `/v1/availability/quantities?limit=${limit}&cursor=${encodeURIComponent(last.sku)}` }]
        : [];
    res.json({
      resources: {
        variations: variations.map((v) => ({
          ...v,
          links: [{ rel: 'self', href: `/v1/availability/quantities/${encodeURIComponent(v.sku)}` }],
        })),
      },
      links,
    });
  });

  router.get('/v1/availability/quantities/:sku', auth, (req, res) => {
    const level = store.stockOf(partnerOf(res)).get(pathParam(req, 'sku'));
    if (!level)
      return res.status(404).json({
        errors: [
          { code: 404, title: 'SKU_NOT_FOUND', detail: `Unknown sku '${pathParam(req, 'sku')}'`, path: req.path, logref: randomUUID() },
        ],
      });
    res.json({ ...level, links: [{ rel: 'self', href: req.path }] });
  });

  return router;
}
