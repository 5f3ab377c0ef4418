import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '@regional-db/nestjs';
import { HandlePipe } from '../users/handle.pipe';
import { CurrentHomeUser, UserAuth, type HomeUser } from '../users/user-auth';
import { CreatePostBody, PostsQuery, PostView } from './posts.dto';
import { PostsService } from './posts.service';

@ApiTags('posts')
@Controller('api')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Post('posts')
  @UserAuth()
  @ApiCreatedResponse({ type: PostView })
  @ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'Localized outage: the home region has no writable primary' })
  @ApiOperation({ summary: "Write a post in the author's home region (read-your-writes token in the answer)" })
  create(@CurrentHomeUser() author: HomeUser, @Body() body: CreatePostBody): Promise<PostView> {
    return this.posts.create(author, body.content);
  }

  @Get('posts/:id')
  @ApiOkResponse({ type: PostView })
  @ApiNotFoundResponse({ type: ErrorResponse })
  @ApiOperation({ summary: "A post by id: the caller's region first, then the others" })
  findOne(@Param('id', ParseUUIDPipe) id: string): Promise<PostView> {
    return this.posts.findOne(id);
  }

  @Get('users/:handle/posts')
  @ApiOkResponse({ type: [PostView] })
  @ApiOperation({ summary: "A user's posts, newest first, from a replica of their home region" })
  byUser(@Param('handle', HandlePipe) handle: string, @Query() query: PostsQuery): Promise<PostView[]> {
    return this.posts.byUser(handle, query.limit);
  }

  @Get('feed')
  @ApiOkResponse({ type: [PostView] })
  @ApiOperation({ summary: "The newest posts of the caller's region" })
  feed(@Query() query: PostsQuery): Promise<PostView[]> {
    return this.posts.feed(query.limit);
  }
}
