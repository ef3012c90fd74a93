import { createSimulatorApp, type FaultInjector, type RequestCounter } from '@orderhub/sim-kit';
import type { Express } from 'express';
import { createAdminRouter } from './admin-router';
import { createShopApiRouter } from './api-router';
import type { GermanFakeDataFactory } from './fake-data';
import { fakerGermanData } from './faker-de';
import type { ShopConfigInput } from './shop-config';
import { ShopRegistry } from './shop-registry';

export interface CustomShopSimulatorOptions {
  /** Shops present at start and again after `POST /_admin/reset`. */
  shops?: ShopConfigInput[];
  /** The simulator's clock in epoch ms (each shop adds its own skew). Default: Date.now. */
  now?: () => number;
  /** Source of German names, addresses and product texts. Default: faker, `de` locale. */
  fakeData?: GermanFakeDataFactory;
}

export interface CustomShopSimulator {
  app: Express;
  shops: ShopRegistry;
  faults: FaultInjector;
  counter: RequestCounter;
  /** Back to the initial shops (same seeds, so the same data), no faults, no call counts. */
  reset(): void;
}

/** A process full of Billbee Custom Shop API shops (Serverspot-like), one endpoint per shop. */
export function createCustomShopSimulator(options: CustomShopSimulatorOptions = {}): CustomShopSimulator {
  const { app, faults, counter } = createSimulatorApp('custom-shop');
  const shops = new ShopRegistry(options.fakeData ?? fakerGermanData, options.now ?? Date.now);
  const initialShops = options.shops ?? [];
  const reset = () => {
    shops.clear();
    faults.clear();
    counter.reset();
    for (const config of initialShops) shops.create(config);
  };
  reset();
  app.use(createAdminRouter(shops, reset));
  app.use(createShopApiRouter(shops));
  return { app, shops, faults, counter, reset };
}
