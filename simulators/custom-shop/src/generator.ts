import { pick, seededRandom } from '@orderhub/sim-kit';
import type { GermanFakeData } from './fake-data';
import { OrderState, type Address, type Order, type OrderComment, type OrderProduct, type Product, type ShippingProfile } from './model';

/** Billbee payment type ids (reference 5.2) weighted roughly like a German web shop's mix. */
const PAYMENT_METHODS = [3, 3, 3, 1, 1, 59, 26, 31, 31, 98, 25, 19, 23, 2, 63, 105] as const;
/** Methods whose payment provider hands out a transaction id. */
const WITH_TRANSACTION_ID = new Set<number>([3, 19, 25, 31, 63, 98, 105]);
/** Prepayment-like methods: paid only later, so a fresh order is not yet paid. */
const PAID_LATER = new Set<number>([1, 26, 59, 2]);

const CUSTOMER_COMMENTS = [
  'Bitte nicht vor 14 Uhr liefern.',
  'Bitte beim Nachbarn abgeben, falls ich nicht da bin.',
  'Ist ein Geschenk – bitte keine Rechnung beilegen.',
  'Kann die Lieferung bis Freitag ankommen?',
  'Bitte in neutraler Verpackung versenden.',
] as const;
const SELLER_COMMENTS = ['Stammkunde', 'Adresse telefonisch bestätigt', 'Expressversand zugesagt', 'Teillieferung möglich'] as const;
const ADDRESS_LINE_2 = ['Hinterhaus', '2. OG links', 'c/o Packstation', 'Aufgang B', 'Zimmer 12'] as const;
const SIZES = ['S', 'M', 'L', 'XL', '38', '40', '42'] as const;
const COLOURS = ['Schwarz', 'Weiß', 'Rot', 'Blau', 'Grün', 'Anthrazit'] as const;
const MATERIALS = ['Baumwolle', 'Edelstahl', 'Buchenholz', 'Leder', 'Recycling-Kunststoff'] as const;
const VOUCHERS = ['WILLKOMMEN10', 'SOMMER5', 'TREUE15'] as const;

export const DEFAULT_SHIPPING_PROFILES: readonly ShippingProfile[] = [
  { Id: 'dhl-paket', Name: 'DHL Paket' },
  { Id: 'dpd-classic', Name: 'DPD Classic' },
  { Id: 'dhl-express', Name: 'DHL Express' },
  { Id: 'abholung', Name: 'Selbstabholung' },
];

export interface NewOrderContext {
  orderId: string;
  orderNumber: string;
  orderDate: Date;
  products: readonly Product[];
  shippingProfiles: readonly ShippingProfile[];
}

/** Seeded generator of a German web shop's catalogue and orders. */
export class ShopDataGenerator {
  private readonly random: () => number;

  constructor(
    seed: number,
    private readonly fake: GermanFakeData,
  ) {
    this.random = seededRandom(seed);
  }

  product(id: string): Product {
    const vatRate = this.chance(0.85) ? 19 : 7;
    const price = this.money(4.99, 149.99);
    const imageCount = this.int(0, 3);
    return {
      id,
      title: this.fake.productName(),
      description: `<p>${this.fake.productDescription()}</p>`,
      shortdescription: pick(this.random, ['geschenk', 'bestseller', 'neu', 'klassiker']),
      basic_attributes: null,
      material: this.chance(0.6) ? pick(this.random, MATERIALS) : null,
      images:
        imageCount === 0
          ? null
          : Array.from({ length: imageCount }, (_, i) => ({
              url: `https://shop.example.de/media/${id}-${i + 1}.jpg`,
              isDefault: i === 0,
              Position: i + 1,
            })),
      price,
      quantity: this.int(0, 120),
      sku: `SKU-${id}`,
      ean: ean13(`40${String(this.int(0, 9_999_999_999)).padStart(10, '0')}`),
      manufacturer: this.fake.companyName(),
      isdigital: false,
      weight: round(this.random() * 4 + 0.1, 3),
      vat_rate: vatRate,
      lengthcm: this.int(5, 60),
      widthcm: this.int(5, 40),
      heightcm: this.int(1, 30),
      customfields: this.chance(0.3) ? { Pflegehinweis: '30 °C Schonwaschgang' } : {},
    };
  }

  order(ctx: NewOrderContext): Order {
    const firstName = this.fake.firstName();
    const lastName = this.fake.lastName();
    const invoiceAddress = this.address(firstName, lastName);
    const deliveryAddress = this.chance(0.2) ? this.address(this.fake.firstName(), lastName) : { ...invoiceAddress };
    const paymentMethod = pick(this.random, PAYMENT_METHODS);
    const paid = !PAID_LATER.has(paymentMethod);
    const positions = this.positions(ctx.products);
    const goods = positions.reduce((sum, p) => sum + p.unit_price * p.quantity, 0);
    const history: OrderComment[] = this.chance(0.3)
      ? [
          {
            date_added: ctx.orderDate,
            name: `${firstName} ${lastName}`,
            comment: pick(this.random, CUSTOMER_COMMENTS),
            from_customer: true,
          },
        ]
      : [];
    return {
      order_id: ctx.orderId,
      order_number: ctx.orderNumber,
      currency_code: 'EUR',
      delivery_source_country_code: 'DE',
      nick_name: this.fake.userName(firstName, lastName),
      ship_cost: goods >= 50 ? 0 : pick(this.random, [3.9, 4.9, 5.95]),
      invoice_address: invoiceAddress,
      delivery_address: deliveryAddress,
      order_date: ctx.orderDate,
      email: this.fake.email(firstName, lastName),
      phone1: this.chance(0.6) ? this.fake.phone() : null,
      pay_date: paid ? new Date(ctx.orderDate.getTime() + this.int(5, 300) * 1000) : null,
      ship_date: null,
      payment_method: paymentMethod,
      order_status_id: paid ? OrderState.Paid : OrderState.Ordered,
      order_products: positions,
      order_history: history,
      seller_comment: this.chance(0.15) ? pick(this.random, SELLER_COMMENTS) : null,
      shippingprofile_id: ctx.shippingProfiles.length > 0 ? pick(this.random, ctx.shippingProfiles).Id : null,
      vat_id: invoiceAddress.company && this.chance(0.5) ? `DE${this.int(100_000_000, 999_999_999)}` : null,
      payment_transaction_id: WITH_TRANSACTION_ID.has(paymentMethod) ? this.transactionId() : null,
    };
  }

  private positions(products: readonly Product[]): OrderProduct[] {
    const lines: OrderProduct[] = Array.from({ length: this.int(1, 4) }, () => {
      const product = pick(this.random, products);
      const variant = this.chance(0.4);
      return {
        discount_percent: this.chance(0.1) ? pick(this.random, [5, 10, 15]) : null,
        quantity: this.int(1, 3),
        unit_price: product.price ?? this.money(5, 50),
        product_id: product.id,
        name: product.title,
        sku: product.sku,
        tax_rate: product.vat_rate,
        options: variant
          ? [
              { name: 'Größe', value: pick(this.random, SIZES) },
              { name: 'Farbe', value: pick(this.random, COLOURS) },
            ]
          : null,
      };
    });
    // Price adjustments arrive as positions without product: a voucher (negative) or a surcharge.
    if (this.chance(0.25)) {
      const voucher = pick(this.random, VOUCHERS);
      lines.push(adjustment(`Gutschein ${voucher}`, -pick(this.random, [5, 10, 15])));
    } else if (this.chance(0.08)) {
      lines.push(adjustment('Nachnahmegebühr', 2));
    }
    return lines;
  }

  private address(firstName: string, lastName: string): Address {
    return {
      firstname: firstName,
      lastname: lastName,
      street: this.fake.street(),
      housenumber: this.fake.buildingNumber(),
      address2: this.chance(0.15) ? pick(this.random, ADDRESS_LINE_2) : null,
      postcode: this.fake.zipCode(),
      city: this.fake.city(),
      country_code: this.chance(0.9) ? 'DE' : pick(this.random, ['AT', 'CH']),
      company: this.chance(0.15) ? this.fake.companyName() : null,
      state: null,
    };
  }

  private transactionId(): string {
    return Array.from({ length: 17 }, () => '0123456789ABCDEFGHJKLMNPRSTUVWXYZ'[this.int(0, 32)]).join('');
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private money(min: number, max: number): number {
    return Math.floor(min + this.random() * (max - min)) + 0.99;
  }
}

function adjustment(name: string, amount: number): OrderProduct {
  return { discount_percent: null, quantity: 1, unit_price: amount, product_id: null, name, sku: null, tax_rate: 19, options: null };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Twelve digits plus the GS1 check digit, so the EAN passes validation in the hub. */
function ean13(twelve: string): string {
  const sum = [...twelve].reduce((acc, ch, i) => acc + Number(ch) * (i % 2 === 0 ? 1 : 3), 0);
  return `${twelve}${(10 - (sum % 10)) % 10}`;
}
