import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = {
  parameters?: unknown[];
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: unknown }>;
  security?: unknown[];
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const ref = (kind: 'parameters' | 'headers', name: string) => ({ $ref: `#/components/${kind}/${name}` });
const SHARED_HEADERS = { XRegion: 'x-region', XRequestId: 'x-request-id', XConsistencyToken: 'x-consistency-token' } as const;
const ERROR = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };

/**
 * What holds for every route of this service and so is written once here instead of on each handler: the
 * headers every request may send and every response carries, the 400 an unknown `X-Region` gets on any route
 * (the request-context middleware runs first), `Retry-After` on a 429, the consistency token a write answers
 * with, and `security: []` for the routes that take no token (a guarded route always declares its bearer
 * scheme through its auth decorator).
 */
export function applyHttpConventions(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  components.parameters = {
    ...components.parameters,
    XRegion: {
      name: 'X-Region',
      in: 'header',
      required: false,
      schema: { type: 'string', example: 'eu-west' },
      description: "The caller's region: reads go to its nearest replicas, new users are homed there. Else the token's `region` claim, else the default region. An unknown one is a 400 on any route.",
    },
    XRequestId: {
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      schema: { type: 'string', maxLength: 128, example: '6a1f0c2e-93b4-4c1e-8a57-0d9e4b1f2a3c' },
      description: 'Correlates the request with its log lines; echoed back. One is made when absent or malformed.',
    },
    XConsistencyToken: {
      name: 'X-Consistency-Token',
      in: 'header',
      required: false,
      schema: { type: 'string', example: 'us-east@0/3000060' },
      description: 'Read-your-writes: the token an earlier write answered with (or the `rdr_consistency` cookie). Reads then go only to replicas that replayed past it, else to the primary.',
    },
  };
  components.headers = {
    ...components.headers,
    XRequestId: { description: "The request's id: the caller's `X-Request-Id`, or a new one", schema: { type: 'string' } },
    XConsistencyToken: { description: 'Present when the request wrote: send it back as `X-Consistency-Token` to read your own writes', schema: { type: 'string', example: 'us-east@0/3000060' } },
    RetryAfter: { description: 'Seconds until the rate limit lets another call through', schema: { type: 'integer', example: 42 } },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      // A route that documents one of them itself (with what it means there) keeps its own.
      const own = new Set((operation.parameters ?? []).map((p) => (p as { name?: string }).name?.toLowerCase()));
      const shared = (['XRegion', 'XRequestId', 'XConsistencyToken'] as const).filter((name) => !own.has(SHARED_HEADERS[name]));
      operation.parameters = [...(operation.parameters ?? []), ...shared.map((name) => ref('parameters', name))];
      operation.responses['400'] ??= { description: 'An unknown region in X-Region', content: ERROR };
      operation.security ??= [];
      for (const [status, response] of Object.entries(operation.responses)) {
        response.headers = { ...response.headers, 'X-Request-Id': ref('headers', 'XRequestId') };
        if (status === '429') response.headers['Retry-After'] = ref('headers', 'RetryAfter');
        if (method !== 'get') response.headers['X-Consistency-Token'] = ref('headers', 'XConsistencyToken');
      }
    }
  }
  return document;
}
