import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { JimdoSecretsSchema, JimdoSettingsSchema } from '@orderhub/contracts';
import {
  type ConnectionOf,
  ConnectionDirectory as ConnectorConnections,
  ConnectionRegistry,
  defineConnector,
} from '@orderhub/connector-kit';
import { LOGGER, NatsClient, RpcClient } from '@orderhub/platform';
import type { Logger } from 'pino';
import { MAIL_CONFIG, type MailIngestConfig } from '../config';

export interface JimdoConnection {
  id: string;
  accountId: string;
  forwardTo?: string;
  importOrders: boolean;
  active: boolean;
}

export const INBOUND_LOCAL_SUFFIX = '-jimdo-orderimport';

/** JIM-2: a Jimdo connection holds no credentials; mail-ingest reads it through the connector runtime's registry. */
export const jimdoConnector = defineConnector({ type: 'jimdo', settings: JimdoSettingsSchema, secrets: JimdoSecretsSchema });
type JimdoRegistryEntry = ConnectionOf<typeof jimdoConnector>;

const view = (c: JimdoRegistryEntry): JimdoConnection => ({
  id: c.id,
  accountId: c.accountId,
  forwardTo: c.settings.forwardTo,
  importOrders: c.settings.importOrders,
  active: true,
});

/**
 * Active jimdo connections from the connector runtime's registry: reloaded when the orders service
 * announces a change (so a deleted connection stops taking mail at once), on a slow timer, and
 * (rate-limited) when an unknown id shows up, so a connection created a second ago already receives
 * mail while a flood of unknown recipients cannot hammer the orders service.
 */
@Injectable()
export class ConnectionDirectory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly registry: ConnectionRegistry<JimdoRegistryEntry>;

  constructor(
    @Inject(RpcClient) rpc: RpcClient,
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(MAIL_CONFIG) private readonly config: MailIngestConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    const source = new ConnectorConnections(rpc, undefined, 'jimdo', { CONNECTION_ACCOUNT_IDS: [], CONNECTION_IDS: [] }, 5_000);
    this.registry = new ConnectionRegistry<JimdoRegistryEntry>(source, jimdoConnector, logger, {
      refreshMs: config.CONNECTIONS_REFRESH_MS,
      missRefreshMinMs: config.CONNECTIONS_MISS_REFRESH_MIN_MS,
    });
  }

  onApplicationBootstrap(): void {
    this.registry.start(this.nats);
  }

  onApplicationShutdown(): void {
    this.registry.stop();
  }

  /** `<connectionId>-jimdo-orderimport@<INBOUND_MAIL_DOMAIN>` → connection id, or undefined for anything else. */
  parseInboundAddress(address: string): string | undefined {
    const at = address.lastIndexOf('@');
    if (at < 1) return undefined;
    const local = address.slice(0, at);
    const domain = address.slice(at + 1).toLowerCase();
    if (domain !== this.config.INBOUND_MAIL_DOMAIN.toLowerCase()) return undefined;
    if (!local.toLowerCase().endsWith(INBOUND_LOCAL_SUFFIX)) return undefined;
    const id = local.slice(0, -INBOUND_LOCAL_SUFFIX.length);
    return id.length > 0 && /^[A-Za-z0-9_-]+$/.test(id) ? id : undefined;
  }

  inboundAddressOf(connectionId: string): string {
    return `${connectionId}${INBOUND_LOCAL_SUFFIX}@${this.config.INBOUND_MAIL_DOMAIN}`;
  }

  isInboundDomain(address: string): boolean {
    return address.toLowerCase().endsWith(`@${this.config.INBOUND_MAIL_DOMAIN.toLowerCase()}`);
  }

  /** The connection for an id if it is an active jimdo connection; a miss asks the orders service again. */
  async find(connectionId: string): Promise<JimdoConnection | undefined> {
    const found = await this.registry.byId(connectionId);
    return found ? view(found) : undefined;
  }

  /** False while the last refresh failed: an unknown id then gets a temporary 451, not a final 550. */
  get directoryReachable(): boolean {
    return this.registry.directoryReachable;
  }

  cached(connectionId: string): JimdoConnection | undefined {
    const hit = this.registry.cached(connectionId);
    return hit ? view(hit) : undefined;
  }

  /** The list as of the last change notice: a reload a notice started is waited for, none is started. */
  settled(): Promise<void> {
    return this.registry.settled();
  }
}
