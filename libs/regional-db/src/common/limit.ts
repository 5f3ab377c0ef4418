import { BadRequestException, Type } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow } from 'class-validator';

export const LIMIT_MAX = 1_000;

/** `?limit=` as a whole number from 1 to LIMIT_MAX, the fallback when absent, otherwise a clear 400. */
export function parseLimit(raw: unknown, fallback: number): number {
  if (raw === undefined) return fallback;
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text === 'string' && /^\d{1,4}$/.test(text)) {
    const limit = Number(text);
    if (limit >= 1 && limit <= LIMIT_MAX) return limit;
  }
  const shown = JSON.stringify(raw) ?? String(raw);
  throw new BadRequestException(`limit must be an integer from 1 to ${LIMIT_MAX}, got ${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}`);
}

/** `?offset=` (how many items to skip) as a whole number from 0 to 999999, 0 when absent, otherwise a clear 400. */
export function parseOffset(raw: unknown): number {
  if (raw === undefined) return 0;
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text === 'string' && /^\d{1,6}$/.test(text)) return Number(text);
  const shown = JSON.stringify(raw) ?? String(raw);
  throw new BadRequestException(`offset must be an integer from 0 to 999999, got ${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}`);
}

/**
 * A query DTO class with a `limit` (default `defaultLimit`) checked by parseLimit; extend it to add fields:
 * `class AlertsQuery extends LimitQuery(20) { ... }`, then `@Query() query: AlertsQuery`. Take the whole query
 * as the DTO, never `@Query('limit') limit: number`: the global pipe would turn 'abc' into NaN first, and an
 * undeclared parameter would pass unnoticed.
 */
export function LimitQuery(defaultLimit: number): Type<{ limit: number }> {
  class LimitQueryDto {
    @ApiPropertyOptional({ minimum: 1, maximum: LIMIT_MAX, default: defaultLimit, description: 'How many items to return' })
    @Transform(({ value }) => parseLimit(value, defaultLimit))
    @Allow() // checked by the transform above; this only keeps the whitelist from rejecting it
    limit: number = defaultLimit;
  }
  return LimitQueryDto;
}

/** `?limit=` only, 50 by default. */
export class LimitQueryDto extends LimitQuery(50) {}
