import express, { type Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { FaultInjector } from './faults';
import { RequestCounter } from './request-counter';

export interface SimulatorApp {
  app: Express;
  faults: FaultInjector;
  counter: RequestCounter;
}

/**
 * An express app with what every simulator has: call counting and fault injection in front of the
 * simulated API, and admin routes under `/_admin` (not part of any real API) to steer both.
 */
export function createSimulatorApp(name: string): SimulatorApp {
  const app = express();
  app.disable('x-powered-by');
  const faults = new FaultInjector();
  const counter = new RequestCounter();
  app.get('/_admin/health', (_req, res) => {
    res.json({ simulator: name, ok: true });
  });
  app.get('/_admin/calls', (_req, res) => {
    res.json(counter.snapshot());
  });
  app.delete('/_admin/calls', (_req, res) => {
    counter.reset();
    res.status(204).end();
  });
  app.post('/_admin/faults', express.json(), (req, res) => {
    try {
      res.json(faults.set(req.body ?? {}));
    } catch (err) {
      res.status(400).json({ error: String(err) });
    }
  });
  app.delete('/_admin/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  app.use(counter.middleware());
  app.use(faults.middleware());
  return { app, faults, counter };
}

export interface RunningSimulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on loopback only: simulators are test and demo doubles, never exposed. */
export async function listenOnLoopback(app: Express, port = 0, host = '127.0.0.1'): Promise<RunningSimulator> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
