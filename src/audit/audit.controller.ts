import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ViewerOrAdmin } from '../auth/auth.decorators';
import { LimitQueryDto } from '@regional-db/nestjs';
import { AuditListResponse } from './audit-entry';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('api/database')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('audit')
  @ViewerOrAdmin()
  @ApiOperation({ summary: 'The latest audit entries (mutating admin calls and automatic actions), newest first' })
  @ApiOkResponse({ type: AuditListResponse })
  async list(@Query() query: LimitQueryDto): Promise<AuditListResponse> {
    return { entries: await this.audit.list(query.limit) };
  }
}
