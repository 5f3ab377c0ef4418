import { Command, Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis whose `commandTimeout` is judged one `setImmediate` after its timer, as `waitWithin` judges probes.
 * After a stall (this process starved of CPU, or its loop blocked) a loop turn runs overdue timers before it
 * reads sockets: ioredis's own timeout fails a command whose reply is already in the socket (a failover refused
 * for "coordination unavailable", an alert announced twice). The immediate runs after that read: a reply that
 * is there wins, and a Redis that really does not answer still fails the command after the timeout.
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
    const timeoutMs = this.judgedTimeoutMs;
    if (timeoutMs !== undefined && !command.isSettled) {
      const timer = setTimeout(() => setImmediate(() => command.isSettled || command.reject(new Error('Command timed out'))), timeoutMs);
      const clear = () => clearTimeout(timer);
      command.promise.then(clear, clear);
    }
    return sent;
  }
}
