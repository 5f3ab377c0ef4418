import { ConflictException, ServiceUnavailableException } from '@nestjs/common';

export class FailoverInProgressError extends ConflictException {
  constructor(group: string) {
    super(`A failover of ${group} is already running`);
  }
}

export class FailoverUnavailableError extends ServiceUnavailableException {
  constructor(reason: string) {
    super(`Failover refused: ${reason}`);
  }
}
