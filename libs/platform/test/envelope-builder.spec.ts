import { orderContentHash, orderImportEventId, Subjects, type ChannelOrder } from '@orderhub/contracts';
import { buildEnvelope, InvalidEnvelopeError, runInContext } from '@orderhub/platform';

const order: ChannelOrder = {
  externalId: 'A-1',
  orderNumber: 'A-1',
  orderedAt: '2026-01-01T10:00:00Z',
  currency: 'EUR',
  positions: [{ title: 'Mug', quantity: 1, unitPrice: 5, currency: 'EUR' }],
  shippingCost: 0,
} as unknown as ChannelOrder;

describe('buildEnvelope', () => {
  it('builds a versioned envelope that matches the subject contract and carries the correlation id', () => {
    const built = runInContext({ correlationId: 'corr-1' }, () =>
      buildEnvelope(Subjects.channelActivityReport, {
        eventId: 'activity:c1:o1:k',
        accountId: 'acc-1',
        data: { orderId: 'o1', connectionId: 'c1', action: 'otto: ship', outcome: 'ok' },
      }),
    );
    expect(built).toMatchObject({ eventId: 'activity:c1:o1:k', type: Subjects.channelActivityReport, version: 1, accountId: 'acc-1' });
    expect(built.correlationId).toBe('corr-1');
    expect(Date.parse(built.occurredAt)).not.toBeNaN();
  });

  it('refuses an event that does not match its contract before anyone publishes it', () => {
    expect(() =>
      buildEnvelope(Subjects.channelActivityReport, {
        accountId: 'acc-1',
        data: { orderId: 'o1', connectionId: 'c1', action: 'otto: ship', outcome: 'maybe' as never },
      }),
    ).toThrow(InvalidEnvelopeError);
    expect(() =>
      buildEnvelope(Subjects.articleStockChanged, { accountId: '', data: { articleId: 'a', stock: [], totalQuantity: 0 } }),
    ).toThrow(/accountId/);
  });
});

describe('orderContentHash', () => {
  it('ignores key order and the raw payload, and changes with the content', () => {
    const reordered = Object.fromEntries(Object.entries(order).reverse()) as ChannelOrder;
    expect(orderContentHash(reordered)).toBe(orderContentHash(order));
    expect(orderContentHash({ ...order, rawPayload: '{"fetchedAt":1}' })).toBe(orderContentHash(order));
    expect(orderContentHash({ ...order, shippingCost: 4.9 })).not.toBe(orderContentHash(order));
  });

  it('gives import event ids within the envelope limit even for a long external id', () => {
    const long = { ...order, externalId: 'x'.repeat(200) };
    const id = orderImportEventId('0b7c9a52-3e57-4d3b-9d0f-6c0f0d1e2a3b', long);
    expect(id.length).toBeLessThanOrEqual(200);
    expect(id).not.toBe(orderImportEventId('0b7c9a52-3e57-4d3b-9d0f-6c0f0d1e2a3b', { ...long, externalId: `${'x'.repeat(199)}y` }));
  });
});
