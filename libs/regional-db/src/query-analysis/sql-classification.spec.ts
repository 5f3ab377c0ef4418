import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadModule, parse } from 'libpg-query';
import { classifySql, complexity, ParsedSql } from './sql-classification';

const classify = async (sql: string) => classifySql((await parse(sql)) as unknown as ParsedSql);

beforeAll(async () => {
  await loadModule();
});

describe('classifySql', () => {
  it('a plain SELECT is a simple read', async () => {
    const result = await classify('SELECT * FROM users WHERE id = $1');
    expect(result).toEqual(expect.objectContaining({ isRead: true, isWrite: false, statementKinds: ['SelectStmt'], primaryReasons: [], estimatedComplexity: 'simple' }));
  });

  it.each([
    ['INSERT INTO users (id) VALUES ($1)', 'modifies data'],
    ['UPDATE users SET email = $1', 'modifies data'],
    ['DELETE FROM posts', 'modifies data'],
    ['CREATE TABLE t (id int)', 'CreateStmt needs a writable server'],
    ['SELECT * FROM users FOR UPDATE', 'locks rows (SELECT ... FOR UPDATE/SHARE)'],
    ['SELECT * FROM users FOR SHARE SKIP LOCKED', 'locks rows (SELECT ... FOR UPDATE/SHARE)'],
    ['WITH gone AS (DELETE FROM posts RETURNING *) SELECT count(*) FROM gone', 'modifies data'],
    ['WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', 'modifies data'],
    ["SELECT nextval('users_seq')", 'nextval() advances a sequence'],
    ["SELECT pg_catalog.nextval('users_seq')", 'nextval() advances a sequence'],
    ['SELECT pg_advisory_lock(42)', "pg_advisory_lock() takes an advisory lock: a replica's lock excludes no session on the primary"],
    ['SELECT pg_try_advisory_xact_lock(42)', "pg_try_advisory_xact_lock() takes an advisory lock: a replica's lock excludes no session on the primary"],
    ['SELECT * INTO backup FROM users', 'SELECT INTO creates a table'],
    ['EXPLAIN ANALYZE DELETE FROM posts', 'modifies data'],
    ['COPY users FROM STDIN', 'COPY FROM writes a table'],
    ['LOCK TABLE users', 'LockStmt needs a writable server'],
    ['SELECT 1; INSERT INTO t VALUES (1)', 'modifies data'],
    ["SELECT * FROM users WHERE id IN (SELECT user_id FROM posts WHERE id = nextval('s'))", 'nextval() advances a sequence'],
  ])('%s needs the primary', async (sql, reason) => {
    const result = await classify(sql);
    expect(result.isWrite).toBe(true);
    expect(result.isRead).toBe(false);
    expect(result.primaryReasons).toContain(reason);
  });

  it.each(['EXPLAIN SELECT 1', 'EXPLAIN (ANALYZE false) DELETE FROM posts', 'EXPLAIN ANALYZE SELECT * FROM users', 'SHOW search_path', 'COPY users TO STDOUT', 'SELECT count(*) FROM users', "SELECT public.nextval('x')", 'BEGIN', 'VALUES (1), (2)'])(
    '%s is a read',
    async (sql) => {
      expect((await classify(sql)).isRead).toBe(true);
    },
  );

  it('counts joins, subqueries, aggregates, CTEs, window functions and set operations', async () => {
    const result = await classify(`
      WITH recent AS (SELECT * FROM posts WHERE created_at > now() - interval '1 day')
      SELECT u.id, count(*) OVER (PARTITION BY u.id), sum(length(p.content))
      FROM users u JOIN recent p ON p.user_id = u.id LEFT JOIN posts q ON q.user_id = u.id, users v
      WHERE u.id IN (SELECT user_id FROM posts)
      GROUP BY u.id, p.content
      UNION SELECT 1, 2, 3`);
    expect(result.features).toEqual({ joins: 3, subqueries: 1, aggregates: 1, commonTableExpressions: 1, windowFunctions: 1, setOperations: 1, groupBy: true });
    expect(result.estimatedComplexity).toBe('complex');
    expect(result.isRead).toBe(true);
  });

  it('grades complexity by weighted features', () => {
    const none = { joins: 0, subqueries: 0, aggregates: 0, commonTableExpressions: 0, windowFunctions: 0, setOperations: 0, groupBy: false };
    expect(complexity(none)).toBe('simple');
    expect(complexity({ ...none, joins: 1, aggregates: 3 })).toBe('simple');
    expect(complexity({ ...none, joins: 2 })).toBe('moderate');
    expect(complexity({ ...none, subqueries: 1, groupBy: true })).toBe('moderate');
    expect(complexity({ ...none, commonTableExpressions: 1, windowFunctions: 1, joins: 1 })).toBe('complex');
  });
});
