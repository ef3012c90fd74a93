/** Rounds to cents; an amount so large that `× 100` overflows has no cents to round and stays as it is. */
export function roundToCents(amount: number): number {
  const cents = amount * 100;
  return Number.isFinite(cents) ? Math.round(cents) / 100 : amount;
}

/** The order's gross total: positions plus shipping. Infinite when the amounts overflow a double. */
export function orderTotalGross(positions: readonly { totalPrice: number }[], shippingCost: number): number {
  return roundToCents(positions.reduce((sum, p) => sum + p.totalPrice, 0) + shippingCost);
}

/** Every amount is finite, and so must be their sum: `1e308 + 1e308` is Infinity (stored and sent as `null`). */
export const TOTAL_OVERFLOW_MESSAGE = 'the amounts add up to more than a number can hold; the order total would not be finite';
