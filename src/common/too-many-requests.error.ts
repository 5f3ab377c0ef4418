import { HttpException, HttpStatus } from '@nestjs/common';

/** A 429 whose answer carries `Retry-After` (whole seconds, at least 1); the error filter sets the header. */
export class TooManyRequestsError extends HttpException {
  readonly retryAfterSeconds: number;

  constructor(what: string, retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(`${what}; retry in ${seconds} s`, HttpStatus.TOO_MANY_REQUESTS);
    this.retryAfterSeconds = seconds;
  }
}
