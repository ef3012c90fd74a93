/** CONN-2: the capabilities of the seed's matrix; each connection type declares which it supports. */
export const CAPABILITIES = [
  'importOrders',
  'importArticles',
  'changeOrderState',
  'sendMessages',
  'submitTrackingNumber',
  'setStock',
  'forwardOrders',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** CONN-3: how orders of a connection come in. */
export const IMPORT_MODES = ['polling', 'email', 'push', 'csvUpload', 'csvUrl', 'textalk'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const CONNECTION_TYPES = ['otto', 'serverspot', 'jimdo', 'wemalo'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export interface ConnectionTypeProfile {
  kind: 'channel' | 'fulfillment';
  capabilities: readonly Capability[];
  importModes: readonly ImportMode[];
}

/**
 * Declared per type, not implied by code paths (CONN-2). Jimdo has no API: orders come by e-mail or
 * CSV (JIM-1), so the hub can neither write states back nor set stock there.
 */
export const CONNECTION_TYPE_PROFILES: Record<ConnectionType, ConnectionTypeProfile> = {
  otto: {
    kind: 'channel',
    capabilities: ['importOrders', 'importArticles', 'changeOrderState', 'submitTrackingNumber', 'setStock'],
    importModes: ['polling'],
  },
  serverspot: {
    kind: 'channel',
    capabilities: ['importOrders', 'importArticles', 'changeOrderState', 'submitTrackingNumber', 'setStock', 'sendMessages'],
    importModes: ['polling'],
  },
  jimdo: {
    kind: 'channel',
    capabilities: ['importOrders', 'sendMessages'],
    importModes: ['email', 'csvUpload'],
  },
  wemalo: {
    kind: 'fulfillment',
    capabilities: ['forwardOrders', 'submitTrackingNumber', 'setStock'],
    importModes: [],
  },
};

/** Whether "sync now" (the WEM-2 trigger) means anything for a type: its connector polls or sweeps. */
export function hasOnDemandSync(type: ConnectionType): boolean {
  const profile = CONNECTION_TYPE_PROFILES[type];
  return profile.kind === 'fulfillment' || profile.importModes.includes('polling');
}
