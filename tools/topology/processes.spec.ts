import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postmasterPid, removeStaleLocks } from './processes';

/** A live process named like a postgres backend, working in `cwd`: what a reused PID can turn out to be. */
async function postgresLookalike(cwd: string): Promise<{ pid: number; stop: () => void }> {
  const child = spawn('bash', ['-c', 'exec -a "postgres: someone else" sleep 60'], { cwd, stdio: 'ignore' });
  await once(child, 'spawn'); // bash runs: its command line names postgres before and after its exec
  return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

describe('a stale postmaster.pid whose PID another postgres process now has', () => {
  it('names no postmaster, and is removed as stale, when that process works in another folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pid-reuse-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'pid-reuse-other-'));
    const other = await postgresLookalike(elsewhere);
    try {
      writeFileSync(join(dataDir, 'postmaster.pid'), `${other.pid}\n${dataDir}\n`);
      expect(postmasterPid(dataDir)).toBeUndefined();
      expect(removeStaleLocks(dataDir, dataDir, 1)).toEqual([join(dataDir, 'postmaster.pid')]);
    } finally {
      other.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('is the postmaster, and kept, when that process works in the data folder itself', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pid-own-'));
    const own = await postgresLookalike(dataDir);
    try {
      writeFileSync(join(dataDir, 'postmaster.pid'), `${own.pid}\n${dataDir}\n`);
      expect(postmasterPid(dataDir)).toBe(own.pid);
      expect(removeStaleLocks(dataDir, dataDir, 1)).toEqual([]);
      expect(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8')).toContain(String(own.pid));
    } finally {
      own.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
