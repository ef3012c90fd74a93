import { type AccountCreated, type Article, type ConnectionView, type Order, Rpc } from '@orderhub/contracts';
import { isolate, type ServiceProcess, waitFor } from '@orderhub/testkit';
import { channelOrder, Hub, startOrders } from './orders-harness';

describe('orders: articles and article references (real FerretDB/NATS)', () => {
  const iso = isolate('ordart');
  let service: ServiceProcess;
  let hub: Hub;
  let account: AccountCreated;
  let other: AccountCreated;
  let shop: ConnectionView;
  const ctx = (a = account) => ({ accountId: a.accountId, actor: 'api-key:test' });

  beforeAll(async () => {
    service = await startOrders(iso);
    hub = await Hub.connect(iso);
    [account, other] = await Promise.all([hub.createAccount('Artikel GmbH'), hub.createAccount('Fremd GmbH')]);
    shop = await hub.createConnection(account.accountId, {
      type: 'jimdo',
      settings: { name: 'Jimdo', forwardTo: 'm@shop.example' },
      secrets: {},
    });
  });

  afterAll(async () => {
    await hub?.close();
    await service?.stop();
  });

  it('creating an article with an SKU the account already uses is 409 naming the article; the article and its stock stay as they were', async () => {
    const first = await hub.upsertArticle(account.accountId, {
      sku: 'DUP-1',
      title: 'Original',
      stock: [{ storageLocationId: 0, quantity: 7 }],
    });
    const problem = await hub.refusal(Rpc.articlesUpsert, { ...ctx(), body: { sku: 'DUP-1', title: 'Overwrite?' } });
    expect(problem).toMatchObject({ status: 409, detail: expect.stringContaining(first.id) });
    const stored = await hub.call<Article>(Rpc.articlesGet, { ...ctx(), body: { articleId: first.id } });
    expect(stored).toMatchObject({ title: 'Original', stock: [{ storageLocationId: 0, quantity: 7 }], version: 1 });
    // the same SKU in another account is a different article
    expect((await hub.upsertArticle(other.accountId, { sku: 'DUP-1', title: 'Fremd' })).id).not.toBe(first.id);
    // replacing by id still works
    expect((await hub.upsertArticle(account.accountId, { articleId: first.id, sku: 'DUP-1', title: 'Renamed' })).title).toBe('Renamed');
  });

  it('an article whose SKU entry was lost is found again: an import of its SKU links it, and creating the SKU again is 409 naming it', async () => {
    const article = await hub.upsertArticle(account.accountId, { sku: 'LOST-1', title: 'Verloren' });
    // What a database failure between entry and article, or a stale-entry removal, can leave behind.
    await hub.db.collection('article_skus').deleteOne({ _id: `${account.accountId}\nLOST-1` } as never);
    // A replica that has not seen the article (this one remembers SKUs it wrote).
    await service.stop();
    service = await startOrders(iso);
    const order = await hub.importOrder(
      account.accountId,
      shop.id,
      'jimdo',
      channelOrder('LOST-SKU-1', { positions: [{ sku: 'LOST-1', title: 'Verloren', quantity: 1, unitPrice: 4, totalPrice: 4 }] }),
    );
    expect(order.positions[0]?.articleId).toBe(article.id);
    const problem = await hub.refusal(Rpc.articlesUpsert, { ...ctx(), body: { sku: 'LOST-1', title: 'Noch einmal' } });
    expect(problem).toMatchObject({ status: 409, detail: expect.stringContaining(article.id) });
  });

  it('a page of articles larger than one NATS message (1 MB) ends early and its cursor goes on from there', async () => {
    const big = await hub.createAccount('Lager GmbH');
    const stock = Array.from({ length: 1500 }, (_, i) => ({ storageLocationId: 100_000 + i, quantity: 5 }));
    for (let i = 0; i < 20; i++) await hub.upsertArticle(big.accountId, { sku: `BIG-${i}`, title: `Artikel ${i}`, stock });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await hub.call<{ items: Article[]; nextCursor?: string }>(Rpc.articlesList, {
        ...ctx(big),
        body: { limit: 500, ...(cursor ? { cursor } : {}) },
      });
      seen.push(...page.items.map((a) => a.sku as string));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBeGreaterThan(1);
    expect(seen.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `BIG-${i}`).sort());
  });

  it("bundles may only contain existing articles of the same account: another account's or a missing article is 400", async () => {
    const part = await hub.upsertArticle(account.accountId, { sku: 'PART-1', title: 'Teil' });
    const foreign = await hub.upsertArticle(other.accountId, { sku: 'FOREIGN-1', title: 'Fremdes Teil' });
    const refused = await hub.refusal(Rpc.articlesUpsert, {
      ...ctx(),
      body: {
        sku: 'SET-1',
        title: 'Set',
        bundleComponents: [
          { articleId: part.id, quantity: 1 },
          { articleId: foreign.id, quantity: 1 },
          { articleId: 'no-such-article', quantity: 1 },
        ],
      },
    });
    expect(refused).toMatchObject({
      status: 400,
      errors: [{ path: 'bundleComponents[1].articleId' }, { path: 'bundleComponents[2].articleId' }],
    });
    const bundle = await hub.upsertArticle(account.accountId, {
      sku: 'SET-1',
      title: 'Set',
      bundleComponents: [{ articleId: part.id, quantity: 2 }],
    });
    expect(bundle.bundleComponents).toEqual([{ articleId: part.id, quantity: 2 }]);
    expect(
      await hub.refusal(Rpc.articlesUpsert, {
        ...ctx(),
        body: { articleId: bundle.id, sku: 'SET-1', title: 'Set', bundleComponents: [{ articleId: bundle.id, quantity: 1 }] },
      }),
    ).toMatchObject({ status: 400 });
  });

  it("positions may only link existing articles of the same account: an edit naming another account's article is 400; an import's foreign link is dropped", async () => {
    const own = await hub.upsertArticle(account.accountId, { sku: 'OWN-1', title: 'Eigen' });
    const foreign = await hub.upsertArticle(other.accountId, { sku: 'FOREIGN-2', title: 'Fremd' });
    const order = await hub.importOrder(
      account.accountId,
      shop.id,
      'jimdo',
      channelOrder('REF-1', { positions: [{ title: 'Ohne SKU', quantity: 1, unitPrice: 3, totalPrice: 3, articleId: foreign.id }] }),
    );
    expect(order.positions[0]?.articleId).toBeUndefined();

    const position = (articleId: string) => ({ title: 'X', quantity: 1, unitPrice: 1, totalPrice: 1, articleId });
    const refused = await hub.refusal(Rpc.ordersEditPositions, {
      ...ctx(),
      body: { orderId: order.id, positions: [position(own.id), position(foreign.id), position('missing')] },
    });
    expect(refused).toMatchObject({ status: 400, errors: [{ path: 'positions[1].articleId' }, { path: 'positions[2].articleId' }] });
    const edited = await hub.call<Order>(Rpc.ordersEditPositions, { ...ctx(), body: { orderId: order.id, positions: [position(own.id)] } });
    expect(edited.positions.map((p) => p.articleId)).toEqual([own.id]);
    await waitFor(async () => (await hub.getOrder(account.accountId, order.id)).positions[0]?.articleId === own.id, {
      what: 'stored edit',
    });
  });
});
