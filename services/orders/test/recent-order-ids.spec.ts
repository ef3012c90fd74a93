import { RecentOrderIds } from '../src/application/recent-order-ids';
import { orderIdFor } from '../src/domain/order-id';

describe('RecentOrderIds', () => {
  const id = (i: number) => orderIdFor('acc_1', 'con_1', `E-${i}`);

  it('still knows most of the first 2 000 of 100 000 imported orders, and knows next to none never imported', () => {
    const recent = new RecentOrderIds();
    for (let i = 0; i < 100_000; i++) recent.add(id(i));
    const first = Array.from({ length: 2_000 }, (_, i) => id(i));
    const never = Array.from({ length: 2_000 }, (_, i) => id(200_000 + i));
    expect(recent.shareKnown(first)).toBeGreaterThan(0.75);
    expect(recent.shareKnown(never)).toBeLessThan(0.01);
    expect(recent.shareKnown([])).toBe(0);
  });
});
