import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createSimulatorApp, TokenBucketLimiter, type FaultInjector, type RequestCounter } from '@orderhub/sim-kit';
import { adminRoutes } from './routes/admin';
import { goodsOrderRoutes } from './routes/goods-orders';
import { productRoutes } from './routes/products';
import { webhookRoutes } from './routes/webhooks';
import { TokenAccess } from './token-access';
import { WemaloWarehouse } from './warehouse';
import { sendWemaloError, WemaloError } from './wemalo-errors';

export interface WemaloSimulatorOptions {
  /** The static wemalo-connect access token clients send as `Authorization: JWT <token>`. */
  token: string;
  /** Shop name returned by `GET /product/shop` and stored with products and orders. */
  shop?: string;
  /** Calls per second and burst per token; wemalo does not publish its numbers. */
  rateLimit?: { perSecond: number; burst: number };
  /** Demo mode: every new goods order reaches SHIPPED after this many seconds. */
  autoShipSeconds?: number;
  webhook?: { timeoutMs?: number; retryDelayMs?: number; maxConsecutiveFailures?: number };
  seed?: number;
  now?: () => Date;
}

export interface WemaloSimulator {
  app: Express;
  warehouse: WemaloWarehouse;
  faults: FaultInjector;
  counter: RequestCounter;
  /** Which access token wemalo takes now (rotated or locked through `POST /_admin/access`). */
  access: TokenAccess;
  /** Stops timers (auto-fulfil, webhook retries); the HTTP server is closed by its owner. */
  stop(): void;
}

/** wemalo-connect as a local double: everything under `/v1`, admin routes under `/_admin`. */
export function createWemaloSimulator(options: WemaloSimulatorOptions): WemaloSimulator {
  const now = options.now ?? (() => new Date());
  const shop = options.shop ?? 'orderhub-demo';
  const { app, faults, counter } = createSimulatorApp('wemalo');
  const warehouse = new WemaloWarehouse(
    now,
    {
      timeoutMs: options.webhook?.timeoutMs ?? 10_000,
      retryDelayMs: options.webhook?.retryDelayMs ?? 3 * 60_000,
      maxConsecutiveFailures: options.webhook?.maxConsecutiveFailures ?? 10,
    },
    options.autoShipSeconds,
    options.seed ?? 1,
  );
  const limit = options.rateLimit ?? { perSecond: 10, burst: 60 };
  const limiter = new TokenBucketLimiter(limit.perSecond, limit.burst);
  const access = new TokenAccess(options.token);

  app.use(adminRoutes(warehouse, access));

  const api = express.Router();
  api.use((req: Request, res: Response, next: NextFunction) => {
    const match = /^JWT\s+(.+)$/i.exec(req.header('authorization') ?? '');
    if (!match || !access.accepts(match[1]?.trim())) {
      return sendWemaloError(res, new WemaloError(401, 'UNAUTHORIZED', 'invalid or missing access token', 'Authorization'));
    }
    const waitMs = limiter.take(options.token);
    res.setHeader('x-wemalo-limit-maxcall', String(limit.burst));
    res.setHeader('x-wemalo-limit-remainingcall', String(limiter.remaining(options.token)));
    if (waitMs > 0) {
      res.setHeader('Retry-After', String(Math.ceil(waitMs / 1000)));
      return sendWemaloError(res, new WemaloError(419, 'LIMIT', `call limit reached, retry in ${waitMs} ms`));
    }
    next();
  });
  api.use(express.json({ limit: '60mb' }));
  api.use(productRoutes(warehouse, shop));
  api.use(goodsOrderRoutes(warehouse, shop));
  api.use(webhookRoutes(warehouse));
  api.use((req: Request, res: Response) => {
    sendWemaloError(res, new WemaloError(404, 'NOT_FOUND', `${req.method} ${req.path} does not exist`));
  });
  app.use('/v1', api);

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof WemaloError) return sendWemaloError(res, err);
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.parse.failed') return sendWemaloError(res, new WemaloError(400, 'INVALID', 'body is not valid JSON'));
    res
      .status(e?.status && e.status >= 400 && e.status < 600 ? e.status : 500)
      .json({ Success: false, status: 500, error: 'INTERNAL', message: String(e?.message ?? err) });
  });

  return { app, warehouse, faults, counter, access, stop: () => warehouse.stop() };
}
