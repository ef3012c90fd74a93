import { formatShopDate } from './dates';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * JSON as the official SDK (JMS serializer) writes it: null fields are left out entirely,
 * dates in the shop's date format. Empty arrays and objects stay (the SDK emits `customfields: {}`).
 */
export function toWire(value: unknown): Json | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return formatShopDate(value);
  if (Array.isArray(value)) return value.map(toWire).filter((v): v is Json => v !== undefined);
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, field] of Object.entries(value)) {
      const wire = toWire(field);
      if (wire !== undefined) out[key] = wire;
    }
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}
