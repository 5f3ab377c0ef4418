import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';

/** `GET /dashboard`: the topology as a live picture, for operators. */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
