import type { Logger } from 'pino';
import type { OrdersInbox } from '@orderhub/connector-kit';
import type { OttoApiClient } from '../clients/otto-api-client';
import type { OttoProductVariation } from '../clients/otto-types';
import type { OttoConnection } from '../connections/otto-connection';

/**
 * OTTO-12: the seller's OTTO product variations become hub articles (SKU, EAN, title, price).
 * Stock is not imported: the hub is the stock master and pushes quantities to OTTO; importing OTTO's
 * quantities would echo every push back as a hub change.
 */
export class ArticleImporter {
  constructor(
    private readonly api: OttoApiClient,
    private readonly inbox: OrdersInbox,
    private readonly logger: Logger,
  ) {}

  async importAll(c: OttoConnection): Promise<number> {
    let count = 0;
    for (let page = 0; page < 1_000; page++) {
      const body = await this.api.listProducts(c, page);
      await Promise.all(body.productVariations.map((v) => this.inbox.submitArticle(c, toArticle(v))));
      count += body.productVariations.length;
      if (!body.links?.some((l) => l.rel === 'next') || body.productVariations.length === 0) break;
    }
    this.logger.debug({ connectionId: c.id, count }, 'OTTO products imported');
    return count;
  }
}

export function toArticle(v: OttoProductVariation) {
  const d = v.productDescription;
  const title = [d?.category, d?.productLine].filter(Boolean).join(' ').trim() || v.sku;
  const price = v.pricing?.standardPrice;
  return {
    sku: v.sku,
    ean: v.ean,
    title: title.slice(0, 1000),
    price: price && price.amount >= 0 ? price.amount : undefined,
    currency: price?.currency && /^[A-Z]{3}$/.test(price.currency) ? price.currency : 'EUR',
    stock: [],
    bundleComponents: [],
    externalId: v.sku,
  };
}
