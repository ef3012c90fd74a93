import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OrderCancelledEvent, OrderShippedEvent, type OrderCancelled, type OrderShipped, Subjects } from '@orderhub/contracts';
import { writeBackHandler } from '@orderhub/connector-kit';
import { JetStreamContext } from '@orderhub/platform';
import { WriteBackService } from '../write-back/write-back.service';

/** Hub facts that OTTO must learn (HUB-3). The durables keep their first names (a renamed durable replays the stream). */
@Controller()
export class WriteBackController {
  constructor(@Inject(WriteBackService) private readonly writeBack: WriteBackService) {}

  @EventPattern(Subjects.orderShipped, writeBackHandler('channel-otto-shipped', OrderShippedEvent))
  async onShipped(@Payload() event: OrderShipped, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.writeBack.shipped(event, ctx);
  }

  @EventPattern(Subjects.orderCancelled, writeBackHandler('channel-otto-cancelled', OrderCancelledEvent))
  async onCancelled(@Payload() event: OrderCancelled, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.writeBack.cancelled(event, ctx);
  }
}
