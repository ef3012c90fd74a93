import { Controller, Inject, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import { OrderCancelledEvent, OrderShippedEvent, type OrderCancelled, type OrderShipped, Subjects } from '@orderhub/contracts';
import { ConnectorMetrics, OrdersInbox } from '@orderhub/connector-kit';
import { JetStreamContext, LOGGER } from '@orderhub/platform';
import { ApiClientModule } from '../api-client/api-client.module';
import { OttoApiClient } from '../api-client/otto-api-client';
import { OTTO_CONFIG, type OttoConfig } from '../config';
import { ConnectionRegistry } from '../connections/connection-registry';
import { ConnectionsModule } from '../connections/connections.module';
import { WriteBackService } from './write-back.service';

const MAX_DELIVER = 8;
const BACKOFF_MS = [1_000, 3_000, 10_000, 30_000, 60_000, 120_000];

@Controller()
export class WriteBackController {
  constructor(@Inject(WriteBackService) private readonly writeBack: WriteBackService) {}

  @EventPattern(Subjects.orderShipped, {
    durable: 'channel-otto-shipped',
    schema: OrderShippedEvent,
    maxDeliver: MAX_DELIVER,
    backoffMs: BACKOFF_MS,
  })
  async onShipped(@Payload() event: OrderShipped, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.writeBack.shipped(event, ctx.deliveryCount >= MAX_DELIVER);
  }

  @EventPattern(Subjects.orderCancelled, {
    durable: 'channel-otto-cancelled',
    schema: OrderCancelledEvent,
    maxDeliver: MAX_DELIVER,
    backoffMs: BACKOFF_MS,
  })
  async onCancelled(@Payload() event: OrderCancelled, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.writeBack.cancelled(event, ctx.deliveryCount >= MAX_DELIVER);
  }
}

@Module({
  imports: [ApiClientModule, ConnectionsModule],
  controllers: [WriteBackController],
  providers: [
    {
      provide: WriteBackService,
      inject: [OttoApiClient, ConnectionRegistry, OrdersInbox, ConnectorMetrics, LOGGER, OTTO_CONFIG],
      useFactory: (
        api: OttoApiClient,
        registry: ConnectionRegistry,
        inbox: OrdersInbox,
        metrics: ConnectorMetrics,
        logger: Logger,
        config: OttoConfig,
      ) => new WriteBackService(api, registry, inbox, metrics, logger, config),
    },
  ],
})
export class WriteBackModule {}
