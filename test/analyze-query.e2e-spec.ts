import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bearer, createTestApp } from './support/app';

describe('POST /api/database/analyze-query', () => {
  let app: INestApplication;
  const analyze = (body: unknown) => request(app.getHttpServer()).post('/api/database/analyze-query').set('Authorization', bearer(app, 'viewer')).send(body as object);

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('classifies a read and recommends a replica (seed 002 shape)', async () => {
    const response = await analyze({ query: 'SELECT * FROM matches WHERE tournament_id = $1' }).expect(200);
    expect(response.body).toEqual({
      query: 'SELECT * FROM matches WHERE tournament_id = $1',
      analysis: expect.objectContaining({ isRead: true, isWrite: false, estimatedComplexity: 'simple', statementKinds: ['SelectStmt'] }),
      operationKind: 'read',
      routeTo: 'replica',
      recommendation: 'Route to the nearest healthy replica for optimal performance',
    });
  });

  it('sends what writes or locks to the primary, saying why', async () => {
    for (const [query, reason] of [
      ['SELECT * FROM users WHERE id = $1 FOR UPDATE', 'locks rows'],
      ['WITH d AS (DELETE FROM posts RETURNING id) SELECT count(*) FROM d', 'modifies data'],
      ["SELECT nextval('s')", 'nextval()'],
      ['SELECT pg_advisory_lock(1)', 'advisory lock'],
    ]) {
      const response = await analyze({ query }).expect(200);
      expect(response.body).toEqual(expect.objectContaining({ routeTo: 'primary', operationKind: 'write' }));
      expect(response.body.analysis.isRead).toBe(false);
      expect(response.body.recommendation).toContain(reason);
    }
  });

  it('marks a heavy read complex and suggests an analytics replica', async () => {
    const response = await analyze({
      query: `WITH t AS (SELECT user_id, count(*) c FROM posts GROUP BY user_id)
              SELECT u.id, rank() OVER (ORDER BY t.c) FROM users u JOIN t ON t.user_id = u.id WHERE u.id IN (SELECT user_id FROM posts)`,
    }).expect(200);
    expect(response.body).toEqual(expect.objectContaining({ operationKind: 'analytics', routeTo: 'replica' }));
    expect(response.body.analysis.estimatedComplexity).toBe('complex');
  });

  it('rejects empty, missing, oversized and unparsable SQL with a 400 and the reason', async () => {
    expect((await analyze({ query: '   ' }).expect(400)).body.message).toBe('query must not be empty');
    expect((await analyze({}).expect(400)).body.message).toBe('query must be a string of SQL');
    expect((await analyze({ query: '-- just a comment' }).expect(400)).body.message).toBe('query contains no SQL statement');
    const huge = `SELECT 1 ${' '.repeat(100_001)}`;
    expect((await analyze({ query: huge }).expect(400)).body.message).toMatch(/over the 100000 byte limit \(ANALYZE_QUERY_MAX_BYTES\)/);
    expect((await analyze({ query: 'SELEC * FROM users' }).expect(400)).body.message).toBe('SQL does not parse: syntax error at or near "SELEC" at position 1');
  });
});
