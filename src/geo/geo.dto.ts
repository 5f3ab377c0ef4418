import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export const GEO_KEY_MAX_LENGTH = 200;
export const GEO_VALUE_MAX_LENGTH = 10_000;
/** Printable, no control characters; 1 to 200 characters. */
export const GEO_KEY_PATTERN = /^[^\u0000-\u001f\u007f]{1,200}$/u;
export const GEO_KEY_RULE = `key must be 1 to ${GEO_KEY_MAX_LENGTH} characters without control characters`;

/** `POST /api/geo/write`. */
export class GeoWriteBody {
  @ApiProperty({ example: 'user:123', maxLength: GEO_KEY_MAX_LENGTH })
  @IsString({ message: GEO_KEY_RULE })
  @Matches(GEO_KEY_PATTERN, { message: GEO_KEY_RULE })
  key!: string;

  @ApiProperty({ example: 'data', maxLength: GEO_VALUE_MAX_LENGTH })
  @IsString({ message: 'value must be a string' })
  @MaxLength(GEO_VALUE_MAX_LENGTH, { message: `value must be at most ${GEO_VALUE_MAX_LENGTH} characters` })
  value!: string;
}

export class GeoWriteResult {
  @ApiProperty() key!: string;
  @ApiProperty({ example: 'us-east', description: "Region of the global database's primary" }) primary_region!: string;
  @ApiProperty({ example: ['eu-west', 'asia-pacific'], description: 'Regions holding a streaming replica of the global database' })
  replicated_to!: string[];
  @ApiProperty({ example: '0/3000060', description: "The primary's WAL position after the write" }) lsn!: string;
  @ApiProperty({ example: ['us-east', 'eu-west', 'asia-pacific'], description: 'Region caches the key was removed from' })
  invalidated!: string[];
}

export class GeoReadResult {
  @ApiProperty() key!: string;
  @ApiProperty() value!: string;
  @ApiProperty({ example: 'eu-west', description: 'The region the read was served for (X-Region)' }) region!: string;
  @ApiProperty({ enum: ['cache', 'database'] }) source!: 'cache' | 'database';
  @ApiProperty({ example: 0.42 }) latency_ms!: number;
}

export class GeoRegionStats {
  @ApiProperty() region!: string;
  @ApiProperty({ nullable: true, type: Number, description: "Keys in the global database's copy nearest to the region; null when unreachable" })
  total_records!: number | null;
  @ApiProperty() healthy!: boolean;
}

export class GeoStats {
  @ApiProperty({ type: [GeoRegionStats] }) regions!: GeoRegionStats[];
  @ApiProperty() healthy_regions!: number;
  @ApiProperty() replication_enabled!: boolean;
}
