import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Rpc, type WebhookDelivery, WebhookRpcRequests, type WebhookSubscription, type WebhookRpcRequestOf } from '@orderhub/contracts';
import { DeliveryRepository, toDeliveryView } from '../deliveries/delivery.repository';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';

/** Subscriptions and deliveries for both HTTP faces of the gateway (native and Billbee). */
@Controller()
export class WebhooksRpc {
  constructor(
    @Inject(SubscriptionsService) private readonly subscriptions: SubscriptionsService,
    @Inject(DeliveryRepository) private readonly deliveries: DeliveryRepository,
  ) {}

  @MessagePattern(Rpc.webhooksList, { schema: WebhookRpcRequests.list })
  list(@Payload() req: WebhookRpcRequestOf<'list'>): Promise<WebhookSubscription[]> {
    return this.subscriptions.list(req.accountId);
  }

  @MessagePattern(Rpc.webhooksGet, { schema: WebhookRpcRequests.get })
  get(@Payload() req: WebhookRpcRequestOf<'get'>): Promise<WebhookSubscription> {
    return this.subscriptions.get(req.accountId, req.body.subscriptionId);
  }

  @MessagePattern(Rpc.webhooksCreate, { schema: WebhookRpcRequests.create })
  create(@Payload() req: WebhookRpcRequestOf<'create'>): Promise<WebhookSubscription> {
    return this.subscriptions.create(req);
  }

  @MessagePattern(Rpc.webhooksUpdate, { schema: WebhookRpcRequests.update })
  update(@Payload() req: WebhookRpcRequestOf<'update'>): Promise<WebhookSubscription> {
    return this.subscriptions.update(req);
  }

  @MessagePattern(Rpc.webhooksDelete, { schema: WebhookRpcRequests.delete })
  async delete(@Payload() req: WebhookRpcRequestOf<'delete'>): Promise<{ deleted: true }> {
    await this.subscriptions.delete(req.accountId, req.body.subscriptionId);
    return { deleted: true };
  }

  @MessagePattern(Rpc.webhooksDeleteAll, { schema: WebhookRpcRequests.deleteAll })
  deleteAll(@Payload() req: WebhookRpcRequestOf<'deleteAll'>): Promise<{ deleted: number }> {
    return this.subscriptions.deleteAll(req.accountId);
  }

  @MessagePattern(Rpc.webhooksDeliveries, { schema: WebhookRpcRequests.deliveries })
  async listDeliveries(@Payload() req: WebhookRpcRequestOf<'deliveries'>): Promise<WebhookDelivery[]> {
    const { limit, ...filter } = req.body;
    return (await this.deliveries.list(req.accountId, filter, limit)).map(toDeliveryView);
  }
}
