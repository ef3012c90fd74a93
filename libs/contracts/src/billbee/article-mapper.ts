import type { Article } from '../article/article';
import type { ConnectionView } from '../connection/connection';
import { toBillbeeDate } from './dates';
import { billbeeIdFor } from './ids';
import type { BillbeeShopAccount } from './models';

const text = (value: string | undefined) => (value === undefined ? [] : [{ Text: value, LanguageCode: 'DE' }]);

/** Billbee's default storage location has id 0 in our terms; Billbee ids start at 1. */
export const billbeeStockIdFor = (storageLocationId: number) => storageLocationId + 1;
export const storageLocationIdFor = (stockId: number | null | undefined) => (stockId ? stockId - 1 : 0);

/** Our article as Billbee's `ArticleApiModel` (stock per storage location in `Stocks`). */
export function toBillbeeArticle(article: Article) {
  const total = article.stock.reduce((sum, s) => sum + s.quantity, 0);
  const bundle = article.bundleComponents.length > 0;
  return {
    InvoiceText: text(article.title),
    Manufacturer: null,
    Id: billbeeIdFor('article', article.id),
    Title: text(article.title),
    Description: [],
    ShortDescription: [],
    BasicAttributes: [],
    Images: [],
    VatIndex: 1,
    Price: article.price ?? 0,
    CostPrice: null,
    Vat1Rate: 19,
    Vat2Rate: 7,
    StockDesired: null,
    StockCurrent: total,
    StockWarning: null,
    SKU: article.sku ?? null,
    EAN: article.ean ?? null,
    Materials: [],
    Tags: [],
    Sources: [],
    Weight: article.dimensions?.weightGrams ?? null,
    WeightNet: null,
    LowStock: false,
    StockCode: null,
    StockReduceItemsPerSale: 1,
    Stocks: article.stock.map((s) => ({
      Name: s.storageLocationId === 0 ? 'Standard' : `Lager ${s.storageLocationId}`,
      StockId: billbeeStockIdFor(s.storageLocationId),
      StockCurrent: s.quantity,
      StockCurrentIsCalculated: false,
      StockWarning: null,
      StockCode: null,
      UnfulfilledAmount: 0,
      StockDesired: null,
    })),
    Category1: null,
    Category2: null,
    Category3: null,
    Type: bundle ? 2 : 1,
    Unit: null,
    UnitsPerItem: null,
    SoldAmount: null,
    SoldSumGross: null,
    SoldSumNet: null,
    SoldSumNetLast30Days: null,
    SoldSumGrossLast30Days: null,
    SoldAmountLast30Days: null,
    ShippingProductId: null,
    IsDigital: false,
    IsCustomizable: false,
    DeliveryTime: null,
    Recipient: null,
    Occasion: null,
    CountryOfOrigin: null,
    ExportDescription: null,
    ExportDescriptionMultiLanguage: [],
    TaricNumber: null,
    Condition: 1,
    WidthCm: article.dimensions?.widthCm ?? null,
    LengthCm: article.dimensions?.lengthCm ?? null,
    HeightCm: article.dimensions?.heightCm ?? null,
    BillOfMaterial: article.bundleComponents.map((c) => ({
      Amount: c.quantity,
      ArticleId: billbeeIdFor('article', c.articleId),
      SKU: null,
    })),
    CustomFields: [],
    IsDeactivated: false,
    LastModifiedAt: toBillbeeDate(article.updatedAt),
  };
}
export type BillbeeArticle = ReturnType<typeof toBillbeeArticle>;

/** A channel connection as a Billbee shop account (`GET /shopaccounts`). */
export function toBillbeeShopAccount(connection: ConnectionView): BillbeeShopAccount {
  const name = typeof connection.settings.name === 'string' ? connection.settings.name : connection.type;
  return {
    Id: billbeeIdFor('connection', connection.id),
    AccountType: connection.type,
    Name: name,
    LastSyncDate: null,
    LastSyncState: null,
  };
}
