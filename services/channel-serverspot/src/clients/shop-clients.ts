import { Inject, Injectable } from '@nestjs/common';
import { OutboundHttp } from '@orderhub/platform';
import { SERVERSPOT_CONFIG, type ServerspotConfig } from '../config';
import type { ServerspotConnection } from '../connections/serverspot-connection';
import { CustomShopClient } from './custom-shop-client';

/** One shop client per connection: it remembers the Key window the shop accepts; new credentials, new client. */
@Injectable()
export class ShopClients {
  private readonly clients = new Map<string, { fingerprint: string; client: CustomShopClient }>();

  constructor(
    @Inject(OutboundHttp) private readonly http: OutboundHttp,
    @Inject(SERVERSPOT_CONFIG) private readonly config: ServerspotConfig,
  ) {}

  for(connection: ServerspotConnection): CustomShopClient {
    const credentials = {
      apiUrl: connection.settings.apiUrl,
      shopKey: connection.secrets.shopKey,
      basicAuthUser: connection.settings.basicAuthUser,
      basicAuthPassword: connection.secrets.basicAuthPassword,
    };
    const fingerprint = JSON.stringify(credentials);
    const cached = this.clients.get(connection.id);
    if (cached && cached.fingerprint === fingerprint) return cached.client;
    const client = new CustomShopClient(this.http, `serverspot:${connection.id}`, credentials, {
      timeoutMs: this.config.SERVERSPOT_HTTP_TIMEOUT_MS,
    });
    this.clients.set(connection.id, { fingerprint, client });
    return client;
  }
}
