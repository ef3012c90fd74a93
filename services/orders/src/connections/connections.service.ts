import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import {
  capabilitiesOf,
  CONNECTION_URL_SETTINGS,
  ConnectionSecretsByType,
  ConnectionSettingsByType,
  type ConnectionTestResult,
  type ConnectionView,
  type ConnectorConnection,
  type ConnectionType,
  ProblemError,
  type ConnectionsForConnectorRequestSchema,
  type ConnectionChangedNotice,
  Notices,
  type RpcRequestOf,
} from '@orderhub/contracts';
import { enrichContext, NatsClient, SecretBox } from '@orderhub/platform';
import { ORDERS_CONFIG, type OrdersConfig } from '../config';
import type { ConnectionPolicy } from '../domain/channel-rules';
import { ConnectionCheck } from './connection-check';
import { connectionUrlRefusal, parseAllowedHosts } from './connection-url-policy';
import { type ConnectionDoc, ConnectionRepository } from './connection.repository';

/** How long a connection's owner and settings are used without reading them again (changes on other replicas). */
const POLICY_TRUST_MS = 30_000;

/** CONN-1..4: connections per account, settings validated per type, secrets write-only and encrypted. */
@Injectable()
export class ConnectionsService {
  constructor(
    @Inject(ConnectionRepository) private readonly connections: ConnectionRepository,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(ORDERS_CONFIG) private readonly config: OrdersConfig,
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(ConnectionCheck) private readonly check: ConnectionCheck,
  ) {
    this.allowedHosts = parseAllowedHosts(config.CONNECTION_URL_ALLOW_HOSTS);
  }

  private readonly allowedHosts: ReadonlySet<string>;

  /** The stored settings with the request's changes, valid for the connection's type and its URL rule. */
  private changedSettings(doc: ConnectionDoc, changes: Record<string, unknown> | undefined): Record<string, unknown> {
    const parsed = ConnectionSettingsByType[doc.type].safeParse({ ...doc.settings, ...(changes ?? {}) });
    if (!parsed.success) {
      throw ProblemError.validation(parsed.error.issues.map((i) => ({ path: ['settings', ...i.path].join('.'), message: i.message })));
    }
    const settings = parsed.data as Record<string, unknown>;
    this.assertUrlsAllowed(doc.type, settings);
    return settings;
  }

  async create({ accountId, body }: RpcRequestOf<'connectionsCreate'>): Promise<ConnectionView> {
    this.assertUrlsAllowed(body.type, body.settings);
    if (body.verify) await this.check.verify(body.type, body.settings, body.secrets);
    const now = new Date().toISOString();
    const doc: ConnectionDoc = {
      _id: randomUUID(),
      accountId,
      type: body.type,
      settings: JSON.parse(JSON.stringify(body.settings)) as Record<string, unknown>,
      encryptedSecrets: this.secrets.encrypt(body.secrets),
      secretsSet: setKeys(body.secrets),
      createdAt: now,
      updatedAt: now,
    };
    enrichContext({ connectionId: doc._id });
    await this.connections.insertOne(accountId, doc);
    this.announce({ connectionId: doc._id, accountId, type: doc.type, change: 'created' });
    return this.view(doc);
  }

  async update({ accountId, body }: RpcRequestOf<'connectionsUpdate'>): Promise<ConnectionView> {
    const doc = await this.load(accountId, body.connectionId);
    const settings = this.changedSettings(doc, body.settings);
    const $set: Partial<ConnectionDoc> = {
      settings: JSON.parse(JSON.stringify(settings)) as Record<string, unknown>,
      updatedAt: new Date().toISOString(),
    };
    if (body.secrets && Object.keys(body.secrets).length) {
      const current = this.secrets.decrypt<Record<string, unknown>>(doc.encryptedSecrets);
      const merged = ConnectionSecretsByType[doc.type].parse({ ...current, ...body.secrets }) as Record<string, unknown>;
      $set.encryptedSecrets = this.secrets.encrypt(merged);
      $set.secretsSet = setKeys(merged);
    }
    if (body.verify && (body.secrets || changesWhatTheCheckReads(doc.settings, settings))) {
      await this.check.verify(
        doc.type,
        settings,
        this.secrets.decrypt<Record<string, unknown>>($set.encryptedSecrets ?? doc.encryptedSecrets),
      );
    }
    await this.connections.updateOne(accountId, { _id: doc._id }, { $set });
    this.policies.delete(doc._id);
    this.announce({ connectionId: doc._id, accountId, type: doc.type, change: 'updated' });
    return this.view({ ...doc, ...$set });
  }

  /** "Test connection" for a form not saved yet: the same URL rule and check as saving, nothing stored. */
  async testDraft({ body }: RpcRequestOf<'connectionsTestDraft'>): Promise<ConnectionTestResult> {
    this.assertUrlsAllowed(body.type, body.settings);
    return testResult(body.type, await this.check.verify(body.type, body.settings, body.secrets));
  }

  /** "Test connection" of a saved one, with the form's unsaved changes over the stored settings and secrets. */
  async test({ accountId, body }: RpcRequestOf<'connectionsTest'>): Promise<ConnectionTestResult> {
    const doc = await this.load(accountId, body.connectionId);
    const settings = this.changedSettings(doc, body.settings);
    const secrets = { ...this.secrets.decrypt<Record<string, unknown>>(doc.encryptedSecrets), ...(body.secrets ?? {}) };
    return testResult(doc.type, await this.check.verify(doc.type, settings, secrets));
  }

  async get(accountId: string, connectionId: string): Promise<ConnectionView> {
    return this.view(await this.load(accountId, connectionId));
  }

  async list(accountId: string, type?: ConnectionType): Promise<ConnectionView[]> {
    const docs = await this.connections.find(accountId, type ? { type } : {}, { sort: { createdAt: 1, _id: 1 } }).toArray();
    return docs.map((d) => this.view(d));
  }

  async delete(accountId: string, connectionId: string): Promise<{ deleted: true }> {
    enrichContext({ connectionId });
    this.policies.delete(connectionId);
    const doc = await this.load(accountId, connectionId);
    if (!(await this.connections.deleteOne(accountId, { _id: connectionId }))) throw ProblemError.notFound('connection');
    this.announce({ connectionId, accountId, type: doc.type, change: 'deleted' });
    return { deleted: true };
  }

  async forConnector(req: z.infer<typeof ConnectionsForConnectorRequestSchema>): Promise<ConnectorConnection[]> {
    const docs = await this.connections.activeOfType(req.type, req.accountIds, req.connectionIds);
    return docs.map((d) => ({ ...this.view(d), encryptedSecrets: d.encryptedSecrets }));
  }

  /**
   * For imports and channel rules: the connection's type and settings if it exists and belongs to the
   * account (HUB-16), else undefined. Remembered per process for `POLICY_TRUST_MS` (every imported
   * order asks); this process's own changes replace it at once.
   */
  async policy(accountId: string, connectionId: string): Promise<ConnectionPolicy | undefined> {
    const known = this.policies.get(connectionId);
    if (known && Date.now() - known.at < POLICY_TRUST_MS) return known.accountId === accountId ? known.policy : undefined;
    const doc = await this.connections.findOne(accountId, { _id: connectionId }, { projection: { type: 1, settings: 1 } });
    if (!doc) return undefined;
    const policy = { type: doc.type, settings: doc.settings };
    if (this.policies.size >= 10_000) this.policies.delete(this.policies.keys().next().value as string);
    this.policies.set(connectionId, { accountId, policy, at: Date.now() });
    return policy;
  }

  private readonly policies = new Map<string, { accountId: string; policy: ConnectionPolicy; at: number }>();

  /** Connectors cache connections; this tells every replica to reload (they also refresh on a slow timer). */
  private announce(notice: ConnectionChangedNotice): void {
    this.nats.nc.publish(this.nats.names.subject(Notices.connectionChanged), JSON.stringify(notice));
  }

  /** Issue 16: connectors send the merchant's credentials to these URLs. */
  private assertUrlsAllowed(type: ConnectionType, settings: Record<string, unknown>): void {
    const errors = CONNECTION_URL_SETTINGS[type].flatMap((field) => {
      const value = settings[field];
      const refusal = typeof value === 'string' ? connectionUrlRefusal(value, this.allowedHosts) : undefined;
      return refusal ? [{ path: `settings.${field}`, message: refusal }] : [];
    });
    if (errors.length) throw ProblemError.validation(errors, 'The connection URL is not accepted');
  }

  private async load(accountId: string, connectionId: string): Promise<ConnectionDoc> {
    enrichContext({ connectionId });
    const doc = await this.connections.findOne(accountId, { _id: connectionId });
    if (!doc) throw ProblemError.notFound('connection');
    return doc;
  }

  private view(doc: ConnectionDoc): ConnectionView {
    const settings: Record<string, unknown> = { ...doc.settings };
    // JIM-2: the connection id makes the inbound address merchants forward Jimdo mails to.
    if (doc.type === 'jimdo') settings.inboundAddress = `${doc._id}-jimdo-orderimport@${this.config.INBOUND_MAIL_DOMAIN}`;
    return {
      id: doc._id,
      accountId: doc.accountId,
      type: doc.type,
      settings,
      secretsSet: doc.secretsSet,
      capabilities: [...capabilitiesOf(doc.type)],
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
    };
  }
}

function setKeys(secrets: Record<string, unknown>): string[] {
  return Object.entries(secrets)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k]) => k)
    .sort();
}

/** Settings every connection has (CONN-4): changing only these needs no new connection check. */
const CHECK_FREE_SETTINGS = new Set(['name', 'syncDirection', 'importOrders', 'active', 'pollIntervalSeconds']);

function changesWhatTheCheckReads(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  return Object.keys({ ...before, ...after }).some(
    (key) => !CHECK_FREE_SETTINGS.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

function testResult(type: ConnectionType, checked: boolean): ConnectionTestResult {
  return {
    type,
    checked,
    detail: checked
      ? `The ${type} connector reached the channel with these settings and credentials.`
      : `A ${type} connection has no check before it runs; its health shows the first poll's outcome.`,
  };
}
