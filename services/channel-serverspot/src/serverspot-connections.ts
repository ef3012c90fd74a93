import { Inject, Injectable } from '@nestjs/common';
import { ServerspotSecretsSchema, ServerspotSettingsSchema } from '@orderhub/contracts';
import { type ActiveConnection, ConnectionDirectory } from '@orderhub/connector-kit';
import { OutboundHttp } from '@orderhub/platform';
import type { z } from 'zod';
import { SERVERSPOT_CONFIG, type ServerspotConfig } from './config';
import { CustomShopClient } from './custom-shop/custom-shop-client';

export type ServerspotSettings = z.infer<typeof ServerspotSettingsSchema>;
export type ServerspotSecrets = z.infer<typeof ServerspotSecretsSchema>;

/** A Serverspot connection with its SSP-1 settings parsed (defaults applied). */
export interface ServerspotConnection {
  id: string;
  accountId: string;
  type: 'serverspot';
  settings: ServerspotSettings;
  secrets: ServerspotSecrets;
}

export function asServerspot(c: ActiveConnection): ServerspotConnection | undefined {
  const settings = ServerspotSettingsSchema.safeParse(c.settings);
  const secrets = ServerspotSecretsSchema.safeParse(c.secrets);
  if (!settings.success || !secrets.success) return undefined;
  return { id: c.id, accountId: c.accountId, type: 'serverspot', settings: settings.data, secrets: secrets.data };
}

/**
 * The connections the event handlers need (write-back, stock), from the directory with a short cache,
 * and one shop client per connection (it remembers the Key window the shop accepts).
 */
@Injectable()
export class ServerspotConnections {
  private cache: ServerspotConnection[] = [];
  private loadedAt = 0;
  private readonly clients = new Map<string, { fingerprint: string; client: CustomShopClient }>();

  constructor(
    @Inject(ConnectionDirectory) private readonly directory: ConnectionDirectory,
    @Inject(OutboundHttp) private readonly http: OutboundHttp,
    @Inject(SERVERSPOT_CONFIG) private readonly config: ServerspotConfig,
  ) {}

  async all(forceRefresh = false): Promise<ServerspotConnection[]> {
    if (forceRefresh || Date.now() - this.loadedAt > this.config.CONNECTION_REFRESH_MS) {
      const list = await this.directory.list();
      this.cache = list.map(asServerspot).filter((c): c is ServerspotConnection => c !== undefined);
      this.loadedAt = Date.now();
    }
    return this.cache;
  }

  /** A connection by id; an unknown id refreshes once (it may have been created a moment ago). */
  async byId(connectionId: string): Promise<ServerspotConnection | undefined> {
    const hit = (await this.all()).find((c) => c.id === connectionId);
    if (hit) return hit;
    return (await this.all(true)).find((c) => c.id === connectionId);
  }

  async ofAccount(accountId: string): Promise<ServerspotConnection[]> {
    return (await this.all(true)).filter((c) => c.accountId === accountId);
  }

  client(connection: ServerspotConnection): CustomShopClient {
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
