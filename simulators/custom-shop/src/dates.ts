import { berlinIso8601 } from '@orderhub/sim-kit';

/**
 * Dates as the official PHP SDK writes them: PHP `DateTimeInterface::ISO8601` (`Y-m-d\TH:i:sO`),
 * offset without a colon. The simulated shops run with `date.timezone = Europe/Berlin`, as German
 * shops do: `2019-01-01T21:00:15+0100` in winter, `+0200` in summer (never only `+0000`).
 */
export function formatShopDate(date: Date): string {
  return berlinIso8601(date);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * `StartDate` parsed leniently like PHP's `new DateTime(...)` for the forms clients send:
 * a date, or a date-time with or without an offset (with or without colon). No zone means UTC.
 * Returns undefined when the value is not a date.
 */
export function parseStartDate(value: string): Date | undefined {
  const trimmed = value.trim();
  const dateOnly = DATE_ONLY.exec(trimmed);
  if (dateOnly) return validDate(`${trimmed}T00:00:00Z`);
  const m = DATE_TIME.exec(trimmed);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', zone = 'Z'] = m;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  return validDate(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
}

function validDate(iso: string): Date | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
