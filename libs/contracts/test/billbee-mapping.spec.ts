import {
  BillbeeAddShipmentBody,
  billbeeIdFor,
  billbeePage,
  billbeeError,
  BillbeeSetStateBody,
  BillbeeUpdateStockBody,
  BillbeeWebHookBody,
  carrierIdFor,
  type Order,
  parseBillbeeDate,
  parseOrdersQuery,
  paymentTypeFor,
  shipmentFromBillbee,
  signWebhookBody,
  subscriptionWants,
  toBillbeeArticle,
  toBillbeeDate,
  toBillbeeOrder,
  verifyWebhookSignature,
  webhookActionFor,
} from '../src';

const order: Order = {
  id: 'ord_abcdefghijklmnopqrstuv',
  accountId: 'acc_1',
  connectionId: 'con_1',
  channel: 'serverspot',
  externalId: 'EXT-1',
  orderNumber: 'ON-1',
  state: 3,
  orderedAt: '2025-03-01T10:00:00.000Z',
  currency: 'EUR',
  positions: [
    { externalId: 'p1', sku: 'SKU-1', title: 'Shirt', quantity: 2, unitPrice: 10, totalPrice: 20, taxRate: 19, articleId: 'art_1' },
    { externalId: 'p2', title: 'Book', quantity: 1, unitPrice: 10.7, totalPrice: 10.7, taxRate: 7 },
  ],
  positionsLocked: false,
  buyer: { firstName: 'Erika', lastName: 'Mustermann', email: 'erika@example.org' },
  shippingAddress: { street: 'Hauptstr.', houseNumber: '1', zip: '10115', city: 'Berlin', countryIso2: 'DE' },
  shippingCost: 4.9,
  paymentMethod: 'PayPal',
  payments: [{ method: 'PayPal', amount: 35.6, paidAt: '2025-03-01T10:05:00.000Z', reference: 'TX-9' }],
  tags: ['vip'],
  shipments: [
    { id: 'shp_1', type: 'shipment', carrier: 'DHL', trackingNumber: '00340434', createdAt: '2025-03-02T08:00:00.000Z', source: 'api' },
  ],
  invoiceNumber: '1007',
  comments: ['please hurry'],
  totalGross: 35.6,
  version: 4,
  createdAt: '2025-03-01T10:00:01.000Z',
  updatedAt: '2025-03-02T08:00:00.000Z',
  history: [{ at: '2025-03-01T10:00:01.000Z', actor: 'system:import', action: 'imported', outcome: 'ok' }],
};

describe('Billbee mapping (pure)', () => {
  it('BILLBEE-MAP: an order carries Billbee field names, enum numbers, naive dates and null for unset values', () => {
    const b = toBillbeeOrder(order, { connectionName: 'My shop' });
    expect(b).toMatchObject({
      Id: 'EXT-1',
      OrderNumber: 'ON-1',
      State: 3,
      CreatedAt: '2025-03-01T10:00:00.000',
      PayedAt: '2025-03-01T10:05:00.000',
      ShippedAt: '2025-03-02T08:00:00.000',
      PaymentMethod: 3,
      ShippingCost: 4.9,
      TotalCost: 35.6,
      Currency: 'EUR',
      TaxRate1: 19,
      TaxRate2: 7,
      InvoiceNumber: 1007,
      Tags: ['vip'],
      PaidAmount: 35.6,
      ApiAccountName: 'My shop',
      ConfirmedAt: null,
      BillBeeParentOrderId: null,
    });
    expect(b.BillBeeOrderId).toBe(billbeeIdFor('order', order.id));
    expect(b.ApiAccountId).toBe(billbeeIdFor('connection', 'con_1'));
    expect(b.Seller.BillbeeShopId).toBe(b.ApiAccountId);
    expect(b.Buyer).toMatchObject({ FirstName: 'Erika', LastName: 'Mustermann', FullName: 'Erika Mustermann', Email: 'erika@example.org' });
    expect(b.ShippingAddress).toMatchObject({
      Street: 'Hauptstr.',
      HouseNumber: '1',
      Zip: '10115',
      CountryISO2: 'DE',
      Country: 'DE',
      Company: null,
    });
    expect(b.ShippingIds).toEqual([
      expect.objectContaining({
        ShippingId: '00340434',
        Shipper: 'DHL',
        ShippingCarrier: 2,
        ShipmentType: 0,
        Created: '2025-03-02T08:00:00.000',
      }),
    ]);
    expect(b.OrderItems[0]).toMatchObject({ Quantity: 2, TotalPrice: 20, TaxIndex: 1, TaxAmount: 3.19, InvoiceSKU: 'SKU-1' });
    expect(b.OrderItems[0]!.Product).toMatchObject({
      SKU: 'SKU-1',
      SkuOrId: 'SKU-1',
      Title: 'Shirt',
      BillbeeId: billbeeIdFor('article', 'art_1'),
    });
    expect(b.OrderItems[1]).toMatchObject({ TaxIndex: 2, TaxAmount: 0.7, InvoiceSKU: null });
    expect(b.History[0]).toMatchObject({ TypeId: 0, EventTypeName: 'OrderImported' });
    // every property present; none undefined (JSON would drop it)
    expect(Object.values(b).some((v) => v === undefined)).toBe(false);
    expect(Object.keys(b)).toHaveLength(64);
  });

  it("BILLBEE-MAP: the shop's VAT id, shipping profile, dispatch country, buyer nick, product id and EAN reach Billbee's fields", () => {
    const b = toBillbeeOrder(
      {
        ...order,
        vatId: 'DE123456789',
        shippingProfileId: 'super-fast',
        deliverySourceCountryCode: 'AT',
        buyer: { ...order.buyer, nick: 'GirlWhoCanFly' },
        positions: [{ ...order.positions[0]!, productId: '5001', ean: '4006381333931' }],
      },
      { connectionName: 'My shop' },
    );
    expect(b).toMatchObject({ VatId: 'DE123456789', ShippingProfileId: 'super-fast', DeliverySourceCountryCode: 'AT' });
    expect(b.Buyer?.Nick).toBe('GirlWhoCanFly');
    expect(b.OrderItems[0]?.Product).toMatchObject({ Id: '5001', EAN: '4006381333931', SKU: 'SKU-1' });
    const plain = toBillbeeOrder(order, { connectionName: 'My shop' });
    expect(plain).toMatchObject({ VatId: null, ShippingProfileId: null, DeliverySourceCountryCode: null });
  });

  it('BILLBEE-MAP: numeric ids are stable, below 2^53, positive and differ per kind', () => {
    const id = billbeeIdFor('order', 'ord_x');
    expect(billbeeIdFor('order', 'ord_x')).toBe(id);
    expect(Number.isSafeInteger(id) && id > 0 && id < 2 ** 52).toBe(true);
    expect(billbeeIdFor('connection', 'ord_x')).not.toBe(id);
  });

  it('BILLBEE-MAP: dates are written naive in UTC and read from every client format', () => {
    expect(toBillbeeDate('2025-03-01T11:00:00+01:00')).toBe('2025-03-01T10:00:00.000');
    expect(toBillbeeDate(undefined)).toBeNull();
    expect(parseBillbeeDate('2025-03-01 10:30')).toBe('2025-03-01T10:30:00.000Z');
    expect(parseBillbeeDate('2025-03-01')).toBe('2025-03-01T00:00:00.000Z');
    expect(parseBillbeeDate('2025-03-01T10:00:00+01:00')).toBe('2025-03-01T09:00:00.000Z');
    expect(parseBillbeeDate('2025-03-01T10:00:00 01:00')).toBe('2025-03-01T09:00:00.000Z');
    expect(parseBillbeeDate('2025-03-01T10:00:00.123Z')).toBe('2025-03-01T10:00:00.123Z');
    expect(parseBillbeeDate('2025-03-01T10:00:00.843')).toBe('2025-03-01T10:00:00.843Z');
    expect(parseBillbeeDate('yesterday')).toBeUndefined();
  });

  it('BILLBEE-MAP: carriers and payment methods map to Billbee enum numbers', () => {
    expect(carrierIdFor('DHL')).toBe(2);
    expect(carrierIdFor('hermes')).toBe(3);
    expect(carrierIdFor('Pigeon')).toBe(0);
    expect(paymentTypeFor('PayPal')).toBe(3);
    expect(paymentTypeFor('Vorkasse')).toBe(59);
    expect(paymentTypeFor('Rechnung')).toBe(26);
    expect(paymentTypeFor(undefined)).toBe(22);
  });

  it('BILLBEE-ENV: paged envelope puts Paging first and counts pages; errors carry code and name', () => {
    const page = billbeePage([1, 2], 2, 2, 5);
    expect(Object.keys(page)).toEqual(['Paging', 'ErrorMessage', 'ErrorCode', 'ErrorDescription', 'Data']);
    expect(page.Paging).toEqual({ Page: 2, TotalPages: 3, TotalRows: 5, PageSize: 2 });
    expect(page).toMatchObject({ ErrorCode: 0, ErrorDescription: 'NoError', ErrorMessage: null });
    expect(billbeePage([], 1, 50, 0).Paging.TotalPages).toBe(0);
    expect(billbeeError('NotFoundError', 'order not found')).toEqual({
      ErrorMessage: 'order not found',
      ErrorCode: 3,
      ErrorDescription: 'NotFoundError',
      Data: null,
    });
  });

  it('BILLBEE-CI: query names, array forms and booleans are read case-insensitively', () => {
    const { query, problems } = parseOrdersQuery(
      new URLSearchParams(
        'PAGE=2&pagesize=250&orderStateId[]=3&orderstateid[]=4&ShopId[0]=7&shopid[1]=8&Tag=a&tag=b&ExcludeTags=True&MinOrderDate=2025-03-01 10:00&modifiedAtMax=2025-04-01',
      ),
    );
    expect(problems).toEqual([]);
    expect(query).toMatchObject({
      page: 2,
      pageSize: 250,
      orderStateId: [3, 4],
      shopId: [7, 8],
      tag: ['a', 'b'],
      excludeTags: true,
      minOrderDate: '2025-03-01T10:00:00.000Z',
      modifiedAtMax: '2025-04-01T00:00:00.000Z',
    });
    expect(parseOrdersQuery(new URLSearchParams('pageSize=251&minOrderDate=soon')).problems.map((p) => p.path)).toEqual([
      'pageSize',
      'minOrderDate',
    ]);
  });

  it('BILLBEE-CI: body properties match case-insensitively; shipments and states map to our commands', () => {
    expect(BillbeeSetStateBody.parse({ newstateid: 4 })).toEqual({ NewStateId: 4 });
    expect(BillbeeSetStateBody.safeParse({ NewStateId: 42 }).success).toBe(false);
    const shipment = BillbeeAddShipmentBody.parse({ shippingid: 'T-1', CARRIERID: 3, OrderId: 123, shipmentType: 1 });
    expect(shipmentFromBillbee(shipment)).toEqual({ type: 'return', carrier: 'hermes', trackingNumber: 'T-1' });
    expect(shipmentFromBillbee(BillbeeAddShipmentBody.parse({ ShippingId: 'T-2' }))).toEqual({
      type: 'shipment',
      carrier: 'other',
      trackingNumber: 'T-2',
    });
    expect(BillbeeUpdateStockBody.parse({ SKU: 'A', NewQuantity: 5 })).toMatchObject({ Sku: 'A', NewQuantity: 5 });
    expect(BillbeeUpdateStockBody.safeParse({ NewQuantity: 5 }).success).toBe(false);
  });

  it('BILLBEE-WH: webhook secrets are 32-64 characters; filters map from our subjects; signatures verify', () => {
    const base = { WebHookUri: 'http://127.0.0.1:9/hook', Filters: ['order.created'] };
    expect(BillbeeWebHookBody.safeParse({ ...base, Secret: 'x'.repeat(31) }).success).toBe(false);
    expect(BillbeeWebHookBody.safeParse({ ...base, Secret: 'x'.repeat(65) }).success).toBe(false);
    expect(BillbeeWebHookBody.safeParse({ ...base, secret: 'x'.repeat(32) }).success).toBe(true);
    expect(webhookActionFor('order.imported')).toBe('order.created');
    expect(webhookActionFor('order.state-changed')).toBe('order.state-changed');
    expect(subscriptionWants(['*'], 'order.shipped')).toBe(true);
    expect(subscriptionWants(['order.created'], 'order.shipped')).toBe(false);
    const sig = signWebhookBody('{"a":1}', 's'.repeat(32));
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('{"a":1}', 's'.repeat(32), sig)).toBe(true);
    expect(verifyWebhookSignature('{"a":2}', 's'.repeat(32), sig)).toBe(false);
  });

  it('BILLBEE-MAP: an article carries stock per storage location and its total', () => {
    const a = toBillbeeArticle({
      id: 'art_1',
      accountId: 'acc_1',
      sku: 'SKU-1',
      title: 'Shirt',
      currency: 'EUR',
      stock: [
        { storageLocationId: 0, quantity: 5 },
        { storageLocationId: 2, quantity: 3 },
      ],
      bundleComponents: [],
      version: 1,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    });
    expect(a).toMatchObject({ SKU: 'SKU-1', StockCurrent: 8, Type: 1, Title: [{ Text: 'Shirt', LanguageCode: 'DE' }] });
    expect(a.Stocks.map((s) => [s.StockId, s.StockCurrent])).toEqual([
      [1, 5],
      [3, 3],
    ]);
  });
});
