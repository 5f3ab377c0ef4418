import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { applyHttpConventions } from './http-conventions';

export const OPENAPI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';

/** The admin API's OpenAPI document, from the routes' decorators. */
export function openApiDocument(app: INestApplication) {
  const config = new DocumentBuilder()
    .setTitle('Regional database router: admin API')
    .setDescription(
      'Status, health, routing and failover of the regional PostgreSQL clusters, and the users, posts and geo routes built on them. ' +
        'Every /api/database route takes a bearer JWT: read routes need the viewer or admin role, mutating routes the admin role ' +
        '(`npm run token -- --role admin` mints one locally). Geo writes and posts need a user token (from /api/auth/login; geo writes also take admin). ' +
        'Login, registration and geo writes are throttled per client address (429 with Retry-After), login also per handle after repeated failures. ' +
        'Errors are always `{ statusCode, error, message }`. ' +
        'Each operation names the roles it needs in `x-required-roles`.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return applyHttpConventions(SwaggerModule.createDocument(app, config));
}

/** The document at /api/docs (UI) and /api/docs-json, built on first request. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_PATH, app, () => openApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH });
}
