/** wemalo mixes date formats per endpoint; these helpers keep each one in one place. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `dd.MM.yyyy HH:mm:ss`, used for booking and handover dates in sent-package lists. */
export function formatBookingDate(date: Date): string {
  return `${pad(date.getDate())}.${pad(date.getMonth() + 1)}.${date.getFullYear()} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Parses `dd.MM.yyyy HH:mm:ss` (time optional); undefined when malformed. */
export function parseBookingDate(text: string): Date | undefined {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, d, mo, y, h = '0', mi = '0', s = '0'] = m;
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/** `ddMMyyyyHH`, the `fromDate` of `/product/getAll` and `/product/availableStock`: hour precision. */
export function parseFromDate(text: string): Date | undefined {
  const m = /^(\d{2})(\d{2})(\d{4})(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [, d, mo, y, h] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h));
  return Number.isNaN(date.getTime()) || date.getMonth() !== Number(mo) - 1 ? undefined : date;
}

export function formatFromDate(date: Date): string {
  return `${pad(date.getDate())}${pad(date.getMonth() + 1)}${date.getFullYear()}${pad(date.getHours())}`;
}
