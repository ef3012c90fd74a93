import { OttoSecretsSchema, OttoSettingsSchema } from '@orderhub/contracts';
import { type ConnectionOf, type ConnectionRegistry, defineConnector } from '@orderhub/connector-kit';

/** OTTO-1: what an OTTO connection holds; the connector runtime parses and caches it. */
export const ottoConnector = defineConnector({ type: 'otto', settings: OttoSettingsSchema, secrets: OttoSecretsSchema });

/** A connection with its settings parsed (defaults applied) and its credentials decrypted. */
export type OttoConnection = ConnectionOf<typeof ottoConnector>;
export type OttoConnections = ConnectionRegistry<OttoConnection>;
