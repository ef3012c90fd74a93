/**
 * A channel order as a connector hands it in (`ChannelOrder`): open (state 3), in EUR, one buyer;
 * `over` adds positions, addresses and whatever else a test needs, or replaces any of these.
 */
export function channelOrderFixture<O extends object>(externalId: string, over: O) {
  return {
    externalId,
    orderNumber: `ON-${externalId}`,
    state: 3,
    orderedAt: '2025-03-01T10:00:00.000Z',
    currency: 'EUR',
    buyer: { firstName: 'Erika', lastName: 'Mustermann', email: 'erika@example.org' },
    shippingCost: 4.9,
    ...over,
  };
}
