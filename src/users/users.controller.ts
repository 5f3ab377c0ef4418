import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { AdminMutation } from '../auth/auth.decorators';
import { ErrorResponse } from '@regional-db/nestjs';
import { ThrottlePerAddress } from '../throttle/address-throttle.guard';
import { HandlePipe } from './handle.pipe';
import { HomeRegionMoves } from './home-region-move.service';
import { UserRegistration } from './registration.service';
import { MoveUserBody, RegisteredUser, RegisterUserBody, UserMoveResult } from './users.dto';

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly registration: UserRegistration,
    private readonly moves: HomeRegionMoves,
  ) {}

  @Post()
  @ThrottlePerAddress('register')
  @ApiCreatedResponse({ type: RegisteredUser, description: 'Also the answer when the email is already registered (no account is then created): see the README' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Bad handle, email or region, or a weak password' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Handle already taken' })
  @ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'Localized outage: the home region has no writable primary' })
  @ApiOperation({ summary: 'Register a user: handle and email claimed in the global directory, the user homed in a region' })
  register(@Body() body: RegisterUserBody): Promise<RegisteredUser> {
    return this.registration.register(body);
  }

  @Post(':handle/move')
  @HttpCode(200)
  @AdminMutation('move-user')
  @ApiOkResponse({ type: UserMoveResult, description: 'The move finished (step done); calling again after an interruption resumes it' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Already in that region, or another move is unfinished' })
  @ApiOperation({ summary: 'Move a user to another home region (copy, verify, flip, delete; resumable)' })
  move(@Param('handle', HandlePipe) handle: string, @Body() body: MoveUserBody): Promise<UserMoveResult> {
    return this.moves.move(handle, body.toRegion);
  }
}
