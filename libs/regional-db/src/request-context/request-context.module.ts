import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { RequestContextMiddleware } from './request-context.middleware';

/** Every HTTP request runs in a request context (region, read-your-writes positions) before guards and handlers. */
@Module({ providers: [RequestContextMiddleware] })
export class RequestContextModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('*');
  }
}
