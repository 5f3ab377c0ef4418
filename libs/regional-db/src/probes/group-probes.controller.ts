import { Controller, Get, Param, Query, Res, UsePipes } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorResponse } from '../common/error-response';
import { validationPipe } from '../common/validation';
import { GroupSnapshots } from './group-snapshots';
import { primaryProbe, readOnlyProbe, replicaProbe } from './group-probes';
import type { GroupProbe } from './group-probes';
import { ReplicaProbeQuery } from './replica-probe.query';

/**
 * Per group and role, for load balancers (HAProxy `option httpchk`) in the spirit of Patroni's: 200 while the
 * group can serve that role, 503 while it cannot, the body naming the endpoints, never hosts or errors.
 */
@ApiTags('probes')
// Its own validation: nothing global is assumed of the application.
@UsePipes(validationPipe())
@Controller('health/groups/:group')
@ApiParam({ name: 'group', example: 'us-east' })
@ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown replication group' })
@ApiResponse({ status: 200, description: 'The group serves that role now' })
@ApiResponse({ status: 503, description: 'The group cannot serve that role now (the body says why)' })
export class GroupProbesController {
  constructor(private readonly snapshots: GroupSnapshots) {}

  @Get('primary')
  @ApiOperation({ summary: '200 while the group has a writable primary' })
  primary(@Param('group') group: string, @Res({ passthrough: true }) response: Response): GroupProbe {
    return answer(response, primaryProbe(this.snapshots.of(group)));
  }

  @Get('replica')
  @ApiOperation({ summary: '200 while a replica within `lag` ms of replication lag serves reads' })
  replica(@Param('group') group: string, @Query() query: ReplicaProbeQuery, @Res({ passthrough: true }) response: Response): GroupProbe {
    return answer(response, replicaProbe(this.snapshots.of(group), query.lag));
  }

  @Get('read-only')
  @ApiOperation({ summary: '200 while anything in the group serves reads (its primary or a replica)' })
  readOnly(@Param('group') group: string, @Res({ passthrough: true }) response: Response): GroupProbe {
    return answer(response, readOnlyProbe(this.snapshots.of(group)));
  }
}

function answer(response: Response, probe: GroupProbe): GroupProbe {
  response.status(probe.status === 'up' ? 200 : 503);
  return probe;
}
