import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule, AppOptions } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { TokenService } from '../../src/auth/token.service';
import { testTopology } from './test-topology';

/** The whole application on the shared local topology, as `main.ts` builds it, listening on a free port. */
export async function createTestApp(options: AppOptions = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ ...options, topology: options.topology ?? testTopology() })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return app;
}

/** Polls until `check` returns a truthy value or the deadline passes (real servers take real time). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `Authorization` header value for a token with `role`, signed with the app's own key. */
export function bearer(app: INestApplication, role: 'admin' | 'viewer' = 'admin'): string {
  return `Bearer ${app.get(TokenService).sign({ sub: `e2e-${role}`, roles: [role] })}`;
}
