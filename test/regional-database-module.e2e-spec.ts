// RegionalDatabaseModule as an application that is not this one would use it: its own module, the Prisma client
// classes passed in, nothing else registered. Routing works; nothing global (middleware, interceptor) came with it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ConsistencyTokenInterceptor, InvalidSettingError, RequestContextModule } from '@regional-db/nestjs';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import { GlobalPrismaClient, RegionalPrismaClient } from '../src/app-prisma-clients';
import { RegionalDatabaseModule } from '../libs/regional-db/src/regional-database/regional-database.module';
import { ConnectionRouter } from '../libs/regional-db/src/router/connection-router.service';
import { testTopology } from './support/test-topology';

@Controller('orders')
class OrdersController {
  constructor(private readonly db: ConnectionRouter) {}

  @Get('count')
  async count(): Promise<{ users: number; wrote: unknown }> {
    const wrote = await this.db.write('us-east').$queryRaw`SELECT 1 AS one`;
    return { users: await this.db.read('us-east').user.count(), wrote };
  }
}

@Module({ controllers: [OrdersController] })
class OrdersModule {}

describe('RegionalDatabaseModule in an application of its own', () => {
  let app: INestApplication;
  let topology: Topology;

  beforeAll(async () => {
    topology = testTopology();
    const moduleRef = await Test.createTestingModule({
      imports: [
        // No SettingsModule, no ConfigService: the library's settings are its own option.
        RegionalDatabaseModule.forRootAsync({
          useFactory: () => ({ topology, clients: { regional: RegionalPrismaClient, global: GlobalPrismaClient }, settings: { REDIS_URL: process.env.REDIS_URL } }),
        }),
        OrdersModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    await app.listen(0, '127.0.0.1');
  });
  afterAll(() => app?.close());

  it('routes reads and writes through the clients it was given', async () => {
    const { body } = await request(app.getHttpServer()).get('/orders/count').expect(200);
    expect(body).toEqual({ users: expect.any(Number), wrote: [{ one: 1 }] });
  });

  it('registers no middleware and no interceptor the application did not ask for', async () => {
    // With RequestContextModule an unknown X-Region is a 400; with the consistency interceptor a write answers a token.
    const response = await request(app.getHttpServer()).get('/orders/count').set('X-Region', 'mars').expect(200);
    expect(response.headers['x-consistency-token']).toBeUndefined();
  });

  it('with the opt-in request context and consistency interceptor, a request that wrote answers its position', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        RegionalDatabaseModule.forRoot({ topology, clients: { regional: RegionalPrismaClient, global: GlobalPrismaClient }, settings: { REDIS_URL: process.env.REDIS_URL } }),
        RequestContextModule,
        OrdersModule,
      ],
      providers: [{ provide: APP_INTERCEPTOR, useClass: ConsistencyTokenInterceptor }],
    }).compile();
    const opted = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    await opted.listen(0, '127.0.0.1');
    try {
      const response = await request(opted.getHttpServer()).get('/orders/count').expect(200);
      expect(response.headers['x-consistency-token']).toMatch(/^us-east@[0-9A-F]+\/[0-9A-F]+$/);
      expect(String(response.headers['set-cookie'])).toContain('rdr_consistency=');
      await request(opted.getHttpServer()).get('/orders/count').set('X-Region', 'mars').expect(400);
    } finally {
      await opted.close();
    }
  });

  it('refuses to start without the global schema client when the topology has a global database', async () => {
    const start = Test.createTestingModule({
      imports: [RegionalDatabaseModule.forRoot({ topology, clients: { regional: RegionalPrismaClient } })],
    }).compile();
    await expect(start).rejects.toThrow('The topology has a global database: pass its Prisma client class (clients.global)');
  });

  it('refuses a bad setting in one line naming it, before building anything that connects', async () => {
    const start = Test.createTestingModule({
      imports: [
        RegionalDatabaseModule.forRoot({
          topology,
          clients: { regional: RegionalPrismaClient, global: GlobalPrismaClient },
          settings: { HEALTH_PROBE_TIMEOUT_MS: 'fast', REDIS_URL: 'redis://:hunter2@127.0.0.1:1/0x' },
        }),
      ],
    }).compile();
    await expect(start).rejects.toThrow(InvalidSettingError);
    await expect(start).rejects.toThrow(/^Invalid setting REDIS_URL: must end with a database number \(\/0\) or nothing \(also invalid: HEALTH_PROBE_TIMEOUT_MS\)$/);
  });
});
