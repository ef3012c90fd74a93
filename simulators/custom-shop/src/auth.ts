import type { Request } from 'express';
import { ApiErrors } from './errors';
import { isValidCustomShopKey } from './key';
import { param } from './params';
import type { Shop } from './shop';

/**
 * Both checks a Serverspot-like shop does before looking at the Action: the optional basic auth
 * (the shop login) and the time-based `Key` from the query string. Either failing answers 401.
 */
export function authenticate(shop: Shop, req: Request): void {
  if (shop.config.basicAuth && !basicAuthMatches(req.headers.authorization, shop.config.basicAuth)) throw ApiErrors.unauthorized();
  const key = param(req.query as Record<string, unknown>, 'Key');
  const ok = isValidCustomShopKey(key, shop.config.key, {
    shopUnixSeconds: Math.floor(shop.now().getTime() / 1000),
    acceptPreviousWindow: shop.config.acceptPreviousKeyWindow,
  });
  if (!ok) throw ApiErrors.unauthorized();
}

function basicAuthMatches(header: string | undefined, expected: { username: string; password: string }): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return decoded.slice(0, colon) === expected.username && decoded.slice(colon + 1) === expected.password;
}
