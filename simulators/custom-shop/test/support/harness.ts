import { listenOnLoopback, type RunningSimulator } from '@orderhub/sim-kit';
import { createCustomShopSimulator, type CustomShopSimulator, type CustomShopSimulatorOptions } from '../../src/app';
import { computeCustomShopKey } from '../../src/key';
import { germanFixtureData } from './german-fixture';

/** Mid-window on purpose (…500 s), so small skews stay inside the current 1000 s Key window. */
export const T0_MS = 1_700_000_500_000;

export interface Harness {
  sim: CustomShopSimulator;
  server: RunningSimulator;
  clock: { ms: number };
  close(): Promise<void>;
}

export async function startSimulator(options: CustomShopSimulatorOptions = {}): Promise<Harness> {
  const clock = { ms: T0_MS };
  const sim = createCustomShopSimulator({ fakeData: germanFixtureData, now: () => clock.ms, ...options });
  const server = await listenOnLoopback(sim.app);
  return { sim, server, clock, close: () => server.close() };
}

export interface ShopCall {
  shopId: string;
  shopKey: string;
  action?: string;
  /** Query parameters besides Action and Key (GET actions). */
  query?: Record<string, string>;
  /** Form body (POST actions), sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  json?: unknown;
  basicAuth?: { username: string; password: string };
  /** The client's clock in Unix seconds; default: the harness clock. */
  clientUnixSeconds?: number;
  /** Overrides the computed Key. */
  key?: string;
}

/** A hub-side client as a connector would call the shop: Action and Key in the query, forms for writes. */
export async function callShop(
  h: Harness,
  call: ShopCall,
): Promise<{ status: number; text: string; json: () => unknown; headers: Headers }> {
  const unix = call.clientUnixSeconds ?? Math.floor(h.clock.ms / 1000);
  const search = new URLSearchParams();
  if (call.action !== undefined) search.set('Action', call.action);
  search.set('Key', call.key ?? computeCustomShopKey(call.shopKey, unix));
  for (const [k, v] of Object.entries(call.query ?? {})) search.set(k, v);
  const headers: Record<string, string> = {};
  if (call.basicAuth)
    headers.authorization = `Basic ${Buffer.from(`${call.basicAuth.username}:${call.basicAuth.password}`).toString('base64')}`;
  let body: string | undefined;
  if (call.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(call.form).toString();
  } else if (call.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.json);
  }
  const res = await fetch(`${h.server.url}/shops/${call.shopId}/api?${search.toString()}`, {
    method: call.form || call.json !== undefined ? 'POST' : 'GET',
    headers,
    body,
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as unknown, headers: res.headers };
}

export async function admin(h: Harness, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${h.server.url}/_admin${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
