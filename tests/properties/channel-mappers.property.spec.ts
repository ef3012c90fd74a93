import fc from 'fast-check';
import { ChannelOrderSchema } from '@orderhub/contracts';
import { UnreadableOrderError } from '@orderhub/connector-kit';
import { OTTO_FULFILLMENT_STATUSES, type OttoOrder } from '../../services/channel-otto/src/clients/otto-types';
import { OttoOrderMapper } from '../../services/channel-otto/src/mapping/otto-order-mapper';
import { readOrder } from '../../services/channel-serverspot/src/clients/shop-wire';
import { mapShopOrder, OrderMappingError } from '../../services/channel-serverspot/src/import/order-mapper';
import { fcParams, maybe } from './support';

/**
 * The channel mappers turn whatever a channel sends into a ChannelOrder. Whatever arrives, the outcome
 * must be a ChannelOrder the orders service accepts (else it is parked in the DLQ while the connector
 * thinks it was handed in) or a deliberate rejection — never a runtime fault.
 */
const isoDate = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
const dateLike = fc.oneof(
  isoDate,
  fc.constantFrom('', 'gestern', '2026-13-45T99:99:99Z', '0000-00-00 00:00:00', '2026-11-02', '2019-01-01T20:00:15+0000'),
  fc.string(),
);
const money = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, 19.99, Number.NaN, Infinity, -0.001));
const currency = fc.oneof(fc.constantFrom('EUR', 'CHF', 'eur', '', 'EURO'), fc.string({ maxLength: 4 }));

const ottoAmount = fc.record({ amount: maybe(money), currency: maybe(currency) });
const ottoAddress = fc.record(
  {
    salutation: maybe(fc.constantFrom('MR', 'MS', 'COMPANY', 'DIVERSE')),
    firstName: maybe(fc.string({ maxLength: 300 })),
    lastName: maybe(fc.string({ maxLength: 300 })),
    street: maybe(fc.string()),
    houseNumber: maybe(fc.string()),
    zipCode: maybe(fc.string()),
    city: maybe(fc.string()),
    countryCode: maybe(fc.constantFrom('DEU', 'AUT', 'XXX', 'DE', '')),
    email: maybe(fc.constantFrom('erika@example.org', 'not-an-email', '')),
    phoneNumber: maybe(fc.string()),
  },
  { requiredKeys: [] },
);
const ottoItem = fc.record(
  {
    positionItemId: maybe(fc.oneof(fc.uuid(), fc.string({ maxLength: 250 }))),
    fulfillmentStatus: maybe(fc.oneof(fc.constantFrom(...OTTO_FULFILLMENT_STATUSES), fc.string())),
    itemValueGrossPrice: maybe(ottoAmount),
    product: maybe(
      fc.record(
        {
          sku: maybe(fc.string({ maxLength: 250 })),
          productTitle: maybe(fc.string()),
          ean: maybe(fc.string({ maxLength: 60 })),
          vatRate: maybe(fc.oneof(fc.constantFrom(0, 7, 19), fc.double())),
        },
        { requiredKeys: [] },
      ),
    ),
    expectedDeliveryDate: maybe(dateLike),
  },
  { requiredKeys: [] },
);
const ottoOrder = fc.record(
  {
    salesOrderId: maybe(fc.oneof(fc.uuid(), fc.string({ maxLength: 250 }))),
    orderNumber: maybe(fc.string({ maxLength: 250 })),
    orderDate: maybe(dateLike),
    lastModifiedDate: maybe(dateLike),
    positionItems: maybe(fc.array(ottoItem, { maxLength: 6 })),
    initialDeliveryFees: maybe(
      fc.array(
        fc.record(
          { name: maybe(fc.string()), deliveryFeeAmount: maybe(ottoAmount), positionItemIds: maybe(fc.array(fc.uuid())) },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    ),
    initialServiceFees: maybe(
      fc.array(fc.record({ name: maybe(fc.string()), amount: maybe(money), currency: maybe(currency) }, { requiredKeys: [] }), {
        maxLength: 3,
      }),
    ),
    initialDiscounts: maybe(
      fc.array(
        fc.record(
          {
            discountId: maybe(fc.uuid()),
            discountName: maybe(fc.string()),
            discountAmount: maybe(ottoAmount),
            positionItemIds: maybe(fc.array(fc.uuid())),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    ),
    invoiceAddress: maybe(ottoAddress),
    deliveryAddress: maybe(ottoAddress),
  },
  { requiredKeys: [] },
);
const wellTypedAddress = fc.record(
  {
    salutation: fc.constantFrom('MR', 'MS', 'COMPANY', 'DIVERSE'),
    firstName: fc.string({ maxLength: 300 }),
    lastName: fc.string({ maxLength: 300 }),
    street: fc.string({ maxLength: 400 }),
    houseNumber: fc.string({ maxLength: 60 }),
    addition: fc.string({ maxLength: 400 }),
    zipCode: fc.string({ maxLength: 40 }),
    city: fc.string({ maxLength: 300 }),
    countryCode: fc.constantFrom('DEU', 'AUT', 'CHE', 'XXX'),
    email: fc.constantFrom('erika@example.org', 'kunde.mueller@example.de'),
    phoneNumber: fc.string({ maxLength: 120 }),
  },
  { requiredKeys: [] },
);
/** What OTTO documents: every required field present and well typed, values still arbitrary within their type. */
const wellTypedOttoOrder = fc.record({
  salesOrderId: fc.uuid(),
  orderNumber: fc.string({ minLength: 1, maxLength: 20 }),
  orderDate: isoDate,
  positionItems: fc.array(
    fc.record({
      positionItemId: fc.uuid(),
      fulfillmentStatus: fc.constantFrom(...OTTO_FULFILLMENT_STATUSES),
      itemValueGrossPrice: fc.record({ amount: fc.double({ min: 0, max: 1e5, noNaN: true }), currency: fc.constantFrom('EUR', 'CHF') }),
      product: fc.record({
        sku: fc.string({ minLength: 1, maxLength: 40 }),
        productTitle: fc.string({ maxLength: 200 }),
        vatRate: fc.constantFrom(0, 7, 19),
      }),
      expectedDeliveryDate: fc.option(isoDate, { nil: undefined }),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  initialDeliveryFees: fc.array(
    fc.record({
      name: fc.string(),
      deliveryFeeAmount: fc.record({ amount: fc.double({ min: 0, max: 100, noNaN: true }), currency: fc.constant('EUR') }),
    }),
    { maxLength: 2 },
  ),
  invoiceAddress: fc.option(wellTypedAddress, { nil: undefined }),
  deliveryAddress: fc.option(wellTypedAddress, { nil: undefined }),
});

describe('property: OTTO order mapper (services/channel-otto/src/mapping)', () => {
  const mapper = new OttoOrderMapper();

  it('a well-typed OTTO order always becomes a valid ChannelOrder (per ChannelOrderSchema)', () => {
    fc.assert(
      fc.property(wellTypedOttoOrder, (order) => {
        const mapped = mapper.map(order as unknown as OttoOrder);
        expect(ChannelOrderSchema.safeParse(mapped).success).toBe(true);
        expect(mapped.externalId).toBe(order.salesOrderId);
      }),
      fcParams('otto well-typed', 200),
    );
  });

  it('a malformed OTTO payload never yields an invalid ChannelOrder: valid result or UnreadableOrderError with a reason (the import parks it)', () => {
    fc.assert(
      fc.property(ottoOrder, (order) => {
        let mapped: unknown;
        try {
          mapped = mapper.map(order as unknown as OttoOrder);
        } catch (err) {
          // OrderImportTarget parks the order with this reason, visible and retryable in the API.
          expect(err).toBeInstanceOf(UnreadableOrderError);
          expect((err as UnreadableOrderError).reason).toMatch(/\S/);
          return;
        }
        expect(ChannelOrderSchema.safeParse(mapped).success).toBe(true);
      }),
      fcParams('otto malformed', 200),
    );
  });
});

const shopProduct = fc.record(
  {
    discount_percent: maybe(fc.oneof(fc.double({ min: -50, max: 150, noNaN: true }), fc.string())),
    quantity: maybe(fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.double(), fc.string())),
    unit_price: maybe(fc.oneof(money, fc.constantFrom('19,99', '1e400', 'abc'))),
    product_id: maybe(fc.oneof(fc.integer(), fc.string())),
    name: maybe(fc.string({ maxLength: 1200 })),
    sku: maybe(fc.string({ maxLength: 250 })),
    tax_rate: maybe(fc.oneof(fc.constantFrom(0, 7, 19), fc.double())),
    options: maybe(fc.array(fc.record({ name: maybe(fc.string()), value: maybe(fc.string()) }, { requiredKeys: [] }), { maxLength: 3 })),
  },
  { requiredKeys: [] },
);
const shopAddress = fc.record(
  {
    firstname: maybe(fc.string({ maxLength: 300 })),
    lastname: maybe(fc.string({ maxLength: 300 })),
    street: maybe(fc.string({ maxLength: 400 })),
    housenumber: maybe(fc.string()),
    postcode: maybe(fc.string()),
    city: maybe(fc.string({ maxLength: 300 })),
    country_code: maybe(fc.constantFrom('DE', 'AT', 'DEU', 'Deutschland', '')),
    company: maybe(fc.string({ maxLength: 300 })),
  },
  { requiredKeys: [] },
);
const shopOrder = fc.record(
  {
    order_id: maybe(fc.oneof(fc.integer({ min: 1 }).map(String), fc.string({ maxLength: 250 }), fc.integer())),
    order_number: maybe(fc.string({ maxLength: 250 })),
    currency_code: maybe(currency),
    ship_cost: maybe(fc.oneof(money, fc.string())),
    invoice_address: maybe(shopAddress),
    delivery_address: maybe(shopAddress),
    order_date: maybe(dateLike),
    pay_date: maybe(dateLike),
    ship_date: maybe(dateLike),
    email: maybe(fc.constantFrom('kunde@example.de', 'kein-email', '')),
    payment_method: maybe(fc.integer({ min: -1, max: 100 })),
    order_status_id: maybe(fc.integer({ min: -1, max: 30 })),
    order_products: maybe(fc.array(shopProduct, { maxLength: 5 })),
    order_history: maybe(
      fc.array(
        fc.record(
          {
            date_added: maybe(dateLike),
            name: maybe(fc.string()),
            comment: maybe(fc.string({ maxLength: 6000 })),
            from_customer: maybe(fc.boolean()),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    ),
    seller_comment: maybe(fc.string({ maxLength: 6000 })),
    vat_id: maybe(fc.string()),
  },
  { requiredKeys: [] },
);

describe('property: Custom-Shop order mapper (services/channel-serverspot/src/import)', () => {
  const settings = { paymentDueDays: 14, priceAdjustmentArticleSku: 'PREISANPASSUNG' };

  it('any GetOrders entry is either skipped by readOrder, rejected with OrderMappingError or a valid ChannelOrder', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: shopOrder, weight: 5 }, { arbitrary: fc.anything(), weight: 1 }), (raw) => {
        // JSON round trip: what the connector really gets from a shop's body.
        const wire = JSON.parse(JSON.stringify(raw ?? null) ?? 'null') as unknown;
        const order = readOrder(wire);
        if (!order) return;
        let mapped;
        try {
          mapped = mapShopOrder(order, settings);
        } catch (err) {
          // Anything but OrderMappingError escapes the poll loop and blocks every later order of the shop.
          expect(err).toBeInstanceOf(OrderMappingError);
          return;
        }
        const parsed = ChannelOrderSchema.safeParse(mapped);
        if (!parsed.success)
          throw new Error(
            `mapped order is not a valid ChannelOrder: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          );
      }),
      fcParams('custom-shop', 200),
    );
  });
});
