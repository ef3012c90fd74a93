import { randomBytes } from 'node:crypto';
import type { TestIsolation } from './isolation';
import { ServiceProcess } from './service-process';
import { SIMULATOR_HOSTS } from './system';

/** A fresh 32-byte secrets key (base64), e.g. to open a SecretBox in the test with the services' key. */
export const newSecretsKey = (): string => randomBytes(32).toString('base64');

/** A one-key ring (`k1`) for the services under test. */
export const secretsEnv = (key: string): { SECRETS_KEYS: string; SECRETS_ACTIVE_KEY: string } => ({
  SECRETS_KEYS: `k1:${key}`,
  SECRETS_ACTIVE_KEY: 'k1',
});

/** The env of the services one test file starts: under its isolation, sharing one secrets key ring. */
export class ServiceEnv {
  constructor(readonly secretsKey: string = newSecretsKey()) {}

  /** The orders service, with a quick outbox relay (100 ms polls, 1 s lease). */
  orders(iso: TestIsolation, extra: Record<string, string> = {}): Record<string, string> {
    return {
      MONGO_URL: iso.mongoUrl,
      NATS_URL: iso.natsUrl,
      NATS_PREFIX: iso.natsPrefix,
      ...secretsEnv(this.secretsKey),
      CONNECTION_URL_ALLOW_HOSTS: SIMULATOR_HOSTS,
      OUTBOX_POLL_MS: '100',
      OUTBOX_LEASE_MS: '1000',
      ...extra,
    };
  }

  /** Starts the orders service (`workspace`: another build of it, e.g. a clean checkout while the tree's is mid-change). */
  startOrders(iso: TestIsolation, extra: Record<string, string> = {}, workspace = 'services/orders'): Promise<ServiceProcess> {
    return ServiceProcess.start(workspace, this.orders(iso, extra));
  }

  /** A polling connector: no database, quick poll ticks and connection refreshes. */
  connector(iso: TestIsolation, extra: Record<string, string> = {}): Record<string, string> {
    return {
      NATS_URL: iso.natsUrl,
      NATS_PREFIX: iso.natsPrefix,
      ...secretsEnv(this.secretsKey),
      POLL_TICK_MS: '200',
      CONNECTION_REFRESH_MS: '500',
      ...extra,
    };
  }
}
