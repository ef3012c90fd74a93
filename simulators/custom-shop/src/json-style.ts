import { z } from 'zod';
import { seedFromShopId } from './shop-config';

/**
 * How a shop writes its JSON, as real shop systems do: `php-escaped` is PHP's `json_encode` default
 * (what Billbee's SDK sends: `\/` and non-ASCII as `\uXXXX`, surrogate pairs beyond the BMP),
 * `php-pretty` adds `JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE` (4-space indent, one field a line,
 * raw UTF-8), `compact` is plain UTF-8 JSON on one line.
 */
export const JsonStyleSchema = z.enum(['compact', 'php-escaped', 'php-pretty']);
export type JsonStyle = z.infer<typeof JsonStyleSchema>;

const STYLES = JsonStyleSchema.options;

/** A shop without a chosen style gets one from its id: every run the same, different shops differ. */
export function jsonStyleFor(shopId: string, chosen?: JsonStyle): JsonStyle {
  return chosen ?? STYLES[seedFromShopId(`json:${shopId}`) % STYLES.length]!;
}

export function writeJson(value: unknown, style: JsonStyle): string {
  if (style === 'compact') return JSON.stringify(value);
  if (style === 'php-pretty') return JSON.stringify(value, null, 4);
  // JSON.stringify leaves non-ASCII as it is; json_encode escapes every UTF-16 unit above 0x7f and '/'.
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
