import { Module } from '@nestjs/common';
import { SubscriptionRepository } from './subscription.repository';
import { SubscriptionsService } from './subscriptions.service';

/** Subscriptions per account: create (with the echo test), update, delete, and who wants an event. */
@Module({
  providers: [SubscriptionRepository, SubscriptionsService],
  exports: [SubscriptionRepository, SubscriptionsService],
})
export class SubscriptionsModule {}
