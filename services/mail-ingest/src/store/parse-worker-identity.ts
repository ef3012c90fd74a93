import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** This process's parse worker as a lease holder: the SMTP server stores mails already leased to it. */
@Injectable()
export class ParseWorkerIdentity {
  readonly owner = `worker-${randomUUID()}`;
}
