import type { ConnectionType } from '../../api/client';
import type { MessageKey } from '../../i18n/en';

/** CONN-2: the seed's capability matrix, in its order; the hub declares per type which it supports. */
export const CAPABILITIES = [
  'importOrders',
  'importArticles',
  'changeOrderState',
  'sendMessages',
  'submitTrackingNumber',
  'setStock',
  'forwardOrders',
] as const;

/** Mirrors CONNECTION_TYPE_PROFILES of @orderhub/contracts (the API reports them per connection too). */
export const TYPE_CAPABILITIES: Record<ConnectionType, readonly (typeof CAPABILITIES)[number][]> = {
  otto: ['importOrders', 'importArticles', 'changeOrderState', 'submitTrackingNumber', 'setStock'],
  serverspot: ['importOrders', 'importArticles', 'changeOrderState', 'submitTrackingNumber', 'setStock', 'sendMessages'],
  jimdo: ['importOrders', 'sendMessages'],
  wemalo: ['forwardOrders', 'submitTrackingNumber', 'setStock'],
};
export const CONNECTION_TYPES = Object.keys(TYPE_CAPABILITIES) as ConnectionType[];

export type FieldKind = 'text' | 'url' | 'email' | 'secret' | 'switch' | 'number' | 'syncDirection' | 'orderState';

export interface FieldSpec {
  /** Settings key (dotted for nested objects, e.g. `shipFrom.city`) or secrets key for kind `secret`. */
  key: string;
  kind: FieldKind;
  label: MessageKey;
  default?: string | number | boolean;
  required?: boolean;
}

const name: FieldSpec = { key: 'name', kind: 'text', label: 'field.name', required: true };
const syncDirection: FieldSpec = { key: 'syncDirection', kind: 'syncDirection', label: 'field.syncDirection', default: 'both' };
const importOrders: FieldSpec = { key: 'importOrders', kind: 'switch', label: 'field.importOrders', default: true };
const active: FieldSpec = { key: 'active', kind: 'switch', label: 'field.active', default: true };
const pollInterval: FieldSpec = { key: 'pollIntervalSeconds', kind: 'number', label: 'field.pollIntervalSeconds', default: 60 };

/** One form per type with the seed's fields and defaults (SSP-1, OTTO-1, WEM-1, JIM-2). */
export const TYPE_FORMS: Record<ConnectionType, FieldSpec[]> = {
  otto: [
    name,
    { key: 'username', kind: 'secret', label: 'field.username', required: true },
    { key: 'password', kind: 'secret', label: 'field.password', required: true },
    syncDirection,
    importOrders,
    { key: 'lockPositions', kind: 'switch', label: 'field.lockPositions', default: true },
    { key: 'apiBaseUrl', kind: 'url', label: 'field.apiBaseUrl', default: 'https://api.otto.market', required: true },
    { key: 'shipFrom.city', kind: 'text', label: 'field.shipFromCity' },
    { key: 'shipFrom.zipCode', kind: 'text', label: 'field.shipFromZip' },
    { key: 'shipFrom.countryCode', kind: 'text', label: 'field.shipFromCountry' },
    pollInterval,
    active,
  ],
  serverspot: [
    name,
    { key: 'apiUrl', kind: 'url', label: 'field.apiUrl', required: true },
    { key: 'shopKey', kind: 'secret', label: 'field.shopKey', required: true },
    { key: 'basicAuthUser', kind: 'text', label: 'field.basicAuthUser' },
    { key: 'basicAuthPassword', kind: 'secret', label: 'field.basicAuthPassword' },
    syncDirection,
    importOrders,
    { key: 'lockPositionsForbidInvoices', kind: 'switch', label: 'field.lockPositionsForbidInvoices', default: false },
    { key: 'priceAdjustmentArticleSku', kind: 'text', label: 'field.priceAdjustmentArticleSku' },
    { key: 'smtpServer', kind: 'text', label: 'field.smtpServer' },
    { key: 'paymentDueDays', kind: 'number', label: 'field.paymentDueDays', default: 14 },
    pollInterval,
    active,
  ],
  jimdo: [name, { key: 'forwardTo', kind: 'email', label: 'field.forwardTo', required: true }, syncDirection, importOrders, active],
  wemalo: [
    name,
    { key: 'apiToken', kind: 'secret', label: 'field.apiToken', required: true },
    { key: 'orderStateId', kind: 'orderState', label: 'field.orderStateId', default: 3 },
    { key: 'storageLocationId', kind: 'number', label: 'field.storageLocationId', default: 0 },
    { key: 'ordersTag', kind: 'text', label: 'field.ordersTag', default: 'wemalo', required: true },
    { key: 'syncIntervalMinutes', kind: 'number', label: 'field.syncIntervalMinutes', default: 60 },
    { key: 'apiBaseUrl', kind: 'url', label: 'field.apiBaseUrl', default: 'https://connect.wemalo.com/v1', required: true },
    active,
  ],
};

export type FormValues = Record<string, string | number | boolean>;

export function initialValues(type: ConnectionType, settings?: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of TYPE_FORMS[type]) {
    if (field.kind === 'secret') values[field.key] = '';
    else {
      const current = settings
        ? field.key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], settings)
        : undefined;
      values[field.key] = (current as string | number | boolean | undefined) ?? field.default ?? (field.kind === 'switch' ? false : '');
    }
  }
  return values;
}

/** Form values → the API's `{ settings, secrets }`: empty optional fields are left out, dotted keys nest. */
export function toRequest(
  type: ConnectionType,
  values: FormValues,
): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const field of TYPE_FORMS[type]) {
    const value = values[field.key];
    if (value === '' || value === undefined) continue;
    if (field.kind === 'secret') {
      secrets[field.key] = String(value);
      continue;
    }
    const path = field.key.split('.');
    let target = settings;
    for (const part of path.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1]!] = value;
  }
  return { settings, secrets };
}
