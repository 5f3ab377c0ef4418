// A throwaway Redis server of a suite's own on loopback, so that the suite can take it away from under the app.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function ownRedisServer(port: number, name: string) {
  const dir = mkdtempSync(join(tmpdir(), `${name}-redis-`));
  return {
    url: `redis://127.0.0.1:${port}`,
    start: () => execFileSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--dir', dir]),
    stop: () => {
      try {
        execFileSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave'], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    },
  };
}
