import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';

/**
 * Bodies and queries become their DTO classes; a property the DTO does not declare is a 400, not ignored,
 * and a body that is not a JSON object (an array, a string) is refused in those words.
 */
class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Already checked and converted (an application pipe ran before a controller's own): converting again would
    // re-read converted values as raw ones.
    if (metadata.metatype && value instanceof metadata.metatype) return value;
    const wholeBodyAsClass = metadata.type === 'body' && metadata.data === undefined && this.toValidate(metadata);
    if (wholeBodyAsClass && value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new BadRequestException('Request body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}

export function validationPipe(): ValidationPipe {
  return new StrictValidationPipe();
}
