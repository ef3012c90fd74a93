import {
  ChannelOrderSchema,
  EditPositionsSchema,
  jsonBytes,
  type OrderPosition,
  OrderLimits,
  OrderState,
  type OrderStateId,
  type ProblemError,
  Subjects,
} from '@orderhub/contracts';
import { OrderAggregate } from '../../src/domain/order';
import { channelOrder } from '../orders-harness';

/** The order aggregate alone (no database): the rules every command goes through. */
describe('order aggregate', () => {
  const by = { actor: 'api-key:test', at: '2026-01-01T00:00:00.000Z' };
  const newOrder = (over: Record<string, unknown> = {}) =>
    OrderAggregate.importNew({
      id: 'o-1',
      accountId: 'a-1',
      connectionId: 'c-1',
      channel: 'serverspot',
      order: ChannelOrderSchema.parse(channelOrder('AG-1', over)),
      contentHash: 'h',
      lock: { locked: false },
      by,
    });
  const inState = (state: OrderStateId) => newOrder({ state });
  const refusal = (change: () => unknown): ProblemError['problem'] => {
    try {
      change();
    } catch (err) {
      return (err as ProblemError).problem;
    }
    throw new Error('expected a refusal');
  };
  const position = (totalPrice: number): OrderPosition => ({ title: 'Big', quantity: 1, unitPrice: totalPrice, totalPrice });

  describe('final states are final', () => {
    it.each([
      ['cancelled', OrderState.Cancelled],
      ['archived', OrderState.Archived],
    ])('a %s order refuses shipments, position edits, invoices and tags with 409 and a reason', (name, state) => {
      const order = inState(state);
      const refusals = [
        refusal(() => order.addShipment({ type: 'shipment', carrier: 'DHL', trackingNumber: 'T1' }, by, 's-1')),
        refusal(() => order.editPositions([position(1)], by)),
        refusal(() => order.assertNotInvoiced()),
        refusal(() => order.changeTags(['vip'], [], by)),
      ];
      for (const problem of refusals) {
        expect(problem).toMatchObject({ status: 409 });
        expect(problem.detail).toContain(`This order is ${name}`);
      }
      expect(refusals.map((p) => p.detail)).toEqual([
        expect.stringContaining('no more shipments'),
        expect.stringContaining('no more position edits'),
        expect.stringContaining('no more invoices'),
        expect.stringContaining('no more tag changes'),
      ]);
      expect(order.snapshot).toMatchObject({ shipments: [], tags: [] });
    });

    it('an open order still takes them', () => {
      const order = inState(OrderState.Paid);
      expect(order.addShipment({ type: 'shipment', carrier: 'DHL', trackingNumber: 'T1' }, by, 's-1')).toBeDefined();
      expect(order.changeTags(['vip'], [], by)).toBe(true);
      order.editPositions([position(5)], by);
      expect(order.snapshot.totalGross).toBe(9.9);
    });
  });

  describe('money is finite everywhere', () => {
    it('two positions at 1e308 are refused by the channel order and the edit schemas (their total overflows)', () => {
      const positions = [position(1e308), position(1e308)];
      expect(ChannelOrderSchema.safeParse(channelOrder('AG-2', { positions })).error?.issues[0]?.message).toMatch(/not be finite/);
      expect(EditPositionsSchema.safeParse({ positions }).error?.issues[0]?.message).toMatch(/not be finite/);
    });

    it('an edit whose total with shipping overflows is a 400, the order keeps its finite total', () => {
      const order = newOrder({ shippingCost: 1.7e308 });
      const problem = refusal(() => order.editPositions([position(1.7e308)], by));
      expect(problem).toMatchObject({ status: 400, errors: [{ path: 'positions' }] });
      expect(Number.isFinite(order.snapshot.totalGross)).toBe(true);
    });

    it('a total near the largest double is kept as it is, not turned into Infinity by rounding to cents', () => {
      const order = newOrder({ positions: [position(1e307)], shippingCost: 0 });
      expect(order.snapshot.totalGross).toBe(1e307);
      expect(JSON.parse(JSON.stringify(order.snapshot)).totalGross).toBe(1e307);
    });
  });

  describe('bounded orders keep events small', () => {
    it(`an order holds at most ${OrderLimits.tagsPerOrder} tags (422 limit-exceeded)`, () => {
      const order = newOrder();
      order.changeTags(
        Array.from({ length: OrderLimits.tagsPerOrder }, (_, i) => `t${i}`),
        [],
        by,
      );
      expect(refusal(() => order.changeTags(['one-more'], [], by))).toMatchObject({
        status: 422,
        type: expect.stringContaining('limit-exceeded'),
      });
    });

    it('order.tags-changed carries the change (added/removed), not the whole tag list', () => {
      const order = newOrder();
      order.changeTags(['a', 'b'], [], by);
      order.changeTags(['c'], ['a'], by);
      const tagEvents = order.changes.events.filter((e) => e.subject === Subjects.orderTagsChanged);
      expect(tagEvents.map((e) => e.data)).toEqual([
        { added: ['a', 'b'], removed: [] },
        { added: ['c'], removed: ['a'] },
      ]);
    });

    it(`an order holds at most ${OrderLimits.shipmentsPerOrder} shipments`, () => {
      const order = newOrder();
      for (let i = 0; i < OrderLimits.shipmentsPerOrder; i++)
        order.addShipment({ type: 'shipment', carrier: 'DHL', trackingNumber: `T${i}` }, by, `s${i}`);
      expect(refusal(() => order.addShipment({ type: 'shipment', carrier: 'DHL', trackingNumber: 'T-last' }, by, 's-last'))).toMatchObject({
        status: 422,
      });
    });

    it('an order that would outgrow the event budget is refused before it is stored', () => {
      const order = newOrder();
      const ids = Array.from({ length: OrderLimits.positionIdsPerShipment }, (_, i) => `${'p'.repeat(190)}${i}`);
      order.addShipment({ type: 'shipment', carrier: 'DHL', trackingNumber: 'BIG-1', positionExternalIds: ids }, by, 's-big-1');
      order.addShipment({ type: 'shipment', carrier: 'DHL', trackingNumber: 'BIG-2', positionExternalIds: ids }, by, 's-big-2');
      expect(jsonBytes(order.snapshot)).toBeGreaterThan(OrderLimits.orderBytes);
      expect(refusal(() => order.assertWithinLimits())).toMatchObject({ status: 422, detail: expect.stringContaining('at most') });
      expect(() => newOrder().assertWithinLimits()).not.toThrow();
    });
  });
});
