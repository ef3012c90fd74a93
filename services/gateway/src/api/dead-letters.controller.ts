import { Controller, Delete, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { AccountDeadLetters } from '../dead-letters/account-dead-letters';
import { Answers } from '../http/answers';
import { ApiProblems } from '../http/openapi';
import { DeadLetterListDto, DeadLetterSeqParams } from './dto';

/** Messages of the account that a service parked on the dead-letter stream: see why, replay after a fix, or drop. */
@ApiTags('Problems')
@ApiKeyAuth()
@Controller('api/v1/dead-letters')
export class DeadLettersController {
  constructor(
    @Inject(AccountDeadLetters) private readonly deadLetters: AccountDeadLetters,
    @Inject(TenantRpc) private readonly rpc: TenantRpc,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Parked messages of the account with the reason (oldest first)' })
  @Answers(200, 'The parked messages', DeadLetterListDto)
  async list(@CurrentCaller() caller: Caller) {
    return { items: await this.deadLetters.list(caller.accountId) };
  }

  @Post(':seq/replay')
  @ApiOperation({ summary: 'Publish the message again to its subject (after a fix) and remove it from the list; no request body' })
  @Answers(204, 'Replayed')
  @ApiProblems(404)
  async replay(@CurrentCaller() caller: Caller, @Param() { seq }: DeadLetterSeqParams) {
    await this.rpc.call(caller, 'deadLettersReplay', { seq });
  }

  @Delete(':seq')
  @ApiOperation({ summary: 'Drop the parked message for good' })
  @Answers(204, 'Dropped')
  @ApiProblems(404)
  async drop(@CurrentCaller() caller: Caller, @Param() { seq }: DeadLetterSeqParams) {
    await this.deadLetters.drop(caller.accountId, seq);
  }
}
