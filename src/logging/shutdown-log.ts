import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/** One line when the application is asked to stop (SIGTERM from an orchestrator, or `app.close()`). */
@Injectable()
export class ShutdownLog implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  beforeApplicationShutdown(signal?: string): void {
    this.logger.log({ msg: signal ? `shutting down on ${signal}` : 'shutting down', signal: signal ?? null });
  }
}
