import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { type ChannelOrderImport, orderContentHash } from '@orderhub/contracts';
import { type BatchOutcome, enrichContext, isDuplicateKey, PoisonMessageError, runInContext } from '@orderhub/platform';
import { ArticlesService } from '../articles/articles.service';
import { ConnectionsService } from '../connections/connections.service';
import { type ConnectionPolicy, positionLockFor } from '../domain/channel-rules';
import { OrderAggregate } from '../domain/order';
import { orderIdFor } from '../domain/order-id';
import { OrderRepository, VersionConflict } from '../infrastructure/order.repository';
import { OrderOutboxRelay } from '../infrastructure/outbox-relay';
import { OrdersMetrics } from '../infrastructure/orders-metrics';
import type { OutboxEntry } from '../infrastructure/outbox';
import { orderOutboxEntries } from './order-outbox';
import { OrderWriter } from './order-writer';
import { RecentOrderIds } from './recent-order-ids';

export type ImportOutcome = 'imported' | 'updated' | 'unchanged';

/**
 * The id of an event an import command causes, the same on every delivery of the command: published
 * again after a redelivery, JetStream's duplicate window (and the consumers) drop the second one.
 */
function eventIdOf(commandId: string, subject: string, index: number): string {
  const hex = createHash('sha256').update(`${commandId}|${subject}|${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Never importable: parked at once with the reason (the connection is gone or another account's). */
function foreignConnection(cmd: ChannelOrderImport): PoisonMessageError {
  return new PoisonMessageError(`connection ${cmd.data.connectionId} does not exist in account ${cmd.accountId}`);
}

/**
 * At or above this share of already known orders (in the last batch, or among the next one's ids
 * seen lately), the next batch is read before it is written (a connector re-reading its overlap);
 * below it, inserted first and only the refused ones read.
 */
const KNOWN_SHARE_READ_FIRST = 0.5;

/**
 * HUB-1/HUB-2: a connector's channel order becomes a hub order. The unique import key decides races
 * between replicas: the loser of an insert sees E11000 and retries as an update (which then finds
 * identical content and does nothing). The content hash makes a repeated import a no-op.
 */
@Injectable()
export class ImportChannelOrder {
  /**
   * Share of the last batch's orders that existed already. Reading a batch by id costs one command
   * per order on FerretDB (`findByIds`), the insert one per batch: new orders are inserted first
   * there, and repeats read first, so each kind pays one command per order at most.
   */
  private knownShare = 0;
  /** Orders of other replicas are known only through `knownShare`. */
  private readonly recent = new RecentOrderIds();

  constructor(
    @Inject(OrderRepository) private readonly orders: OrderRepository,
    @Inject(OrderWriter) private readonly writer: OrderWriter,
    @Inject(ConnectionsService) private readonly connections: ConnectionsService,
    @Inject(ArticlesService) private readonly articles: ArticlesService,
    @Inject(OrderOutboxRelay) private readonly relay: OrderOutboxRelay,
    @Inject(OrdersMetrics) private readonly metrics: OrdersMetrics,
  ) {}

  /** `loaded`: the order as the batch read it, so its first attempt need not read it again. */
  async handle(cmd: ChannelOrderImport, loaded?: OrderAggregate): Promise<ImportOutcome> {
    await this.assertConnection(cmd);
    const outcome = await this.run(cmd, loaded);
    this.metrics.imports.inc({ channel: cmd.data.channel, outcome });
    return outcome;
  }

  /**
   * The waiting commands at once: the orders they touch are read in one go, new orders are inserted
   * with one `insertMany` (no outbox) and their `order.imported` published from memory. The import
   * command is the durable record until then: it is acknowledged only after the publish, and its
   * redelivery (after a crash or a failed publish) finds the order it created and publishes the same
   * events again. Only what the batch cannot decide alone (changed orders, an order twice in one
   * batch, one another replica inserted first) goes through the one-by-one path.
   */
  async handleBatch(cmds: ChannelOrderImport[]): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = cmds.map(() => undefined);
    const fail = (i: number, err: unknown) => (outcomes[i] = err instanceof Error ? err : new Error(String(err)));
    const idOf = (cmd: ChannelOrderImport) => orderIdFor(cmd.accountId, cmd.data.connectionId, cmd.data.order.externalId);
    const batch: { i: number; cmd: ChannelOrderImport; id: string; policy: ConnectionPolicy }[] = [];
    const oneByOne: number[] = [];
    /** What the batch read of the orders it hands to the one-by-one path. */
    const loaded = new Map<number, OrderAggregate>();
    const seen = new Set<string>();
    for (const [i, cmd] of cmds.entries()) {
      const policy = await this.connections.policy(cmd.accountId, cmd.data.connectionId).catch((err: unknown) => err as Error);
      if (policy instanceof Error) fail(i, policy);
      else if (!policy) fail(i, foreignConnection(cmd));
      else if (seen.has(idOf(cmd))) oneByOne.push(i);
      else {
        seen.add(idOf(cmd));
        batch.push({ i, cmd, id: idOf(cmd), policy });
      }
    }
    const readFirst =
      this.knownShare >= KNOWN_SHARE_READ_FIRST ||
      this.recent.shareKnown(batch.map((b) => b.id)) >= KNOWN_SHARE_READ_FIRST ||
      (await this.orders.readsManyAtOnce());
    const existing = readFirst ? await this.orders.findManyByIds(new Map(batch.map((b) => [b.id, b.cmd.accountId])), [...seen]) : new Map();
    // A redelivered command that created its order: its first events may not have gone out.
    const again = new Set<number>();
    const decide = (b: { i: number; cmd: ChannelOrderImport }, found: OrderAggregate) => {
      if (this.orders.importCommandOf(found) === b.cmd.eventId) again.add(b.i);
      else if (found.snapshot.contentHash === orderContentHash(b.cmd.data.order)) this.count(b.cmd, 'unchanged');
      else {
        loaded.set(b.i, found);
        oneByOne.push(b.i);
      }
    };
    for (const b of batch) {
      const found = existing.get(b.id);
      if (found) decide(b, found);
    }
    const created = await this.createAll(
      batch.filter((b) => !existing.has(b.id) || again.has(b.i)),
      fail,
    );
    const fresh = created.filter((c) => !again.has(c.i));
    // Held until their first events are out: another writer's event must not overtake order.imported.
    const held = await this.orders.holdNew(fresh.map((c) => c.order.snapshot.id));
    for (const c of fresh) if (!held.ids.has(c.order.snapshot.id)) oneByOne.push(c.i); // claimed by another replica
    const insertable = fresh.filter((c) => held.ids.has(c.order.snapshot.id));
    let duplicates: Set<string>;
    try {
      duplicates = await this.orders.insertMany(insertable.map((c) => ({ order: c.order, importCommandId: c.cmd.eventId })));
    } catch (err) {
      await held.release([]);
      throw err;
    }
    const refused = insertable.filter((c) => duplicates.has(c.order.snapshot.id));
    // Inserted first, the orders that exist already are the ones the insert refused: read only those.
    const known =
      refused.length && !readFirst
        ? await this.orders.findManyByIds(
            new Map(refused.map((c) => [c.order.snapshot.id, c.cmd.accountId])),
            refused.map((c) => c.order.snapshot.id),
          )
        : new Map<string, OrderAggregate>();
    for (const c of refused) {
      const found = known.get(c.order.snapshot.id);
      if (found && !readFirst) decide(c, found);
      else oneByOne.push(c.i); // inserted by another replica since it was read: the one-by-one path decides
    }
    const toPublish = created.filter((c) => again.has(c.i) || (held.ids.has(c.order.snapshot.id) && !duplicates.has(c.order.snapshot.id)));
    let published = new Set<string>();
    try {
      published = await this.relay.publishFromMemory(toPublish.map((c) => ({ id: c.order.snapshot.id, outbox: c.outbox })));
    } finally {
      await held.release([...published]);
    }
    await this.orders.releaseNew(
      toPublish.filter((c) => again.has(c.i) && published.has(c.order.snapshot.id)).map((c) => c.order.snapshot.id),
    );
    for (const c of toPublish) {
      if (!published.has(c.order.snapshot.id)) fail(c.i, new Error(`the events of order ${c.order.snapshot.id} are not published yet`));
      else this.count(c.cmd, again.has(c.i) ? 'unchanged' : 'imported');
    }
    this.knownShare = batch.length ? (existing.size + refused.length) / batch.length : this.knownShare;
    for (const b of batch) this.recent.add(b.id);
    for (const i of oneByOne.sort((a, b) => a - b)) {
      const cmd = cmds[i] as ChannelOrderImport;
      const context = { correlationId: cmd.correlationId ?? cmd.eventId, accountId: cmd.accountId };
      await runInContext(context, () => this.handle(cmd, loaded.get(i))).catch((err: unknown) => fail(i, err));
    }
    return outcomes;
  }

  /** New orders of the batch, their positions linked per account with one SKU lookup each. */
  private async createAll(
    fresh: { i: number; cmd: ChannelOrderImport; id: string; policy: ConnectionPolicy }[],
    fail: (i: number, err: unknown) => void,
  ): Promise<{ i: number; cmd: ChannelOrderImport; order: OrderAggregate; outbox: OutboxEntry[] }[]> {
    const byAccount = new Map<string, typeof fresh>();
    for (const f of fresh) byAccount.set(f.cmd.accountId, [...(byAccount.get(f.cmd.accountId) ?? []), f]);
    const created: { i: number; cmd: ChannelOrderImport; order: OrderAggregate; outbox: OutboxEntry[] }[] = [];
    const at = new Date().toISOString();
    for (const [accountId, items] of byAccount) {
      const linked = await this.articles
        .linkPositionsOfOrders(
          accountId,
          items.map((f) => f.cmd.data.order),
        )
        .catch((err: unknown) => err as Error);
      for (const [k, f] of items.entries()) {
        if (linked instanceof Error) {
          fail(f.i, linked);
          continue;
        }
        const { connectionId, channel, order } = f.cmd.data;
        const aggregate = OrderAggregate.importNew({
          id: f.id,
          accountId,
          connectionId,
          channel,
          order: { ...order, positions: linked[k] ?? order.positions },
          contentHash: orderContentHash(order),
          lock: positionLockFor(f.policy),
          by: { actor: `connector:${channel}`, at },
        });
        // Each event carries its own command's correlation id, as in the one-by-one path.
        const outbox = runInContext({ correlationId: f.cmd.correlationId ?? f.cmd.eventId, accountId }, () =>
          orderOutboxEntries(aggregate, (subject, index) => eventIdOf(f.cmd.eventId, subject, index)),
        );
        created.push({ i: f.i, cmd: f.cmd, order: aggregate, outbox });
      }
    }
    return created;
  }

  /** A redelivered command that created its order in a batch: its first events again, under the same ids. */
  private async publishFirstEvents(cmd: ChannelOrderImport): Promise<void> {
    const policy = await this.connections.policy(cmd.accountId, cmd.data.connectionId);
    if (!policy) throw foreignConnection(cmd);
    let failure: unknown;
    const id = orderIdFor(cmd.accountId, cmd.data.connectionId, cmd.data.order.externalId);
    const [again] = await this.createAll([{ i: 0, cmd, id, policy }], (_i, err) => (failure = err));
    if (!again) throw failure;
    if (!(await this.relay.publishFromMemory([{ id, outbox: again.outbox }])).size) {
      throw new Error(`the events of order ${id} are not published yet`);
    }
    await this.orders.releaseNew([id]);
  }

  private count(cmd: ChannelOrderImport, outcome: ImportOutcome): void {
    this.metrics.imports.inc({ channel: cmd.data.channel, outcome });
  }

  /** HUB-16: a command may only import into a connection of its own account. */
  private async assertConnection(cmd: ChannelOrderImport): Promise<void> {
    if (!(await this.connections.policy(cmd.accountId, cmd.data.connectionId))) throw foreignConnection(cmd);
  }

  private async run(cmd: ChannelOrderImport, loaded?: OrderAggregate): Promise<ImportOutcome> {
    const { accountId } = cmd;
    const { connectionId, channel, order } = cmd.data;
    enrichContext({ accountId, connectionId });
    const contentHash = orderContentHash(order);
    const by = { actor: `connector:${channel}`, at: new Date().toISOString() };
    for (let attempt = 0; attempt < 12; attempt++) {
      const existing = attempt === 0 && loaded ? loaded : await this.orders.findByExternalId(accountId, connectionId, order.externalId);
      if (!existing) {
        const policy = await this.connections.policy(accountId, connectionId);
        if (!policy) throw foreignConnection(cmd);
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
      if (this.orders.importCommandOf(existing) === cmd.eventId) {
        await this.publishFirstEvents(cmd);
        return 'unchanged';
      }
      if (existing.snapshot.contentHash === contentHash) return 'unchanged';
      const positions = await this.articles.linkPositions(accountId, order.positions, order.currency);
      existing.applyChannelUpdate({ ...order, positions }, contentHash, by);
      existing.advanceVersion();
      try {
        await this.writer.persist(existing);
        return existing.changes.events.length ? 'updated' : 'unchanged';
      } catch (err) {
        if (!(err instanceof VersionConflict)) throw err;
        await sleep(Math.floor(Math.random() * 10 * (attempt + 1)));
      }
    }
    throw new Error(`order ${order.externalId} kept changing during import`);
  }
}
