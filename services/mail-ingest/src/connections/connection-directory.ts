import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type ConnectorConnection, JimdoSettingsSchema, Rpc } from '@orderhub/contracts';
import { LOGGER, RpcClient } from '@orderhub/platform';
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

/**
 * Active jimdo connections, cached from `rpc.connections.for-connector`: refreshed on a timer and at
 * once (rate-limited) when an unknown id shows up, so a connection created a second ago already
 * receives mail while a flood of unknown recipients cannot hammer the orders service.
 */
@Injectable()
export class ConnectionDirectory implements OnModuleInit, OnApplicationShutdown {
  private byId = new Map<string, JimdoConnection>();
  private lastRefresh = 0;
  private refreshing?: Promise<void>;
  /** False while the last refresh failed: an unknown id then gets a temporary 451, not a final 550. */
  private reachable = false;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(MAIL_CONFIG) private readonly config: MailIngestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    void this.refresh().catch(() => undefined);
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.config.CONNECTIONS_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
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

  /**
   * The connection for an id if it is an active jimdo connection. A miss always asks the orders
   * service again — after waiting out the refresh rate limit rather than skipping it — so an answer
   * of "no such connection" (550, which senders do not retry) is never based on an old list.
   */
  async find(connectionId: string): Promise<JimdoConnection | undefined> {
    const hit = this.byId.get(connectionId);
    if (hit) return hit;
    const wait = this.lastRefresh + this.config.CONNECTIONS_MISS_REFRESH_MIN_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await this.refresh().catch(() => undefined);
    return this.byId.get(connectionId);
  }

  get directoryReachable(): boolean {
    return this.reachable;
  }

  cached(connectionId: string): JimdoConnection | undefined {
    return this.byId.get(connectionId);
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    this.lastRefresh = Date.now();
    try {
      const list = await this.rpc.call<ConnectorConnection[]>(Rpc.connectionsForConnector, { type: 'jimdo' }, 5_000);
      const next = new Map<string, JimdoConnection>();
      for (const c of list) {
        if (c.type !== 'jimdo') continue;
        const settings = JimdoSettingsSchema.partial().safeParse(c.settings);
        const s = settings.success ? settings.data : {};
        if (s.active === false) continue;
        next.set(c.id, { id: c.id, accountId: c.accountId, forwardTo: s.forwardTo, importOrders: s.importOrders !== false, active: true });
      }
      this.byId = next;
      this.reachable = true;
    } catch (err) {
      this.reachable = false;
      // Keep the last known list: the orders service being down must not turn every mail into a 550.
      this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not refresh jimdo connections');
      throw err;
    }
  }
}
