import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow } from 'class-validator';

const LAG_MAX_MS = 999_999_999;

/** `?lag=` as whole milliseconds (absent: any lag), otherwise a 400 naming the value. */
export function parseLagMs(raw: unknown): number | null {
  if (raw === undefined) return null;
  if (typeof raw === 'string' && /^\d{1,9}$/.test(raw)) return Number(raw);
  const shown = JSON.stringify(raw) ?? String(raw);
  throw new BadRequestException(`lag must be a whole number of milliseconds from 0 to ${LAG_MAX_MS}, got ${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}`);
}

export class ReplicaProbeQuery {
  @ApiPropertyOptional({ minimum: 0, maximum: LAG_MAX_MS, description: 'Largest replication lag (ms) a replica may have to count; absent: any' })
  @Transform(({ value }) => parseLagMs(value))
  @Allow() // checked by the transform above; this only keeps the whitelist from rejecting it
  lag: number | null = null;
}
