import { ArgumentsHost, Catch, ExceptionFilter, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';

/**
 * A failed Terminus check answers 503 with Terminus's own body (`status`, `info`, `error`, `details`):
 * orchestrators and operators read the reason per group there, which the app's generic error shape drops.
 */
@Catch(ServiceUnavailableException)
export class HealthCheckResponseFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(exception.getStatus()).json(exception.getResponse());
  }
}
