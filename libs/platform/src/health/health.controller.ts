import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ReadinessRegistry, withTimeout } from './readiness';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  /**
   * Liveness checks nothing external: a database outage must not make Kubernetes restart every pod.
   * Only a client found stuck while its dependency answers others (MongoWedgeWatch) fails it.
   */
  @Get('live')
  live() {
    const stuck = this.readiness.stuckClients();
    if (Object.keys(stuck).length) throw new ServiceUnavailableException({ status: 'error', stuck });
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(
      this.readiness.entries().map(([name, check]) => async () => {
        const session = this.indicators.check(name);
        try {
          await withTimeout(check(), 2_000, name);
          return session.up();
        } catch (err) {
          return session.down({ message: err instanceof Error ? err.message : String(err) });
        }
      }),
    );
  }
}
