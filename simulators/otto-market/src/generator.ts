import { seededGermanFaker, type SeededGermanFaker } from './faker-de';
import type {
  Address,
  Amount,
  FulfillmentStatus,
  InitialDeliveryFee,
  InitialDiscount,
  PositionItem,
  ProductVariation,
  StoredOrder,
} from './model';
import type { OttoStore } from './store';

export interface GenerateOrderOptions {
  /** Force every item into this state; default: a realistic mix (mostly PROCESSABLE, some ANNOUNCED). */
  fulfillmentStatus?: 'ANNOUNCED' | 'PROCESSABLE';
}

const PAYMENT_METHODS = ['INVOICE_SINGLE', 'INVOICE_INSTALLMENTS', 'DIRECT_DEBIT', 'PAYPAL', 'CREDIT_CARD'] as const;
const CATEGORIES = ['Bettwäsche', 'Kaffeemaschine', 'Sneaker', 'Rucksack', 'Stehlampe', 'Gartenstuhl', 'Topfset'] as const;
const BRANDS = ['BRAND_HOLZWERK', 'BRAND_NORDLICHT', 'BRAND_KUECHENPROFI', 'BRAND_STADTKIND'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Seeded order and catalog generator (faker, German locale): the same seed gives the same orders, so
 * a failing connector test can be replayed.
 */
export class OrderGenerator {
  private faker: SeededGermanFaker;
  /** Processing days per SKU: different SKUs in one order get different expectedDeliveryDates. */
  private readonly processingDays = new Map<string, number>();

  constructor(
    private readonly store: OttoStore,
    private readonly seed: number,
  ) {
    this.faker = this.newFaker();
  }

  reseed(): void {
    this.faker = this.newFaker();
    this.processingDays.clear();
  }

  createCatalog(partnerId: string, count: number): ProductVariation[] {
    const created: ProductVariation[] = [];
    for (let i = 0; i < count; i++) created.push(this.createProduct(partnerId));
    return created;
  }

  createProduct(partnerId: string): ProductVariation {
    const f = this.faker;
    const category = f.helpers.arrayElement(CATEGORIES);
    const reference = `REF-${f.string.alphanumeric({ length: 6, casing: 'upper' })}`;
    const sku = `${reference}-${f.helpers.arrayElement(['S', 'M', 'L', 'XL', 'STD'])}`;
    const lastModified = this.store.timestamp();
    const product: ProductVariation = {
      productReference: reference,
      sku,
      ean: ean13(f),
      moin: `M${f.string.numeric(9)}`,
      productDescription: {
        category,
        brandId: f.helpers.arrayElement(BRANDS),
        productLine: f.commerce.productAdjective(),
        description: f.commerce.productDescription(),
        bulletPoints: [f.commerce.productMaterial(), f.commerce.productAdjective()],
        attributes: [{ name: 'Farbe', values: [f.color.human()] }],
      },
      mediaAssets: [{ type: 'IMAGE', location: `https://images.example.invalid/${sku}.jpg` }],
      pricing: {
        standardPrice: { amount: Number(f.commerce.price({ min: 9, max: 249 })), currency: 'EUR' },
        vat: f.helpers.weightedArrayElement([
          { weight: 4, value: 'FULL' as const },
          { weight: 1, value: 'REDUCED' as const },
        ]),
      },
      marketPlaceStatus: 'ONLINE',
      lastModified,
    };
    this.store.productsOf(partnerId).set(sku, product);
    this.store.stockOf(partnerId).set(sku, { sku, quantity: f.number.int({ min: 0, max: 50 }), lastModified });
    this.processingDays.set(sku, f.number.int({ min: 1, max: 6 }));
    return product;
  }

  createOrder(partnerId: string, options: GenerateOrderOptions = {}): StoredOrder {
    const f = this.faker;
    let catalog = [...this.store.productsOf(partnerId).values()];
    if (catalog.length === 0) catalog = this.createCatalog(partnerId, 10);

    const createdAt = this.store.timestamp();
    const orderDate = new Date(Date.parse(createdAt) - f.number.int({ min: 0, max: 30 * 60 * 1000 })).toISOString();
    const status: FulfillmentStatus = options.fulfillmentStatus ?? (f.number.float() < 0.15 ? 'ANNOUNCED' : 'PROCESSABLE');

    const lines = f.helpers.arrayElements(catalog, { min: 1, max: Math.min(3, catalog.length) });
    // Now and then one line is priced in another currency, so the hub has to pick the most frequent one.
    const foreignLine = lines.length >= 2 && f.number.float() < 0.15 ? lines[lines.length - 1] : undefined;
    const items: PositionItem[] = [];
    for (const product of lines) {
      const pieces = f.helpers.weightedArrayElement([
        { weight: 6, value: 1 },
        { weight: 3, value: 2 },
        { weight: 1, value: 3 },
      ]);
      const price: Amount = { ...product.pricing.standardPrice, currency: product === foreignLine ? 'CHF' : 'EUR' };
      const expectedDeliveryDate = new Date(Date.parse(orderDate) + (this.processingDays.get(product.sku) ?? 2) * DAY_MS).toISOString();
      for (let piece = 0; piece < pieces; piece++) {
        items.push({
          positionItemId: f.string.uuid(),
          fulfillmentStatus: status,
          itemValueGrossPrice: { ...price },
          product: {
            sku: product.sku,
            // Same article number for every piece of a SKU (it is the product's number on otto.de).
            articleNumber: product.moin.slice(-8),
            productTitle: `${product.productDescription.category} ${product.productDescription.productLine ?? ''}`.trim(),
            ean: product.ean,
            vatRate: product.pricing.vat === 'REDUCED' ? 7 : 19,
            shopUrl: `https://www.otto.de/p/${product.moin.toLowerCase()}`,
            dimensions: [{ type: 'Farbe', displayName: 'Farbe', value: product.productDescription.attributes[0]?.values[0] ?? 'schwarz' }],
          },
          expectedDeliveryDate,
          ...(status === 'PROCESSABLE' ? { processableDate: createdAt } : {}),
        });
      }
    }

    // Partial cancellation by the marketplace (customer changed their mind about one piece).
    if (status === 'PROCESSABLE' && items.length >= 2 && f.number.float() < 0.15) {
      const cancelled = items[items.length - 1];
      if (cancelled) {
        cancelled.fulfillmentStatus = 'CANCELLED_BY_MARKETPLACE';
        cancelled.cancellationDate = createdAt;
        cancelled.cancellationReason = 'CANCELLED_ON_CUSTOMER_WISH';
      }
    }

    const initialDiscounts: InitialDiscount[] = [];
    const discounted = items[0];
    if (discounted && f.number.float() < 0.1) {
      const discount = { amount: 5, currency: discounted.itemValueGrossPrice.currency };
      discounted.itemValueDiscount = discount;
      discounted.itemValueReducedGrossPrice = { amount: round2(discounted.itemValueGrossPrice.amount - 5), currency: discount.currency };
      const discountId = f.string.uuid();
      initialDiscounts.push({
        discountId,
        discountName: 'Gutschein 5 €',
        name: 'Gutschein',
        discountAmount: discount,
        positionItemIds: [discounted.positionItemId],
        vatRate: discounted.product.vatRate,
      });
    }

    const salesOrderId = f.string.uuid();
    const invoiceAddress = this.address(true);
    const deliveryAddress =
      f.number.float() < 0.2
        ? this.address(false)
        : {
            ...invoiceAddress,
            email: f.internet.email({ firstName: invoiceAddress.firstName, lastName: invoiceAddress.lastName }).toLowerCase(),
          };
    return this.store.addOrder({
      partnerId,
      invoiceAddress,
      deliveryAddress,
      addressReleased: status !== 'ANNOUNCED',
      order: {
        salesOrderId,
        orderNumber: f.string.alphanumeric({ length: 10, casing: 'upper' }),
        orderDate,
        lastModifiedDate: createdAt,
        orderLifecycleInformation: { lifecycleChangeDate: createdAt },
        positionItems: items,
        initialDeliveryFees: this.deliveryFees(items),
        initialDiscounts,
        // ANNOUNCED is what an unpaid prepayment looks like.
        payment: { paymentMethod: status === 'ANNOUNCED' ? 'PREPAYMENT' : f.helpers.arrayElement(PAYMENT_METHODS) },
        suspectedFraudCase: false,
        links: [{ rel: 'self', href: `/v4/orders/${salesOrderId}` }],
      },
    });
  }

  /** OTTO's shipping costs ("initial service fees" in Billbee's words), each tied to the items it covers. */
  private deliveryFees(items: PositionItem[]): InitialDeliveryFee[] {
    const f = this.faker;
    if (f.number.float() < 0.3) return [];
    const currency = items[0]?.itemValueGrossPrice.currency ?? 'EUR';
    const vatRate = Math.max(...items.map((i) => i.product.vatRate));
    return [
      {
        name: 'DELIVERY_FEE_STANDARD',
        deliveryFeeAmount: { amount: f.helpers.arrayElement([2.95, 4.95, 5.95]), currency },
        positionItemIds: items.map((i) => i.positionItemId),
        vatRate,
      },
    ];
  }

  private address(isInvoice: boolean): Address {
    const f = this.faker;
    const sex = f.person.sexType();
    const firstName = f.person.firstName(sex);
    const lastName = f.person.lastName();
    return {
      salutation: sex === 'female' ? 'MS' : 'MR',
      firstName,
      lastName,
      street: f.location.street(),
      houseNumber: f.location.buildingNumber(),
      ...(f.number.float() < 0.15 ? { addition: f.helpers.arrayElement(['2. OG', 'Hinterhaus', 'c/o Müller']) } : {}),
      zipCode: f.location.zipCode('#####'),
      city: f.location.city(),
      countryCode: 'DEU',
      ...(f.number.float() < 0.5 ? { phoneNumber: f.phone.number() } : {}),
      // OTTO pseudonymises the e-mail in the invoice address; the delivery address gets it in clear.
      ...(isInvoice ? { email: `${f.string.alphanumeric({ length: 16, casing: 'lower' })}@pseudonym.otto.de` } : {}),
    };
  }

  private newFaker(): SeededGermanFaker {
    return seededGermanFaker(this.seed);
  }
}

function ean13(f: SeededGermanFaker): string {
  // OTTO rejects EANs starting with 2 (in-store numbers), so generated ones start with 4 (Germany).
  const body = `4${f.string.numeric(11)}`;
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * (i % 2 === 0 ? 1 : 3), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
