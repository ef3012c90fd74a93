import { OrderFeed } from './demo-feed';
import type { GermanFakeDataFactory } from './fake-data';
import { Shop } from './shop';
import { ShopConfigSchema, type ShopConfigInput } from './shop-config';

export class ShopExistsError extends Error {}

/** All shops of one simulator process, each with its own endpoint, key, data and order feed. */
export class ShopRegistry {
  private readonly shops = new Map<string, { shop: Shop; feed: OrderFeed }>();

  constructor(
    private readonly fakeData: GermanFakeDataFactory,
    private readonly clock: () => number,
  ) {}

  /** Validates with zod (throws ZodError) and refuses a second shop with the same id. */
  create(input: ShopConfigInput): Shop {
    const config = ShopConfigSchema.parse(input);
    if (this.shops.has(config.shopId)) throw new ShopExistsError(`shop ${config.shopId} exists`);
    const shop = new Shop(config, this.fakeData, this.clock);
    const feed = new OrderFeed(shop);
    this.shops.set(shop.id, { shop, feed });
    if (config.feedIntervalMs !== undefined) feed.start(config.feedIntervalMs);
    return shop;
  }

  find(shopId: string): Shop | undefined {
    return this.shops.get(shopId)?.shop;
  }

  feed(shopId: string): OrderFeed | undefined {
    return this.shops.get(shopId)?.feed;
  }

  list(): Shop[] {
    return [...this.shops.values()].map((e) => e.shop);
  }

  remove(shopId: string): boolean {
    this.shops.get(shopId)?.feed.stop();
    return this.shops.delete(shopId);
  }

  clear(): void {
    for (const id of [...this.shops.keys()]) this.remove(id);
  }
}
