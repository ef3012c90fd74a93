import { listenOnLoopback, type RunningSimulator } from '@orderhub/sim-kit';
import { createOttoMarketSimulator, type OttoMarketSimulator, type OttoMarketSimulatorOptions } from '../src/app';

export const SELLER = {
  partnerId: '4711',
  username: 'api-user',
  password: 'api-secret',
  clientId: 'self-app',
  clientSecret: 'self-app-secret',
};

/** A controllable clock: rate limits and token expiry become deterministic. */
export class TestClock {
  constructor(public ms = Date.parse('2026-11-02T08:00:00Z')) {}
  readonly now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface Harness {
  sim: OttoMarketSimulator;
  server: RunningSimulator;
  clock: TestClock;
  url: string;
  close(): Promise<void>;
}

export async function startSimulator(options: OttoMarketSimulatorOptions = {}): Promise<Harness> {
  const clock = new TestClock();
  const sim = createOttoMarketSimulator({ now: clock.now, defaultCatalogSize: 10, ...options });
  sim.createSeller(SELLER);
  const server = await listenOnLoopback(sim.app);
  return { sim, server, clock, url: server.url, close: () => server.close() };
}

export async function passwordToken(url: string, username = SELLER.username, password = SELLER.password): Promise<Response> {
  return fetch(`${url}/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'token-otto-api', username, password }),
  });
}

export async function accessToken(url: string): Promise<string> {
  const res = await passwordToken(url);
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

export function api(url: string, token: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : undefined };
  };
  return { get: (path: string) => call('GET', path), post: (path: string, body?: unknown) => call('POST', path, body) };
}

export async function admin(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}/_admin${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`admin ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function generateOrders(url: string, count: number, fulfillmentStatus?: 'ANNOUNCED' | 'PROCESSABLE'): Promise<any[]> {
  const body = await admin(url, 'POST', '/orders/generate', { count, fulfillmentStatus });
  return (body.orders as { order: unknown }[]).map((o) => o.order);
}

export function dhlShipment(items: { positionItemId: string; salesOrderId: string }[], trackingNumber = '00340434161094042557') {
  return {
    trackingKey: { carrier: 'DHL', trackingNumber },
    shipDate: '2026-11-02T10:00:00Z',
    shipFromAddress: { city: 'Hamburg', countryCode: 'DEU', zipCode: '22179' },
    positionItems: items.map((i, n) => ({ ...i, returnTrackingKey: { carrier: 'DHL', trackingNumber: `R${trackingNumber}${n}` } })),
  };
}
