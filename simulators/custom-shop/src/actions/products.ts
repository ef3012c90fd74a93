import { ApiErrors } from '../errors';
import { positiveInt, requiredParam } from '../params';
import { EMPTY_OK, paginate, type ShopAction } from './action';

export const getProducts: ShopAction = {
  method: 'GET',
  handle(shop, params) {
    const page = positiveInt(params, 'Page', 1);
    const pageSize = positiveInt(params, 'PageSize', shop.config.defaultProductPageSize);
    const { paging, items } = paginate([...shop.products.values()], page, pageSize);
    return { paging, products: items };
  },
};

export const getProduct: ShopAction = {
  method: 'GET',
  handle(shop, params) {
    return shop.getProduct(requiredParam(params, 'ProductId', ApiErrors.missingProductId));
  },
};

/** Stock 0 is a valid value here (the stock SDK's rejection of 0 is a bug we do not copy). */
export const setStock: ShopAction = {
  method: 'POST',
  handle(shop, params) {
    const productId = requiredParam(params, 'ProductId', ApiErrors.missingProductId);
    const raw = requiredParam(params, 'AvailableStock', ApiErrors.missingAvailableStock);
    if (!/^-?\d+(\.\d+)?$/.test(raw)) throw ApiErrors.missingAvailableStock();
    shop.setStock(productId, Number(raw), raw);
    return EMPTY_OK;
  },
};
