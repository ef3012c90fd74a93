import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from '@nats-io/nats-core';
import { ApiKeyRevokedNoticeSchema, Notices } from '@orderhub/contracts';
import { NatsClient } from '@orderhub/platform';
import { ApiKeyAuthenticator } from './api-key-authenticator';

/**
 * Every replica hears every revocation (a plain subscription, no queue group) and forgets the key,
 * so a revoked key is refused everywhere at once rather than when its cache entry expires.
 */
@Injectable()
export class ApiKeyRevocations implements OnModuleInit, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(ApiKeyAuthenticator) private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  onModuleInit(): void {
    this.subscription = this.nats.nc.subscribe(this.nats.names.subject(Notices.apiKeyRevoked), {
      callback: (err, msg) => {
        if (err) return;
        let data: unknown;
        try {
          data = msg.json();
        } catch {
          return;
        }
        const notice = ApiKeyRevokedNoticeSchema.safeParse(data);
        if (notice.success) this.authenticator.forgetKey(notice.data.apiKeyId);
      },
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
