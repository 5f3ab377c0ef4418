import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export type AuditResult = 'success' | 'failure';

/** What to record: who (token subject, or `system` for automatic actions) did what to what, and how it ended. */
export interface AuditRecordInput {
  actor: string;
  action: string;
  target?: string;
  result: AuditResult;
  details?: Record<string, unknown>;
}

export class AuditEntry {
  @ApiProperty({ example: '1767225600000-0', description: 'Stream id, ordered by time' })
  id!: string;

  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' })
  at!: string;

  @ApiProperty({ example: 'alice', description: 'Token subject, or `system` for automatic actions' })
  actor!: string;

  @ApiProperty({ example: 'failover' })
  action!: string;

  @ApiPropertyOptional({ example: 'us-east' })
  target?: string;

  @ApiProperty({ enum: ['success', 'failure'] })
  result!: AuditResult;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { status: 200 } })
  details?: Record<string, unknown>;
}

export class AuditListResponse {
  @ApiProperty({ type: [AuditEntry], description: 'Newest first' })
  entries!: AuditEntry[];
}
