import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChildProcess, spawn } from 'node:child_process';
import { Socket, connect } from 'node:net';
import { eventLoopWatch } from '../common/event-loop-watch';
import { waitWithin } from './judged-wait';

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('waitWithin (real timers, a real socket)', () => {
  let server: ChildProcess;
  let socket: Socket;
  beforeAll(async () => {
    eventLoopWatch.acquire();
    // An echo server in a process of its own (as a database is): its answer is in our socket's buffer within a
    // millisecond, whatever our loop does.
    server = spawn(process.execPath, ['-e', `require('net').createServer((s) => s.on('data', (d) => s.write(d))).listen(0, '127.0.0.1', function () { console.log(this.address().port) })`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((r) => server.stdout!.once('data', (d) => r(Number(String(d).trim()))));
    socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((r) => socket.once('connect', r));
  });
  afterAll(async () => {
    eventLoopWatch.release();
    socket?.destroy();
    server?.kill();
  });

  const ask = () => {
    const answer = new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())));
    socket.write('ping');
    return answer;
  };

  it('an answer that arrived while our loop was blocked past the timeout is read, not timed out', async () => {
    const answer = ask();
    const waiting = waitWithin(answer, 100);
    spin(400); // blocked through the whole wait: the timer and the answer are both due when the loop runs again
    await expect(waiting).resolves.toEqual({ done: true, value: 'ping' });
  });

  it('no answer on a healthy loop: failed, on time', async () => {
    // A bound a busy machine's scheduling does not overrun (a timer later than the bound again is inconclusive).
    const started = performance.now();
    const waited = await waitWithin(new Promise<never>(() => undefined), 300);
    expect(waited).toMatchObject({ done: false, verdict: 'failed' });
    expect(performance.now() - started).toBeLessThan(1_200);
  });

  it('no answer while our loop was blocked for most of the wait: inconclusive', async () => {
    const waiting = waitWithin(new Promise<never>(() => undefined), 100);
    spin(300);
    const waited = await waiting;
    expect(waited).toMatchObject({ done: false, verdict: 'inconclusive' });
    if (!waited.done) expect(waited.elapsedMs).toBeGreaterThanOrEqual(300);
  });

  it('rejects as the work does', async () => {
    await expect(waitWithin(Promise.reject(new Error('ECONNREFUSED')), 100)).rejects.toThrow('ECONNREFUSED');
  });

  it('an error the server gave while our loop was blocked past the timeout is a failure, never inconclusive', async () => {
    const refused = new Promise<never>((_, reject) => socket.once('data', () => reject(new Error('ECONNREFUSED'))));
    socket.write('ping');
    const waiting = waitWithin(refused, 100);
    spin(400);
    await expect(waiting).rejects.toThrow('ECONNREFUSED');
  });
});
