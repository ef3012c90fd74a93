import { createHash, randomUUID } from 'node:crypto';
import {
  type ArticleInput,
  type ChannelActivityReport,
  type ChannelOrder,
  type FulfillmentParcelsShipped,
  orderImportEventId,
  Subjects,
} from '@orderhub/contracts';
import { buildEnvelope, type EventPublisher } from '@orderhub/platform';

/** Fingerprint of a value for idempotency keys and "already sent" records; orders use `orderContentHash`. */
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
    const command = buildEnvelope(Subjects.channelOrderImport, {
      eventId: orderImportEventId(connection.id, order),
      accountId: connection.accountId,
      data: { connectionId: connection.id, channel: connection.type, order },
    });
    await this.publisher.publish(Subjects.channelOrderImport, command);
    return command.eventId;
  }

  async submitArticle(connection: ConnectionRef, article: ArticleInput): Promise<void> {
    const command = buildEnvelope(Subjects.channelArticleImport, {
      eventId: `article:${connection.id}:${article.externalId ?? article.sku}:${contentHash(article)}`,
      accountId: connection.accountId,
      data: { connectionId: connection.id, channel: connection.type, article },
    });
    await this.publisher.publish(Subjects.channelArticleImport, command);
  }

  /** Records a write-back outcome on the order (history), so a refusal or failure is never silent. */
  async reportActivity(
    connection: ConnectionRef,
    report: Omit<ChannelActivityReport['data'], 'connectionId'>,
    idempotencyKey: string = randomUUID(),
  ): Promise<void> {
    const command = buildEnvelope(Subjects.channelActivityReport, {
      eventId: `activity:${connection.id}:${report.orderId}:${idempotencyKey}`,
      accountId: connection.accountId,
      // A channel's error text can be long; the history keeps its start rather than losing the report.
      data: { ...report, ...(report.detail ? { detail: report.detail.slice(0, 5000) } : {}), connectionId: connection.id },
    });
    await this.publisher.publish(Subjects.channelActivityReport, command);
  }

  async reportParcelsShipped(connection: ConnectionRef, data: Omit<FulfillmentParcelsShipped['data'], 'connectionId'>): Promise<void> {
    const command = buildEnvelope(Subjects.fulfillmentParcelsShipped, {
      eventId: `parcels:${connection.id}:${data.orderId}:${contentHash(data.parcels)}`,
      accountId: connection.accountId,
      data: { ...data, connectionId: connection.id },
    });
    await this.publisher.publish(Subjects.fulfillmentParcelsShipped, command);
  }
}
