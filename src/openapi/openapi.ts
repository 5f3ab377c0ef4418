import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';

/** The admin API described at /api/docs (UI) and /api/docs-json, built on first request from the routes' decorators. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Regional database router: admin API')
    .setDescription(
      'Status, health, routing and failover of the regional PostgreSQL clusters, and the users, posts and geo routes built on them. ' +
        'Every /api/database route takes a bearer JWT: read routes need the viewer or admin role, mutating routes the admin role ' +
        '(`npm run token -- --role admin` mints one locally). Geo writes and posts need a user token (from /api/auth/login; geo writes also take admin). ' +
        'Login, registration and geo writes are throttled per client address (429 with Retry-After), login also per handle after repeated failures. ' +
        'Errors are always `{ statusCode, error, message }`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  SwaggerModule.setup(OPENAPI_PATH, app, () => SwaggerModule.createDocument(app, config), { jsonDocumentUrl: OPENAPI_JSON_PATH });
}
