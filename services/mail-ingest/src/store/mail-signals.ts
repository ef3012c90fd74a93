import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/** In-process nudge after a mail was stored, so the workers don't wait for their next poll. */
@Injectable()
export class MailSignals extends EventEmitter {
  stored(): void {
    this.emit('stored');
  }
}
