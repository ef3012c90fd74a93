import { Body, Delete, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { BillbeeWebHookBody, BillbeeWebhookFilters, type BillbeeWebHookInput, type WebhookSubscription } from '@orderhub/contracts';
import type { Caller } from '../auth/api-key-authenticator';
import { BillbeeCaller } from './billbee-auth.guard';
import { BillbeeHub } from './billbee-hub';
import { BillbeeController, parseBody } from './billbee-http';

/** `WebHookApiModel`; the secret is write-only (we sign with it, we never show it again). */
function toWebHook(s: WebhookSubscription) {
  return {
    Id: s.id,
    WebHookUri: s.uri,
    Secret: null,
    Description: s.description ?? null,
    IsPaused: s.paused || !!s.disabledAt,
    Filters: s.filters,
    Headers: s.headers,
    Properties: s.properties,
  };
}

const subscriptionOf = (w: BillbeeWebHookInput) => ({
  uri: w.WebHookUri,
  secret: w.Secret,
  ...(w.Description != null ? { description: w.Description } : {}),
  paused: w.IsPaused ?? false,
  filters: w.Filters?.length ? w.Filters : ['*'],
  headers: w.Headers ?? {},
  properties: w.Properties ?? {},
  noEcho: false,
});

/** Webhook registrations (bare bodies, as Billbee's ASP.NET WebHooks API answers them). */
@BillbeeController('webhooks')
export class BillbeeWebhooksController {
  constructor(@Inject(BillbeeHub) private readonly hub: BillbeeHub) {}

  @Get('filters')
  @ApiOperation({ summary: 'Billbee: the filters (events) a webhook can subscribe to' })
  @ApiResponse({ status: 200, description: '[{Name, Description}]' })
  filters() {
    return BillbeeWebhookFilters.map(({ Name, Description }) => ({ Name, Description }));
  }

  @Get()
  @ApiOperation({ summary: "Billbee: the account's webhooks" })
  @ApiResponse({ status: 200, description: 'WebHookApiModel[]' })
  async list(@BillbeeCaller() caller: Caller) {
    return (await this.hub.rpc.call(caller, 'webhooksList', {})).map(toWebHook);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Billbee: register a webhook (secret 32–64 characters; echo test unless the URI has ?noecho)' })
  @ApiResponse({ status: 200, description: 'WebHookApiModel' })
  async create(@BillbeeCaller() caller: Caller, @Body() body: unknown) {
    return toWebHook(await this.hub.rpc.call(caller, 'webhooksCreate', subscriptionOf(parseBody(BillbeeWebHookBody, body))));
  }

  @Delete()
  @ApiOperation({ summary: "Billbee: delete all of the account's webhooks" })
  @ApiResponse({ status: 200, description: 'Empty body' })
  async deleteAll(@BillbeeCaller() caller: Caller): Promise<void> {
    await this.hub.rpc.call(caller, 'webhooksDeleteAll', {});
  }

  @Get(':id')
  @ApiOperation({ summary: 'Billbee: one webhook' })
  @ApiResponse({ status: 200, description: 'WebHookApiModel' })
  async get(@BillbeeCaller() caller: Caller, @Param('id') id: string) {
    return toWebHook(await this.hub.rpc.call(caller, 'webhooksGet', { subscriptionId: id }));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Billbee: replace a webhook (re-enables one the hub disabled)' })
  @ApiResponse({ status: 200, description: 'WebHookApiModel' })
  async update(@BillbeeCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown) {
    return toWebHook(
      await this.hub.rpc.call(caller, 'webhooksUpdate', { ...subscriptionOf(parseBody(BillbeeWebHookBody, body)), subscriptionId: id }),
    );
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Billbee: delete a webhook' })
  @ApiResponse({ status: 200, description: 'Empty body' })
  async delete(@BillbeeCaller() caller: Caller, @Param('id') id: string): Promise<void> {
    await this.hub.rpc.call(caller, 'webhooksDelete', { subscriptionId: id });
  }
}
