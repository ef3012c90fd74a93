import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/** In-process nudge after a mail was stored (with its id), so the workers don't wait for their next poll. */
@Injectable()
export class MailSignals extends EventEmitter {
  stored(mailId: string): void {
    this.emit('stored', mailId);
  }
}
