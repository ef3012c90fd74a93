import type { BatchOutcome } from '@orderhub/platform';
import { Controller, Inject } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { z } from 'zod';
import {
  BillbeeAuthenticateRequestSchema,
  BillbeeRpcRequests,
  type OrderImported,
  OrderImportedEvent,
  ProblemError,
  Rpc,
  Subjects,
  type BillbeeRpcRequestOf,
} from '@orderhub/contracts';
import { OrderPages } from '../application/order-pages';
import { BillbeeCredentials } from './billbee-credentials';
import { BillbeeOrderIds } from './billbee-order-ids';

/** What the gateway's Billbee face needs beyond the native operations. */
@Controller()
export class BillbeeRpc {
  constructor(
    @Inject(OrderPages) private readonly pages: OrderPages,
    @Inject(BillbeeOrderIds) private readonly orderIds: BillbeeOrderIds,
    @Inject(BillbeeCredentials) private readonly credentials: BillbeeCredentials,
  ) {}

  @MessagePattern(Rpc.ordersPage, { schema: BillbeeRpcRequests.ordersPage })
  ordersPage(@Payload() req: BillbeeRpcRequestOf<'ordersPage'>) {
    return this.pages.page(req.accountId, req.body);
  }

  @MessagePattern(Rpc.billbeeOrderResolve, { schema: BillbeeRpcRequests.orderResolve })
  async resolve(@Payload() req: BillbeeRpcRequestOf<'orderResolve'>): Promise<{ orderId: string }> {
    const orderId = await this.orderIds.resolve(req.accountId, req.body.billbeeOrderId);
    if (!orderId) throw ProblemError.notFound('order');
    return { orderId };
  }

  @MessagePattern(Rpc.billbeeCredentialsCreate, { schema: BillbeeRpcRequests.credentialsCreate })
  createCredential(@Payload() req: BillbeeRpcRequestOf<'credentialsCreate'>) {
    return this.credentials.create(req.accountId, req.body.username);
  }

  @MessagePattern(Rpc.billbeeCredentialsList, { schema: BillbeeRpcRequests.credentialsList })
  listCredentials(@Payload() req: BillbeeRpcRequestOf<'credentialsList'>) {
    return this.credentials.list(req.accountId);
  }

  @MessagePattern(Rpc.billbeeCredentialsRevoke, { schema: BillbeeRpcRequests.credentialsRevoke })
  async revokeCredential(@Payload() req: BillbeeRpcRequestOf<'credentialsRevoke'>): Promise<{ revoked: true }> {
    await this.credentials.revoke(req.accountId, req.body.credentialId);
    return { revoked: true };
  }

  @MessagePattern(Rpc.billbeeAuthenticate, { schema: BillbeeAuthenticateRequestSchema })
  authenticate(@Payload() req: z.infer<typeof BillbeeAuthenticateRequestSchema>) {
    return this.credentials.authenticate(req.apiKey, req.username, req.password);
  }

  /** Every imported order gets its way back from the Billbee number (its own durable consumer; one insert per batch). */
  @EventPattern(Subjects.orderImported, { durable: 'orders_billbee_order_ids', schema: OrderImportedEvent, batch: 256 })
  async onOrderImported(@Payload() events: OrderImported[]): Promise<BatchOutcome[]> {
    await this.orderIds.rememberMany(events.map((e) => ({ accountId: e.accountId, orderId: e.data.orderId })));
    return events.map(() => undefined);
  }
}
