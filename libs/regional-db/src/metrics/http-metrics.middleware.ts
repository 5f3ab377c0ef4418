import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Times every HTTP request to the end of its response. The route label is the matched route's template
 * (known once the router has run), `unmatched` for anything no route of the API took (the catch-all that
 * answers 404 has a `*` template): the label set stays bounded whatever paths clients send.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const route = request.route?.path as string | undefined;
      this.metrics.recordHttp(request.method, route && !route.includes('*') ? `${request.baseUrl}${route}` : 'unmatched', response.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  }
}
