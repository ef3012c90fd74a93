/** E11000: a unique index (or `_id`) refused the write. */
export function isDuplicateKey(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { code?: number }).code === 11000;
}

/**
 * The indexes an unordered `insertMany` refused because of a duplicate key (E11000); an error with
 * any other cause is thrown again.
 */
export function duplicateKeyIndexes(err: unknown): number[] {
  const errors = (err as { writeErrors?: unknown }).writeErrors;
  const list = (Array.isArray(errors) ? errors : errors ? [errors] : []) as { index: number; code?: number }[];
  if (!list.length || list.some((e) => e.code !== 11000)) throw err;
  return list.map((e) => e.index);
}

/**
 * The statements a write command refused, by index, when the server answered for each (a bulk write
 * error); undefined for any other failure (the connection went away: any statement may be applied).
 */
export function statementErrors(err: unknown): { index: number; code?: number; errmsg?: string }[] | undefined {
  const errors = (err as { writeErrors?: unknown } | undefined)?.writeErrors;
  if (!errors) return undefined;
  const list = (Array.isArray(errors) ? errors : [errors]) as { index: number; code?: number; errmsg?: string }[];
  return list.length ? list : undefined;
}
