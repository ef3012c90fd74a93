import { Controller, Get, Inject } from '@nestjs/common';
import { LeaseKeeper, PollScheduler } from '@orderhub/connector-kit';

@Controller()
export class ImportController {
  constructor(
    @Inject(PollScheduler) private readonly scheduler: PollScheduler,
    @Inject(LeaseKeeper) private readonly leases: LeaseKeeper,
  ) {}

  /** Which connections this replica polls right now (operations and the lease tests). */
  @Get('connector/leases')
  leasesHeld(): { replica: string; connections: string[] } {
    return { replica: this.leases.owner, connections: this.scheduler.heldConnections() };
  }
}
