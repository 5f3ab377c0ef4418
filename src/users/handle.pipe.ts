import { BadRequestException, PipeTransform } from '@nestjs/common';
import { HANDLE_PATTERN, HANDLE_RULE } from './users.dto';

/** A `:handle` route parameter in the registration's format, or a 400. */
export class HandlePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!HANDLE_PATTERN.test(value)) throw new BadRequestException(HANDLE_RULE);
    return value;
  }
}
