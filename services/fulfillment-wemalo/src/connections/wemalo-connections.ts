import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type ActiveConnection, ConnectionDirectory } from '@orderhub/connector-kit';
import { WemaloSecretsSchema, WemaloSettingsSchema } from '@orderhub/contracts';
import { OutboundHttp } from '@orderhub/platform';
import type { z } from 'zod';
import { WEMALO_CONFIG, type WemaloConfig } from '../config';
import { CallBudget, WemaloClient } from '../wemalo/wemalo-client';

export type WemaloSettings = z.infer<typeof WemaloSettingsSchema>;
export type WemaloSecrets = z.infer<typeof WemaloSecretsSchema>;

export interface WemaloConnection {
  id: string;
  accountId: string;
  type: 'wemalo';
  settings: WemaloSettings;
  secrets: WemaloSecrets;
}

/** `order_received_by_<ordersTag>` (WEM-4). */
export const receivedTag = (c: WemaloConnection) => `order_received_by_${c.settings.ordersTag}`;

export const ACTOR = 'connector:wemalo';

/**
 * The wemalo connections this deployment serves, with settings parsed (defaults filled) and a
 * client per connection. The list is cached briefly: event handlers look it up for every message.
 */
@Injectable()
export class WemaloConnections {
  private cache?: { at: number; list: Promise<WemaloConnection[]> };
  private readonly budgets = new Map<string, CallBudget>();

  constructor(
    @Inject(ConnectionDirectory) private readonly directory: ConnectionDirectory,
    @Inject(OutboundHttp) private readonly http: OutboundHttp,
    @Inject(WEMALO_CONFIG) private readonly config: WemaloConfig,
  ) {}

  static parse(c: ActiveConnection): WemaloConnection {
    return {
      id: c.id,
      accountId: c.accountId,
      type: 'wemalo',
      settings: WemaloSettingsSchema.parse(c.settings),
      secrets: WemaloSecretsSchema.parse(c.secrets),
    };
  }

  async all(maxAgeMs = 5_000): Promise<WemaloConnection[]> {
    if (!this.cache || Date.now() - this.cache.at > maxAgeMs) {
      const list = this.directory.list().then((cs) => cs.map((c) => WemaloConnections.parse(c)));
      this.cache = { at: Date.now(), list };
      list.catch(() => (this.cache = undefined));
    }
    return this.cache.list;
  }

  /** Active connections of an account that send to wemalo (sync direction allows hub → wemalo). */
  async forAccount(accountId: string): Promise<WemaloConnection[]> {
    const pick = (list: WemaloConnection[]) =>
      list.filter((c) => c.accountId === accountId && c.settings.active && c.settings.syncDirection !== 'none');
    const cached = pick(await this.all());
    // A connection created a moment ago must not miss its first events: look again (at most once a second).
    return cached.length ? cached : pick(await this.all(1_000));
  }

  async byId(connectionId: string): Promise<WemaloConnection | undefined> {
    const found = (await this.all()).find((c) => c.id === connectionId);
    return found ?? (await this.all(0)).find((c) => c.id === connectionId);
  }

  client(c: WemaloConnection): WemaloClient {
    let budget = this.budgets.get(c.id);
    if (!budget) this.budgets.set(c.id, (budget = new CallBudget()));
    return new WemaloClient(this.http, { connectionId: c.id, baseUrl: c.settings.apiBaseUrl, token: c.secrets.apiToken, budget });
  }

  /** The token wemalo echoes in webhook deliveries: derived, so every replica knows it without storing it. */
  webhookToken(connectionId: string): string {
    return createHmac('sha256', `${this.config.SECRETS_ACTIVE_KEY}|${this.config.SECRETS_KEYS}`)
      .update(`wemalo-webhook|${connectionId}`)
      .digest('base64url');
  }

  checkWebhookToken(connectionId: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.webhookToken(connectionId));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** One URL per connection and event: wemalo's body does not name the event. */
  webhookUrl(connectionId: string, event: string): string | undefined {
    const base = this.config.WEMALO_WEBHOOK_BASE_URL;
    return base ? `${base.replace(/\/+$/, '')}/webhooks/wemalo/${encodeURIComponent(connectionId)}/${event}` : undefined;
  }
}
