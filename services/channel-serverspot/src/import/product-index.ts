import { Inject, Injectable } from '@nestjs/common';
import { SERVERSPOT_CONFIG, type ServerspotConfig } from '../config';
import type { CustomShopClient } from '../clients/custom-shop-client';
import type { ShopProduct } from '../clients/shop-wire';

interface Index {
  bySku: Map<string, string>;
  byEan: Map<string, string>;
  loadedAt: number;
}

/**
 * SetStock needs the shop's product id; hub articles are matched to shop products by SKU (then EAN).
 * The map per connection comes from GetProducts and is re-read when stale or when a SKU is unknown.
 */
@Injectable()
export class ProductIndex {
  private readonly indexes = new Map<string, Index>();

  constructor(@Inject(SERVERSPOT_CONFIG) private readonly config: ServerspotConfig) {}

  remember(connectionId: string, products: ShopProduct[]): void {
    const index: Index = { bySku: new Map(), byEan: new Map(), loadedAt: Date.now() };
    for (const p of products) {
      if (p.sku) index.bySku.set(p.sku, p.id);
      if (p.ean) index.byEan.set(p.ean, p.id);
    }
    this.indexes.set(connectionId, index);
  }

  async productIdFor(connectionId: string, client: CustomShopClient, ref: { sku?: string; ean?: string }): Promise<string | undefined> {
    let index = this.indexes.get(connectionId);
    const fresh = index && Date.now() - index.loadedAt <= this.config.SERVERSPOT_PRODUCT_CACHE_MS;
    let hit = index ? lookup(index, ref) : undefined;
    if (hit && fresh) return hit;
    // A SKU the shop does not sell: do not re-read the catalogue for every stock change.
    if (!hit && index && Date.now() - index.loadedAt < 10_000) return undefined;
    await this.load(connectionId, client);
    index = this.indexes.get(connectionId);
    hit = index ? lookup(index, ref) : undefined;
    return hit;
  }

  private async load(connectionId: string, client: CustomShopClient): Promise<void> {
    this.remember(connectionId, await client.allProducts());
  }
}

function lookup(index: Index, ref: { sku?: string; ean?: string }): string | undefined {
  return (ref.sku ? index.bySku.get(ref.sku) : undefined) ?? (ref.ean ? index.byEan.get(ref.ean) : undefined);
}
