import { bodyExcerpt } from '@orderhub/platform';
/** What went wrong talking to a shop, in words a merchant can act on. */
export type ShopErrorKind =
  | 'unreachable'
  | 'notFound'
  | 'unauthorized'
  | 'notImplemented'
  | 'missingParameter'
  | 'orderNotFound'
  | 'productNotFound'
  | 'badDate'
  | 'badRequest'
  | 'invalidResponse'
  | 'server';

/**
 * An error from a Custom Shop API call. Shops answer errors as German plain text (`Unautorisiert`,
 * `Die Bestellung wurde nicht gefunden`, …); `message` is the readable English version, `shopText`
 * the shop's own words. `transient` says whether trying again later may help.
 */
export class ShopApiError extends Error {
  constructor(
    readonly kind: ShopErrorKind,
    message: string,
    readonly status: number | undefined,
    readonly shopText: string | undefined,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'ShopApiError';
  }
}

const GERMAN_TEXTS: { pattern: RegExp; kind: ShopErrorKind; message: (m: RegExpExecArray) => string }[] = [
  {
    pattern: /^Unautorisiert/i,
    kind: 'unauthorized',
    message: () => 'the shop refused the credentials (shop key, clock or basic-auth login)',
  },
  { pattern: /^Keine Aktion übergeben/i, kind: 'badRequest', message: () => 'the shop received no Action' },
  { pattern: /nicht implementiert/i, kind: 'notImplemented', message: () => 'the shop does not implement this action' },
  {
    pattern: /^Es wurde keine? (\w+) übergeben/i,
    kind: 'missingParameter',
    message: (m) => `the shop says the parameter ${m[1]} is missing or empty`,
  },
  { pattern: /Bestellung wurde nicht gefunden/i, kind: 'orderNotFound', message: () => 'the shop does not know this order' },
  { pattern: /Artikel wurde nicht gefunden/i, kind: 'productNotFound', message: () => 'the shop does not know this product' },
  {
    pattern: /Der Wert (.*) konnte nicht in eine gültiges Datum umgewandelt werden/i,
    kind: 'badDate',
    message: (m) => `the shop could not read the date ${m[1]}`,
  },
];

/** Turns a non-2xx answer (plain-text German body) into a readable ShopApiError. */
export function shopErrorFromResponse(action: string, status: number, body: string): ShopApiError {
  const text = bodyExcerpt(body, 300);
  for (const known of GERMAN_TEXTS) {
    const m = known.pattern.exec(text);
    if (m) return new ShopApiError(known.kind, `${action}: ${known.message(m)} (HTTP ${status} "${text}")`, status, text, status >= 500);
  }
  if (status === 401 || status === 403) {
    return new ShopApiError('unauthorized', `${action}: the shop refused the credentials (HTTP ${status})`, status, text, false);
  }
  if (status === 404) return new ShopApiError('notFound', `${action}: no Custom Shop API at this URL (HTTP 404)`, status, text, false);
  const transient = status >= 500 || status === 429 || status === 408 || status === 419;
  const kind: ShopErrorKind = status >= 500 ? 'server' : 'badRequest';
  return new ShopApiError(
    kind,
    `${action}: the shop answered HTTP ${status}${text ? ` "${bodyExcerpt(text)}"` : ''}`,
    status,
    text,
    transient,
  );
}

/** fetch/opossum failures: refused connections, unknown hosts, timeouts, an open breaker. */
export function shopErrorFromNetwork(action: string, url: string, err: unknown): ShopApiError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  const detail = cause?.message ?? (err instanceof Error ? err.message : String(err));
  const host = safeHost(url);
  let message: string;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') message = `the host ${host} is unknown (DNS)`;
  else if (code === 'ECONNREFUSED') message = `nothing answers at ${host} (connection refused)`;
  else if (code === 'EOPENBREAKER') message = `calls to this shop are paused after repeated failures`;
  else if (code === 'ETIMEDOUT' || /timeout|aborted/i.test(detail)) message = `the shop at ${host} did not answer in time`;
  else message = `the shop at ${host} could not be reached (${detail})`;
  return new ShopApiError('unreachable', `${action}: ${message}`, undefined, undefined, true);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
