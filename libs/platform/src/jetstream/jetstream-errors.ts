import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';

/** The JetStream API refused with this error code (the server's `err_code`, not its wording). */
export function isJetStreamApiError(err: unknown, code: JetStreamApiCodes): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

export const isStreamNotFound = (err: unknown) => isJetStreamApiError(err, JetStreamApiCodes.StreamNotFound);
export const isConsumerNotFound = (err: unknown) => isJetStreamApiError(err, JetStreamApiCodes.ConsumerNotFound);
