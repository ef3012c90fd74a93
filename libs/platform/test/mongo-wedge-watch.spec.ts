import { createServer, type Server, type Socket } from 'node:net';
import pino from 'pino';
import { freePort, testBackends } from '@orderhub/testkit';
import { MongoWedgeWatch, ReadinessRegistry } from '../src';

/** The safety net behind liveness: only a client that fails while the database answers others is "stuck". */
describe('MongoWedgeWatch', () => {
  const logger = pino({ level: 'silent' });
  const failingPing = () => Promise.reject(new Error('server selection timed out'));
  const options = { intervalMs: 60_000, afterMs: 200 };

  it('marks the process stuck when its own pings fail for afterMs while a new client reaches the database', async () => {
    const registry = new ReadinessRegistry();
    const watch = new MongoWedgeWatch(failingPing, testBackends().mongoUrl, registry, logger, options);
    await watch.check();
    expect(registry.stuckClients()).toEqual({}); // failing, but not for long enough yet
    await new Promise((r) => setTimeout(r, 250));
    await watch.check();
    expect(registry.stuckClients()).toEqual({ mongo: expect.stringContaining('database answers') });
  });

  it('does not mark anything while the database itself does not answer (a restart would not help)', async () => {
    // A port that accepts TCP but never speaks the wire protocol: a database that hangs.
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => void sockets.add(socket));
    const port = await freePort();
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    try {
      const registry = new ReadinessRegistry();
      const watch = new MongoWedgeWatch(failingPing, `mongodb://127.0.0.1:${port}/x`, registry, logger, options);
      await watch.check();
      await new Promise((r) => setTimeout(r, 250));
      await watch.check();
      expect(registry.stuckClients()).toEqual({});
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('a ping that succeeds again resets the clock', async () => {
    const registry = new ReadinessRegistry();
    let up = false;
    const watch = new MongoWedgeWatch(() => (up ? Promise.resolve() : failingPing()), testBackends().mongoUrl, registry, logger, options);
    await watch.check();
    await new Promise((r) => setTimeout(r, 250));
    up = true;
    await watch.check();
    up = false;
    await watch.check();
    expect(registry.stuckClients()).toEqual({});
  });

  it('a process marked stuck is live again once its own pings succeed (a database pause is over, the pool has caught up)', async () => {
    const registry = new ReadinessRegistry();
    let up = false;
    const watch = new MongoWedgeWatch(() => (up ? Promise.resolve() : failingPing()), testBackends().mongoUrl, registry, logger, options);
    await watch.check();
    await new Promise((r) => setTimeout(r, 250));
    await watch.check();
    expect(registry.stuckClients()).toEqual({ mongo: expect.any(String) });
    up = true;
    await watch.check();
    expect(registry.stuckClients()).toEqual({});
  });
});
