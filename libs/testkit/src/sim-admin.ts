/** A simulator's admin API (`<baseUrl>/_admin<path>`, JSON both ways); an answer of 400 or more fails the call. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed JSON answers
export async function simAdmin<T = any>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/_admin${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`admin ${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
