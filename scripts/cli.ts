import { redactSecrets } from '@regional-db/nestjs';

/** Runs a command-line entry point: any failure is one redacted line on stderr and exit code 1. */
export function runCli(main: () => Promise<void>): void {
  // Called inside the promise chain: a synchronous throw (a bad topology) is one line too, not a stack trace.
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      console.error(redactSecrets(error instanceof Error ? error.message : String(error)));
      process.exit(1);
    });
}
