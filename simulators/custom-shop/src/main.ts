import { listenOnLoopback, simulatorListenConfig } from '@orderhub/sim-kit';
import { shopApiPath } from './api-router';
import { createCustomShopSimulator } from './app';

async function main(): Promise<void> {
  const shopId = process.env.CUSTOM_SHOP_SIM_SHOP_ID ?? 'demo-shop';
  const key = process.env.CUSTOM_SHOP_SIM_KEY ?? 'demo-shop-key';
  const demoRateMs = process.env.CUSTOM_SHOP_SIM_DEMO_RATE_MS ? Number(process.env.CUSTOM_SHOP_SIM_DEMO_RATE_MS) : undefined;
  if (demoRateMs !== undefined && !(Number.isInteger(demoRateMs) && demoRateMs >= 10)) {
    throw new Error(`CUSTOM_SHOP_SIM_DEMO_RATE_MS must be an integer >= 10, got ${process.env.CUSTOM_SHOP_SIM_DEMO_RATE_MS}`);
  }
  const simulator = createCustomShopSimulator({ shops: [{ shopId, key, products: 25, orders: 20, feedIntervalMs: demoRateMs }] });
  const { port, host } = simulatorListenConfig(7102);
  const running = await listenOnLoopback(simulator.app, port, host);
  console.log(`custom-shop simulator on ${running.url}; shop "${shopId}" at ${running.url}${shopApiPath(shopId)}`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
