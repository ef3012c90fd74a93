import { createHash, randomUUID } from 'node:crypto';
import {
  type ChannelActivityReport,
  type ChannelArticleImport,
  type ChannelOrder,
  type ChannelOrderImport,
  type ArticleInput,
  type FulfillmentParcelsShipped,
  Subjects,
} from '@orderhub/contracts';
import { currentContext, type EventPublisher } from '@orderhub/platform';

export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

interface ConnectionRef {
  id: string;
  accountId: string;
  type: string;
}

/**
 * How a connector hands things to the orders service: durable JetStream commands. Event ids are
 * derived from content, so re-reading an overlap window re-sends the same id and JetStream drops it.
 */
export class OrdersInbox {
  constructor(private readonly publisher: EventPublisher) {}

  async submitOrder(connection: ConnectionRef, order: ChannelOrder): Promise<string> {
    const eventId = `import:${connection.id}:${order.externalId}:${contentHash(order)}`;
    const command: ChannelOrderImport = {
      eventId,
      type: Subjects.channelOrderImport,
      version: 1,
      occurredAt: new Date().toISOString(),
      accountId: connection.accountId,
      correlationId: currentContext()?.correlationId,
      data: { connectionId: connection.id, channel: connection.type, order },
    };
    await this.publisher.publish(Subjects.channelOrderImport, command);
    return eventId;
  }

  async submitArticle(connection: ConnectionRef, article: ArticleInput): Promise<void> {
    const command: ChannelArticleImport = {
      eventId: `article:${connection.id}:${article.externalId ?? article.sku}:${contentHash(article)}`,
      type: Subjects.channelArticleImport,
      version: 1,
      occurredAt: new Date().toISOString(),
      accountId: connection.accountId,
      data: { connectionId: connection.id, channel: connection.type, article },
    };
    await this.publisher.publish(Subjects.channelArticleImport, command);
  }

  /** Records a write-back outcome on the order (history), so a refusal or failure is never silent. */
  async reportActivity(
    connection: ConnectionRef,
    report: Omit<ChannelActivityReport['data'], 'connectionId'>,
    idempotencyKey: string = randomUUID(),
  ): Promise<void> {
    const command: ChannelActivityReport = {
      eventId: `activity:${connection.id}:${report.orderId}:${idempotencyKey}`,
      type: Subjects.channelActivityReport,
      version: 1,
      occurredAt: new Date().toISOString(),
      accountId: connection.accountId,
      correlationId: currentContext()?.correlationId,
      data: { ...report, connectionId: connection.id },
    };
    await this.publisher.publish(Subjects.channelActivityReport, command);
  }

  async reportParcelsShipped(connection: ConnectionRef, data: Omit<FulfillmentParcelsShipped['data'], 'connectionId'>): Promise<void> {
    const command: FulfillmentParcelsShipped = {
      eventId: `parcels:${connection.id}:${data.orderId}:${contentHash(data.parcels)}`,
      type: Subjects.fulfillmentParcelsShipped,
      version: 1,
      occurredAt: new Date().toISOString(),
      accountId: connection.accountId,
      data: { ...data, connectionId: connection.id },
    };
    await this.publisher.publish(Subjects.fulfillmentParcelsShipped, command);
  }
}
