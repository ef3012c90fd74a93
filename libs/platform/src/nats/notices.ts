import type { ZodType } from 'zod';
import type { NatsClient } from './nats-client';

/**
 * Listens to a notice on every replica (a plain subscription, no queue group). A message that is not
 * JSON or does not match `schema` is ignored: a notice only hastens what the listener's own refresh
 * would do anyway.
 */
export function onNotice<T>(nats: NatsClient, subject: string, schema: ZodType<T>, handle: (notice: T) => void): { unsubscribe(): void } {
  return nats.nc.subscribe(nats.names.subject(subject), {
    callback: (err, msg) => {
      if (err) return;
      let data: unknown;
      try {
        data = msg.json();
      } catch {
        return;
      }
      const notice = schema.safeParse(data);
      if (notice.success) handle(notice.data);
    },
  });
}
