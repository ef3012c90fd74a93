import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from '@nats-io/nats-core';
import { MailParkedNoticeSchema, Notices } from '@orderhub/contracts';
import { LOGGER, NatsClient } from '@orderhub/platform';
import type { Logger } from 'pino';
import { Observable, type Subscriber } from 'rxjs';

/** What a browser learns of an order event or a parked mail: enough to refetch, nothing more (no contents). */
export interface LiveFeedEvent {
  type: string;
  orderId?: string;
  connectionId?: string;
  mailId?: string;
  occurredAt?: string;
}

const ORDER_EVENTS = 'order.>';

/**
 * The order events of one account as they are published (core-NATS subscription on the ORDERS
 * stream's subjects: no consumer state, nothing replayed; the app refetches what it shows), and
 * mail-ingest's notices of parked mails. One subscription each for all browsers, opened with the
 * first and closed with the last.
 */
@Injectable()
export class LiveFeed implements OnModuleDestroy {
  private readonly listeners = new Map<string, Set<Subscriber<LiveFeedEvent>>>();
  private subscriptions: Subscription[] = [];

  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  forAccount(accountId: string): Observable<LiveFeedEvent> {
    return new Observable<LiveFeedEvent>((subscriber) => {
      const set = this.listeners.get(accountId) ?? new Set();
      set.add(subscriber);
      this.listeners.set(accountId, set);
      this.open();
      return () => {
        set.delete(subscriber);
        if (set.size === 0) this.listeners.delete(accountId);
        if (this.listeners.size === 0) this.close();
      };
    });
  }

  onModuleDestroy(): void {
    this.close();
  }

  private open(): void {
    if (this.subscriptions.length) return;
    const listen = (subscription: Subscription, handle: (data: Uint8Array) => void) => {
      this.subscriptions.push(subscription);
      void (async () => {
        for await (const msg of subscription) handle(msg.data);
      })().catch((err: unknown) => this.logger.warn({ err, subject: subscription.getSubject() }, 'live feed subscription ended'));
    };
    listen(this.nats.nc.subscribe(this.nats.names.subject(ORDER_EVENTS)), (data) => this.dispatch(data));
    listen(this.nats.nc.subscribe(this.nats.names.subject(Notices.mailParked)), (data) => this.dispatchMailParked(data));
  }

  private close(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
  }

  private send(accountId: string, event: LiveFeedEvent): void {
    for (const listener of this.listeners.get(accountId) ?? []) listener.next(event);
  }

  private dispatchMailParked(data: Uint8Array): void {
    const notice = MailParkedNoticeSchema.safeParse(parseJson(data));
    if (notice.success) this.send(notice.data.accountId, { type: Notices.mailParked, mailId: notice.data.mailId });
  }

  private dispatch(data: Uint8Array): void {
    const envelope = parseJson(data) as
      { type?: unknown; accountId?: unknown; occurredAt?: unknown; data?: { orderId?: unknown; connectionId?: unknown } } | undefined;
    if (typeof envelope?.accountId !== 'string' || typeof envelope.type !== 'string') return;
    this.send(envelope.accountId, {
      type: envelope.type,
      ...(typeof envelope.data?.orderId === 'string' ? { orderId: envelope.data.orderId } : {}),
      ...(typeof envelope.data?.connectionId === 'string' ? { connectionId: envelope.data.connectionId } : {}),
      ...(typeof envelope.occurredAt === 'string' ? { occurredAt: envelope.occurredAt } : {}),
    });
  }
}

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data)) as unknown;
  } catch {
    return undefined;
  }
}
