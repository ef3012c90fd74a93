import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { ProblemError } from '@orderhub/contracts';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { problems } from './problem';

const STREAMED_BODY = 'orderhub:streamed-body';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Media type of a Content-Type header, lower case, without parameters. */
export const mediaType = (contentType: string | undefined): string => contentType?.split(';')[0]?.trim().toLowerCase() ?? '';

export const isJson = (contentType: string | undefined): boolean => {
  const type = mediaType(contentType);
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
};

/** Content-Length > 0 or chunked: `Content-Length: 0` (what fetch sends for an empty POST) is no body. */
export function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? '0');
  return Number.isFinite(length) && length > 0;
}

/**
 * A route whose body is a file the handler streams on (left unread, no BODY_LIMIT_BYTES): only these
 * media types are accepted (others 415), and the document lists them.
 */
export const StreamedBody = (description: string, ...mediaTypes: string[]) =>
  applyDecorators(
    SetMetadata(STREAMED_BODY, mediaTypes),
    ApiConsumes(...mediaTypes),
    ApiBody({ required: true, description, schema: { type: 'string', format: 'binary' } }),
  );

/** 415 for a body of a type the route does not take: JSON everywhere, unless the route streams a file (@StreamedBody). */
@Injectable()
export class BodyTypeInterceptor implements NestInterceptor {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    if (WRITE_METHODS.has(req.method) && hasBody(req)) {
      const streamed = this.reflector.get<string[] | undefined>(STREAMED_BODY, context.getHandler());
      const type = req.headers['content-type'];
      if (streamed && !streamed.includes(mediaType(type))) {
        throw new ProblemError(problems.unsupportedMediaType(`Send the file as one of: ${streamed.join(', ')}`));
      }
      if (!streamed && !isJson(type)) throw new ProblemError(problems.unsupportedMediaType('Send the request body as application/json'));
    }
    return next.handle();
  }
}
