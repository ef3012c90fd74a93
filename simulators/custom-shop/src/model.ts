/**
 * The shop's data in the Custom Shop API's own shape (field names as the official SDK serialises them).
 * Absent values are `null` here; the serialiser drops them, as the SDK does.
 */
export interface Address {
  firstname: string | null;
  lastname: string | null;
  street: string | null;
  housenumber: string | null;
  address2: string | null;
  postcode: string | null;
  city: string | null;
  country_code: string | null;
  company: string | null;
  state: string | null;
}

export interface OrderProductOption {
  name: string;
  value: string;
}

export interface OrderProduct {
  discount_percent: number | null;
  quantity: number;
  unit_price: number;
  product_id: string | null;
  name: string;
  sku: string | null;
  /** Only some shop systems send it (not Billbee's reference SDK); absent unless set through the admin API. */
  ean?: string;
  tax_rate: number | null;
  options: OrderProductOption[] | null;
}

export interface OrderComment {
  date_added: Date;
  name: string | null;
  comment: string;
  from_customer: boolean;
}

export interface Order {
  order_id: string;
  order_number: string | null;
  currency_code: string | null;
  delivery_source_country_code: string | null;
  nick_name: string | null;
  ship_cost: number | null;
  invoice_address: Address | null;
  delivery_address: Address | null;
  order_date: Date | null;
  email: string | null;
  phone1: string | null;
  pay_date: Date | null;
  ship_date: Date | null;
  payment_method: number | null;
  order_status_id: number | null;
  order_products: OrderProduct[];
  order_history: OrderComment[];
  seller_comment: string | null;
  shippingprofile_id: string | null;
  vat_id: string | null;
  payment_transaction_id: string | null;
}

/** What only the shop knows about an order: not part of the API body. */
export interface StoredOrder {
  order: Order;
  /** Creation order, for stable paging. */
  sequence: number;
  modifiedAt: Date;
  acknowledged: boolean;
}

export interface ProductImage {
  url: string;
  isDefault: boolean;
  /** Capitalised in the official SDK, unlike every other product field. */
  Position: number;
}

export interface Product {
  id: string;
  title: string;
  description: string | null;
  shortdescription: string | null;
  basic_attributes: string | null;
  material: string | null;
  images: ProductImage[] | null;
  price: number | null;
  quantity: number | null;
  sku: string | null;
  ean: string | null;
  manufacturer: string | null;
  isdigital: boolean;
  weight: number | null;
  vat_rate: number | null;
  lengthcm: number | null;
  widthcm: number | null;
  heightcm: number | null;
  customfields: Record<string, string>;
}

/** `Id`/`Name` are capitalised on the wire (official SDK and every other source). */
export interface ShippingProfile {
  Id: string;
  Name: string;
}

/** Billbee order state ids (reference 5.1), the ones the generator and docs name. */
export const OrderState = {
  Ordered: 1,
  Confirmed: 2,
  Paid: 3,
  Shipped: 4,
  Cancelled: 8,
} as const;
