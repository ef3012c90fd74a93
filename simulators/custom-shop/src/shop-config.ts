import { z } from 'zod';
import { DEFAULT_SHIPPING_PROFILES } from './generator';

export const BasicAuthSchema = z.object({ username: z.string().min(1), password: z.string() });

/** How a simulated shop is set up: what Serverspot shows under "Schnittstellen / WaWi", plus knobs for tests. */
export const ShopConfigSchema = z.object({
  shopId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'shopId: letters, digits, "-" and "_" only'),
  /** The shop key ("Billbee Schlüssel"); ASCII, as the reference recommends. */
  key: z
    .string()
    .min(1)
    .regex(/^[\x20-\x7e]+$/, 'key: ASCII only'),
  /** Optional HTTP basic auth (Serverspot: the shop login). */
  basicAuth: BasicAuthSchema.nullable().default(null),
  /** Added to the shop's clock, to simulate a shop whose clock is off against the hub's. */
  clockOffsetSeconds: z.number().int().default(0),
  /** Real shops accept only the current 1000 s Key window; a lenient peer also takes the previous one. */
  acceptPreviousKeyWindow: z.boolean().default(false),
  /** One shop's choice (S7), not the spec: leave acknowledged orders out of GetOrders. */
  hideAcknowledgedOrders: z.boolean().default(false),
  /** PageSize when a GetOrders request has none; the official SDK defaults to 1 here (a quirk). */
  defaultOrderPageSize: z.number().int().min(1).default(1),
  defaultProductPageSize: z.number().int().min(1).default(100),
  orderNumberPrefix: z.string().default('SSP'),
  /** How the shop writes JSON (json-style.ts); derived from shopId when absent, so shops differ as real ones do. */
  jsonStyle: z.enum(['compact', 'php-escaped', 'php-pretty']).optional(),
  /** Seed of the shop's generator; derived from shopId when absent, so every run is the same. */
  seed: z.number().int().optional(),
  /** Start the order feed at creation: one new order every this many ms (demo). */
  feedIntervalMs: z.number().int().min(10).max(3_600_000).optional(),
  /** Generated at creation. */
  products: z.number().int().min(0).max(10_000).default(0),
  orders: z.number().int().min(0).max(10_000).default(0),
  shippingProfiles: z
    .array(z.object({ Id: z.string().min(1), Name: z.string().min(1) }))
    .default(() => DEFAULT_SHIPPING_PROFILES.map((p) => ({ ...p }))),
});
export type ShopConfigInput = z.input<typeof ShopConfigSchema>;
export type ShopConfig = z.output<typeof ShopConfigSchema>;

/** Settings that may change on a live shop (rotate the key, skew the clock, …). */
export const ShopSettingsPatchSchema = ShopConfigSchema.pick({
  key: true,
  basicAuth: true,
  clockOffsetSeconds: true,
  acceptPreviousKeyWindow: true,
  hideAcknowledgedOrders: true,
  defaultOrderPageSize: true,
  defaultProductPageSize: true,
})
  .partial()
  .strict();
export type ShopSettingsPatch = z.infer<typeof ShopSettingsPatchSchema>;

export function seedFromShopId(shopId: string): number {
  let h = 2166136261;
  for (const ch of shopId) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}
