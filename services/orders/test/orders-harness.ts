import mongoose from 'mongoose';
import { channelOrderFixture, HubClient, ServiceEnv, ServiceProcess, type TestIsolation } from '@orderhub/testkit';

const env = new ServiceEnv();
/** The 32-byte key of the service's key ring. */
export const SECRETS_KEY = env.secretsKey;

export const ordersEnv = (iso: TestIsolation, extra: Record<string, string> = {}): Record<string, string> =>
  env.orders(iso, { OUTBOX_LEASE_MS: '3000', ...extra });

export const startOrders = (iso: TestIsolation, extra: Record<string, string> = {}) =>
  ServiceProcess.start('services/orders', ordersEnv(iso, extra));

/** What a connector or the gateway would hold: NATS with the test prefix, RPC client, raw DB for assertions. */
export class Hub extends HubClient {
  private constructor(
    nats: HubClient['nats'],
    readonly db: mongoose.Connection,
  ) {
    super(nats, { actor: 'api-key:test' });
  }

  static override async connect(iso: TestIsolation): Promise<Hub> {
    const nats = await HubClient.natsFor(iso, 'orders-test');
    const db = await mongoose.createConnection(iso.mongoUrl).asPromise();
    return new Hub(nats, db);
  }

  override async close(): Promise<void> {
    await this.db.close();
    await super.close();
  }
}

export function channelOrder(externalId: string, over: Record<string, unknown> = {}) {
  return channelOrderFixture(externalId, {
    positions: [
      { externalId: `${externalId}-p1`, sku: 'SKU-1', title: 'Shirt', quantity: 2, unitPrice: 10, totalPrice: 20 },
      { externalId: `${externalId}-p2`, title: 'Gift wrap', quantity: 1, unitPrice: 2.5, totalPrice: 2.5 },
    ],
    shippingAddress: { street: 'Hauptstr.', houseNumber: '1', zip: '10115', city: 'Berlin', countryIso2: 'DE' },
    paymentMethod: 'PayPal',
    ...over,
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
