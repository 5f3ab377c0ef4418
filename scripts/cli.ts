import { redactSecrets } from '@regional-db/nestjs';

/** Runs a command-line entry point: any failure is one redacted line on stderr and exit code 1. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(redactSecrets(error instanceof Error ? error.message : String(error)));
    process.exit(1);
  });
}
