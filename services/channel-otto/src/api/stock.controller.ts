import { Controller, Inject, type OnApplicationShutdown } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { allowsHubToChannel, ArticleStockChangedEvent, type ArticleStockChanged, Subjects } from '@orderhub/contracts';
import { ConnectionRegistry } from '@orderhub/connector-kit';
import { StockPusher } from '../articles/stock-pusher';
import type { OttoConnections } from '../connections/otto-connection';

@Controller()
export class StockController implements OnApplicationShutdown {
  constructor(
    @Inject(StockPusher) private readonly pusher: StockPusher,
    @Inject(ConnectionRegistry) private readonly connections: OttoConnections,
  ) {}

  /**
   * OTTO-12: hub stock → OTTO, absolute quantities, for every OTTO connection of the account whose
   * sync direction sends hub changes (CONN-4). Many messages in flight at once so they share batches.
   */
  @EventPattern(Subjects.articleStockChanged, {
    durable: 'channel-otto-stock',
    schema: ArticleStockChangedEvent,
    concurrency: 200,
    maxDeliver: 10,
    backoffMs: [1_000, 5_000, 15_000, 30_000, 60_000],
  })
  async onStockChanged(@Payload() event: ArticleStockChanged): Promise<void> {
    const sku = event.data.sku;
    if (!sku) return; // an article without SKU cannot exist at OTTO
    const targets = (await this.connections.ofAccount(event.accountId)).filter(
      (c) => c.settings.active && allowsHubToChannel(c.settings.syncDirection),
    );
    await Promise.all(targets.map((c) => this.pusher.push(c, sku, event.data.totalQuantity, event.occurredAt)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pusher.flushAll();
  }
}
