/**
 * Billbee writes timestamps as ISO 8601 without a zone (`2023-04-22T14:56:23.843`, reference §1). Ours
 * are instants; we write them in UTC (the zone of Billbee's naive values is undocumented) and read
 * naive values as UTC, so a value a client got from us comes back as the same instant.
 */
export function toBillbeeDate(iso: string | undefined | null): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().slice(0, 23);
}

const NAIVE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?$/;

/**
 * Query and body dates as the clients send them: `yyyy-MM-dd HH:mm` and `yyyy-MM-dd` (C# SDK), ISO with
 * an offset (PHP `format('c')`), ISO with `Z` (Node clients), naive ISO (our own responses).
 * Returns an ISO instant or undefined when the text is not a date.
 */
export function parseBillbeeDate(text: string): string | undefined {
  const value = text.trim().replace(/ (?=\d{2}:\d{2})/, 'T');
  const naive = NAIVE.test(text.trim());
  const date = new Date(naive ? `${value.length === 10 ? `${value}T00:00:00` : value}Z` : value);
  // `+` in a query offset arrives as a space when the client did not encode it: `...10:00:00 01:00`.
  if (Number.isNaN(date.getTime())) {
    const repaired = new Date(text.trim().replace(/ (\d{2}:\d{2})$/, '+$1'));
    return Number.isNaN(repaired.getTime()) ? undefined : repaired.toISOString();
  }
  return date.toISOString();
}
