#!/usr/bin/env node
// regional-db: the operator's command line for a deployed cluster, over the admin API (see USAGE).
// Exit codes: 0 done, 1 the API refused or the outcome is a failure, 2 bad usage or no token.
import { AdminClient } from '../src/cli/admin-client';
import { parseCommandLine, UsageError, USAGE } from '../src/cli/cli-command';
import { runCommand } from '../src/cli/run-command';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let invocation;
  try {
    invocation = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`regional-db: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const token = process.env.REGIONAL_DB_TOKEN?.trim();
  if (!token) {
    console.error('regional-db: set REGIONAL_DB_TOKEN to a bearer token of the service (npm run token -- --role admin, or --role viewer to only read)');
    return 2;
  }
  const url = invocation.url ?? process.env.REGIONAL_DB_URL ?? 'http://127.0.0.1:3000';
  try {
    const result = await runCommand(invocation.command, new AdminClient(url, token));
    console.log(invocation.json ? JSON.stringify(result.answer, null, 2) : result.text);
    return result.exitCode;
  } catch (error) {
    console.error(`regional-db: ${(error as Error).message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
