import type { ShopAction } from './action';
import { ackOrder, getOrder, getOrders, setOrderState } from './orders';
import { getProduct, getProducts, setStock } from './products';
import { getShippingProfiles } from './shipping-profiles';

/** The eight actions of the Custom Shop API, by their exact (case-sensitive) names. */
export const SHOP_ACTIONS: Readonly<Record<string, ShopAction>> = {
  GetOrders: getOrders,
  GetOrder: getOrder,
  AckOrder: ackOrder,
  SetOrderState: setOrderState,
  GetProducts: getProducts,
  GetProduct: getProduct,
  SetStock: setStock,
  GetShippingProfiles: getShippingProfiles,
};
