import { Command, Redis, type RedisOptions } from 'ioredis';
import { waitWithin } from '../health/judged-wait';

/**
 * ioredis whose `commandTimeout` is judged as probes are (`waitWithin`): after a stall (this process starved of
 * CPU, or its loop blocked) a loop turn runs overdue timers before it reads sockets, so ioredis's own timeout
 * fails a command whose reply is already in the socket (a failover refused for "coordination unavailable", an
 * alert announced twice). Judged after that read, a reply that is there wins, and a Redis that really does not
 * answer still fails the command after the timeout.
 */
export class JudgedTimeoutRedis extends Redis {
  private readonly judgedTimeoutMs: number | undefined;

  constructor(url: string | undefined, options: RedisOptions) {
    // Replies as ioredis's default mapping gives them (what `Redis` without a type argument is).
    const own = { ...options, commandTimeout: undefined } as RedisOptions & { replyMapping?: 'legacy' };
    if (url === undefined) super(own);
    else super(url, own);
    this.judgedTimeoutMs = options.commandTimeout;
  }

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const sent = super.sendCommand(command, stream);
    if (this.judgedTimeoutMs !== undefined && !command.isSettled) {
      waitWithin(command.promise, this.judgedTimeoutMs).then(
        (waited) => waited.done || command.isSettled || command.reject(new Error('Command timed out')),
        () => undefined, // the command's own failure reaches its caller through `command.promise`
      );
    }
    return sent;
  }
}
