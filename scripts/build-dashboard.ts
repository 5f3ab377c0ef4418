// npm run build's second step: the dashboard's front end into dist/dashboard (tools/dashboard/build.ts).
import { buildDashboard } from '../tools/dashboard/build';
import { runCli } from './cli';

runCli(async () => buildDashboard());
