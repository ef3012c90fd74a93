import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { LOGGER, PlatformModule, RpcClient } from '@orderhub/platform';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator';
import { TokenBuckets } from './auth/token-bucket';
import type { GatewayConfig } from './config';
import { createFrontDoor } from './http/front-door';
import { ProblemExceptionFilter } from './http/problem.filter';
import { DocsController } from './openapi/docs.controller';
import { ApiController } from './routes/api.controller';
import { ROUTES, RouteTable } from './routes/registry';

const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/**
 * Mounts the front door on the express instance while Nest instantiates providers, i.e. before
 * `app.init()` adds its body parsers and routes: startService creates and listens in one step,
 * so this is the moment to put our own body limit and the auth/rate-limit pipeline first.
 */
class GatewayHttpSetup implements OnApplicationShutdown {
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    @Inject(HttpAdapterHost) host: HttpAdapterHost,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(RpcClient) rpc: RpcClient,
    @Inject(LOGGER) logger: Logger,
  ) {
    const buckets = new TokenBuckets(config.RATE_LIMIT_PER_SECOND, config.RATE_LIMIT_BURST);
    const authenticator = new ApiKeyAuthenticator(rpc, config.AUTH_CACHE_TTL_MS, Math.min(config.RPC_TIMEOUT_MS, 5_000));
    const app = host.httpAdapter.getInstance<Express>();
    app.disable('x-powered-by');
    app.use(createFrontDoor({ authenticator, buckets, routes: new RouteTable(ROUTES), bodyLimitBytes: config.BODY_LIMIT_BYTES, logger }));
    this.sweeper = setInterval(() => buckets.sweep(), 60_000).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }
}

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'gateway', config })],
      controllers: [DocsController, ApiController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        GatewayHttpSetup,
        { provide: APP_FILTER, useClass: ProblemExceptionFilter },
      ],
    };
  }
}
