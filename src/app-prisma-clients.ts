import type { PrismaClientClasses } from '@regional-db/nestjs';
import { PrismaClient as GlobalPrismaClient } from './generated/global/client';
import { PrismaClient as RegionalPrismaClient } from './generated/regional/client';

export { GlobalPrismaClient, RegionalPrismaClient };

/** This application's own clients (`prisma/regional`, `prisma/global`). */
export const APP_PRISMA_CLIENTS: PrismaClientClasses = { regional: RegionalPrismaClient, global: GlobalPrismaClient };

// `ConnectionRouter` and `EndpointRegistry` hand back clients typed by these schemas, everywhere in the app.
declare module '@regional-db/nestjs' {
  interface RegionalDatabaseClients {
    regional: RegionalPrismaClient;
    global: GlobalPrismaClient;
  }
}
