import { listenOnLoopback, type RunningSimulator } from '@orderhub/sim-kit';
import { createWemaloSimulator, type WemaloSimulator, type WemaloSimulatorOptions } from '../src/app';

export const TOKEN = 'test-wemalo-token';

export interface Harness {
  sim: WemaloSimulator;
  server: RunningSimulator;
  /** Calls `/v1/<path>` with the JWT header. */
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any; headers: Headers }>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startWemalo(options: Partial<WemaloSimulatorOptions> = {}): Promise<Harness> {
  const sim = createWemaloSimulator({ token: TOKEN, ...options });
  const server = await listenOnLoopback(sim.app);
  const request = async (url: string, method: string, body: unknown, headers: Record<string, string>) => {
    const res = await fetch(url, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  return {
    sim,
    server,
    call: (method, path, body, token = TOKEN) => request(`${server.url}/v1${path}`, method, body, { authorization: `JWT ${token}` }),
    admin: (method, path, body) => request(`${server.url}/_admin${path}`, method, body, {}),
    close: async () => {
      sim.stop();
      await server.close();
    },
  };
}

export function product(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalId: `art-${n}`,
    sku: `SKU-${n}`,
    ean: `40000000000${String(n).padStart(2, '0')}`,
    productGroup: 'default',
    name: `Artikel ${n}`,
    depth: 10,
    height: 5,
    width: 20,
    grossWeight: 300,
    ...extra,
  };
}

export function goodsOrder(externalId: string, positions: { externalId: string; quantity: number }[], meta: Record<string, unknown> = {}) {
  return {
    meta: {
      externalId,
      orderNumber: `ON-${externalId}`,
      currency: 'EUR',
      total: 39.98,
      dispatcherProfile: 'dhl_paket',
      priority: 3,
      receiver: [
        {
          primary: true,
          name1: 'Erika Mustermann',
          street: 'Heidestraße',
          streetNumber: '17',
          zip: '51147',
          city: 'Köln',
          countryCode2Letter: 'DE',
          email: 'erika@example.org',
        },
      ],
      ...meta,
    },
    positions: positions.map((p, i) => ({ ...p, externalPositionIdentifier: `pos-${i + 1}`, total: 1999, tax: 319 })),
  };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
