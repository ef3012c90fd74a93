import { listenOnLoopback, simulatorListenConfig } from '@orderhub/sim-kit';
import { createWemaloSimulator } from './app';

async function main(): Promise<void> {
  const { port, host } = simulatorListenConfig(7103);
  const token = process.env.WEMALO_SIM_TOKEN ?? 'demo-wemalo-token';
  const rawAutoShip = process.env.WEMALO_SIM_AUTO_SHIP_SECONDS;
  const autoShipSeconds = rawAutoShip ? Number(rawAutoShip) : undefined;
  if (autoShipSeconds !== undefined && !(autoShipSeconds > 0)) {
    throw new Error(`WEMALO_SIM_AUTO_SHIP_SECONDS must be a positive number, got ${rawAutoShip}`);
  }
  const sim = createWemaloSimulator({ token, ...(autoShipSeconds !== undefined ? { autoShipSeconds } : {}) });
  const running = await listenOnLoopback(sim.app, port, host);
  console.log(`wemalo simulator on ${running.url}/v1 (auto-ship: ${autoShipSeconds ?? 'off'})`);
  const shutdown = () => {
    sim.stop();
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
