import type { ShopAction } from './action';

/** A bare array of `{Id, Name}`, not wrapped and without paging. */
export const getShippingProfiles: ShopAction = {
  method: 'GET',
  handle(shop) {
    return shop.shippingProfiles;
  },
};
