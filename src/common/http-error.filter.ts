import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeException } from './describe-exception';
import { ErrorResponse, errorResponse } from '@regional-db/nestjs';
import { maskSecrets } from '../logging/secret-masking';
import { TooManyRequestsError } from './too-many-requests.error';

const SENT_ERROR = 'sentError';

/** The error body the filter answered with, for whoever observes the finished response (the audit trail). */
export function sentError(response: Response): ErrorResponse | undefined {
  return response.locals[SENT_ERROR] as ErrorResponse | undefined;
}

/** Every error, whatever threw it, answers `{ statusCode, error, message }` with no secret in it. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly bodyLimit: string) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const { status, message, unexpected } = describeException(exception, this.bodyLimit);
    if (unexpected) {
      const detail = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
      this.logger.error(maskSecrets(`${request.method} ${request.path} failed: ${detail}`));
    } else if (status >= 500) {
      this.logger.warn(maskSecrets(`${request.method} ${request.path} answered ${status}: ${message}`));
    }
    const body = errorResponse(status, maskSecrets(message));
    if (response.headersSent) {
      response.end();
      return;
    }
    response.locals[SENT_ERROR] = body;
    if (exception instanceof TooManyRequestsError) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    response.status(status).json(body);
  }
}
