/**
 * The Custom Shop API's JSON as shops send it (snake_case; paging camelCase; `Id`/`Name` in shipping
 * profiles). Every field may be missing, null or "" (the SDK omits nulls, others send null or ""), so
 * the readers below treat all three alike and never trust a type.
 */
export interface ShopAddress {
  firstname?: string;
  lastname?: string;
  street?: string;
  housenumber?: string;
  address2?: string;
  postcode?: string;
  city?: string;
  country_code?: string;
  company?: string;
  state?: string;
}

export interface ShopOrderProduct {
  discount_percent?: number;
  quantity?: number;
  unit_price?: number;
  product_id?: string;
  /** Not in Billbee's reference SDK, sent by some shop systems (reference 4.3: S7). */
  ean?: string;
  name?: string;
  sku?: string;
  tax_rate?: number;
  options?: { name?: string; value?: string }[];
}

export interface ShopOrderComment {
  date_added?: string;
  name?: string;
  comment?: string;
  from_customer?: boolean;
}

export interface ShopOrder {
  order_id: string;
  order_number?: string;
  currency_code?: string;
  delivery_source_country_code?: string;
  nick_name?: string;
  ship_cost?: number;
  invoice_address?: ShopAddress;
  delivery_address?: ShopAddress;
  order_date?: string;
  email?: string;
  phone1?: string;
  pay_date?: string;
  ship_date?: string;
  payment_method?: number;
  order_status_id?: number;
  order_products: ShopOrderProduct[];
  order_history: ShopOrderComment[];
  seller_comment?: string;
  shippingprofile_id?: string;
  vat_id?: string;
  payment_transaction_id?: string;
  /** The order exactly as the shop sent it (for rawPayload). */
  raw: Record<string, unknown>;
}

export interface ShopProduct {
  id: string;
  title?: string;
  description?: string;
  price?: number;
  quantity?: number;
  sku?: string;
  ean?: string;
  weight?: number;
  vat_rate?: number;
  lengthcm?: number;
  widthcm?: number;
  heightcm?: number;
}

export interface ShopPaging {
  page: number;
  totalCount: number;
  totalPages: number;
}

export interface ShippingProfile {
  id: string;
  name: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim().replace(',', '.'));
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  return undefined;
}

function address(v: unknown): ShopAddress | undefined {
  if (!isObj(v)) return undefined;
  const a: ShopAddress = {
    firstname: str(v.firstname),
    lastname: str(v.lastname),
    street: str(v.street),
    housenumber: str(v.housenumber),
    address2: str(v.address2),
    postcode: str(v.postcode),
    city: str(v.city),
    country_code: str(v.country_code) ?? str(v.country),
    company: str(v.company),
    state: str(v.state),
  };
  return Object.values(a).some((x) => x !== undefined) ? a : undefined;
}

export function readOrder(v: unknown): ShopOrder | undefined {
  if (!isObj(v)) return undefined;
  const id = str(v.order_id);
  if (!id) return undefined;
  const products = Array.isArray(v.order_products) ? v.order_products.filter(isObj) : [];
  const history = Array.isArray(v.order_history) ? v.order_history.filter(isObj) : [];
  return {
    order_id: id,
    order_number: str(v.order_number),
    currency_code: str(v.currency_code),
    delivery_source_country_code: str(v.delivery_source_country_code),
    nick_name: str(v.nick_name),
    ship_cost: num(v.ship_cost),
    invoice_address: address(v.invoice_address),
    delivery_address: address(v.delivery_address),
    order_date: str(v.order_date),
    email: str(v.email),
    phone1: str(v.phone1),
    pay_date: str(v.pay_date),
    ship_date: str(v.ship_date),
    payment_method: num(v.payment_method),
    order_status_id: num(v.order_status_id),
    order_products: products.map((p) => ({
      discount_percent: num(p.discount_percent),
      quantity: num(p.quantity),
      unit_price: num(p.unit_price),
      product_id: str(p.product_id),
      ean: str(p.ean),
      name: str(p.name),
      sku: str(p.sku),
      tax_rate: num(p.tax_rate),
      options: Array.isArray(p.options) ? p.options.filter(isObj).map((o) => ({ name: str(o.name), value: str(o.value) })) : undefined,
    })),
    order_history: history.map((h) => ({
      date_added: str(h.date_added),
      name: str(h.name),
      comment: str(h.comment),
      from_customer: bool(h.from_customer),
    })),
    seller_comment: str(v.seller_comment),
    shippingprofile_id: str(v.shippingprofile_id),
    vat_id: str(v.vat_id),
    payment_transaction_id: str(v.payment_transaction_id),
    raw: v,
  };
}

export function readProduct(v: unknown): ShopProduct | undefined {
  if (!isObj(v)) return undefined;
  const id = str(v.id);
  if (!id) return undefined;
  return {
    id,
    title: str(v.title),
    description: str(v.description),
    price: num(v.price),
    quantity: num(v.quantity),
    sku: str(v.sku),
    ean: str(v.ean),
    weight: num(v.weight),
    vat_rate: num(v.vat_rate),
    lengthcm: num(v.lengthcm),
    widthcm: num(v.widthcm),
    heightcm: num(v.heightcm),
  };
}

/** `paging` block; missing fields fall back so a shop without paging still ends the loop. */
export function readPaging(v: unknown, page: number, itemCount: number): ShopPaging {
  const p = isObj(v) ? v : {};
  return {
    page: num(p.page) ?? page,
    totalCount: num(p.totalCount) ?? num(p.total_count) ?? itemCount,
    totalPages: num(p.totalPages) ?? num(p.total_pages) ?? page,
  };
}

export function readShippingProfiles(v: unknown): ShippingProfile[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter(isObj).map((p) => ({ id: str(p.Id) ?? str(p.id) ?? '', name: str(p.Name) ?? str(p.name) ?? '' }));
}

export function isObject(v: unknown): v is Obj {
  return isObj(v);
}
