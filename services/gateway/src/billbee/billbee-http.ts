import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiTags } from '@nestjs/swagger';
import { normalizeQuery, parsePaging, ProblemError } from '@orderhub/contracts';
import type { Request } from 'express';
import type { z } from 'zod';
import { BillbeeAuthGuard } from './billbee-auth.guard';
import { BillbeeErrorsFilter } from './billbee-errors.filter';

/** Where Billbee clients point their base URL: `https://<hub>/billbee/api/v1`. */
export const BILLBEE_PREFIX = 'billbee/api/v1';
export const BILLBEE_TAG = 'Billbee API v1';

/** A controller of the Billbee face: its prefix, tag, Billbee login and Billbee error envelope. */
export const BillbeeController = (path = '') =>
  applyDecorators(
    ApiTags(BILLBEE_TAG),
    ApiBasicAuth('billbee'),
    UseGuards(BillbeeAuthGuard),
    UseFilters(BillbeeErrorsFilter),
    Controller(path ? `${BILLBEE_PREFIX}/${path}` : BILLBEE_PREFIX),
  );

/** The raw query string (names and array forms are read case-insensitively by the contracts' parser). */
export const queryOf = (req: Request) => new URLSearchParams(req.originalUrl.split('?')[1] ?? '');

/** A Billbee request body read with its contract schema; a mismatch is a 400 naming the fields. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success)
    throw ProblemError.validation(result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })));
  return result.data;
}

/** `page` (from 1) and `pageSize` (1..250, default 50) of the query; out of range is a 400. */
export function pagingOf(req: Request): { page: number; pageSize: number } {
  const problems: { path: string; message: string }[] = [];
  const paging = parsePaging(normalizeQuery(queryOf(req)), problems);
  if (problems.length) throw ProblemError.validation(problems);
  return paging;
}
