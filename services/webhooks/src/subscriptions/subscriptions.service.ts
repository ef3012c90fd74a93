import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ProblemError,
  subscriptionWants,
  WEBHOOK_FILTER_NAMES,
  WEBHOOK_WILDCARD_FILTER,
  type WebhookSubscription,
  type WebhookSubscriptionInput,
  type WebhookRpcRequestOf,
} from '@orderhub/contracts';
import { OutboundHttp, SecretBox } from '@orderhub/platform';
import { WEBHOOKS_CONFIG, type WebhooksConfig } from '../config';
import type { SubscriptionDoc } from '../store/webhooks-database';
import { AccountSubscriptions } from './account-subscriptions';
import { SubscriptionRepository, toSubscriptionView } from './subscription.repository';

/** The subscription operations both HTTP faces (native, Billbee) use over RPC. */
@Injectable()
export class SubscriptionsService {
  private readonly secrets: SecretBox;

  constructor(
    @Inject(SubscriptionRepository) private readonly repo: SubscriptionRepository,
    @Inject(OutboundHttp) private readonly http: OutboundHttp,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    @Inject(AccountSubscriptions) private readonly byAccount: AccountSubscriptions,
  ) {
    this.secrets = SecretBox.fromEnv(config.SECRETS_KEYS, config.SECRETS_ACTIVE_KEY);
  }

  async list(accountId: string): Promise<WebhookSubscription[]> {
    return (await this.repo.list(accountId)).map(toSubscriptionView);
  }

  async get(accountId: string, id: string): Promise<WebhookSubscription> {
    return toSubscriptionView(await this.require(accountId, id));
  }

  async create({ accountId, body }: WebhookRpcRequestOf<'create'>): Promise<WebhookSubscription> {
    const filters = checkFilters(body.filters);
    await this.echoTest(body);
    const now = new Date();
    const doc: SubscriptionDoc = {
      _id: `whs_${randomUUID()}`,
      accountId,
      uri: body.uri,
      encryptedSecret: this.secrets.encrypt(body.secret),
      ...(body.description !== undefined ? { description: body.description } : {}),
      paused: body.paused,
      filters,
      headers: body.headers,
      propertiesJson: JSON.stringify(body.properties),
      createdAt: now,
      updatedAt: now,
    };
    await this.repo.insert(doc);
    this.byAccount.changed(accountId);
    return toSubscriptionView(doc);
  }

  /** A full replacement of the settings; re-enables a disabled subscription (the subscriber was fixed). */
  async update({ accountId, body }: WebhookRpcRequestOf<'update'>): Promise<WebhookSubscription> {
    const current = await this.require(accountId, body.subscriptionId);
    const filters = checkFilters(body.filters);
    if (body.uri !== current.uri) await this.echoTest(body);
    const fields: Partial<SubscriptionDoc> = {
      uri: body.uri,
      paused: body.paused,
      filters,
      headers: body.headers,
      propertiesJson: JSON.stringify(body.properties),
      updatedAt: new Date(),
      ...(body.secret ? { encryptedSecret: this.secrets.encrypt(body.secret) } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
    };
    await this.repo.set(current._id, fields, ['disabledAt', 'disabledReason', 'failingSince']);
    this.byAccount.changed(accountId);
    return this.get(accountId, current._id);
  }

  async delete(accountId: string, id: string): Promise<void> {
    await this.repo.delete((await this.require(accountId, id))._id);
    this.byAccount.changed(accountId);
  }

  async deleteAll(accountId: string): Promise<{ deleted: number }> {
    const all = await this.repo.list(accountId);
    for (const s of all) await this.repo.delete(s._id);
    this.byAccount.changed(accountId);
    return { deleted: all.length };
  }

  /** Active subscriptions of the account that chose this action. */
  async forAction(accountId: string, action: string): Promise<SubscriptionDoc[]> {
    return (await this.byAccount.of(accountId)).filter((s) => !s.paused && !s.disabledAt && subscriptionWants(s.filters, action));
  }

  secretOf(doc: SubscriptionDoc): string {
    return this.secrets.decrypt<string>(doc.encryptedSecret);
  }

  private async require(accountId: string, id: string): Promise<SubscriptionDoc> {
    const doc = await this.repo.get(accountId, id);
    if (!doc) throw ProblemError.notFound('webhook');
    return doc;
  }

  /**
   * ASP.NET WebHooks (which Billbee's registration follows): `GET <uri>?echo=<random>` must answer 2xx
   * with the value, unless the URI carries `noecho` or the caller asked to skip it.
   */
  private async echoTest(body: Pick<WebhookSubscriptionInput, 'uri' | 'headers' | 'noEcho'>): Promise<void> {
    const url = new URL(body.uri);
    if (body.noEcho || url.searchParams.has('noecho')) return;
    const echo = randomBytes(16).toString('hex');
    url.searchParams.set('echo', echo);
    let answer = '';
    try {
      answer = (
        await this.http.request(`webhook-echo:${url.host}`, {
          endpoint: 'GET webhook echo',
          url: url.toString(),
          init: { headers: body.headers },
          timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
        })
      ).text;
    } catch (err) {
      throw ProblemError.validation([{ path: 'uri', message: `echo test failed: ${err instanceof Error ? err.message : String(err)}` }]);
    }
    if (!answer.includes(echo))
      throw ProblemError.validation([{ path: 'uri', message: 'echo test failed: the answer did not contain the echo value' }]);
  }
}

function checkFilters(filters: string[]): string[] {
  const unknown = filters.filter((f) => f !== WEBHOOK_WILDCARD_FILTER && !WEBHOOK_FILTER_NAMES.includes(f.toLowerCase()));
  if (unknown.length) {
    throw ProblemError.validation([{ path: 'filters', message: `unknown filter ${unknown.join(', ')}; see GET /webhooks/filters` }]);
  }
  return filters.map((f) => f.toLowerCase());
}
