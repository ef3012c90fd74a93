import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { createSimulatorApp, type FaultInjector, type RequestCounter } from '@orderhub/sim-kit';
import { adminRouter, SellerInputSchema, type SellerInput } from './admin';
import { tokenRouter, TokenIssuer } from './auth';
import { availabilityRouter } from './availability';
import { cancellationsRouter } from './cancellations';
import { ContinuousOrders } from './continuous';
import { sendError } from './errors';
import { OrderGenerator } from './generator';
import { ordersRouter } from './orders';
import { productsRouter } from './products';
import { shipmentsRouter } from './shipments';
import { OttoStore, type SellerAccount } from './store';

export interface OttoMarketSimulatorOptions {
  /** Seed of the order/catalog generator: same seed, same orders. */
  seed?: number;
  tokenTtlSeconds?: number;
  refreshTtlSeconds?: number;
  rateLimitPerSecond?: number;
  /** Catalog size for sellers created without an explicit `products` count. */
  defaultCatalogSize?: number;
  /** Clock for token expiry, rate limiting and timestamps; tests pass a controllable one. */
  now?: () => number;
}

export interface OttoMarketSimulator {
  app: Express;
  store: OttoStore;
  issuer: TokenIssuer;
  generator: OrderGenerator;
  continuous: ContinuousOrders;
  faults: FaultInjector;
  counter: RequestCounter;
  createSeller(input: SellerInput): SellerAccount;
  reset(options?: { sellers?: boolean }): void;
}

export function createOttoMarketSimulator(options: OttoMarketSimulatorOptions = {}): OttoMarketSimulator {
  const { app, faults, counter } = createSimulatorApp('otto-market');
  const store = new OttoStore(options.now);
  const issuer = new TokenIssuer(store, {
    tokenTtlSeconds: options.tokenTtlSeconds ?? 1800,
    refreshTtlSeconds: options.refreshTtlSeconds ?? 7200,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 20,
  });
  const generator = new OrderGenerator(store, options.seed ?? 7101);
  const continuous = new ContinuousOrders(generator);
  const catalogSizes = new Map<string, number>();

  const createSeller = (input: SellerInput): SellerAccount => {
    const data = SellerInputSchema.parse(input);
    const seller = store.addSeller({
      partnerId: data.partnerId ?? String(1000 + store.sellers.size + 1),
      username: data.username,
      password: data.password,
      clientId: data.clientId ?? `${data.username}-app`,
      clientSecret: data.clientSecret ?? randomUUID(),
    });
    const size = data.products ?? options.defaultCatalogSize ?? 20;
    catalogSizes.set(seller.partnerId, size);
    generator.createCatalog(seller.partnerId, size);
    return seller;
  };

  const reset = (resetOptions: { sellers?: boolean } = {}) => {
    continuous.stop();
    store.reset(resetOptions);
    issuer.reset();
    counter.reset();
    faults.clear();
    generator.reseed();
    if (resetOptions.sellers) catalogSizes.clear();
    for (const seller of store.sellers.values()) generator.createCatalog(seller.partnerId, catalogSizes.get(seller.partnerId) ?? 20);
  };

  app.use(adminRouter({ store, issuer, generator, continuous, createSeller, reset }));
  app.use(tokenRouter(store, issuer));
  app.use(express.json({ type: ['application/json', 'application/*+json'], limit: '5mb' }));
  // Cancellations first: `/v4/orders/:id/cancellation` must not be taken for an order read.
  app.use(cancellationsRouter(store, issuer));
  app.use(ordersRouter(store, issuer));
  app.use(shipmentsRouter(store, issuer));
  app.use(availabilityRouter(store, issuer));
  app.use(productsRouter(store, issuer));
  app.use((req, res) => sendError(res, 404, req.path, 'RESOURCE_NOT_FOUND', `No route ${req.method} ${req.path}`));
  app.use(jsonErrors);

  return { app, store, issuer, generator, continuous, faults, counter, createSeller, reset };
}

/** Unparsable bodies and unexpected failures still answer in OTTO's error envelope, never as HTML. */
const jsonErrors: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
  const title = status === 400 ? 'INVALID_JSON' : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INTERNAL_SERVER_ERROR';
  sendError(res, status, req.path, title, err instanceof Error ? err.message : String(err));
};
