import { headers as natsHeaders } from '@nats-io/nats-core';
import type { JsMsg } from '@nats-io/jetstream';
import { Subjects } from '@orderhub/contracts';
import type { NatsClient } from '../nats/nats-client';

export const DlqHeaders = {
  reason: 'Orderhub-Dlq-Reason',
  subject: 'Orderhub-Dlq-Subject',
  stream: 'Orderhub-Dlq-Stream',
  streamSeq: 'Orderhub-Dlq-Stream-Seq',
  consumer: 'Orderhub-Dlq-Consumer',
  deliveries: 'Orderhub-Dlq-Deliveries',
  parkedAt: 'Orderhub-Dlq-Parked-At',
} as const;

/**
 * Parks a message in the DLQ stream under `dlq.<original logical subject>`, with the original bytes
 * and headers plus the reason. The message id makes parking idempotent if the term after it is lost.
 */
export async function parkMessage(nats: NatsClient, msg: JsMsg, consumer: string, reason: string): Promise<void> {
  const logicalSubject = nats.names.logical(msg.subject);
  const h = natsHeaders();
  if (msg.headers) {
    for (const [key, values] of msg.headers) {
      if (key === 'Nats-Msg-Id') continue;
      for (const v of values) h.append(key, v);
    }
  }
  h.set(DlqHeaders.reason, reason.slice(0, 2000).replace(/[\r\n]+/g, ' '));
  h.set(DlqHeaders.subject, logicalSubject);
  h.set(DlqHeaders.stream, msg.info.stream);
  h.set(DlqHeaders.streamSeq, String(msg.info.streamSequence));
  h.set(DlqHeaders.consumer, consumer);
  h.set(DlqHeaders.deliveries, String(msg.info.deliveryCount));
  h.set(DlqHeaders.parkedAt, new Date().toISOString());
  await nats.js.publish(nats.names.subject(`${Subjects.deadLetter}.${logicalSubject}`), msg.data, {
    headers: h,
    msgID: `dlq:${msg.info.stream}:${msg.info.streamSequence}`,
  });
}
