import type { Address, Article, Order } from '@orderhub/contracts';
import type { WemaloDispatcher, WemaloGoodsOrderInput, WemaloReceiver } from '../clients/wemalo-types';

export type ArticleLookup = (position: Order['positions'][number]) => Promise<Article | undefined>;
export type ArticleById = (articleId: string) => Promise<Article>;

export class UnmappablePositionError extends Error {}

/**
 * Hub order → wemalo goods order (WEM-4): the hub order id is wemalo's externalId; positions point to
 * hub article ids (wemalo's product externalId); bundles are resolved into their sub-articles with the
 * quantities multiplied, as wemalo only knows the sub-articles (WEM-3).
 */
export async function toGoodsOrder(
  order: Order,
  lookup: ArticleLookup,
  byId: ArticleById,
  dispatcherProfile: string | undefined,
): Promise<WemaloGoodsOrderInput> {
  const positions: WemaloGoodsOrderInput['positions'] = [];
  for (const [index, position] of order.positions.entries()) {
    if (position.isDiscount) continue;
    const article = await lookup(position);
    if (!article) {
      throw new UnmappablePositionError(
        `position ${index + 1} "${position.title}" (SKU ${position.sku ?? '–'}) is not linked to a hub article, so wemalo cannot pick it`,
      );
    }
    const quantity = Math.max(1, Math.round(position.quantity));
    const ref = position.externalId ?? `pos-${index + 1}`;
    if (article.bundleComponents.length === 0) {
      positions.push({
        externalId: article.id,
        quantity,
        externalPositionIdentifier: ref,
        total: Math.round(position.totalPrice * 100),
        ...(position.taxRate !== undefined
          ? { tax: Math.round(((position.totalPrice * position.taxRate) / (100 + position.taxRate)) * 100) }
          : {}),
      });
      continue;
    }
    for (const component of article.bundleComponents) {
      const part = await byId(component.articleId);
      if (part.bundleComponents.length > 0) {
        throw new UnmappablePositionError(`bundle ${article.id} contains the bundle ${part.id}; nested bundles are not resolved`);
      }
      positions.push({ externalId: part.id, quantity: quantity * component.quantity, externalPositionIdentifier: `${ref}/${part.id}` });
    }
  }
  if (positions.length === 0) throw new UnmappablePositionError('the order has no position wemalo could pick');
  return {
    meta: {
      externalId: order.id,
      orderNumber: order.orderNumber ?? order.externalId,
      currency: order.currency,
      total: order.totalGross,
      ...(dispatcherProfile ? { dispatcherProfile } : {}),
      priority: 3,
      receiver: [receiver(order.shippingAddress ?? order.invoiceAddress ?? order.buyer ?? {})],
    },
    positions,
  };
}

function receiver(a: Address): WemaloReceiver {
  const person = [a.firstName, a.lastName].filter(Boolean).join(' ').trim();
  const name1 = a.company?.trim() || person;
  const opt = (key: keyof WemaloReceiver, value: string | undefined) => (value && value.trim() ? { [key]: value.trim() } : {});
  return {
    primary: true,
    name1,
    ...opt('name2', a.company?.trim() ? person : undefined),
    ...opt('street', a.street),
    ...opt('streetNumber', a.houseNumber),
    ...opt('addressAddition', a.line2),
    ...opt('zip', a.zip),
    ...opt('city', a.city),
    ...opt('countryCode2Letter', a.countryIso2),
    ...opt('stateProvinceCountry', a.state),
    ...opt('phoneNumber', a.phone),
    ...opt('email', a.email),
  };
}

/**
 * The hub has no shipping profile per order yet: take wemalo's DHL profile when there is one (OTTO
 * needs DHL for its return label, OTTO-3), else the first profile wemalo offers.
 */
export function chooseDispatcherProfile(dispatchers: WemaloDispatcher[]): string | undefined {
  const dhl = dispatchers.find((d) => d.name.toUpperCase() === 'DHL');
  return (dhl ?? dispatchers[0])?.profiles[0]?.matchId;
}
