// npm run migrate: apply the SQL migrations to every region's primary and to the global primary.
import { loadTopology, migrateTopology } from '@regional-db/nestjs';
import { runCli } from './cli';

runCli(() => migrateTopology(loadTopology(process.env), process.cwd()));
