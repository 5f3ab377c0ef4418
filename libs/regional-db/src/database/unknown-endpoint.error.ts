import { NotFoundException } from '@nestjs/common';

export class UnknownEndpointError extends NotFoundException {
  constructor(id: string, known: string[]) {
    super(`Unknown endpoint "${id}" (known: ${known.join(', ')})`);
  }
}
