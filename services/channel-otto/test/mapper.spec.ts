import { OrderState } from '@orderhub/contracts';
import type { OttoAddress, OttoOrder, OttoPositionItem } from '../src/clients/otto-types';
import { OTTO_PAYMENT_METHOD, OttoOrderMapper } from '../src/mapping/otto-order-mapper';
import { smallestStatus } from '../src/mapping/otto-status';

const item = (id: string, over: Partial<OttoPositionItem> = {}): OttoPositionItem => ({
  positionItemId: id,
  fulfillmentStatus: 'PROCESSABLE',
  itemValueGrossPrice: { amount: 19.99, currency: 'EUR' },
  product: { sku: 'SKU-1', productTitle: 'Kaffeemaschine Deluxe', ean: '4012345678901', vatRate: 19 },
  expectedDeliveryDate: '2026-11-05T10:00:00.000Z',
  ...over,
});

/** The buyer's address; the delivery address also carries the e-mail. */
const address: OttoAddress = {
  salutation: 'MS',
  firstName: 'Erika',
  lastName: 'Mustermann',
  street: 'Hauptstr.',
  houseNumber: '1',
  zipCode: '22179',
  city: 'Hamburg',
  countryCode: 'DEU',
};

const order = (over: Partial<OttoOrder> = {}): OttoOrder => ({
  salesOrderId: 'so-1',
  orderNumber: 'ABCDE12345',
  orderDate: '2026-11-02T08:00:00.000Z',
  lastModifiedDate: '2026-11-02T08:05:00.000Z',
  positionItems: [item('pi-1')],
  initialDeliveryFees: [],
  initialDiscounts: [],
  deliveryAddress: { ...address, email: 'erika@example.org' },
  invoiceAddress: { ...address },
  payment: { paymentMethod: 'PAYPAL' },
  ...over,
});

describe('OTTO order mapping', () => {
  const mapper = new OttoOrderMapper();

  it('OTTO-5: initial service (delivery) fees become the shipping cost', () => {
    const mapped = mapper.map(
      order({
        initialDeliveryFees: [
          { name: 'DELIVERY_FEE_STANDARD', deliveryFeeAmount: { amount: 4.95, currency: 'EUR' }, positionItemIds: ['pi-1'], vatRate: 19 },
          { name: 'DELIVERY_FEE_BULKY', deliveryFeeAmount: { amount: 2.9, currency: 'EUR' }, positionItemIds: ['pi-1'], vatRate: 19 },
        ],
        initialServiceFees: [{ name: 'SERVICE', amount: 1.1, currency: 'EUR' }],
      }),
    );
    expect(mapped.shippingCost).toBe(8.95);
    expect(mapper.map(order()).shippingCost).toBe(0);
  });

  it('OTTO writes German local time with its offset (+01:00 in winter, +02:00 in summer): the hub keeps the instant in UTC', () => {
    const winter = mapper.map(order({ orderDate: '2026-11-02T09:00:00.000+01:00' }));
    expect(winter.orderedAt).toBe('2026-11-02T08:00:00.000Z');
    const summer = mapper.map(
      order({
        orderDate: '2026-07-01T14:00:00.000+02:00',
        positionItems: [item('pi-1', { expectedDeliveryDate: '2026-07-03T00:00:00.000+02:00' })],
      }),
    );
    expect(summer.orderedAt).toBe('2026-07-01T12:00:00.000Z');
    expect(summer.positions[0]?.dispatchDate).toBe('2026-07-02T22:00:00.000Z');
    expect(summer.shipDate).toBe('2026-07-02T22:00:00.000Z');
  });

  it('OTTO-6: different dispatch dates give the midpoint of the earliest and the latest as ship date', () => {
    const mapped = mapper.map(
      order({
        positionItems: [
          item('pi-1', { expectedDeliveryDate: '2026-11-04T00:00:00.000Z' }),
          item('pi-2', { expectedDeliveryDate: '2026-11-10T00:00:00.000Z' }),
          item('pi-3', { expectedDeliveryDate: '2026-11-05T12:00:00.000Z' }),
        ],
      }),
    );
    expect(mapped.shipDate).toBe('2026-11-07T00:00:00.000Z');
    expect(mapper.map(order()).shipDate).toBe('2026-11-05T10:00:00.000Z');
  });

  it('OTTO-7: every OTTO order is paid with "OTTO Payments", whatever OTTO reports', () => {
    expect(mapper.map(order()).paymentMethod).toBe(OTTO_PAYMENT_METHOD);
    expect(mapper.map(order({ payment: { paymentMethod: 'PREPAYMENT' } })).paymentMethod).toBe('OTTO Payments');
  });

  it('OTTO-9: the order state is the smallest position status (ANNOUNCED < PROCESSABLE < SENT < RETURNED < CANCELLED_*)', () => {
    const states = (...s: OttoPositionItem['fulfillmentStatus'][]) =>
      mapper.map(order({ positionItems: s.map((st, i) => item(`pi-${i}`, { fulfillmentStatus: st })) })).state;
    expect(smallestStatus([{ fulfillmentStatus: 'SENT' }, { fulfillmentStatus: 'PROCESSABLE' }])).toBe('PROCESSABLE');
    expect(states('ANNOUNCED', 'PROCESSABLE')).toBe(OrderState.Ordered);
    expect(states('PROCESSABLE', 'SENT')).toBe(OrderState.Paid);
    expect(states('SENT', 'CANCELLED_BY_MARKETPLACE')).toBe(OrderState.Shipped);
    expect(states('RETURNED', 'SENT')).toBe(OrderState.Shipped);
    expect(states('RETURNED', 'CANCELLED_BY_PARTNER')).toBe(OrderState.Returned);
    expect(states('CANCELLED_BY_PARTNER', 'CANCELLED_BY_MARKETPLACE')).toBe(OrderState.Cancelled);
  });

  it('OTTO-11: with mixed currencies the order takes the most frequent position currency', () => {
    const mapped = mapper.map(
      order({
        positionItems: [
          item('pi-1', { itemValueGrossPrice: { amount: 10, currency: 'CHF' } }),
          item('pi-2', { itemValueGrossPrice: { amount: 10, currency: 'EUR' } }),
          item('pi-3', { itemValueGrossPrice: { amount: 10, currency: 'EUR' } }),
        ],
      }),
    );
    expect(mapped.currency).toBe('EUR');
    expect(mapped.positions.map((p) => p.currency)).toEqual(['CHF', 'EUR', 'EUR']);
    const chf = mapper.map(
      order({
        positionItems: [
          item('a', { itemValueGrossPrice: { amount: 1, currency: 'CHF' } }),
          item('b', { itemValueGrossPrice: { amount: 1, currency: 'CHF' } }),
          item('c'),
        ],
      }),
    );
    expect(chf.currency).toBe('CHF');
  });

  it('keeps one position per OTTO position item (one piece) with the item id, status and raw payload', () => {
    const raw = order({ positionItems: [item('pi-1'), item('pi-2'), item('pi-3', { fulfillmentStatus: 'CANCELLED_BY_MARKETPLACE' })] });
    const mapped = mapper.map(raw);
    expect(mapped.positions.map((p) => [p.externalId, p.quantity, p.channelStatus])).toEqual([
      ['pi-1', 1, 'PROCESSABLE'],
      ['pi-2', 1, 'PROCESSABLE'],
    ]);
    expect(mapped.externalId).toBe('so-1');
    expect(mapped.orderNumber).toBe('ABCDE12345');
    expect(JSON.parse(mapped.rawPayload ?? '{}')).toEqual(raw);
    expect(mapped.shippingAddress).toMatchObject({ countryIso2: 'DE', zip: '22179', street: 'Hauptstr.', houseNumber: '1' });
    // deterministic: the import event id is derived from this content
    expect(mapper.map(raw)).toEqual(mapped);
  });

  it('imports an ANNOUNCED order without address and adds it once it is PROCESSABLE', () => {
    const announced = mapper.map(
      order({ positionItems: [item('pi-1', { fulfillmentStatus: 'ANNOUNCED' })], invoiceAddress: undefined, deliveryAddress: undefined }),
    );
    expect(announced.state).toBe(OrderState.Ordered);
    expect(announced.shippingAddress).toBeUndefined();
    const processable = mapper.map(order());
    expect(processable.state).toBe(OrderState.Paid);
    expect(processable.shippingAddress?.city).toBe('Hamburg');
  });

  it('turns checkout discounts into discount positions', () => {
    const mapped = mapper.map(
      order({
        initialDiscounts: [
          {
            discountId: 'd-1',
            discountName: 'Gutschein 5 €',
            discountAmount: { amount: 5, currency: 'EUR' },
            positionItemIds: ['pi-1'],
            vatRate: 19,
          },
        ],
      }),
    );
    expect(mapped.positions[1]).toMatchObject({ externalId: 'd-1', isDiscount: true, unitPrice: -5, totalPrice: -5 });
  });
});
