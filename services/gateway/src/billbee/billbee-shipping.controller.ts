import { Get, Inject, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { billbeePage, BillbeeShippingCarriers, toBillbeeShopAccount } from '@orderhub/contracts';
import type { Request } from 'express';
import type { Caller } from '../auth/api-key-authenticator';
import { BillbeeCaller } from './billbee-auth.guard';
import { BillbeeHub } from './billbee-hub';
import { BillbeeController, pagingOf } from './billbee-http';

/** Carriers, shipping providers and shop accounts (our channel connections). */
@BillbeeController()
export class BillbeeShippingController {
  constructor(@Inject(BillbeeHub) private readonly hub: BillbeeHub) {}

  @Get('shipment/shippingcarriers')
  @ApiOperation({ summary: 'Billbee: shipping carriers (ShippingCarrier ids), bare array' })
  @ApiResponse({ status: 200, description: '[{Id, Name}]' })
  carriers() {
    return BillbeeShippingCarriers.map(({ Id, Name }) => ({ Id, Name }));
  }

  @Get('shipment/shippingproviders')
  @ApiOperation({ summary: 'Billbee: shipping providers (one per carrier; the hub prints no labels), bare array with lower-case keys' })
  @ApiResponse({ status: 200, description: '[{id, name, products}]' })
  providers() {
    return BillbeeShippingCarriers.filter((c) => c.Id !== 0).map((c) => ({ id: c.Id, name: c.Name, products: [] }));
  }

  @Get('shopaccounts')
  @ApiOperation({ summary: "Billbee: the account's channel connections as shop accounts, paged" })
  @ApiResponse({ status: 200, description: 'ApiPagedResult<ShopAccount[]>' })
  async shopAccounts(@BillbeeCaller() caller: Caller, @Req() req: Request) {
    const { page, pageSize } = pagingOf(req);
    const all = (await this.hub.connections(caller)).map(toBillbeeShopAccount);
    return billbeePage(all.slice((page - 1) * pageSize, page * pageSize), page, pageSize, all.length);
  }
}
