import { listenOnLoopback, simulatorListenConfig } from '@orderhub/sim-kit';
import { createOttoMarketSimulator } from './app';

/** Standalone OTTO Market simulator for the demo and local development (default port 7101). */
async function main(): Promise<void> {
  const { port, host } = simulatorListenConfig(7101);
  const env = process.env;
  const simulator = createOttoMarketSimulator({
    seed: env.OTTO_SIM_SEED ? Number(env.OTTO_SIM_SEED) : undefined,
    tokenTtlSeconds: env.OTTO_SIM_TOKEN_TTL_SECONDS ? Number(env.OTTO_SIM_TOKEN_TTL_SECONDS) : undefined,
  });
  const seller = simulator.createSeller({
    partnerId: env.OTTO_SIM_PARTNER_ID ?? '1001',
    username: env.OTTO_SIM_USERNAME ?? 'demo-otto',
    password: env.OTTO_SIM_PASSWORD ?? 'demo-otto-secret',
    clientId: env.OTTO_SIM_CLIENT_ID ?? 'demo-otto-app',
    clientSecret: env.OTTO_SIM_CLIENT_SECRET ?? 'demo-otto-app-secret',
  });
  const initialOrders = Number(env.OTTO_SIM_INITIAL_ORDERS ?? 0);
  for (let i = 0; i < initialOrders; i++) simulator.generator.createOrder(seller.partnerId);
  if (env.OTTO_SIM_DEMO_RATE_MS) simulator.continuous.start(seller.partnerId, Number(env.OTTO_SIM_DEMO_RATE_MS));

  const running = await listenOnLoopback(simulator.app, port, host);
  console.log(`otto-market simulator on ${running.url} (seller ${seller.username}, partnerId ${seller.partnerId})`);
  const stop = () => {
    simulator.continuous.stop();
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
