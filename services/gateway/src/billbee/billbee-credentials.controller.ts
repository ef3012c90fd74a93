import { Body, Controller, Delete, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { BillbeeCredentialsCreateSchema, ProblemError } from '@orderhub/contracts';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { TenantRpc } from '../clients/tenant-rpc.client';
import { Answers } from '../http/answers';
import { ApiProblems } from '../http/openapi';

/** Native API: the credentials Billbee clients log in with (user, API password, X-Billbee-Api-Key). */
@ApiTags('Billbee credentials')
@ApiKeyAuth()
@Controller('api/v1/billbee-credentials')
export class BillbeeCredentialsController {
  constructor(@Inject(TenantRpc) private readonly rpc: TenantRpc) {}

  @Post()
  @ApiOperation({ summary: 'Issue Billbee API credentials; the API key and password are shown only in this answer' })
  @Answers(201, 'The credentials with apiKey and password')
  @ApiProblems(409)
  create(@CurrentCaller() caller: Caller, @Body() body: unknown) {
    const parsed = BillbeeCredentialsCreateSchema.safeParse(body ?? {});
    if (!parsed.success) throw ProblemError.validation(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    return this.rpc.call(caller, 'billbeeCredentialsCreate', parsed.data);
  }

  @Get()
  @ApiOperation({ summary: "The account's Billbee credentials (user names only)" })
  @Answers(200, 'The credentials')
  list(@CurrentCaller() caller: Caller) {
    return this.rpc.call(caller, 'billbeeCredentialsList', {});
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke Billbee credentials: their logins stop working (within the gateway login cache, 30 s)' })
  @Answers(200, 'Revoked')
  @ApiProblems(404)
  revoke(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.rpc.call(caller, 'billbeeCredentialsRevoke', { credentialId: id });
  }
}
