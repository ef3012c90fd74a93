import { Module } from '@nestjs/common';
import { AccountSubscriptions } from './account-subscriptions';
import { SubscriptionRepository } from './subscription.repository';
import { SubscriptionsService } from './subscriptions.service';

/** Subscriptions per account: create (with the echo test), update, delete, and who wants an event. */
@Module({
  providers: [SubscriptionRepository, AccountSubscriptions, SubscriptionsService],
  exports: [SubscriptionRepository, AccountSubscriptions, SubscriptionsService],
})
export class SubscriptionsModule {}
