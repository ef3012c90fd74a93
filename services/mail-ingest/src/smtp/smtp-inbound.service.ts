import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, ReadinessRegistry } from '@orderhub/platform';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { forwardEnvelopeFrom, MAIL_CONFIG, type MailIngestConfig } from '../config';
import { ConnectionDirectory, type JimdoConnection } from '../connections/connection-directory';
import { MailMetrics } from '../metrics/mail-metrics';
import { DuplicateMailError, MailStore, type MailRecipient } from '../store/mail-store';
import { MailSignals } from '../store/mail-signals';
import { ParseWorkerIdentity } from '../store/parse-worker-identity';
import { headerBlock, headerValue } from './raw-headers';

class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The inbound MX for `<connectionId>-jimdo-orderimport@<INBOUND_MAIL_DOMAIN>` (JIM-2). Never a relay:
 * any other recipient is refused at RCPT with 550. A message is answered 250 only after it is stored
 * (451 if the store fails), so a crash after the 250 loses nothing: the worker resumes from the store.
 */
@Injectable()
export class SmtpInboundService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: SMTPServer;
  private listening = false;
  private readonly sessionConnections = new WeakMap<SMTPServerSession, Map<string, JimdoConnection>>();

  constructor(
    @Inject(MAIL_CONFIG) private readonly config: MailIngestConfig,
    @Inject(ConnectionDirectory) private readonly directory: ConnectionDirectory,
    @Inject(MailStore) private readonly store: MailStore,
    @Inject(MailSignals) private readonly signals: MailSignals,
    @Inject(MailMetrics) private readonly metrics: MailMetrics,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ParseWorkerIdentity) private readonly parseWorker: ParseWorkerIdentity,
  ) {}

  get port(): number {
    const address = this.server?.server.address();
    return typeof address === 'object' && address ? address.port : this.config.SMTP_PORT;
  }

  async onApplicationBootstrap(): Promise<void> {
    const tls = this.tlsOptions();
    const server = new SMTPServer({
      name: this.config.SMTP_SERVER_NAME,
      banner: 'Order Hub mail-ingest',
      size: this.config.SMTP_MAX_MESSAGE_BYTES,
      // An MX: no AUTH at all (smtp-server would otherwise demand it with 530).
      authOptional: true,
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ?? {}),
      disableReverseLookup: true,
      maxClients: this.config.SMTP_MAX_CLIENTS,
      socketTimeout: this.config.SMTP_SOCKET_TIMEOUT_MS,
      logger: false,
      onRcptTo: (address, session, cb) => {
        this.checkRecipient(address, session).then(
          () => cb(),
          (err: unknown) => cb(err as Error),
        );
      },
      onData: (stream, session, cb) => {
        this.receive(stream, session).then(
          (message) => cb(null, message),
          (err: unknown) => cb(err as Error),
        );
      },
    });
    server.on('error', (err) => this.logger.error({ err }, 'SMTP server error'));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.config.SMTP_PORT, this.config.SMTP_HOST, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.listening = true;
    this.metrics.smtpUp.set(1);
    this.readiness.register('smtp', async () => {
      if (!this.listening || !server.server.listening) throw new Error('SMTP listener is not accepting connections');
    });
    this.logger.info({ port: this.port, host: this.config.SMTP_HOST, starttls: !!tls }, 'SMTP listener started');
  }

  async onApplicationShutdown(): Promise<void> {
    this.listening = false;
    this.metrics.smtpUp.set(0);
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private tlsOptions(): { key: Buffer; cert: Buffer } | undefined {
    const { SMTP_TLS_KEY: key, SMTP_TLS_CERT: cert } = this.config;
    if (!key || !cert) return undefined;
    return { key: readFileSync(key), cert: readFileSync(cert) };
  }

  private async checkRecipient(address: SMTPServerAddress, session: SMTPServerSession): Promise<void> {
    if (session.envelope.rcptTo.length >= this.config.SMTP_MAX_RECIPIENTS) {
      this.metrics.received.inc({ outcome: 'too_many_recipients' });
      throw new SmtpReply(452, '4.5.3 Too many recipients');
    }
    // Mailbox names are matched case-insensitively (connection ids are lower-case UUIDs): ABC-JIMDO-ORDERIMPORT@… is ours too.
    const connectionId = this.directory.parseInboundAddress(address.address.toLowerCase());
    if (!connectionId) {
      this.metrics.received.inc({ outcome: 'rejected_recipient' });
      throw new SmtpReply(550, '5.7.1 Relaying denied: unknown recipient');
    }
    const connection = await this.directory.find(connectionId);
    if (!connection) {
      if (!this.directory.directoryReachable) throw new SmtpReply(451, '4.4.3 Recipient directory unavailable, try again later');
      this.metrics.received.inc({ outcome: 'rejected_recipient' });
      throw new SmtpReply(550, '5.1.1 No such mailbox');
    }
    let map = this.sessionConnections.get(session);
    if (!map) this.sessionConnections.set(session, (map = new Map()));
    map.set(address.address.toLowerCase(), connection);
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    const max = this.config.SMTP_MAX_MESSAGE_BYTES;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Keep draining an oversized message (the client is still sending) but stop buffering it.
      if (size <= max) chunks.push(chunk);
    }
    if (stream.sizeExceeded || size > max) {
      this.metrics.received.inc({ outcome: 'too_large' });
      throw new SmtpReply(552, `5.3.4 Message exceeds the size limit of ${max} bytes`);
    }
    const raw = Buffer.concat(chunks, size);
    const sha256 = createHash('sha256').update(raw).digest('hex');
    const headers = headerBlock(raw);
    const messageId = headerValue(headers, 'Message-ID')?.replace(/^<|>$/g, '');
    const connections = this.sessionConnections.get(session) ?? new Map<string, JimdoConnection>();
    const recipients: MailRecipient[] = session.envelope.rcptTo.flatMap((r) => {
      const c = connections.get(r.address.toLowerCase());
      return c ? [{ address: r.address, connectionId: c.id, accountId: c.accountId }] : [];
    });
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const forward = this.forwardPlan(mailFrom, headers, [...connections.values()]);
    const connectionKey = [...new Set(recipients.map((r) => r.connectionId))].sort().join(',');
    try {
      const record = await this.store.insert(
        {
          dedupKey: `${messageId ?? '-'}:${sha256}:${connectionKey}`,
          ...(messageId ? { messageId } : {}),
          sha256,
          size,
          raw,
          envelope: {
            mailFrom,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            remoteAddress: session.remoteAddress,
            heloName: session.hostNameAppearsAs,
          },
          recipients,
          receivedAt: new Date(),
          forward: { ...forward, attempts: 0, nextAttemptAt: new Date(), leaseUntil: null },
        },
        // its worker is signalled right after
        { owner: this.parseWorker.owner, leaseMs: this.config.MAIL_LEASE_MS },
      );
      this.metrics.received.inc({ outcome: 'accepted' });
      this.signals.stored(record._id);
      return `2.0.0 Ok: stored as ${record._id}`;
    } catch (err) {
      if (err instanceof DuplicateMailError) {
        this.metrics.received.inc({ outcome: 'duplicate' });
        return `2.0.0 Ok: already received${err.existingId ? ` as ${err.existingId}` : ''}`;
      }
      this.metrics.received.inc({ outcome: 'store_failed' });
      this.logger.error({ err }, 'could not store inbound mail');
      throw new SmtpReply(451, '4.3.0 Temporary storage failure, try again later');
    }
  }

  /**
   * JIM-4 targets: each recipient connection's `forwardTo`, never an inbound address. A mail whose
   * envelope sender is our own forward sender came back to us (a merchant forwarding rule pointing
   * at the inbound address): it is processed but not forwarded again, which breaks the loop without
   * touching the bytes (no marker header: forward copies must stay unaltered).
   */
  private forwardPlan(
    mailFrom: string,
    headers: string,
    connections: JimdoConnection[],
  ): { state: 'pending' | 'skipped'; to: string[]; skipReason?: string } {
    if (!this.config.FORWARD_ENABLED) return { state: 'skipped', to: [], skipReason: 'forwarding disabled' };
    const ours = forwardEnvelopeFrom(this.config);
    const autoSubmitted = (headerValue(headers, 'Auto-Submitted') ?? 'no').toLowerCase();
    if (mailFrom.toLowerCase() === ours) return { state: 'skipped', to: [], skipReason: 'loop: sent by our forwarder' };
    if (autoSubmitted !== 'no' && (mailFrom === '' || this.directory.isInboundDomain(mailFrom))) {
      return { state: 'skipped', to: [], skipReason: `loop: Auto-Submitted ${autoSubmitted} from our domain` };
    }
    const to = [
      ...new Set(connections.map((c) => c.forwardTo?.toLowerCase()).filter((a): a is string => !!a && !this.directory.isInboundDomain(a))),
    ];
    if (to.length === 0) return { state: 'skipped', to, skipReason: 'no forward address' };
    return { state: 'pending', to };
  }
}
