import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { ZodDto } from 'nestjs-zod';

/**
 * The success answer of a route: its status and, documented, the DTO of its body. The body itself
 * was parsed with the same contract schema where it came in (TenantRpc, MailIngestClient).
 */
export const Answers = (status: number, description: string, dto?: ZodDto) =>
  applyDecorators(HttpCode(status), ApiResponse({ status, description, ...(dto ? { type: dto.Output } : {}) }));
