// npm run migrate: apply the SQL migrations to every region's primary and to the global primary.
import { loadTopology } from '../src/config/topology.loader';
import { migrateTopology } from '../src/database/migrate-topology';
import { runCli } from './cli';

runCli(() => migrateTopology(loadTopology(process.env), process.cwd()));
