import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Notices, WebhooksChangedNoticeSchema } from '@orderhub/contracts';
import { NatsClient, onNotice } from '@orderhub/platform';
import { WEBHOOKS_CONFIG, type WebhooksConfig } from '../config';
import type { SubscriptionDoc } from '../store/webhooks-database';
import { SubscriptionRepository } from './subscription.repository';

/** Accounts kept at most; past it, expired copies are dropped. */
const MAX_ACCOUNTS = 10_000;

/**
 * Each account's subscriptions in memory: every order event asks who subscribed to it, and reading
 * them per event was 1.05 database commands per imported order in e2e and ~5 per write-back.
 * A replica that changes an account's subscriptions forgets its copy and tells the others
 * (`Notices.webhooksChanged`, no queue group: every replica hears it), so a change counts at once
 * everywhere; `WEBHOOK_SUBSCRIPTIONS_CACHE_MS` bounds a copy whose notice was lost. A delivery
 * reads its subscription again before it is sent (paused, disabled, deleted), so a stale copy can
 * only delay a new subscription's first events, never send to one that is gone.
 */
@Injectable()
export class AccountSubscriptions implements OnModuleInit, OnModuleDestroy {
  private readonly copies = new Map<string, { readAt: number; subscriptions: Promise<SubscriptionDoc[]> }>();
  private notices?: { unsubscribe(): void };

  constructor(
    @Inject(SubscriptionRepository) private readonly repo: SubscriptionRepository,
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {}

  onModuleInit(): void {
    this.notices = onNotice(this.nats, Notices.webhooksChanged, WebhooksChangedNoticeSchema, (n) => this.copies.delete(n.accountId));
  }

  onModuleDestroy(): void {
    this.notices?.unsubscribe();
  }

  of(accountId: string): Promise<SubscriptionDoc[]> {
    const now = Date.now();
    const copy = this.copies.get(accountId);
    if (copy && now - copy.readAt < this.config.WEBHOOK_SUBSCRIPTIONS_CACHE_MS) return copy.subscriptions;
    if (this.copies.size >= MAX_ACCOUNTS) this.dropExpired(now);
    const subscriptions = this.repo.list(accountId);
    // a read that fails is not kept; one a change overtook was deleted from the map meanwhile
    subscriptions.catch(() => this.copies.get(accountId)?.subscriptions === subscriptions && this.copies.delete(accountId));
    if (this.config.WEBHOOK_SUBSCRIPTIONS_CACHE_MS > 0) this.copies.set(accountId, { readAt: now, subscriptions });
    return subscriptions;
  }

  /** After this replica wrote a change of the account's subscriptions. */
  changed(accountId: string): void {
    this.copies.delete(accountId);
    try {
      this.nats.nc.publish(this.nats.names.subject(Notices.webhooksChanged), JSON.stringify({ accountId }));
    } catch {
      // NATS is closed: the change is stored, and the other replicas' copies expire by themselves
    }
  }

  private dropExpired(now: number): void {
    for (const [accountId, copy] of this.copies) {
      if (now - copy.readAt >= this.config.WEBHOOK_SUBSCRIPTIONS_CACHE_MS) this.copies.delete(accountId);
    }
  }
}
