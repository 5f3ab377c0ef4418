import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../common/error-response';
import { UserLogin } from './login.service';
import { LoginBody, LoginResult } from './users.dto';

@ApiTags('users')
@Controller('api/auth')
export class LoginController {
  constructor(private readonly users: UserLogin) {}

  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResult })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Invalid handle or password' })
  @ApiOperation({ summary: 'Log in: a bearer token with the user role and home region' })
  login(@Body() body: LoginBody): Promise<LoginResult> {
    return this.users.login(body);
  }
}
