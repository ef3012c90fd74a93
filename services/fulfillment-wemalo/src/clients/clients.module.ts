import { Module } from '@nestjs/common';
import { WebhookTokens } from '../webhooks/webhook-tokens';
import { ProfilesCache } from './profiles-cache';
import { WemaloClients } from './wemalo-clients';
import { WemaloMetrics } from './wemalo-metrics';

/** The wemalo-connect API: a client per connection, its dispatcher profiles, webhook tokens, metrics. */
@Module({
  providers: [WemaloClients, ProfilesCache, WebhookTokens, WemaloMetrics],
  exports: [WemaloClients, ProfilesCache, WebhookTokens, WemaloMetrics],
})
export class ClientsModule {}
