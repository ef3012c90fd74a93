import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  ArticleStockChangedEvent,
  type ArticleStockChanged,
  OrderCancelledEvent,
  type OrderCancelled,
  OrderShippedEvent,
  type OrderShipped,
  OrderStateChangedEvent,
  type OrderStateChanged,
  Subjects,
} from '@orderhub/contracts';
import { durableName, writeBackHandler } from '@orderhub/connector-kit';
import { DEFAULT_MAX_DELIVER, JetStreamContext } from '@orderhub/platform';
import { WriteBackService } from '../write-back/write-back.service';

const SERVICE = 'channel-serverspot';

/** Hub→shop (SSP-3, CONN-4): order states through SetOrderState, stock through SetStock. */
@Controller()
export class WriteBackController {
  constructor(@Inject(WriteBackService) private readonly writeBack: WriteBackService) {}

  @EventPattern(Subjects.orderShipped, writeBackHandler(durableName(SERVICE, Subjects.orderShipped), OrderShippedEvent))
  async onShipped(@Payload() event: OrderShipped, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.writeBack.shipped(event, ctx);
  }

  @EventPattern(Subjects.orderCancelled, writeBackHandler(durableName(SERVICE, Subjects.orderCancelled), OrderCancelledEvent))
  async onCancelled(@Payload() event: OrderCancelled, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.writeBack.cancelled(event, ctx);
  }

  /** The durable keeps its first name (`order_state_changed`): a renamed durable replays the stream. */
  @EventPattern(Subjects.orderStateChanged, writeBackHandler(`${SERVICE}_order_state_changed`, OrderStateChangedEvent))
  async onStateChanged(@Payload() event: OrderStateChanged, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.writeBack.stateChanged(event, ctx);
  }

  /** SetStock sets an absolute value: repeating it is harmless, so a failure is simply retried. */
  @EventPattern(Subjects.articleStockChanged, {
    durable: `${SERVICE}_article_stock_changed`,
    schema: ArticleStockChangedEvent,
    maxDeliver: DEFAULT_MAX_DELIVER,
    backoffMs: [1_000, 3_000, 10_000, 30_000],
  })
  async onStockChanged(@Payload() event: ArticleStockChanged): Promise<void> {
    await this.writeBack.stockChanged(event);
  }
}
