import { Inject, Injectable } from '@nestjs/common';
import { type ChannelOrder, orderContentHash, orderImportEventId, Subjects } from '@orderhub/contracts';
import { buildEnvelope, EventPublisher } from '@orderhub/platform';
import { ImportLedger } from '../store/import-ledger';

/**
 * Hands one parsed order to the orders service (HUB-1) as a ChannelOrderImportCommand on JetStream.
 * The event id is deterministic, so a retry after a crash is dropped by the stream's duplicate
 * window, and the orders service is idempotent by connection + order number anyway (HUB-2).
 */
@Injectable()
export class OrderImporter {
  constructor(
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(ImportLedger) private readonly ledger: ImportLedger,
  ) {}

  async import(input: {
    accountId: string;
    connectionId: string;
    order: ChannelOrder;
    source: 'mail' | 'csv';
    correlationId?: string;
  }): Promise<{ eventId: string; streamSeq: number }> {
    const eventId = orderImportEventId(input.connectionId, input.order);
    const command = buildEnvelope(Subjects.channelOrderImport, {
      eventId,
      accountId: input.accountId,
      ...(input.correlationId ? { correlationId: input.correlationId } : {}),
      data: { connectionId: input.connectionId, channel: 'jimdo', order: input.order },
    });
    const ack = await this.publisher.publish(Subjects.channelOrderImport, command);
    await this.ledger.record({
      connectionId: input.connectionId,
      externalId: input.order.externalId,
      contentHash: orderContentHash(input.order),
      eventId,
      source: input.source,
    });
    return { eventId, streamSeq: ack.seq };
  }
}
