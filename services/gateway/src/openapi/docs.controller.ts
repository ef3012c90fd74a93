import { Controller, Get, Header } from '@nestjs/common';
import { buildOpenApi } from './openapi';
import { DOCS_HTML } from './docs-page';

/** Public, unauthenticated: the API description and a readable page built from it (no CDN). */
@Controller()
export class DocsController {
  private readonly document = buildOpenApi();

  @Get('openapi.json')
  @Header('Cache-Control', 'no-cache')
  openapi() {
    return this.document;
  }

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
  docs() {
    return DOCS_HTML;
  }
}
