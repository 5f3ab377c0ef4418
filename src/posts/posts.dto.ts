import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { LimitQuery } from '@regional-db/nestjs';

export const POST_MAX_LENGTH = 2_000;

/** `POST /api/posts`. */
export class CreatePostBody {
  @ApiProperty({ minLength: 1, maxLength: POST_MAX_LENGTH, example: 'Hello from Dublin' })
  @IsString({ message: 'content is required' })
  @MinLength(1, { message: 'content must not be empty' })
  @MaxLength(POST_MAX_LENGTH, { message: `content must be at most ${POST_MAX_LENGTH} characters` })
  content!: string;
}

/** `?limit=` of the feed and of a user's posts: 20 by default. */
export class PostsQuery extends LimitQuery(20) {}

export class PostView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() handle!: string;
  @ApiProperty() content!: string;
  @ApiProperty({ example: 'eu-west', description: 'The region whose database holds the post' }) region!: string;
  @ApiProperty() createdAt!: Date;
}
