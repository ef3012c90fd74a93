import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { type BillbeeWebhookDelivery, signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '@orderhub/contracts';
import { HttpStatusError, LOGGER, OutboundHttp } from '@orderhub/platform';
import { WEBHOOKS_CONFIG, type WebhooksConfig } from '../config';
import type { DeliveryDoc, SubscriptionDoc } from '../store/webhooks-database';
import { AccountSubscriptions } from '../subscriptions/account-subscriptions';
import { SubscriptionRepository } from '../subscriptions/subscription.repository';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { WebhookMetrics } from '../webhook-metrics';
import { DeliveryRepository } from './delivery.repository';
import { failingTooLong, retryDelayMs } from './retry-policy';

type Outcome = { ok: true; status: number } | { ok: false; status?: number; error: string; gone?: boolean; notTried?: boolean };

/**
 * Sends deliveries: new ones at once (`kick`), due retries from the store every WEBHOOK_POLL_MS. A
 * delivery is claimed with a lease (a guarded write) before it is sent, so replicas do not send it
 * twice; a replica killed mid-send leaves the lease to run out and another sends again (at least once).
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopping = false;
  private polling = false;

  constructor(
    @Inject(DeliveryRepository) private readonly deliveries: DeliveryRepository,
    @Inject(SubscriptionRepository) private readonly subscriptionRepo: SubscriptionRepository,
    @Inject(SubscriptionsService) private readonly subscriptions: SubscriptionsService,
    @Inject(OutboundHttp) private readonly http: OutboundHttp,
    @Inject(WebhookMetrics) private readonly metrics: WebhookMetrics,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(AccountSubscriptions) private readonly byAccount: AccountSubscriptions,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.poll(), this.config.WEBHOOK_POLL_MS);
    void this.poll();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await Promise.allSettled(this.inFlight.values());
  }

  /** Try these deliveries now (they were just stored); the poll catches any this replica cannot take. */
  kick(docs: DeliveryDoc[]): void {
    for (const doc of docs) this.start(doc);
  }

  private async poll(): Promise<void> {
    if (this.polling || this.stopping) return;
    this.polling = true;
    try {
      const free = this.config.WEBHOOK_CONCURRENCY - this.inFlight.size;
      if (free <= 0) return;
      const now = new Date();
      const due = await this.deliveries.due(now, free * 2);
      for (const doc of due) {
        if (this.inFlight.size >= this.config.WEBHOOK_CONCURRENCY) break;
        if (doc.leaseUntil && doc.leaseUntil > now) continue;
        this.start(doc);
      }
    } catch (err) {
      this.log.warn({ err }, 'webhook delivery poll failed');
    } finally {
      this.polling = false;
    }
  }

  private start(doc: DeliveryDoc): void {
    if (this.stopping || this.inFlight.has(doc._id)) return;
    const work = this.attempt(doc)
      .catch((err: unknown) => this.log.warn({ err, deliveryId: doc._id }, 'webhook delivery attempt failed to complete'))
      .finally(() => this.inFlight.delete(doc._id));
    this.inFlight.set(doc._id, work);
  }

  private async attempt(doc: DeliveryDoc): Promise<void> {
    const now = new Date();
    const claimed = await this.deliveries.update(doc, { leaseUntil: new Date(now.getTime() + this.config.WEBHOOK_LEASE_MS) });
    if (!claimed) return; // another replica has it
    const subscription = await this.subscriptionRepo.byId(doc.subscriptionId);
    if (!subscription || subscription.disabledAt) {
      const reason = subscription ? `subscription disabled: ${subscription.disabledReason ?? ''}` : 'subscription deleted';
      await this.deliveries.update(claimed, { status: 'abandoned', lastError: reason }, ['leaseUntil']);
      this.metrics.deliveries.inc({ outcome: 'abandoned' });
      return;
    }
    if (subscription.paused) {
      await this.deliveries.update(claimed, { nextAttemptAt: new Date(now.getTime() + this.config.WEBHOOK_RETRY_BASE_MS) }, ['leaseUntil']);
      return;
    }
    const attempt = claimed.attempts + 1;
    const outcome = await this.send(subscription, claimed, attempt);
    const done = new Date();
    if (outcome.ok) {
      await this.deliveries.update(
        claimed,
        { status: 'delivered', attempts: attempt, lastAttemptAt: done, lastStatus: outcome.status, deliveredAt: done },
        ['leaseUntil', 'lastError'],
      );
      if (subscription.failingSince) await this.subscriptionRepo.set(subscription._id, {}, ['failingSince']);
      this.metrics.deliveries.inc({ outcome: 'delivered' });
      this.metrics.attempts.observe(attempt);
      return;
    }
    await this.recordFailure(subscription, claimed, attempt, outcome, done);
  }

  private async recordFailure(
    subscription: SubscriptionDoc,
    doc: DeliveryDoc,
    attempt: number,
    outcome: Extract<Outcome, { ok: false }>,
    now: Date,
  ): Promise<void> {
    const attempts = outcome.notTried ? doc.attempts : attempt;
    const failingSince = subscription.failingSince ?? now;
    const last = {
      attempts,
      ...(outcome.notTried ? {} : { lastAttemptAt: now }),
      ...(outcome.status !== undefined ? { lastStatus: outcome.status } : {}),
      lastError: outcome.error.slice(0, 500),
    };
    if (failingTooLong(failingSince, now, this.config.WEBHOOK_DISABLE_AFTER_MS)) {
      const reason = `failing since ${failingSince.toISOString()} (last: ${outcome.error.slice(0, 200)})`;
      await this.subscriptionRepo.set(subscription._id, { disabledAt: now, disabledReason: reason });
      this.byAccount.changed(subscription.accountId);
      await this.deliveries.update(doc, { ...last, status: 'abandoned' }, ['leaseUntil']);
      this.metrics.deliveries.inc({ outcome: 'abandoned' });
      this.log.warn(
        { subscriptionId: subscription._id, accountId: subscription.accountId },
        'webhook subscription disabled: failing for too long',
      );
      return;
    }
    if (!subscription.failingSince) await this.subscriptionRepo.set(subscription._id, { failingSince: now });
    if (outcome.gone) {
      // 410 Gone: the receiver says this will never be accepted (ASP.NET WebHooks stops too).
      await this.deliveries.update(doc, { ...last, status: 'failed' }, ['leaseUntil']);
      this.metrics.deliveries.inc({ outcome: 'failed' });
      return;
    }
    const delay = retryDelayMs(Math.max(1, attempts), this.config.WEBHOOK_RETRY_BASE_MS, this.config.WEBHOOK_RETRY_MAX_MS);
    await this.deliveries.update(doc, { ...last, nextAttemptAt: new Date(now.getTime() + delay) }, ['leaseUntil']);
    this.metrics.deliveries.inc({ outcome: outcome.notTried ? 'postponed' : 'retry' });
  }

  private async send(subscription: SubscriptionDoc, doc: DeliveryDoc, attempt: number): Promise<Outcome> {
    const body: BillbeeWebhookDelivery = {
      Id: doc._id,
      Attempt: attempt,
      Properties: JSON.parse(subscription.propertiesJson) as Record<string, unknown>,
      Notifications: [JSON.parse(doc.notificationJson) as BillbeeWebhookDelivery['Notifications'][number]],
    };
    const text = JSON.stringify(body);
    try {
      const res = await this.http.request(`webhook:${subscription._id}`, {
        endpoint: 'POST webhook',
        url: subscription.uri,
        timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
        init: {
          method: 'POST',
          headers: {
            ...subscription.headers,
            'content-type': 'application/json; charset=utf-8',
            [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(text, this.subscriptions.secretOf(subscription)),
            'x-orderhub-delivery-id': doc._id,
          },
          body: text,
        },
      });
      return { ok: true, status: res.status };
    } catch (err) {
      if (err instanceof HttpStatusError) return { ok: false, status: err.status, error: err.message, gone: err.status === 410 };
      // The subscriber's breaker is open: nothing was sent, so it does not count as an attempt.
      const notTried = (err as { code?: string }).code === 'EOPENBREAKER';
      return { ok: false, error: err instanceof Error ? err.message : String(err), notTried };
    }
  }
}
