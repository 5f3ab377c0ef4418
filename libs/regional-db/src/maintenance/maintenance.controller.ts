import { Body, Controller, Get, HttpCode, Post, Query, UsePipes } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { AdminCaller, AdminMutation, AdminRead } from '../admin/admin-access';
import { ErrorResponse } from '../common/error-response';
import { validationPipe } from '../common/validation';
import { NoQuery } from '../common/no-query';
import { MaintenanceStatusResponse, PauseBody, PauseResponse, ResumeBody, ResumeResponse } from './maintenance.dto';
import { MaintenanceService } from './maintenance.service';

/** Maintenance mode: automatic failover paused and resumed at run time, for every instance. */
@ApiTags('maintenance')
// Its own validation: nothing global is assumed of the application.
@UsePipes(validationPipe())
@Controller('api/database/maintenance')
export class MaintenanceController {
  constructor(private readonly maintenance: MaintenanceService) {}

  @Get()
  @AdminRead()
  @ApiOperation({ summary: 'Pauses in force and, per group, whether its automatic failover is paused' })
  @ApiOkResponse({ type: MaintenanceStatusResponse })
  async status(@Query() _query: NoQuery): Promise<MaintenanceStatusResponse> {
    const [pauses, byGroup] = await Promise.all([this.maintenance.pauses(), this.maintenance.byGroup()]);
    return { pauses, groups: [...byGroup].map(([group, pause]) => ({ group, paused: pause !== null, pause })) };
  }

  @Post('pause')
  @HttpCode(200)
  @AdminMutation('maintenance-pause')
  @ApiOperation({ summary: 'Pause automatic failover for one group or every group (manual failovers still run)' })
  @ApiOkResponse({ type: PauseResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown group' })
  @ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'Redis does not answer: a pause must hold every instance' })
  pause(@Query() _query: NoQuery, @Body() body: PauseBody, @AdminCaller() caller: string): Promise<PauseResponse> {
    return this.maintenance.pause(body.group, caller, body.reason);
  }

  @Post('resume')
  @HttpCode(200)
  @AdminMutation('maintenance-resume')
  @ApiOperation({ summary: 'Resume automatic failover for one group or every group: a primary still down is failed over within a check' })
  @ApiOkResponse({ type: ResumeResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown group' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The group is held by a pause of every group' })
  @ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'Redis does not answer' })
  resume(@Query() _query: NoQuery, @Body() body: ResumeBody, @AdminCaller() caller: string): Promise<ResumeResponse> {
    return this.maintenance.resume(body.group, caller);
  }
}
