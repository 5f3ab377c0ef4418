import { BadRequestException, PipeTransform } from '@nestjs/common';
import { GEO_KEY_PATTERN, GEO_KEY_RULE } from './geo.dto';

/** A `:key` route parameter as `POST /api/geo/write` accepts it, or a 400. */
export class GeoKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!GEO_KEY_PATTERN.test(value)) throw new BadRequestException(GEO_KEY_RULE);
    return value;
  }
}
