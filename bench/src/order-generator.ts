import type { ChannelOrder } from '@orderhub/contracts';

const CITIES = ['Berlin', 'Hamburg', 'München', 'Köln', 'Leipzig', 'Dresden', 'Bremen', 'Stuttgart'];
const NAMES = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker'];

/** Deterministic channel orders for load: same index, same order, so runs are comparable. */
export function generateChannelOrder(i: number): ChannelOrder {
  const positions = Array.from({ length: 1 + (i % 3) }, (_, p) => ({
    externalId: `pos-${i}-${p}`,
    sku: `SKU-${(i * 7 + p) % 500}`,
    title: `Artikel ${(i * 7 + p) % 500}`,
    quantity: 1 + (p % 2),
    unitPrice: 9.99 + p,
    totalPrice: (9.99 + p) * (1 + (p % 2)),
    taxRate: 19,
  }));
  const name = NAMES[i % NAMES.length] as string;
  return {
    externalId: `bench-${i}`,
    orderNumber: `B${100000 + i}`,
    state: 3,
    orderedAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    currency: 'EUR',
    positions,
    buyer: { firstName: 'Erika', lastName: name, email: `erika.${i}@example.test` },
    shippingAddress: {
      firstName: 'Erika',
      lastName: name,
      street: 'Hauptstraße',
      houseNumber: String(1 + (i % 200)),
      zip: '10115',
      city: CITIES[i % CITIES.length] as string,
      countryIso2: 'DE',
    },
    shippingCost: 4.9,
    payments: [],
    comments: [],
  };
}
