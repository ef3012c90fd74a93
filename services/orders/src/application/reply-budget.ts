/** Below NATS's 1 MB payload limit, with room for the reply's envelope. */
const MAX_REPLY_BYTES = 768 * 1024;

/**
 * The leading items that fit into one RPC reply (one NATS message), at least one; `cut` when some
 * were left out, so the caller can go on from the last one taken (a cursor or an offset).
 */
export function withinReplyBudget<T>(items: Iterable<T>): { taken: T[]; cut: boolean } {
  const taken: T[] = [];
  let bytes = 0;
  for (const item of items) {
    bytes += Buffer.byteLength(JSON.stringify(item));
    if (taken.length > 0 && bytes > MAX_REPLY_BYTES) return { taken, cut: true };
    taken.push(item);
  }
  return { taken, cut: false };
}
