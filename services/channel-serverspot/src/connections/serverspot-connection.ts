import { ServerspotSecretsSchema, ServerspotSettingsSchema } from '@orderhub/contracts';
import { type ConnectionOf, type ConnectionRegistry, defineConnector } from '@orderhub/connector-kit';

/** SSP-1: what a Serverspot (Billbee Custom Shop API) connection holds. */
export const serverspotConnector = defineConnector({
  type: 'serverspot',
  settings: ServerspotSettingsSchema,
  secrets: ServerspotSecretsSchema,
});

export type ServerspotConnection = ConnectionOf<typeof serverspotConnector>;
export type ServerspotConnections = ConnectionRegistry<ServerspotConnection>;
export type ServerspotSettings = ServerspotConnection['settings'];
