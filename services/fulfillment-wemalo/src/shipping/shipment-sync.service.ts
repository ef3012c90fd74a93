import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConnectorMetrics, contentHash, OrdersInbox } from '@orderhub/connector-kit';
import { type FulfillmentParcelsShipped, type Order, ProblemError, Rpc } from '@orderhub/contracts';
import { LOGGER, RpcClient } from '@orderhub/platform';
import { ACTOR, type WemaloConnection } from '../connections/wemalo-connection';
import { WemaloClients } from '../clients/wemalo-clients';
import { ProfilesCache } from '../clients/profiles-cache';
import type { WemaloClient } from '../clients/wemalo-client';
import type { WemaloDispatcher, WemaloPackage, WemaloSentBooking } from '../clients/wemalo-types';
import { WemaloMetrics } from '../clients/wemalo-metrics';

type Parcel = FulfillmentParcelsShipped['data']['parcels'][number];

/**
 * WEM-6: parcels handed to the carrier become shipments of the hub order (return labels as
 * shipments of type `return`); the orders service then sets the order shipped. The carrier name is
 * taken only if wemalo has a shipping profile with the parcel's profile name; otherwise the raw
 * carrier code stays and that is recorded on the order. Sent-package bookings are marked synced only
 * after the report is in JetStream, so a crash re-reports (same event id: dropped) instead of losing.
 */
@Injectable()
export class ShipmentSyncService {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(WemaloClients) private readonly clients: WemaloClients,
    @Inject(ProfilesCache) private readonly profiles: ProfilesCache,
    @Inject(OrdersInbox) private readonly inbox: OrdersInbox,
    @Inject(ConnectorMetrics) private readonly connectorMetrics: ConnectorMetrics,
    @Inject(WemaloMetrics) private readonly metrics: WemaloMetrics,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Polls unsynced sent packages (all orders, or one from a webhook), reports them, marks them synced. */
  async syncSent(connection: WemaloConnection, externalId?: string): Promise<number> {
    const client = this.clients.for(connection);
    const bookings: WemaloSentBooking[] = [];
    // Collect first: marking shifts the pages of the unsynced list.
    for (let page = 0; page < 100; page++) {
      const result = await client.sentPackages(page, externalId);
      bookings.push(...result.bookings);
      if (!result.additionalPage) break;
    }
    const byOrder = new Map<string, WemaloSentBooking[]>();
    for (const b of bookings) byOrder.set(b.externalGoodsOrderId, [...(byOrder.get(b.externalGoodsOrderId) ?? []), b]);
    let reported = 0;
    for (const [orderId, list] of byOrder) {
      reported += await this.reportOrder(connection, client, orderId);
      for (const b of list) await client.markSynced(b.historyId);
    }
    return reported;
  }

  /** Reports every handed-over parcel of one goods order; returns how many parcels were reported. */
  private async reportOrder(connection: WemaloConnection, client: WemaloClient, orderId: string): Promise<number> {
    const order = await this.hubOrder(connection, orderId);
    if (!order) {
      this.log.warn(
        { connectionId: connection.id, externalGoodsOrderId: orderId },
        'sent package of a goods order the hub does not know; skipped',
      );
      return 0;
    }
    const packages = (await client.packages(orderId)).filter((p) => p.isHandedOver && p.trackingNumber);
    if (packages.length === 0) return 0;
    const dispatchers = await this.profiles.get(client);
    const parcels: Parcel[] = [];
    const unnamed: string[] = [];
    for (const p of packages) {
      const { carrier, shippingProfile } = carrierOf(p, dispatchers);
      if (!shippingProfile) unnamed.push(`${p.trackingNumber} (profile "${p.profileName}", carrier code ${carrier})`);
      const profile = shippingProfile ? { shippingProfile } : {};
      parcels.push({ type: 'shipment', carrier, trackingNumber: p.trackingNumber, ...profile });
      if (p.returnTrackingNumber) parcels.push({ type: 'return', carrier, trackingNumber: p.returnTrackingNumber, ...profile });
    }
    await this.inbox.reportParcelsShipped(connection, { orderId: order.id, parcels });
    if (unnamed.length) {
      await this.inbox.reportActivity(
        connection,
        {
          orderId: order.id,
          action: 'wemalo: carrier name',
          outcome: 'ok',
          ruleId: 'WEM-6',
          detail: `carrier name not taken, no wemalo shipping profile with the identical name; kept the carrier code for ${unnamed.join(', ')}`,
        },
        `carrier:${contentHash(unnamed)}`,
      );
    }
    for (const p of parcels) this.metrics.parcelsReported.inc({ type: p.type });
    this.connectorMetrics.writeBacks.inc({ connector: 'wemalo', action: 'parcels-shipped', outcome: 'ok' });
    this.log.info({ orderId: order.id, connectionId: connection.id, parcels: parcels.length }, 'wemalo parcels reported as shipments');
    return parcels.length;
  }

  private async hubOrder(connection: WemaloConnection, orderId: string): Promise<Order | undefined> {
    try {
      return await this.rpc.call<Order>(Rpc.ordersGet, { accountId: connection.accountId, actor: ACTOR, body: { orderId } });
    } catch (err) {
      if (err instanceof ProblemError && (err.problem.status === 404 || err.problem.status === 400)) return undefined;
      throw err;
    }
  }
}

/** WEM-6: the carrier name only when a wemalo profile carries exactly the parcel's profile name. */
export function carrierOf(p: WemaloPackage, dispatchers: WemaloDispatcher[]): { carrier: string; shippingProfile?: string } {
  const code = (p.carrier ?? '').trim() || 'unknown';
  const owner = dispatchers.find((d) => d.profiles.some((profile) => profile.name !== undefined && profile.name === p.profileName));
  return owner ? { carrier: owner.name.slice(0, 100), shippingProfile: p.profileName } : { carrier: code.slice(0, 100) };
}
