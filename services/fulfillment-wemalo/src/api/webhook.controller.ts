import {
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, runInContext } from '@orderhub/platform';
import { ConnectionRegistry } from '@orderhub/connector-kit';
import type { WemaloConnections } from '../connections/wemalo-connection';
import { WebhookTokens } from '../webhooks/webhook-tokens';
import { ShipmentSyncService } from '../shipping/shipment-sync.service';
import { WemaloMetrics } from '../clients/wemalo-metrics';

interface WebhookBody {
  token?: unknown;
  eventData?: Record<string, unknown>;
}

/**
 * wemalo pushes `{ token, eventData }` here (registered per connection and event). The token is checked
 * like wemalo's own plugin does (403 on mismatch); a failure answers 503 so wemalo retries later — and
 * the sweep's polling of sent packages catches up anyway.
 */
@Controller('webhooks/wemalo')
export class WebhookController {
  constructor(
    @Inject(ConnectionRegistry) private readonly connections: WemaloConnections,
    @Inject(WebhookTokens) private readonly tokens: WebhookTokens,
    @Inject(ShipmentSyncService) private readonly shipments: ShipmentSyncService,
    @Inject(WemaloMetrics) private readonly metrics: WemaloMetrics,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Post(':connectionId/:event')
  @HttpCode(200)
  async receive(@Param('connectionId') connectionId: string, @Param('event') event: string, @Body() body: WebhookBody) {
    if (!this.tokens.check(connectionId, body?.token)) {
      this.metrics.webhooks.inc({ event: safeEvent(event), outcome: 'forbidden' });
      throw new ForbiddenException('token does not match');
    }
    const connection = await this.connections.byId(connectionId);
    if (!connection) throw new NotFoundException('unknown connection');
    const data = body.eventData ?? {};
    const externalId =
      event === 'trackingnumber_added'
        ? str(data.goodsOrderExternalId)
        : event === 'status_update' && str(data.statusName) === 'SHIPPED'
          ? str(data.externalId)
          : undefined;
    try {
      if (externalId) {
        await runInContext({ accountId: connection.accountId, connectionId }, () => this.shipments.syncSent(connection, externalId));
      }
      this.metrics.webhooks.inc({ event: safeEvent(event), outcome: 'ok' });
      return { ok: true };
    } catch (err) {
      this.metrics.webhooks.inc({ event: safeEvent(event), outcome: 'failed' });
      this.log.warn({ err: err instanceof Error ? err.message : String(err), connectionId, event }, 'wemalo webhook not processed');
      throw new ServiceUnavailableException('try again later');
    }
  }
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
const safeEvent = (e: string) => (['status_update', 'trackingnumber_added'].includes(e) ? e : 'other');
