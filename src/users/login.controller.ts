import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponse } from '@regional-db/nestjs';
import { ThrottlePerAddress } from '../throttle/address-throttle.guard';
import { UserLogin } from './login.service';
import { LoginBody, LoginResult } from './users.dto';

@ApiTags('users')
@Controller('api/auth')
export class LoginController {
  constructor(private readonly users: UserLogin) {}

  @Post('login')
  @HttpCode(200)
  @ThrottlePerAddress('login')
  // The answer carries a token: no cache on the way may keep it.
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: LoginResult })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'The handle is held after repeated failed logins (Retry-After), or too many logins from this address' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Invalid handle or password' })
  @ApiOperation({ summary: 'Log in: a bearer token with the user role and home region' })
  login(@Body() body: LoginBody): Promise<LoginResult> {
    return this.users.login(body);
  }
}
