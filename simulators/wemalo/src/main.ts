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
  process.stdout.write(`wemalo simulator on ${running.url}/v1 (auto-ship: ${autoShipSeconds ?? 'off'})\n`);
  const shutdown = () => {
    sim.stop();
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
