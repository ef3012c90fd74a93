import { allowsHubToChannel, WemaloSecretsSchema, WemaloSettingsSchema } from '@orderhub/contracts';
import { type ConnectionOf, type ConnectionRegistry, defineConnector } from '@orderhub/connector-kit';

/** WEM-1: what a wemalo connection holds; the connector runtime parses and caches it. */
export const wemaloConnector = defineConnector({ type: 'wemalo', settings: WemaloSettingsSchema, secrets: WemaloSecretsSchema });

export type WemaloConnection = ConnectionOf<typeof wemaloConnector>;
export type WemaloConnections = ConnectionRegistry<WemaloConnection>;
export type WemaloSettings = WemaloConnection['settings'];

/** `order_received_by_<ordersTag>` (WEM-4). */
export const receivedTag = (c: WemaloConnection) => `order_received_by_${c.settings.ordersTag}`;

export const ACTOR = 'connector:wemalo';

/** Connections of an account that send to wemalo (CONN-4: sync direction allows hub → wemalo). */
export async function sendingConnections(connections: WemaloConnections, accountId: string): Promise<WemaloConnection[]> {
  return (await connections.ofAccount(accountId)).filter((c) => c.settings.active && allowsHubToChannel(c.settings.syncDirection));
}
