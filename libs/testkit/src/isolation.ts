import { randomBytes } from 'node:crypto';
import { testBackends } from './backends';

export interface TestIsolation {
  /** NATS_PREFIX for services under test: their own subjects, streams and durables. */
  natsPrefix: string;
  dbName: string;
  mongoUrl: string;
  natsUrl: string;
}

/** Each test file gets its own database and subject prefix, so files run in parallel on one backend. */
export function isolate(label: string, backends: { mongoUrl: string; natsUrl: string } = testBackends()): TestIsolation {
  const id = `${label.replace(/[^a-z0-9]/gi, '').slice(0, 12)}${randomBytes(3).toString('hex')}`;
  const { mongoUrl, natsUrl } = backends;
  return { natsPrefix: `t${id}`, dbName: `t_${id}`, mongoUrl: withDatabase(mongoUrl, `t_${id}`), natsUrl };
}

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
