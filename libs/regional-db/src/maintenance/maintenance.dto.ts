import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** `POST maintenance/resume`: one group, or every group (every pause) when absent. */
export class ResumeBody {
  @ApiPropertyOptional({ example: 'us-east', description: 'Replication group; every group when absent' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,40}$/, { message: 'group must be a replication group name' })
  group?: string;
}

/** `POST maintenance/pause`: one group, or every group when absent, and why. */
export class PauseBody extends ResumeBody {
  @ApiPropertyOptional({ example: 'kernel upgrade of us-east-primary', description: 'Why, for the audit log and the status' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class FailoverPauseDto {
  @ApiProperty({ example: 'us-east', description: 'A replication group, or `*` for every group' })
  scope!: string;

  @ApiProperty({ example: 'alice', description: 'Token subject of the operator who paused' })
  by!: string;

  @ApiProperty({ example: '2026-01-01T00:00:00.000Z', format: 'date-time' })
  at!: string;

  @ApiProperty({ type: String, nullable: true, example: 'kernel upgrade of us-east-primary' })
  reason!: string | null;
}

export class GroupMaintenanceDto {
  @ApiProperty({ example: 'us-east' })
  group!: string;

  @ApiProperty({ description: 'Automatic failover is paused for this group' })
  paused!: boolean;

  @ApiProperty({ type: FailoverPauseDto, nullable: true, description: 'The pause that holds it (its own, or one of every group)' })
  pause!: FailoverPauseDto | null;
}

export class MaintenanceStatusResponse {
  @ApiProperty({ type: [FailoverPauseDto], description: 'Pauses in force, a pause of every group first' })
  pauses!: FailoverPauseDto[];

  @ApiProperty({ type: [GroupMaintenanceDto] })
  groups!: GroupMaintenanceDto[];
}

export class PauseResponse {
  @ApiProperty({ type: FailoverPauseDto })
  paused!: FailoverPauseDto;

  @ApiProperty({ type: [FailoverPauseDto] })
  pauses!: FailoverPauseDto[];
}

export class ResumeResponse {
  @ApiProperty({ type: [String], example: ['us-east'], description: 'Scopes whose pause was removed (none: nothing was paused)' })
  resumed!: string[];

  @ApiProperty({ type: [FailoverPauseDto], description: 'Pauses still in force' })
  pauses!: FailoverPauseDto[];
}
