import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ImportJobDetailSchema, ImportJobSchema, ImportRowPageSchema } from '@orderhub/contracts';
import type { Request, Response } from 'express';
import type { Caller } from '../auth/api-key-authenticator';
import { ApiKeyAuth, CurrentCaller } from '../auth/api-key.guard';
import { MailIngestClient } from '../clients/mail-ingest.client';
import { Answers } from '../http/answers';
import { StreamedBody } from '../http/body-types';
import { ApiProblems } from '../http/openapi';
import { ImportJobDetailDto, ImportJobDto, ImportRowPageDto, ImportRowsQuery, ImportUploadQuery, JobIdParams } from './dto';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * JIM-5 / CONN-3 file import, served by mail-ingest's HTTP API (`MAIL_INGEST_URL`): the gateway
 * authenticates, sets `X-Account-Id` from the API key and pipes the file through unread (NATS
 * messages stop at 1 MB, an export may have 100 000 rows). These routes start a job and read it.
 */
@ApiTags('Imports')
@ApiKeyAuth()
@Controller('api/v1/imports')
export class ImportsController {
  constructor(@Inject(MailIngestClient) private readonly mailIngest: MailIngestClient) {}

  @Post('csv')
  @ApiOperation({
    summary: 'Import a Jimdo order export (CSV or XLSX, JIM-5); answers 202 with the job, processing continues',
    description:
      'Send the file as `multipart/form-data` (field `file`) or as the raw body (`text/csv`, or the .xlsx media type). ' +
      'The file is streamed (up to IMPORT_MAX_BYTES, 200 MB by default), never buffered. Poll `GET /api/v1/imports/{jobId}` ' +
      'until `state` is no longer `running`. 404 when the connection is not a jimdo connection of the account.',
  })
  @StreamedBody('The export file (CSV or XLSX); in a form, the first file field', 'multipart/form-data', 'text/csv', XLSX)
  @Answers(202, 'The job was created; `Location` points at it', ImportJobDto)
  @ApiProblems(404)
  uploadOrderImport(
    @CurrentCaller() caller: Caller,
    @Query() query: ImportUploadQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.mailIngest.upload(caller, req, res, `/imports/csv?${new URLSearchParams({ ...query }).toString()}`, ImportJobSchema);
  }

  @Get(':jobId')
  @ApiOperation({ summary: 'Progress and counters of an import job, with the first error rows' })
  @Answers(200, 'The job', ImportJobDetailDto)
  @ApiProblems(404)
  getOrderImport(@CurrentCaller() caller: Caller, @Param() { jobId }: JobIdParams) {
    return this.mailIngest.read(caller, 'GET /imports/{jobId}', `/imports/${encodeURIComponent(jobId)}`, ImportJobDetailSchema);
  }

  @Get(':jobId/rows')
  @ApiOperation({ summary: 'The result of every row of an import job, paged by row number' })
  @Answers(200, 'A page of row results', ImportRowPageDto)
  @ApiProblems(404)
  listOrderImportRows(@CurrentCaller() caller: Caller, @Param() { jobId }: JobIdParams, @Query() query: ImportRowsQuery) {
    const search = new URLSearchParams(
      Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])),
    );
    return this.mailIngest.read(
      caller,
      'GET /imports/{jobId}/rows',
      `/imports/${encodeURIComponent(jobId)}/rows?${search.toString()}`,
      ImportRowPageSchema,
    );
  }
}
