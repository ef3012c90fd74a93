/** Request parameters as the shop sees them: a flat string map (query string or form body). */
export type Params = Record<string, unknown>;

/** Parameter names are case-sensitive, as in the official SDK. Repeated parameters: the first wins. */
export function param(params: Params | undefined, name: string): string | undefined {
  const value = params?.[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** Missing and empty are both "not given" (reference 8.6). */
export function requiredParam(params: Params | undefined, name: string, error: () => Error): string {
  const value = param(params, name)?.trim();
  if (!value) throw error();
  return value;
}

export function optionalParam(params: Params | undefined, name: string): string | null {
  const value = param(params, name)?.trim();
  return value ? value : null;
}

/** Page and PageSize: positive integers; anything else falls back to the default. */
export function positiveInt(params: Params | undefined, name: string, fallback: number): number {
  const raw = param(params, name)?.trim();
  if (!raw || !/^\d+$/.test(raw)) return fallback;
  const value = Number(raw);
  return value >= 1 ? value : fallback;
}
