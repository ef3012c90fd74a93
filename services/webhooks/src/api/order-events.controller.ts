import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { DeliveryScheduler, type OrderEventForWebhooks } from '../deliveries/delivery-scheduler';

/** Only what a notification reads; the events' own schemas stay with their publisher. */
const OrderEventSchema = z.object({
  eventId: z.string().min(1),
  type: z.string(),
  occurredAt: z.string(),
  accountId: z.string().min(1),
  data: z.looseObject({
    previousState: z.number().optional(),
    resend: z.boolean().optional(),
    order: z
      .looseObject({
        id: z.string(),
        externalId: z.string(),
        orderNumber: z.string().optional(),
        state: z.number(),
        connectionId: z.string(),
      })
      .optional(),
  }),
});

/**
 * One durable consumer of every order event (its own, so the webhooks service scales and falls
 * behind independently of the connectors). Retried with backoff while the database is away.
 */
@Controller()
export class OrderEventsController {
  constructor(@Inject(DeliveryScheduler) private readonly scheduler: DeliveryScheduler) {}

  @EventPattern('order.>', {
    durable: 'webhooks_order_events',
    schema: OrderEventSchema,
    concurrency: 4,
    maxDeliver: 100,
    backoffMs: [500, 1_000, 2_000, 5_000, 10_000, 30_000],
    ackWaitSeconds: 60,
  })
  async onOrderEvent(@Payload() event: OrderEventForWebhooks & { data: { resend?: boolean } }): Promise<void> {
    // A resent write-back is for the channels; subscribers were told when it happened.
    if (event.data.resend) return;
    await this.scheduler.schedule(event);
  }
}
