import { Inject, Injectable } from '@nestjs/common';
import { ProblemError, ProblemTypes } from '@orderhub/contracts';
import { OutboundHttp } from '@orderhub/platform';
import { z } from 'zod';
import { SERVERSPOT_CONFIG, type ServerspotConfig } from '../config';
import { CustomShopClient } from '../clients/custom-shop-client';
import { KEY_WINDOW_SECONDS } from '../clients/key';
import { ShopApiError } from '../clients/shop-errors';
import type { ShippingProfile } from '../clients/shop-wire';

/** `Rpc.serverspotCheckConnection` request: what the SSP-1 form holds before it is saved. */
export const CheckConnectionRequestSchema = z.object({
  apiUrl: z.url(),
  shopKey: z.string().min(1),
  basicAuthUser: z.string().max(200).optional(),
  basicAuthPassword: z.string().optional(),
});
export type CheckConnectionRequest = z.infer<typeof CheckConnectionRequestSchema>;

export interface CheckConnectionResult {
  shippingProfiles: ShippingProfile[];
  warnings: string[];
}

/** How many Key windows either side are tried to tell clock skew from a wrong key. */
const SKEW_WINDOWS = 8;

/**
 * SSP-1 setup check: one GetShippingProfiles call with the entered URL, key and login, and a readable
 * answer when it fails: URL wrong (network, 404, no JSON), key wrong (401), login wrong (401 with basic
 * auth), or the shop's clock off by more than the Key window (a neighbouring window's Key works).
 */
@Injectable()
export class ConnectionCheck {
  constructor(
    @Inject(OutboundHttp) private readonly http: OutboundHttp,
    @Inject(SERVERSPOT_CONFIG) private readonly config: ServerspotConfig,
  ) {}

  async check(input: CheckConnectionRequest): Promise<CheckConnectionResult> {
    const client = new CustomShopClient(this.http, `serverspot:check:${new URL(input.apiUrl).host}`, input, {
      timeoutMs: Math.min(this.config.SERVERSPOT_HTTP_TIMEOUT_MS, 10_000),
    });
    try {
      return { shippingProfiles: await client.getShippingProfiles(0), warnings: [] };
    } catch (err) {
      if (!(err instanceof ShopApiError)) throw err;
      if (err.kind === 'notImplemented') {
        // The shop let us in (auth is checked before the action); it just has no shipping profiles.
        return { shippingProfiles: [], warnings: ['The shop does not offer shipping profiles (GetShippingProfiles not implemented).'] };
      }
      if (err.kind !== 'unauthorized') throw this.problemFor(err, input);
    }
    const skew = await this.findAcceptedWindow(client);
    if (skew !== undefined && Math.abs(skew.offset) <= 1) {
      return {
        shippingProfiles: skew.profiles,
        warnings: [
          `The shop's clock and the hub's clock differ (the shop accepts the Key of the ${skew.offset > 0 ? 'next' : 'previous'} 1000 s window); please keep the shop's clock in sync (NTP).`,
        ],
      };
    }
    if (skew !== undefined) {
      const seconds = skew.offset * KEY_WINDOW_SECONDS;
      throw problem(
        'clock',
        `The shop's clock is about ${Math.round(Math.abs(seconds) / 60)} minutes ${seconds > 0 ? 'ahead of' : 'behind'} the hub's. ` +
          `The time-based Key is valid for one 1000 s window only, so the shop rejects every request. Please set the shop server's clock right (NTP).`,
        [{ path: 'apiUrl', message: 'the shop server clock is off by more than the Key window' }],
      );
    }
    if (input.basicAuthUser) {
      throw problem(
        'credentials',
        'The shop refused the login (401 Unautorisiert). The basic-auth user or password (the Serverspot shop login) is wrong, or the shop key is wrong.',
        [
          { path: 'basicAuthPassword', message: 'basic-auth user or password (Serverspot shop login) rejected' },
          { path: 'shopKey', message: 'or the shop key is wrong' },
        ],
      );
    }
    throw problem(
      'credentials',
      'The shop refused the shop key (401 Unautorisiert). Copy the "Billbee Schlüssel" from Serverspot (Einstellungen / Schnittstellen / WaWi) again; if the shop requires a login, enter the basic-auth user and password.',
      [{ path: 'shopKey', message: 'shop key rejected' }],
    );
  }

  private async findAcceptedWindow(client: CustomShopClient): Promise<{ offset: number; profiles: ShippingProfile[] } | undefined> {
    for (let distance = 1; distance <= SKEW_WINDOWS; distance++) {
      for (const offset of [-distance, distance]) {
        try {
          return { offset, profiles: await client.getShippingProfiles(offset) };
        } catch (err) {
          if (err instanceof ShopApiError && err.kind === 'notImplemented') return { offset, profiles: [] };
          if (!(err instanceof ShopApiError) || err.kind !== 'unauthorized') return undefined;
        }
      }
    }
    return undefined;
  }

  private problemFor(err: ShopApiError, input: CheckConnectionRequest): ProblemError {
    switch (err.kind) {
      case 'unreachable':
        return problem(
          'unreachable',
          `The shop could not be reached at ${input.apiUrl}: ${err.message.replace(/^\w+: /, '')}. Check the API URL.`,
          [{ path: 'apiUrl', message: 'not reachable' }],
        );
      case 'notFound':
        return problem(
          'url',
          `There is no Custom Shop API at ${input.apiUrl} (HTTP 404). Copy the "URL zur Billbee API" from Serverspot (Einstellungen / Schnittstellen / WaWi) again.`,
          [{ path: 'apiUrl', message: 'no Custom Shop API at this URL (404)' }],
        );
      case 'invalidResponse':
        return problem(
          'url',
          `The URL ${input.apiUrl} answers, but not like a Custom Shop API (${err.message.replace(/^.*: /, '')}). Check the API URL.`,
          [{ path: 'apiUrl', message: 'does not answer like a Custom Shop API' }],
        );
      default:
        return problem('shop', `The shop answered with an error: ${err.message}`, [
          { path: 'apiUrl', message: err.shopText ?? err.message },
        ]);
    }
  }
}

function problem(reason: string, detail: string, errors: { path: string; message: string }[]): ProblemError {
  return new ProblemError({
    type: `${ProblemTypes.validation}#serverspot-${reason}`,
    title: 'Serverspot connection check failed',
    status: 422,
    detail,
    errors,
  });
}
