import { Module } from '@nestjs/common';
import { RouterModule } from '@regional-db/nestjs';
import { UsersModule } from '../users/users.module';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';

/** Posts in their author's home region (seed 000): write there, read from that region's replicas. */
@Module({
  imports: [RouterModule, UsersModule],
  controllers: [PostsController],
  providers: [PostsService],
})
export class PostsModule {}
