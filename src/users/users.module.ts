import { Module } from '@nestjs/common';
import { ProbesModule, RouterModule } from '@regional-db/nestjs';
import { HomeRegionMoves } from './home-region-move.service';
import { RegionalWriteErrors } from './localized-outage';
import { LoginController } from './login.controller';
import { UserLogin } from './login.service';
import { PasswordHasher } from './password-hasher';
import { UserRegistration } from './registration.service';
import { UserDirectory } from './user-directory.service';
import { UserLocator } from './user-locator.service';
import { UsersController } from './users.controller';

/** Users with a home region (seeds 000, 003): registration, login, discovery, home-region moves. */
@Module({
  imports: [RouterModule, ProbesModule],
  controllers: [UsersController, LoginController],
  providers: [UserDirectory, UserLocator, PasswordHasher, UserRegistration, UserLogin, HomeRegionMoves, RegionalWriteErrors],
  exports: [UserDirectory, UserLocator, RegionalWriteErrors],
})
export class UsersModule {}
