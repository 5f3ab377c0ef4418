import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { metricsAccess } from './metrics-access';
import { InjectMetricsSettings } from './metrics.settings';
import type { MetricsSettings } from './metrics.settings';

/** `METRICS_TOKEN`, when set, as a bearer token: the scrape credential is not a user JWT. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@InjectMetricsSettings() private readonly settings: MetricsSettings) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    switch (metricsAccess(request.headers.authorization, this.settings.token)) {
      case 'open':
      case 'granted':
        return true;
      case 'missing':
        throw new UnauthorizedException('Missing bearer token: /metrics requires METRICS_TOKEN');
      case 'wrong':
        throw new UnauthorizedException('Wrong metrics token');
    }
  }
}
