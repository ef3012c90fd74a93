import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { ChannelOrderImport } from '@orderhub/contracts';
import { enrichContext, isDuplicateKey } from '@orderhub/platform';
import { ArticlesService } from '../articles/articles.service';
import { ConnectionsService } from '../connections/connections.service';
import { positionLockFor } from '../domain/channel-rules';
import { channelOrderHash } from '../domain/content-hash';
import { OrderAggregate } from '../domain/order';
import { orderIdFor } from '../domain/order-id';
import { OrderRepository, VersionConflict } from '../infrastructure/order.repository';
import { OrderOutboxRelay } from '../infrastructure/outbox-relay';
import { OrdersMetrics } from '../infrastructure/orders-metrics';
import { orderOutboxEntries } from './order-outbox';

export type ImportOutcome = 'imported' | 'updated' | 'unchanged';

/**
 * HUB-1/HUB-2: a connector's channel order becomes a hub order. The unique import key decides races
 * between replicas: the loser of an insert sees E11000 and retries as an update (which then finds
 * identical content and does nothing). The content hash makes a repeated import a no-op.
 */
@Injectable()
export class ImportChannelOrder {
  constructor(
    @Inject(OrderRepository) private readonly orders: OrderRepository,
    @Inject(ConnectionsService) private readonly connections: ConnectionsService,
    @Inject(ArticlesService) private readonly articles: ArticlesService,
    @Inject(OrderOutboxRelay) private readonly relay: OrderOutboxRelay,
    @Inject(OrdersMetrics) private readonly metrics: OrdersMetrics,
  ) {}

  async handle(cmd: ChannelOrderImport): Promise<ImportOutcome> {
    const outcome = await this.run(cmd);
    this.metrics.imports.inc({ channel: cmd.data.channel, outcome });
    return outcome;
  }

  private async run(cmd: ChannelOrderImport): Promise<ImportOutcome> {
    const { accountId } = cmd;
    const { connectionId, channel, order } = cmd.data;
    enrichContext({ accountId, connectionId });
    const contentHash = channelOrderHash(order);
    const by = { actor: `connector:${channel}`, at: new Date().toISOString() };
    for (let attempt = 0; attempt < 12; attempt++) {
      const existing = await this.orders.findByExternalId(accountId, connectionId, order.externalId);
      if (!existing) {
        const policy = await this.connections.policy(accountId, connectionId);
        const positions = await this.articles.linkPositions(accountId, order.positions, order.currency);
        const created = OrderAggregate.importNew({
          id: orderIdFor(accountId, connectionId, order.externalId),
          accountId,
          connectionId,
          channel,
          order: { ...order, positions },
          contentHash,
          lock: positionLockFor(policy),
          by,
        });
        enrichContext({ orderId: created.snapshot.id });
        try {
          await this.orders.insert(created, orderOutboxEntries(created));
          this.relay.nudge();
          return 'imported';
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          continue; // another replica or delivery inserted it first: go on as an update
        }
      }
      enrichContext({ orderId: existing.snapshot.id });
      if (existing.snapshot.contentHash === contentHash) return 'unchanged';
      const positions = await this.articles.linkPositions(accountId, order.positions, order.currency);
      existing.applyChannelUpdate({ ...order, positions }, contentHash, by);
      existing.advanceVersion();
      try {
        await this.orders.save(existing, orderOutboxEntries(existing));
        if (existing.changes.events.length) this.relay.nudge();
        return existing.changes.events.length ? 'updated' : 'unchanged';
      } catch (err) {
        if (!(err instanceof VersionConflict)) throw err;
        await sleep(Math.floor(Math.random() * 10 * (attempt + 1)));
      }
    }
    throw new Error(`order ${order.externalId} kept changing during import`);
  }
}
