import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConnectorMetrics, OrdersInbox } from '@orderhub/connector-kit';
import type { OrderCancelled } from '@orderhub/contracts';
import { LOGGER } from '@orderhub/platform';
import { type WemaloConnection } from '../connections/wemalo-connection';
import { WemaloClients } from '../clients/wemalo-clients';
import { WemaloApiError } from '../clients/wemalo-errors';
import { isChangeable } from '../clients/wemalo-types';
import { WemaloMetrics } from '../clients/wemalo-metrics';

export type CancelOutcome = 'not_sent' | 'cancelled' | 'already_cancelled' | 'refused';

/**
 * A hub cancellation of an order wemalo has: cancel the goods order while wemalo still allows it
 * (OPEN/PARTIAL, before a picking list exists); otherwise the refusal and its reason go on the order.
 */
@Injectable()
export class CancellationService {
  constructor(
    @Inject(WemaloClients) private readonly clients: WemaloClients,
    @Inject(OrdersInbox) private readonly inbox: OrdersInbox,
    @Inject(ConnectorMetrics) private readonly connectorMetrics: ConnectorMetrics,
    @Inject(WemaloMetrics) private readonly metrics: WemaloMetrics,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async cancel(connection: WemaloConnection, event: OrderCancelled): Promise<CancelOutcome> {
    const { orderId } = event.data;
    const client = this.clients.for(connection);
    const status = await client.getStatus(orderId);
    if (!status) return 'not_sent';
    if (status.statusName === 'CANCELLED') return 'already_cancelled';
    if (!isChangeable(status.statusName)) return this.refuse(connection, orderId, status.statusName, event.eventId);
    try {
      await client.cancelGoodsOrder(orderId, event.data.reason ?? 'cancelled in the order hub');
    } catch (err) {
      if (err instanceof WemaloApiError && !err.transient && err.type === 'INVALID') {
        return this.refuse(connection, orderId, 'in progress', event.eventId);
      }
      throw err;
    }
    await this.inbox.reportActivity(
      connection,
      {
        orderId,
        action: 'wemalo: cancel goods order',
        outcome: 'ok',
        detail: `goods order cancelled at wemalo (was ${status.statusName})`,
      },
      `cancel:${event.eventId}`,
    );
    this.metrics.cancellations.inc({ outcome: 'cancelled' });
    this.connectorMetrics.writeBacks.inc({ connector: 'wemalo', action: 'cancel', outcome: 'ok' });
    this.log.info({ orderId, connectionId: connection.id }, 'goods order cancelled at wemalo');
    return 'cancelled';
  }

  private async refuse(connection: WemaloConnection, orderId: string, statusName: string, eventId: string): Promise<CancelOutcome> {
    await this.inbox.reportActivity(
      connection,
      {
        orderId,
        action: 'wemalo: cancel goods order',
        outcome: 'refused',
        ruleId: 'WEM-5',
        detail: `wemalo is already processing the goods order (status ${statusName}); it can only be cancelled while OPEN or PARTIAL — stop it in wemalo`,
      },
      `cancel:${eventId}`,
    );
    this.metrics.cancellations.inc({ outcome: 'refused' });
    this.connectorMetrics.writeBacks.inc({ connector: 'wemalo', action: 'cancel', outcome: 'refused' });
    return 'refused';
  }
}
