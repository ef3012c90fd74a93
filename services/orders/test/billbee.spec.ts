import {
  type AccountCreated,
  billbeeIdFor,
  type BillbeeCredentialCreated,
  type ConnectionView,
  type Order,
  Rpc,
} from '@orderhub/contracts';
import { isolate, type ServiceProcess, waitFor } from '@orderhub/testkit';
import { channelOrder, Hub, startOrders } from './orders-harness';

describe('orders: what the Billbee face needs (numbered pages, Billbee order ids, credentials)', () => {
  const iso = isolate('ordbillbee');
  let orders: ServiceProcess;
  let hub: Hub;
  let a: AccountCreated;
  let b: AccountCreated;
  let connA: ConnectionView;
  let connA2: ConnectionView;
  const imported: Order[] = [];

  const connection = (accountId: string, name: string) =>
    hub.createConnection(accountId, {
      type: 'serverspot',
      settings: { name, apiUrl: 'http://127.0.0.1:9/api', syncDirection: 'channelToHub' },
      secrets: { shopKey: 'k' },
      verify: false,
    });

  beforeAll(async () => {
    orders = await startOrders(iso);
    hub = await Hub.connect(iso);
    [a, b] = await Promise.all([hub.createAccount('Billbee A'), hub.createAccount('Billbee B')]);
    [connA, connA2] = await Promise.all([connection(a.accountId, 'Shop 1'), connection(a.accountId, 'Shop 2')]);
    for (let i = 1; i <= 5; i++) {
      const conn = i === 5 ? connA2 : connA;
      imported.push(
        await hub.importOrder(
          a.accountId,
          conn.id,
          'serverspot',
          channelOrder(`BB-${i}`, { orderedAt: `2025-03-0${i}T10:00:00.000Z`, state: i === 2 ? 1 : 3 }),
        ),
      );
    }
    await hub.ask(Rpc.ordersChangeTags, a.accountId, { orderId: imported[0]!.id, add: ['wemalo'], remove: [] });
    await hub.ask(Rpc.ordersChangeTags, a.accountId, { orderId: imported[2]!.id, add: ['wemalo'], remove: [] });
  });

  afterAll(async () => {
    await hub?.close();
    await orders?.stop();
  });

  const page = (body: object, accountId = a.accountId) => hub.ask<{ items: Order[]; totalRows: number }>(Rpc.ordersPage, accountId, body);

  it('BILLBEE-API: a page larger than one NATS message comes in parts (cut, then offset), none lost or repeated', async () => {
    const big = await hub.createAccount('Billbee big orders');
    const shop = await connection(big.accountId, 'Big shop');
    // 40 positions with 1 000-character titles: about 45 KB per order, so 20 orders pass the 1 MB of one message
    const positions = Array.from({ length: 40 }, (_, i) => ({
      externalId: `p${i}`,
      title: `${'Langer Artikelname '.repeat(52)}${i}`,
      quantity: 1,
      unitPrice: 1,
      totalPrice: 1,
    }));
    const ids: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const orderedAt = `2025-04-${String(i).padStart(2, '0')}T10:00:00.000Z`;
      ids.push((await hub.importOrder(big.accountId, shop.id, 'serverspot', channelOrder(`BIG-${i}`, { orderedAt, positions }))).id);
    }
    type Part = { items: Order[]; totalRows?: number; cut: boolean };
    const first = (await page({ page: 1, pageSize: 250 }, big.accountId)) as Part;
    expect(first).toMatchObject({ cut: true, totalRows: 20 });
    expect(first.items.length).toBeGreaterThan(0);
    const rest = (await page({ pageSize: 250 - first.items.length, offset: first.items.length, withTotal: false }, big.accountId)) as Part;
    expect(rest.cut).toBe(false);
    expect(rest.totalRows).toBeUndefined();
    expect([...first.items, ...rest.items].map((o) => o.id)).toEqual(ids);

    // the native list pages by cursor: a cut page carries the cursor to the rest
    const listed: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const listPage = await hub.ask<{ items: Order[]; nextCursor?: string }>(Rpc.ordersList, big.accountId, {
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      listed.push(...listPage.items.map((o) => o.id));
      cursor = listPage.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBeGreaterThan(1);
    expect([...listed].sort()).toEqual([...ids].sort());
  });

  it('BILLBEE-API: numbered pages run oldest first and carry the total', async () => {
    const first = await page({ page: 1, pageSize: 2 });
    const third = await page({ page: 3, pageSize: 2 });
    expect(first.totalRows).toBe(5);
    expect(first.items.map((o) => o.externalId)).toEqual(['BB-1', 'BB-2']);
    expect(third.items.map((o) => o.externalId)).toEqual(['BB-5']);
    expect((await page({}, b.accountId)).totalRows).toBe(0);
  });

  it('BILLBEE-API: pages filter by several states, connections, tags (or their absence), order and change dates', async () => {
    const names = async (body: object) => (await page(body)).items.map((o) => o.externalId);
    expect(await names({ states: [3], tags: ['wemalo'] })).toEqual(['BB-1', 'BB-3']);
    expect(await names({ states: [3], tags: ['wemalo'], excludeTags: true })).toEqual(['BB-4', 'BB-5']);
    expect(await names({ connectionIds: [connA2.id] })).toEqual(['BB-5']);
    expect(await names({ states: [1, 3], orderedFrom: '2025-03-02T00:00:00Z', orderedTo: '2025-03-03T23:59:59Z' })).toEqual([
      'BB-2',
      'BB-3',
    ]);
    const tagged = await hub.getOrder(a.accountId, imported[2]!.id);
    expect(await names({ modifiedAfter: new Date(new Date(tagged.updatedAt).getTime() - 1).toISOString() })).toContain('BB-3');
    expect(await names({ modifiedUntil: '2000-01-01T00:00:00Z' })).toEqual([]);
  });

  it("BILLBEE-API: a Billbee order id resolves to the order for its account only (another account's id is 404)", async () => {
    const order = imported[0]!;
    const billbeeOrderId = billbeeIdFor('order', order.id);
    const resolved = await waitFor(
      () => hub.ask<{ orderId: string }>(Rpc.billbeeOrderResolve, a.accountId, { billbeeOrderId }).catch(() => undefined),
      { what: 'Billbee order id stored' },
    );
    expect(resolved.orderId).toBe(order.id);
    expect(
      (await hub.refusal(Rpc.billbeeOrderResolve, { accountId: b.accountId, actor: 'api-key:test', body: { billbeeOrderId } })).status,
    ).toBe(404);
    expect(
      (await hub.refusal(Rpc.billbeeOrderResolve, { accountId: a.accountId, actor: 'api-key:test', body: { billbeeOrderId: 42 } })).status,
    ).toBe(404);
  });

  it('BILLBEE-AUTH: credentials are shown once, stored hashed, authenticate with all three parts and stop working when revoked', async () => {
    const created = await hub.ask<BillbeeCredentialCreated>(Rpc.billbeeCredentialsCreate, a.accountId, {
      username: 'Merchant-A@example.org',
    });
    const stored = await hub.db.collection('billbee_credentials').findOne({ _id: 'merchant-a@example.org' } as never);
    expect(JSON.stringify(stored)).not.toContain(created.password);
    expect(JSON.stringify(stored)).not.toContain(created.apiKey);
    const login = { apiKey: created.apiKey, username: 'merchant-a@example.org', password: created.password };
    expect(await hub.call(Rpc.billbeeAuthenticate, login)).toMatchObject({ accountId: a.accountId });
    expect((await hub.refusal(Rpc.billbeeAuthenticate, { ...login, password: 'wrong' })).status).toBe(401);
    expect((await hub.refusal(Rpc.billbeeAuthenticate, { ...login, apiKey: 'wrong' })).status).toBe(401);
    expect(
      (
        await hub.refusal(Rpc.billbeeCredentialsCreate, {
          accountId: b.accountId,
          actor: 'api-key:test',
          body: { username: 'merchant-a@EXAMPLE.org' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await hub.refusal(Rpc.billbeeCredentialsRevoke, {
          accountId: b.accountId,
          actor: 'api-key:test',
          body: { credentialId: created.id },
        })
      ).status,
    ).toBe(404);
    expect(await hub.ask(Rpc.billbeeCredentialsList, a.accountId, {})).toEqual([
      expect.objectContaining({ username: 'Merchant-A@example.org' }),
    ]);
    await hub.ask(Rpc.billbeeCredentialsRevoke, a.accountId, { credentialId: created.id });
    expect((await hub.refusal(Rpc.billbeeAuthenticate, login)).status).toBe(401);
  });
});
