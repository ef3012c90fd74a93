import { z } from 'zod';
import { Subjects } from '../subjects';
import { envelope } from '../events/envelope';

export const DimensionsSchema = z.object({
  lengthCm: z.number().positive().optional(),
  widthCm: z.number().positive().optional(),
  heightCm: z.number().positive().optional(),
  weightGrams: z.number().positive().optional(),
});

export const StockEntrySchema = z.object({
  storageLocationId: z.number().int().min(0).default(0),
  quantity: z.number().int(),
});

export const BundleComponentSchema = z.object({ articleId: z.string(), quantity: z.number().int().positive() });

export const ArticleInputSchema = z.object({
  sku: z.string().trim().min(1).max(200).optional(),
  ean: z.string().trim().max(50).optional(),
  title: z.string().trim().min(1).max(1000),
  price: z.number().finite().min(0).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('EUR'),
  dimensions: DimensionsSchema.optional(),
  stock: z.array(StockEntrySchema).default([]),
  /** A bundle (bill of materials) lists its sub-articles; bundles are never sent to a warehouse (WEM-3). */
  bundleComponents: z.array(BundleComponentSchema).default([]),
  /** Channel product id, when imported from a channel. */
  externalId: z.string().max(200).optional(),
});
export type ArticleInput = z.infer<typeof ArticleInputSchema>;

export const ArticleSchema = ArticleInputSchema.extend({
  id: z.string(),
  accountId: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Article = z.infer<typeof ArticleSchema>;

export const ArticleChangedEvent = envelope(
  Subjects.articleChanged,
  z.object({ article: ArticleSchema, created: z.boolean(), changedFields: z.array(z.string()) }),
);
export type ArticleChanged = z.infer<typeof ArticleChangedEvent>;

export const ArticleStockChangedEvent = envelope(
  Subjects.articleStockChanged,
  z.object({
    articleId: z.string(),
    sku: z.string().optional(),
    ean: z.string().optional(),
    stock: z.array(StockEntrySchema),
    totalQuantity: z.number().int(),
  }),
);
export type ArticleStockChanged = z.infer<typeof ArticleStockChangedEvent>;
