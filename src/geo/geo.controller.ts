import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/auth.decorators';
import { ErrorResponse } from '../common/error-response';
import { ThrottlePerAddress } from '../throttle/address-throttle.guard';
import { GeoWriterAuth, geoWriterOf } from './geo-writer';
import { GeoKeyPipe } from './geo-key.pipe';
import { GEO_KEY_RULE, GeoReadResult, GeoStats, GeoWriteBody, GeoWriteResult } from './geo.dto';
import { GeoService } from './geo.service';

@ApiTags('geo')
@Controller('api/geo')
export class GeoController {
  constructor(private readonly geo: GeoService) {}

  @Post('write')
  @HttpCode(200)
  @ThrottlePerAddress('geo-write')
  @GeoWriterAuth()
  @ApiOkResponse({ type: GeoWriteResult })
  @ApiBadRequestResponse({ type: ErrorResponse })
  write(@CurrentUser() user: AuthenticatedUser, @Body() body: GeoWriteBody): Promise<GeoWriteResult> {
    return this.geo.write(geoWriterOf(user), body.key, body.value);
  }

  @Get('read/:key')
  @ApiHeader({ name: 'X-Region', required: false, description: 'Read as from this region (its cache and nearest replica)' })
  @ApiOkResponse({ type: GeoReadResult })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such key' })
  read(@Param('key', GeoKeyPipe) key: string): Promise<GeoReadResult> {
    return this.geo.read(key);
  }

  /** `GET /api/geo/read/` with the key left out. */
  @Get('read')
  @ApiBadRequestResponse({ type: ErrorResponse })
  readWithoutKey(): never {
    throw new BadRequestException(GEO_KEY_RULE);
  }

  @Get('stats')
  @ApiOkResponse({ type: GeoStats })
  stats(): Promise<GeoStats> {
    return this.geo.stats();
  }
}
