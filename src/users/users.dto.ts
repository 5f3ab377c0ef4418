import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { HOME_REGION_MOVE_STEPS } from './home-region-move';

export const HANDLE_PATTERN = /^[a-z0-9_]{3,32}$/;
export const HANDLE_RULE = 'handle must be 3 to 32 characters of a-z, 0-9 and _';
const REGION_PATTERN = /^[a-z][a-z0-9-]{0,40}$/;

/** `POST /api/users`. The password's strength is checked by the service (one message saying what is missing). */
export class RegisterUserBody {
  @ApiProperty({ example: 'ada_l', pattern: HANDLE_PATTERN.source })
  @IsString({ message: HANDLE_RULE })
  @Matches(HANDLE_PATTERN, { message: HANDLE_RULE })
  handle!: string;

  @ApiProperty({ example: 'ada@example.com' })
  @IsString({ message: 'email is required' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  email!: string;

  @ApiProperty({ example: 'correct-horse-7', minLength: 10, description: 'At least 10 characters mixing two of: lower-case, upper-case, digits, symbols' })
  @IsString({ message: 'password is required' })
  password!: string;

  @ApiPropertyOptional({ example: 'eu-west', description: 'Home region; the X-Region header or the default when absent' })
  @IsOptional()
  @IsString()
  @Matches(REGION_PATTERN, { message: 'region must be a region name such as eu-west' })
  region?: string;
}

export class RegisteredUser {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() handle!: string;
  @ApiProperty({ example: 'eu-west' }) region!: string;
  @ApiProperty() createdAt!: Date;
}

/** `POST /api/auth/login`. */
export class LoginBody {
  @ApiProperty({ example: 'ada_l' })
  @IsString({ message: HANDLE_RULE })
  @Matches(HANDLE_PATTERN, { message: HANDLE_RULE })
  handle!: string;

  @ApiProperty()
  @IsString({ message: 'password is required' })
  @MaxLength(1024, { message: 'password is too long' })
  password!: string;
}

export class LoginResult {
  @ApiProperty({ description: 'Bearer token with sub (user id), region (home region) and roles ["user"]' }) accessToken!: string;
  @ApiProperty({ example: 'eu-west' }) region!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
}

/** `POST /api/users/:handle/move`. */
export class MoveUserBody {
  @ApiProperty({ example: 'eu-west' })
  @IsString({ message: 'toRegion is required' })
  @Matches(REGION_PATTERN, { message: 'toRegion must be a region name such as eu-west' })
  toRegion!: string;
}

export class UserMoveResult {
  @ApiProperty({ format: 'uuid' }) moveId!: string;
  @ApiProperty() handle!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() fromRegion!: string;
  @ApiProperty() toRegion!: string;
  @ApiProperty({ enum: HOME_REGION_MOVE_STEPS, description: 'The next step to run; `done` when finished' }) step!: string;
  @ApiProperty() postsMoved!: number;
  @ApiProperty({ description: 'True when this call continued an interrupted move' }) resumed!: boolean;
}

