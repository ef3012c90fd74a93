import { Body, Controller, Delete, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  WebhookDeliverySchema,
  WebhookDeliveryStatusSchema,
  WebhookSubscriptionInputSchema,
  WebhookSubscriptionSchema,
} from '@orderhub/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { Answers } from '../http/answers';
import { ApiProblems } from '../http/openapi';

class WebhookSubscriptionInputDto extends createZodDto(WebhookSubscriptionInputSchema) {}
class WebhookSubscriptionUpdateDto extends createZodDto(WebhookSubscriptionInputSchema.partial({ secret: true })) {}
class WebhookSubscriptionDto extends createZodDto(WebhookSubscriptionSchema) {}
class WebhookSubscriptionListDto extends createZodDto(z.array(WebhookSubscriptionSchema)) {}
class WebhookDeliveryListDto extends createZodDto(z.array(WebhookDeliverySchema)) {}
class WebhookIdParams extends createZodDto(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/) })) {}
class DeliveriesQuery extends createZodDto(
  z.object({ status: WebhookDeliveryStatusSchema.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
) {}

/** Native face of the webhook subscriptions (the Billbee face serves the same operations under its names). */
@ApiTags('Webhooks')
@ApiKeyAuth()
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(@Inject(TenantRpc) private readonly rpc: TenantRpc) {}

  @Get()
  @ApiOperation({ summary: "The account's webhook subscriptions (secrets are never shown)" })
  @Answers(200, 'The subscriptions', WebhookSubscriptionListDto)
  list(@CurrentCaller() caller: Caller) {
    return this.rpc.call(caller, 'webhooksList', {});
  }

  @Post()
  @ApiOperation({ summary: 'Subscribe a URL to order events (filters as in GET /billbee/api/v1/webhooks/filters or `*`); echo test first' })
  @Answers(201, 'The subscription', WebhookSubscriptionDto)
  create(@CurrentCaller() caller: Caller, @Body() body: WebhookSubscriptionInputDto) {
    return this.rpc.call(caller, 'webhooksCreate', body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription, with `disabledReason` when the hub stopped delivering to it' })
  @Answers(200, 'The subscription', WebhookSubscriptionDto)
  @ApiProblems(404)
  get(@CurrentCaller() caller: Caller, @Param() { id }: WebhookIdParams) {
    return this.rpc.call(caller, 'webhooksGet', { subscriptionId: id });
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a subscription (the secret may be left out); re-enables a disabled one' })
  @Answers(200, 'The subscription', WebhookSubscriptionDto)
  @ApiProblems(404)
  update(@CurrentCaller() caller: Caller, @Param() { id }: WebhookIdParams, @Body() body: WebhookSubscriptionUpdateDto) {
    return this.rpc.call(caller, 'webhooksUpdate', { ...body, subscriptionId: id });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a subscription; its pending deliveries are abandoned' })
  @Answers(200, 'Deleted')
  @ApiProblems(404)
  delete(@CurrentCaller() caller: Caller, @Param() { id }: WebhookIdParams) {
    return this.rpc.call(caller, 'webhooksDelete', { subscriptionId: id });
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Deliveries of a subscription, newest first: attempts, last HTTP status and error, next attempt' })
  @Answers(200, 'The deliveries', WebhookDeliveryListDto)
  @ApiProblems(404)
  async deliveries(@CurrentCaller() caller: Caller, @Param() { id }: WebhookIdParams, @Query() query: DeliveriesQuery) {
    await this.rpc.call(caller, 'webhooksGet', { subscriptionId: id });
    return this.rpc.call(caller, 'webhooksDeliveries', { subscriptionId: id, ...query });
  }
}
