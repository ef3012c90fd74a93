import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  type ChannelActivityReport,
  ChannelActivityReportCommand,
  type ChannelOrderImport,
  ChannelOrderImportCommand,
  type FulfillmentParcelsShipped,
  FulfillmentParcelsShippedCommand,
  Durables,
  Subjects,
} from '@orderhub/contracts';
import type { BatchOutcome } from '@orderhub/platform';
import { ImportChannelOrder } from '../application/import-channel-order';
import { OrderCommands } from '../application/order-commands';

/** JetStream commands from connectors (durable: they wait while this service is down, HUB-1). */
@Controller()
export class OrdersEvents {
  constructor(
    @Inject(ImportChannelOrder) private readonly importOrder: ImportChannelOrder,
    @Inject(OrderCommands) private readonly commands: OrderCommands,
  ) {}

  /** The waiting imports at once (up to 256): one read, one insert, one publish-and-clear per batch. */
  @EventPattern(Subjects.channelOrderImport, { durable: Durables.ordersOrderImport, schema: ChannelOrderImportCommand, batch: 256 })
  async onOrderImport(@Payload() cmds: ChannelOrderImport[]): Promise<BatchOutcome[]> {
    return this.importOrder.handleBatch(cmds);
  }

  @EventPattern(Subjects.channelActivityReport, {
    durable: 'orders_activity_report',
    schema: ChannelActivityReportCommand,
    concurrency: 4,
  })
  async onActivityReport(@Payload() cmd: ChannelActivityReport): Promise<void> {
    await this.commands.recordChannelActivity(cmd);
  }

  @EventPattern(Subjects.fulfillmentParcelsShipped, {
    durable: 'orders_parcels_shipped',
    schema: FulfillmentParcelsShippedCommand,
    concurrency: 4,
  })
  async onParcelsShipped(@Payload() cmd: FulfillmentParcelsShipped): Promise<void> {
    await this.commands.parcelsShipped(cmd);
  }
}
