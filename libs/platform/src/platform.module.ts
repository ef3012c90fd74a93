import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { BreakerFactory } from './breaker/breaker-factory';
import type { BaseConfig } from './config/load-config';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness';
import { OutboundHttp } from './http/outbound-http';
import { createLogger } from './logging/logger';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsServer } from './metrics/metrics-server';
import { PlatformMetrics } from './metrics/metrics';
import { EventPublisher } from './nats/event-publisher';
import { NatsClient } from './nats/nats-client';
import { SubjectNamer } from './nats/subject-namer';
import { RpcClient } from './rpc/rpc-client';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

@Injectable()
class NatsLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(BreakerFactory) private readonly breakers: BreakerFactory,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.breakers.shutdown();
    await this.nats.drain();
  }
}

export interface PlatformOptions<C extends BaseConfig> {
  service: string;
  config: C;
  /** Serve `/metrics` on this port (0: any free one) instead of the HTTP port: for a service whose HTTP port is public. */
  metricsPort?: number;
}

/** Starts and stops the MetricsServer with the app. */
class SeparateMetricsPort implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly server: MetricsServer,
    private readonly logger: Logger,
    private readonly port: number,
    private readonly host: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = await this.server.listen(this.port, this.host);
    this.logger.info({ metricsPort: port }, 'metrics served on their own port');
  }

  onApplicationShutdown(): Promise<void> {
    return this.server.close();
  }
}

/**
 * What every service gets: validated config, JSON logger, metrics and health endpoints, the NATS
 * connection with its streams, event publisher, RPC client, breakers and outbound HTTP.
 */
@Module({})
export class PlatformModule {
  static forRoot<C extends BaseConfig>({ service, config, metricsPort }: PlatformOptions<C>): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: metricsPort !== undefined ? [HealthController] : [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: LOGGER, useFactory: () => createLogger(service, config.LOG_LEVEL) },
        { provide: PlatformMetrics, useFactory: () => new PlatformMetrics(service) },
        ReadinessRegistry,
        {
          provide: NatsClient,
          inject: [LOGGER, ReadinessRegistry],
          useFactory: async (logger: Logger, readiness: ReadinessRegistry) => {
            const client = new NatsClient(config.NATS_URL, new SubjectNamer(config.NATS_PREFIX), service, logger, {
              user: config.NATS_USER,
              password: config.NATS_PASSWORD,
            });
            await client.connect();
            readiness.register('nats', () => client.ping());
            return client;
          },
        },
        {
          provide: EventPublisher,
          inject: [NatsClient, PlatformMetrics],
          useFactory: (n: NatsClient, m: PlatformMetrics) => new EventPublisher(n, m),
        },
        { provide: RpcClient, inject: [NatsClient], useFactory: (n: NatsClient) => new RpcClient(n) },
        { provide: BreakerFactory, inject: [PlatformMetrics], useFactory: (m: PlatformMetrics) => new BreakerFactory(m) },
        {
          provide: OutboundHttp,
          inject: [BreakerFactory, PlatformMetrics],
          useFactory: (b: BreakerFactory, m: PlatformMetrics) => new OutboundHttp(b, m),
        },
        NatsLifecycle,
        ...(metricsPort !== undefined
          ? [
              {
                provide: SeparateMetricsPort,
                inject: [PlatformMetrics, LOGGER],
                useFactory: (m: PlatformMetrics, l: Logger) =>
                  new SeparateMetricsPort(new MetricsServer(m, l), l, metricsPort, config.HTTP_HOST),
              },
            ]
          : []),
      ],
      exports: [
        SERVICE_NAME,
        SERVICE_CONFIG,
        LOGGER,
        PlatformMetrics,
        ReadinessRegistry,
        NatsClient,
        EventPublisher,
        RpcClient,
        BreakerFactory,
        OutboundHttp,
      ],
    };
  }
}
