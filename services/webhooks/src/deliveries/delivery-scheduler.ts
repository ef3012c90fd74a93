import { Inject, Injectable } from '@nestjs/common';
import { billbeeIdFor, toBillbeeDate, webhookActionFor } from '@orderhub/contracts';
import type { DeliveryDoc } from '../store/webhooks-database';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { WebhookMetrics } from '../webhook-metrics';
import { DeliveryRepository, deliveryIdFor } from './delivery.repository';
import { DeliveryWorker } from './delivery-worker';

/** The part of an order event a notification needs. */
export interface OrderEventForWebhooks {
  eventId: string;
  type: string;
  occurredAt: string;
  accountId: string;
  data: {
    orderId?: string;
    connectionId?: string;
    externalId?: string;
    previousState?: number;
    state?: number;
    order?: { id: string; externalId: string; orderNumber?: string; state: number; connectionId: string };
  };
}

/** Turns an order event into one stored delivery per subscription of the account that wants it. */
@Injectable()
export class DeliveryScheduler {
  constructor(
    @Inject(SubscriptionsService) private readonly subscriptions: SubscriptionsService,
    @Inject(DeliveryRepository) private readonly deliveries: DeliveryRepository,
    @Inject(DeliveryWorker) private readonly worker: DeliveryWorker,
    @Inject(WebhookMetrics) private readonly metrics: WebhookMetrics,
  ) {}

  /** Stores the deliveries before the event is acknowledged; a redelivered event stores nothing new. */
  async schedule(event: OrderEventForWebhooks): Promise<void> {
    const action = webhookActionFor(event.type);
    const order = event.data.order;
    if (!action || !order) return;
    const subscribers = await this.subscriptions.forAction(event.accountId, action);
    const notification = {
      Action: action,
      BillBeeOrderId: billbeeIdFor('order', order.id),
      OrderId: order.id,
      Id: order.externalId,
      OrderNumber: order.orderNumber ?? order.externalId,
      State: order.state,
      ...(event.data.previousState !== undefined ? { PreviousState: event.data.previousState } : {}),
      ShopId: billbeeIdFor('connection', order.connectionId),
      EventId: event.eventId,
      OccurredAt: toBillbeeDate(event.occurredAt),
    };
    const created: DeliveryDoc[] = [];
    const now = new Date();
    for (const subscription of subscribers) {
      const doc: DeliveryDoc = {
        _id: deliveryIdFor(event.eventId, subscription._id),
        accountId: event.accountId,
        subscriptionId: subscription._id,
        eventId: event.eventId,
        action,
        orderId: order.id,
        notificationJson: JSON.stringify(notification),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      };
      if (await this.deliveries.insertIfNew(doc)) {
        created.push(doc);
        this.metrics.scheduled.inc({ action });
      }
    }
    this.worker.kick(created);
  }
}
