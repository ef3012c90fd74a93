const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Dates as shops write them: PHP ISO8601 `2019-01-01T20:00:15+0000` (offset without colon), .NET
 * ISO (`…Z`, `+01:00`, or no zone), raw DB strings `2019-01-01 20:00:15`, or a date. No zone = UTC
 * (the reference's advice). Missing, null and "" are "no value". Returns an ISO string with `Z`.
 */
export function parseShopDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text || text.startsWith('0000-00-00')) return undefined;
  let iso: string | undefined;
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) iso = `${text}T00:00:00Z`;
  const m = dateOnly ? undefined : DATE_TIME.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s = '00', frac = '', zone = 'Z'] = m;
    const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${offset}`;
  }
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** `StartDate` as we send it: a date-time with an explicit UTC offset, so a shop in another zone reads it right. */
export function formatStartDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`;
}
