import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow, IsDefined, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { LimitQuery, parseOffset } from '../common/limit';

/** `GET alerts?limit=`: how many history entries, 20 by default. */
export class AlertsQuery extends LimitQuery(20) {}

/** `GET metrics?endpoint=&limit=`: one endpoint (all when absent) and how many recent probes each. */
export class MetricsQuery extends LimitQuery(50) {
  @ApiPropertyOptional({ example: 'us-east-primary', description: 'Endpoint id; every endpoint when absent' })
  @IsOptional()
  @IsString({ message: 'endpoint must be given once, as an endpoint id' })
  endpoint?: string;
}

/** `GET failover-history?limit=&offset=`: 10 by default, after skipping the `offset` newest. */
export class FailoverHistoryQuery extends LimitQuery(10) {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'How many of the newest failovers to skip (paging)' })
  @Transform(({ value }) => parseOffset(value))
  @Allow() // checked by the transform above
  offset: number = 0;
}

/** `POST failover/:region`: optionally which replica to promote, by endpoint id or by the region it sits in. */
export class FailoverBody {
  @ApiPropertyOptional({ example: 'us-east-replica-2', description: 'Endpoint id of the replica to promote' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'targetEndpoint must be an endpoint id' })
  targetEndpoint?: string;

  @ApiPropertyOptional({ example: 'eu-west', description: 'Promote a replica located in this region (a cross-region DR replica)' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,40}$/, { message: 'targetRegion must be a region name' })
  targetRegion?: string;
}

/** `POST connections/refresh`: one replication group's pools, or every group's when absent. */
export class RefreshConnectionsBody {
  @ApiPropertyOptional({ example: 'us-east' })
  @IsOptional()
  @IsString({ message: 'group must be a string' })
  group?: string;
}

/** `POST analyze-query`: the SQL text to classify (its size bound is ANALYZE_QUERY_MAX_BYTES). */
export class AnalyzeQueryBody {
  @ApiProperty({ type: String, example: 'SELECT * FROM users WHERE id = $1' })
  @IsDefined({ message: 'query must be a string of SQL' })
  query!: unknown;
}

/** `POST alerts/:id/silence`: how long the webhook keeps quiet about the alert, and why. */
export class SilenceBody {
  @ApiProperty({ example: 3600, minimum: 60, maximum: 604800, description: 'Seconds, from one minute to a week' })
  @IsInt({ message: 'durationSeconds must be a whole number of seconds' })
  @Min(60)
  @Max(604_800)
  durationSeconds!: number;

  @ApiPropertyOptional({ example: 'replica being rebuilt', description: 'Why, for the alert and the audit log' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  comment?: string;
}
