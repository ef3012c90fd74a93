import { BaseRpcContext } from '@nestjs/microservices';
import type { JsMsg } from '@nats-io/jetstream';

/** Second argument of a JetStream handler: the message's delivery facts. */
export class JetStreamContext extends BaseRpcContext<[JsMsg]> {
  constructor(msg: JsMsg) {
    super([msg]);
  }

  get message(): JsMsg {
    return this.args[0];
  }

  get deliveryCount(): number {
    return this.message.info.deliveryCount;
  }

  /** Tells JetStream a long handler is still working, so it does not redeliver meanwhile. */
  working(): void {
    this.message.working();
  }
}
