import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiExcludeEndpoint, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/auth.decorators';
import { ErrorResponse } from '@regional-db/nestjs';
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
  @ApiOperation({ summary: "Write a key-value pair on the global primary; every region's cache drops the key" })
  write(@CurrentUser() user: AuthenticatedUser, @Body() body: GeoWriteBody): Promise<GeoWriteResult> {
    return this.geo.write(geoWriterOf(user), body.key, body.value);
  }

  @Get('read/:key')
  @ApiHeader({ name: 'X-Region', required: false, description: 'Read as from this region (its cache and nearest replica)' })
  @ApiOkResponse({ type: GeoReadResult })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such key' })
  @ApiOperation({ summary: "Read a key from the global replica nearest to the caller's region, through that region's cache" })
  read(@Param('key', GeoKeyPipe) key: string): Promise<GeoReadResult> {
    return this.geo.read(key);
  }

  /** `GET /api/geo/read/` with the key left out: a clear 400, not an operation of the API. */
  @Get('read')
  @ApiExcludeEndpoint()
  readWithoutKey(): never {
    throw new BadRequestException(GEO_KEY_RULE);
  }

  @Get('stats')
  @ApiOkResponse({ type: GeoStats })
  @ApiOperation({ summary: 'Cache hits and misses and reads per region' })
  stats(): Promise<GeoStats> {
    return this.geo.stats();
  }
}
