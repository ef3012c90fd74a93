import { duplicate, invalid, missingParameter, notFound } from './wemalo-errors';

/** A product as wemalo stores it; unknown extra fields sent by clients are kept in `extra`. */
export interface WemaloProduct {
  externalId: string;
  sku: string;
  productGroup: string;
  name: string;
  description: string;
  ean: string;
  ean2: string;
  ean3: string;
  ean4: string;
  depth: number;
  height: number;
  width: number;
  volume: number;
  depthShipping: number;
  heightShipping: number;
  widthShipping: number;
  volumeShipping: number;
  grossWeight: number;
  netWeight: number;
  customsTariffNumber: string;
  originCountry: string;
  salesPrice: number;
  purchasePrice: number;
  hasSerialNumber: boolean;
  isActive: boolean;
  ignorePicking: boolean;
  externalArticleNumber: string;
  shop: string;
  createdAt: Date;
  updatedAt: Date;
}

const STRING_FIELDS = [
  'name',
  'description',
  'ean',
  'ean2',
  'ean3',
  'ean4',
  'customsTariffNumber',
  'originCountry',
  'externalArticleNumber',
  'shop',
  'productGroup',
  'sku',
] as const;
/** WEM-3: dimensions are taken from the first import only. */
export const DIMENSION_FIELDS = [
  'depth',
  'height',
  'width',
  'volume',
  'depthShipping',
  'heightShipping',
  'widthShipping',
  'volumeShipping',
  'grossWeight',
  'netWeight',
] as const;
const NUMBER_FIELDS = [...DIMENSION_FIELDS, 'salesPrice', 'purchasePrice'] as const;
const BOOLEAN_FIELDS = ['hasSerialNumber', 'isActive', 'ignorePicking'] as const;
const EAN_FIELDS = ['ean', 'ean2', 'ean3', 'ean4'] as const;

type Input = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

export interface ProductUpdateResult {
  product: WemaloProduct;
  /** Fields sent but not applied (dimensions after the first import). */
  ignoredFields: string[];
}

/** The product master data of one wemalo client, with SKU and EAN unique across all products. */
export class ProductCatalog {
  private readonly byExternalId = new Map<string, WemaloProduct>();

  constructor(private readonly now: () => Date) {}

  add(input: Input, shop: string): WemaloProduct {
    const externalId = str(input.externalId)?.trim();
    const sku = str(input.sku)?.trim();
    const productGroup = str(input.productGroup)?.trim();
    if (!externalId) throw missingParameter('externalId');
    if (!sku) throw missingParameter('sku');
    if (!productGroup) throw missingParameter('productGroup');
    if (this.byExternalId.has(externalId)) throw duplicate('externalId', `product with externalId ${externalId} already exists`);
    this.assertIdentifiersFree(input, externalId);
    const at = this.now();
    const product: WemaloProduct = {
      externalId,
      sku,
      productGroup,
      name: '',
      description: '',
      ean: '',
      ean2: '',
      ean3: '',
      ean4: '',
      depth: 0,
      height: 0,
      width: 0,
      volume: 0,
      depthShipping: 0,
      heightShipping: 0,
      widthShipping: 0,
      volumeShipping: 0,
      grossWeight: 0,
      netWeight: 0,
      customsTariffNumber: '',
      originCountry: '',
      salesPrice: 0,
      purchasePrice: 0,
      hasSerialNumber: false,
      isActive: true,
      ignorePicking: false,
      externalArticleNumber: '',
      shop,
      createdAt: at,
      updatedAt: at,
    };
    this.apply(product, input, true);
    this.byExternalId.set(externalId, product);
    return product;
  }

  update(externalId: string, input: Input): ProductUpdateResult {
    const product = this.get(externalId);
    this.assertIdentifiersFree(input, externalId);
    if (input.sku !== undefined && !str(input.sku)?.trim()) throw invalid('sku', 'sku must not be empty');
    const ignoredFields = this.apply(product, input, false);
    product.updatedAt = this.now();
    return { product, ignoredFields };
  }

  setActive(externalId: string, isActive: boolean): WemaloProduct {
    const product = this.get(externalId);
    product.isActive = isActive;
    product.updatedAt = this.now();
    return product;
  }

  get(externalId: string): WemaloProduct {
    const product = this.byExternalId.get(externalId);
    if (!product) throw notFound('extId', `No product with extId ${externalId} found.`);
    return product;
  }

  find(externalId: string): WemaloProduct | undefined {
    return this.byExternalId.get(externalId);
  }

  findBySku(sku: string): WemaloProduct | undefined {
    return [...this.byExternalId.values()].find((p) => p.sku === sku);
  }

  changedSince(from: Date): WemaloProduct[] {
    return this.all().filter((p) => p.updatedAt.getTime() >= from.getTime());
  }

  all(): WemaloProduct[] {
    return [...this.byExternalId.values()];
  }

  clear(): void {
    this.byExternalId.clear();
  }

  /** wemalo refuses an SKU or EAN that another product already holds (WEM-3). */
  private assertIdentifiersFree(input: Input, ownExternalId: string): void {
    const others = this.all().filter((p) => p.externalId !== ownExternalId);
    const sku = str(input.sku)?.trim();
    if (sku && others.some((p) => p.sku === sku)) {
      throw invalid('sku', `SKU ${sku} is already used by another product`);
    }
    const eans = EAN_FIELDS.map((f) => str(input[f])?.trim()).filter((e): e is string => !!e);
    if (new Set(eans).size !== eans.length) throw invalid('ean', 'the same EAN is given twice');
    for (const ean of eans) {
      if (others.some((p) => EAN_FIELDS.some((f) => p[f] === ean))) {
        throw invalid('ean', `EAN ${ean} is already used by another product`);
      }
    }
  }

  private apply(product: WemaloProduct, input: Input, firstImport: boolean): string[] {
    const ignored: string[] = [];
    for (const f of STRING_FIELDS) {
      const v = str(input[f]);
      if (v !== undefined) product[f] = v.trim();
    }
    for (const f of NUMBER_FIELDS) {
      const v = input[f];
      if (v === undefined || v === null) continue;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw invalid(f, `${f} must be a non-negative number`);
      if (!firstImport && (DIMENSION_FIELDS as readonly string[]).includes(f)) {
        if (n !== product[f]) ignored.push(f);
        continue;
      }
      product[f] = n;
    }
    for (const f of BOOLEAN_FIELDS) {
      const v = input[f];
      if (typeof v === 'boolean') product[f] = v;
      else if (v === 0 || v === 1) product[f] = v === 1;
    }
    return ignored;
  }
}

export function productView(p: WemaloProduct): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, ...rest } = p;
  return rest;
}
