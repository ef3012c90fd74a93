import 'reflect-metadata';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import type { BaseConfig } from './config/load-config';
import { ConfigError } from './config/load-config';
import { JetStreamServer } from './jetstream/jetstream-server';
import { PassThroughRpcExceptionFilter } from './jetstream/rpc-exception-filter';
import { createLogger, PinoNestLogger } from './logging/logger';
import { PlatformMetrics } from './metrics/metrics';
import { NatsClient } from './nats/nats-client';
import { LOGGER } from './platform.module';

export interface ServiceOptions {
  /**
   * Sets up the HTTP side before the app listens (body parsers with their limits, middleware,
   * the API document). When given, Nest adds no body parser of its own.
   */
  configureHttp?: (app: NestExpressApplication) => void;
  /** False for a service without JetStream or RPC handlers: no message transport is started. */
  messageHandlers?: boolean;
}

/**
 * Starts a service: HTTP (health, metrics, the service's own routes) plus the JetStream transport
 * for its handlers. SIGTERM/SIGINT close it gracefully: stop consuming, finish in-flight handlers,
 * drain NATS, close MongoDB, then exit; a hang past SHUTDOWN_TIMEOUT_MS exits anyway.
 */
export async function startService(
  service: string,
  config: BaseConfig,
  rootModule: DynamicModule,
  options: ServiceOptions = {},
): Promise<INestApplication> {
  const bootLogger = createLogger(service, config.LOG_LEVEL);
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    logger: new PinoNestLogger(bootLogger),
    abortOnError: false,
    bodyParser: !options.configureHttp,
  });
  const logger = app.get<Logger>(LOGGER);
  if (options.messageHandlers !== false) {
    const transport = new JetStreamServer(app.get(NatsClient), service, logger, app.get(PlatformMetrics));
    // Deferred so the filter is in place before Nest wires the handlers; module init hooks already ran.
    const microservice = app.connectMicroservice({ strategy: transport }, { inheritAppConfig: false, deferInitialization: true });
    microservice.useGlobalFilters(new PassThroughRpcExceptionFilter());
    (microservice as unknown as { setIsInitHookCalled(value: boolean): void }).setIsInitHookCalled(true);
    await app.startAllMicroservices();
  }
  options.configureHttp?.(app);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  logger.info({ port: config.HTTP_PORT }, `${service} started`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${service} shutting down`);
    setTimeout(() => {
      logger.error('shutdown timed out, exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return app;
}

/** For main.ts: a config error or failed start prints one readable message and exits non-zero. */
export function runMain(service: string, main: () => Promise<unknown>): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${service}: ${err.message}\n`);
    } else {
      createLogger(service).fatal({ err }, `${service} failed to start`);
    }
    process.exit(1);
  });
}
