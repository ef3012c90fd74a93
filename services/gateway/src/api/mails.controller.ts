import { Controller, Delete, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { Answers } from '../http/answers';
import { ApiProblems } from '../http/openapi';
import { ListParkedMailsQuery, MailIdParams, MailReprocessingDto, ParkedMailPageDto } from './dto';

/**
 * JIM: an order mail that could not be parsed is parked with the reason; the merchant sees it here and
 * can have it parsed again (e.g. after a profile fix). Served by mail-ingest over RPC.
 */
@ApiTags('Mail')
@ApiKeyAuth()
@Controller('api/v1/mail')
export class MailsController {
  constructor(@Inject(TenantRpc) private readonly rpc: TenantRpc) {}

  @Get('parked')
  @ApiOperation({ summary: 'Order e-mails that could not be parsed, with the reason (newest first)' })
  @Answers(200, 'A page of parked mails (the raw mail is not included)', ParkedMailPageDto)
  listParkedMails(@CurrentCaller() caller: Caller, @Query() query: ListParkedMailsQuery) {
    return this.rpc.call(caller, 'mailParkedList', query);
  }

  @Post(':mailId/reprocess')
  @ApiOperation({ summary: 'Parse a parked e-mail again with the current mail profile; no request body' })
  @Answers(202, 'The mail is queued for parsing again', MailReprocessingDto)
  @ApiProblems(404)
  reprocessMail(@CurrentCaller() caller: Caller, @Param() { mailId }: MailIdParams) {
    return this.rpc.call(caller, 'mailReprocess', { mailId });
  }

  @Delete('parked/:mailId')
  @ApiOperation({ summary: 'Take a parked e-mail off the list (the merchant handles the order by hand); the mail itself is kept' })
  @Answers(204, 'Dropped')
  @ApiProblems(404)
  async dropParkedMail(@CurrentCaller() caller: Caller, @Param() { mailId }: MailIdParams) {
    await this.rpc.call(caller, 'mailDrop', { mailId });
  }
}
