const SLOT_BITS = 19;
const FINGERPRINT_BITS = 32 - SLOT_BITS;

/**
 * The order ids this replica imported lately, as a hint for how to import the next batch: one whose
 * orders were mostly seen before is read first (one command per order on FerretDB), one of new
 * orders is inserted first (one command per batch). Without it the first batch of repeats after new
 * orders was inserted first: three commands instead of one per order.
 *
 * A fixed table of 2^19 slots (1 MB) keeps a 13-bit fingerprint per slot, so memory stays the same
 * however many orders pass. A later id may take an earlier one's slot, and a fingerprint may match
 * by chance; either only picks the costlier of two correct strategies for one batch. At 100 000 ids,
 * about 83 % of them are still known.
 */
export class RecentOrderIds {
  private readonly fingerprints = new Uint16Array(1 << SLOT_BITS);

  add(id: string): void {
    const h = fnv1a(id);
    this.fingerprints[h >>> FINGERPRINT_BITS] = fingerprintOf(h);
  }

  /** The share of `ids` seen lately (0 for none). */
  shareKnown(ids: string[]): number {
    if (!ids.length) return 0;
    let known = 0;
    for (const id of ids) {
      const h = fnv1a(id);
      if (this.fingerprints[h >>> FINGERPRINT_BITS] === fingerprintOf(h)) known += 1;
    }
    return known / ids.length;
  }
}

/** Never 0, which marks an empty slot. */
function fingerprintOf(hash: number): number {
  return (hash & ((1 << FINGERPRINT_BITS) - 1)) + 1;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
