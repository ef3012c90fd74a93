import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ApiKeyRevokedNoticeSchema, Notices } from '@orderhub/contracts';
import { NatsClient, onNotice } from '@orderhub/platform';
import { ApiKeyAuthenticator } from './api-key-authenticator';

/**
 * Every replica hears every revocation (a plain subscription, no queue group) and forgets the key,
 * so a revoked key is refused everywhere at once rather than when its cache entry expires.
 */
@Injectable()
export class ApiKeyRevocations implements OnModuleInit, OnModuleDestroy {
  private subscription?: { unsubscribe(): void };

  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(ApiKeyAuthenticator) private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  onModuleInit(): void {
    this.subscription = onNotice(this.nats, Notices.apiKeyRevoked, ApiKeyRevokedNoticeSchema, (n) =>
      this.authenticator.forgetKey(n.apiKeyId),
    );
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
