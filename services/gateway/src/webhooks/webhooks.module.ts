import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { WebhooksController } from './webhooks.controller';

/** Native routes of the webhooks service's subscriptions and deliveries. */
@Module({ imports: [AuthModule], controllers: [WebhooksController], providers: [TenantRpc] })
export class WebhooksModule {}
