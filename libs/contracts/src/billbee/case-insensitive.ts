/**
 * Billbee runs on ASP.NET Web API, which matches query names and body properties regardless of case
 * (the PHP SDK sends `Sku`, other clients `SKU`); clients depend on it (reference §1).
 */

/**
 * A JSON body's top-level properties renamed to the canonical spelling in `names` when they match
 * case-insensitively; unknown properties are kept as they are.
 */
export function canonicalProperties(body: unknown, names: readonly string[]): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) out[byLower.get(key.toLowerCase()) ?? key] = value;
  return out;
}

export type RawQuery = Record<string, string | string[] | undefined>;

/**
 * A query string's parameters under lower-case names, with every array form clients send merged:
 * repeated `x=1&x=2`, indexed `x[0]=1&x[1]=2` (C#, PHP) and `x[]=1&x[]=2` (axios). Values are lists.
 */
export function normalizeQuery(search: URLSearchParams | RawQuery): Map<string, string[]> {
  const entries: [string, string][] =
    search instanceof URLSearchParams
      ? [...search.entries()]
      : Object.entries(search).flatMap(([k, v]) =>
          v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]),
        );
  const out = new Map<string, string[]>();
  for (const [rawKey, value] of entries) {
    const key = rawKey.replace(/\[\d*\]$/, '').toLowerCase();
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

/** Query booleans arrive as `true`, `True`, `1`. */
export function queryBoolean(values: string[] | undefined): boolean | undefined {
  const v = values?.[0]?.trim().toLowerCase();
  if (v === undefined || v === '') return undefined;
  return v === 'true' || v === '1';
}
