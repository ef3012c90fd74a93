import { Inject, Injectable } from '@nestjs/common';
import { PlatformMetrics } from '@orderhub/platform';
import { Counter, Gauge } from 'prom-client';

/** mail-ingest's own metrics, on the service registry (no ids in labels). */
@Injectable()
export class MailMetrics {
  readonly received: Counter<'outcome'>;
  readonly forwardFailures: Counter<'reason'>;
  readonly forwarded: Counter;
  readonly processed: Counter<'outcome'>;
  readonly csvRows: Counter<'status'>;
  readonly smtpUp: Gauge;

  constructor(@Inject(PlatformMetrics) platform: PlatformMetrics) {
    const registers = [platform.registry];
    this.received = new Counter({
      name: 'orderhub_mail_received_total',
      help: 'SMTP messages by outcome (accepted, duplicate, rejected_recipient, too_large, too_many_recipients, store_failed)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.forwardFailures = new Counter({
      name: 'orderhub_mail_forward_failures_total',
      help: 'Failed attempts to forward the copy of an inbound mail to the merchant (JIM-4)',
      labelNames: ['reason'] as const,
      registers,
    });
    this.forwarded = new Counter({ name: 'orderhub_mail_forwarded_total', help: 'Forward copies delivered to the relay', registers });
    this.processed = new Counter({
      name: 'orderhub_mail_processed_total',
      help: 'Stored mails processed, by result (parsed, parked, ignored, retry)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.csvRows = new Counter({
      name: 'orderhub_import_csv_rows_total',
      help: 'CSV/XLSX import rows by result',
      labelNames: ['status'] as const,
      registers,
    });
    this.smtpUp = new Gauge({ name: 'orderhub_mail_smtp_listening', help: '1 while the SMTP listener accepts connections', registers });
  }
}
