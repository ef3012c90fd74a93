import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from '@nats-io/nats-core';
import { LOGGER, NatsClient } from '@orderhub/platform';
import type { Logger } from 'pino';
import { Observable, type Subscriber } from 'rxjs';

/** What a browser learns of an order event: enough to refetch, nothing more (no order contents). */
export interface OrderFeedEvent {
  type: string;
  orderId?: string;
  connectionId?: string;
  occurredAt?: string;
}

const ORDER_EVENTS = 'order.>';

/**
 * The order events of one account as they are published (core-NATS subscription on the ORDERS
 * stream's subjects: no consumer state, nothing replayed; the app refetches what it shows). One
 * subscription for all browsers, opened with the first and closed with the last.
 */
@Injectable()
export class OrderFeed implements OnModuleDestroy {
  private readonly listeners = new Map<string, Set<Subscriber<OrderFeedEvent>>>();
  private subscription?: Subscription;

  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  forAccount(accountId: string): Observable<OrderFeedEvent> {
    return new Observable<OrderFeedEvent>((subscriber) => {
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
    if (this.subscription) return;
    const subscription = this.nats.nc.subscribe(this.nats.names.subject(ORDER_EVENTS));
    this.subscription = subscription;
    void (async () => {
      for await (const msg of subscription) this.dispatch(msg.data);
    })().catch((err: unknown) => this.logger.warn({ err }, 'order feed subscription ended'));
  }

  private close(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  private dispatch(data: Uint8Array): void {
    let envelope: { type?: unknown; accountId?: unknown; occurredAt?: unknown; data?: { orderId?: unknown; connectionId?: unknown } };
    try {
      envelope = JSON.parse(new TextDecoder().decode(data)) as typeof envelope;
    } catch {
      return;
    }
    const listeners = typeof envelope.accountId === 'string' ? this.listeners.get(envelope.accountId) : undefined;
    if (!listeners || typeof envelope.type !== 'string') return;
    const event: OrderFeedEvent = {
      type: envelope.type,
      ...(typeof envelope.data?.orderId === 'string' ? { orderId: envelope.data.orderId } : {}),
      ...(typeof envelope.data?.connectionId === 'string' ? { connectionId: envelope.data.connectionId } : {}),
      ...(typeof envelope.occurredAt === 'string' ? { occurredAt: envelope.occurredAt } : {}),
    };
    for (const listener of listeners) listener.next(event);
  }
}
