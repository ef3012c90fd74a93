import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/** Where `npm run build` puts the web app (apps/web/dist), seen from services/gateway/dist/web. */
export const DEFAULT_WEB_APP_DIR = resolve(__dirname, '../../../../apps/web/dist');

/** Paths that are never the app's: the API, its document and reference, health and metrics. */
const SERVER_PATHS = /^\/(api|docs|openapi\.json|health|metrics)(\/|$)/;

/** A browser navigating asks for text/html by name; API clients (accepting anything) keep getting problems for unknown paths. */
const wantsPage = (req: Request) => (req.headers.accept ?? '').includes('text/html');

/**
 * The merchant's web app at `/`: hashed assets cached for a year, every other GET that wants HTML
 * gets index.html (the app routes in the browser). It talks to the API of this same origin.
 */
export function serveWebApp(app: NestExpressApplication, dir: string, logger: Logger): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    logger.info({ dir }, 'web app not built: / is not served (npm run build builds apps/web)');
    return;
  }
  app.useStaticAssets(join(dir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  app.use((req: Request, res: Response, next: NextFunction) => {
    // a missing asset is an old or wrong link, not a page of the app
    if (req.path.startsWith('/assets/')) return void res.sendStatus(404);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path) || !wantsPage(req)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    // Mantine sets style attributes: inline styles are allowed, scripts only from this origin
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    res.sendFile(index);
  });
}
