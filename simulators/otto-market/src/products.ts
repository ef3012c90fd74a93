import { Router } from 'express';
import { z } from 'zod';
import { partnerOf, requireBearer, type TokenIssuer } from './auth';
import { sendError, sendErrors, zodIssuesToErrors } from './errors';
import type { ProductVariation } from './model';
import { pathParam } from './params';
import type { OttoStore } from './store';

const ListQuerySchema = z.object({
  sku: z.string().optional(),
  productReference: z.string().optional(),
  category: z.string().optional(),
  brandId: z.string().optional(),
  page: z.coerce.number().int().min(0).default(0),
  // "proposed limit … (at most 100)": OTTO lowers a bigger limit instead of failing.
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(100)
    .transform((n) => Math.min(n, 100)),
});

/** Products (read side), served under V4 and V5 alike: the listing fields a connector imports. */
export function productsRouter(store: OttoStore, issuer: TokenIssuer): Router {
  const router = Router();
  const auth = requireBearer(issuer, 'products');
  const versions = ['v4', 'v5'];

  for (const v of versions) {
    router.get(`/${v}/products`, auth, (req, res) => {
      const query = ListQuerySchema.safeParse(req.query, { reportInput: true });
      if (!query.success) return sendErrors(res, 400, zodIssuesToErrors(req.path, query.error.issues));
      const { page, limit, ...filter } = query.data;
      const all = [...store.productsOf(partnerOf(res)).values()]
        .filter(
          (p) => (!filter.sku || p.sku === filter.sku) && (!filter.productReference || p.productReference === filter.productReference),
        )
        .filter(
          (p) =>
            (!filter.category || p.productDescription.category === filter.category) &&
            (!filter.brandId || p.productDescription.brandId === filter.brandId),
        )
        .sort((a, b) => a.sku.localeCompare(b.sku));
      const slice = all.slice(page * limit, page * limit + limit);
      const links = [];
      if (page > 0) links.push({ rel: 'prev', href: `/${v}/products?page=${page - 1}&limit=${limit}` });
      if ((page + 1) * limit < all.length) links.push({ rel: 'next', href: `/${v}/products?page=${page + 1}&limit=${limit}` });
      res.json({ productVariations: slice.map(publicVariation), links });
    });

    router.get(`/${v}/products/marketplace-status`, auth, (req, res) => {
      const query = z
        .object({ page: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(100) })
        .safeParse(req.query);
      if (!query.success) return sendErrors(res, 400, zodIssuesToErrors(req.path, query.error.issues));
      const { page, limit } = query.data;
      const all = [...store.productsOf(partnerOf(res)).values()].sort((a, b) => a.sku.localeCompare(b.sku));
      const links =
        (page + 1) * limit < all.length ? [{ rel: 'next', href: `/${v}/products/marketplace-status?page=${page + 1}&limit=${limit}` }] : [];
      res.json({ marketPlaceStatus: all.slice(page * limit, page * limit + limit).map((p) => marketplaceStatus(v, p)), links });
    });

    router.get(`/${v}/products/:sku/marketplace-status`, auth, (req, res) => {
      const product = store.productsOf(partnerOf(res)).get(pathParam(req, 'sku'));
      if (!product) return sendError(res, 404, req.path, 'RESOURCE_NOT_FOUND', `No product variation '${pathParam(req, 'sku')}'`);
      res.json(marketplaceStatus(v, product));
    });

    router.get(`/${v}/products/:sku`, auth, (req, res) => {
      const product = store.productsOf(partnerOf(res)).get(pathParam(req, 'sku'));
      if (!product) return sendError(res, 404, req.path, 'RESOURCE_NOT_FOUND', `No product variation '${pathParam(req, 'sku')}'`);
      res.json(publicVariation(product));
    });
  }
  return router;
}

function publicVariation(product: ProductVariation): Omit<ProductVariation, 'marketPlaceStatus' | 'lastModified'> {
  const { marketPlaceStatus: _status, lastModified: _modified, ...variation } = product;
  return structuredClone(variation);
}

function marketplaceStatus(version: string, product: ProductVariation) {
  return {
    sku: product.sku,
    moin: product.moin,
    status: product.marketPlaceStatus,
    errors: [],
    information: [],
    links: [{ rel: 'self', href: `/${version}/products/${encodeURIComponent(product.sku)}` }],
    lastModified: product.lastModified,
  };
}
