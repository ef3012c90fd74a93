import { type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ProblemError } from '@orderhub/contracts';
import type { ZodDto } from 'nestjs-zod';
import type { z } from 'zod';
import { validationProblem } from './problem';

const WHERE: Record<ArgumentMetadata['type'], string> = { body: 'body', query: 'query', param: 'path', custom: 'value' };

const isZodDto = (metatype: unknown): metatype is ZodDto =>
  typeof metatype === 'function' && (metatype as Partial<ZodDto>).isZodDto === true;

/**
 * Validates every `@Body()`, `@Query()` and `@Param()` typed with a DTO of `createZodDto(schema)`
 * against that schema; a failure is a 400 problem whose `errors` say where (`body.settings.name`).
 * Given a DTO, it validates with that one: for a body whose TypeScript type is a union, which
 * cannot be a class (`@Body(new ContractValidationPipe(Dto))`).
 */
export class ContractValidationPipe implements PipeTransform {
  constructor(private readonly dto?: ZodDto) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const dto = this.dto ?? metadata.metatype;
    if (!isZodDto(dto)) return value;
    // An absent body is an empty object: a body with required fields refuses it, naming them.
    const input = metadata.type === 'body' && value === undefined ? {} : value;
    const result = (dto.schema as z.ZodType).safeParse(input);
    if (!result.success) throw new ProblemError(validationProblem(WHERE[metadata.type], result.error));
    return result.data;
  }
}
