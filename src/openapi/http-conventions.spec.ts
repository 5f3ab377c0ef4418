import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { applyHttpConventions } from './http-conventions';

const document = (): OpenAPIObject => ({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/health/live': { get: { responses: { '200': { description: 'live' } } } },
    '/api/database/failover/{region}': {
      post: {
        parameters: [{ name: 'region', in: 'path', required: true }],
        security: [{ bearer: [] }],
        responses: { '200': { description: 'done' }, '400': { description: 'bad body' }, '429': { description: 'too many' } },
      },
    },
  },
});

describe('applyHttpConventions', () => {
  it('documents the request headers of every route and the response headers of every answer', () => {
    const doc = applyHttpConventions(document());
    const live = doc.paths['/health/live'].get!;
    expect(live.parameters).toEqual([
      { $ref: '#/components/parameters/XRegion' },
      { $ref: '#/components/parameters/XRequestId' },
      { $ref: '#/components/parameters/XConsistencyToken' },
    ]);
    expect(live.responses['200']).toEqual({ description: 'live', headers: { 'X-Request-Id': { $ref: '#/components/headers/XRequestId' } } });
    const failover = doc.paths['/api/database/failover/{region}'].post!;
    expect(failover.parameters![0]).toEqual({ name: 'region', in: 'path', required: true });
    const headers = (status: string) => Object.keys((failover.responses[status] as { headers: object }).headers).sort();
    expect(headers('429')).toEqual(['Retry-After', 'X-Consistency-Token', 'X-Request-Id']);
    expect(headers('200')).toEqual(['X-Consistency-Token', 'X-Request-Id']);
    expect(Object.keys(doc.components!.parameters!)).toEqual(['XRegion', 'XRequestId', 'XConsistencyToken']);
  });

  it("adds the unknown-region 400 where a route lists none, keeps a route's own, and marks routes without a token public", () => {
    const doc = applyHttpConventions(document());
    expect(doc.paths['/health/live'].get!.responses['400']).toMatchObject({ description: 'An unknown region in X-Region' });
    expect(doc.paths['/api/database/failover/{region}'].post!.responses['400']).toEqual({ description: 'bad body', headers: expect.any(Object) });
    expect(doc.paths['/health/live'].get!.security).toEqual([]);
    expect(doc.paths['/api/database/failover/{region}'].post!.security).toEqual([{ bearer: [] }]);
  });
});
