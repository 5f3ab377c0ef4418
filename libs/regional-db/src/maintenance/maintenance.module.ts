import { Module } from '@nestjs/common';
import { MaintenanceService } from './maintenance.service';

/** The pauses failover obeys; their routes (`MaintenanceController`) are the admin API's, registered by `AdminModule`. */
@Module({
  providers: [MaintenanceService],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
