// Users and posts by home region on the real topology: registration (global claim + regional row), login
// through the discovery path, posts with read-your-writes while replicas are paused, where the rows physically
// live, concurrent claims of one handle, a home-region move interrupted and resumed, and bad input.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { TokenService } from '../src/auth/token.service';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import { HomeRegionMoves } from '../src/users/home-region-move.service';
import { createTestApp, eventually } from './support/app';
import { chaos, testTopology } from './support/test-topology';

const settings: Record<string, string> = {
  PASSWORD_HASH_COST: '4',
  REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'rdr:'}users-e2e-${randomUUID().slice(0, 8)}:`,
  // Nothing here stops a primary, but no failover may start from this suite's app either.
  FAILOVER_AUTOMATIC: 'false',
};
const PASSWORD = 'correct-horse-7';

describe('users and posts by home region (real topology)', () => {
  const saved: Record<string, string | undefined> = {};
  let topology: Topology;
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let adminToken: string;
  const sql = new Map<string, Client>();

  /** Rows counted directly on a group's primary (a region name or `global`), not through the app. */
  const count = async (group: string, query: string, params: unknown[]) =>
    Number((await sql.get(group)!.query<{ n: string }>(`SELECT count(*) AS n FROM ${query}`, params)).rows[0].n);
  const unique = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

  function register(handle: string, region: string, email = `${handle}@example.com`) {
    return request(http).post('/api/users').set('X-Region', region).send({ handle, email, password: PASSWORD });
  }

  async function login(handle: string) {
    const res = await request(http).post('/api/auth/login').send({ handle, password: PASSWORD }).expect(200);
    return res.body as { accessToken: string; region: string; userId: string };
  }

  beforeAll(async () => {
    for (const [name, value] of Object.entries(settings)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    topology = testTopology();
    for (const group of [...topology.groups, topology.global!]) {
      const client = new Client({ connectionString: group.primary.url });
      client.on('error', () => undefined); // a server ending the session must not kill the process
      await client.connect();
      sql.set(group.name, client);
    }
    app = await createTestApp({ topology });
    http = app.getHttpServer();
    adminToken = app.get(TokenService).sign({ sub: 'users-e2e-admin', roles: ['admin'] });
  });

  afterAll(async () => {
    const redis = app?.get(RedisService);
    const keys = (await redis?.client?.keys(`${settings.REDIS_PREFIX}*`)) ?? [];
    if (keys.length) await redis!.client!.del(...keys);
    await app?.close();
    await Promise.all([...sql.values()].map((c) => c.end()));
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('registers in eu-west, logs in, posts, and reads the post back at once with the replica paused; rows live only in eu-west', async () => {
    const handle = unique('eu');
    const registered = await register(handle, 'eu-west').expect(201);
    expect(registered.body).toMatchObject({ handle, region: 'eu-west' });
    const { accessToken, region, userId } = await login(handle);
    expect({ region, userId }).toEqual({ region: 'eu-west', userId: registered.body.id });

    const replica = topology.groups.find((g) => g.name === 'eu-west')!.replicas[0];
    const replicaSql = new Client({ connectionString: replica.url });
    replicaSql.on('error', () => undefined); // a server ending the session must not kill the process
    await replicaSql.connect();
    try {
      await chaos.pauseReplay(replica.id);
      await eventually(async () => (await replicaSql.query('SELECT pg_get_wal_replay_pause_state() AS s')).rows[0].s === 'paused');

      const created = await request(http).post('/api/posts').set('Authorization', `Bearer ${accessToken}`).send({ content: 'Hello from Dublin' }).expect(201);
      expect(created.body).toMatchObject({ handle, userId, content: 'Hello from Dublin', region: 'eu-west' });
      const consistency = created.headers['x-consistency-token'];
      expect(consistency).toMatch(/eu-west@[0-9A-F]+\/[0-9A-F]+/);
      // The replica really lacks the post: only read-your-writes can make the reads below see it.
      expect((await replicaSql.query('SELECT count(*)::int AS n FROM posts WHERE id = $1', [created.body.id])).rows[0].n).toBe(0);

      const withToken = (path: string) =>
        request(http).get(path).set('Authorization', `Bearer ${accessToken}`).set('X-Consistency-Token', consistency).expect(200);
      expect((await withToken(`/api/posts/${created.body.id}`)).body).toMatchObject({ id: created.body.id, content: 'Hello from Dublin' });
      expect((await withToken(`/api/users/${handle}/posts`)).body.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
      // No X-Region: the feed's region is the token's region claim, put in the request context by the router.
      expect((await withToken('/api/feed?limit=50')).body.map((p: { id: string }) => p.id)).toContain(created.body.id);
    } finally {
      await chaos.resumeReplay(replica.id);
      await replicaSql.end();
    }

    for (const g of topology.groups) {
      const here = g.name === 'eu-west' ? 1 : 0;
      expect([g.name, await count(g.name, 'users WHERE id = $1', [userId])]).toEqual([g.name, here]);
      expect([g.name, await count(g.name, 'posts WHERE user_id = $1', [userId])]).toEqual([g.name, here]);
    }
    const directory = await sql.get('global')!.query('SELECT home_region, user_id FROM directory WHERE handle = $1', [handle]);
    expect(directory.rows).toEqual([{ home_region: 'eu-west', user_id: userId }]);
  });

  it('lets exactly one of two concurrent registrations of a handle from two regions win', async () => {
    const handle = unique('race');
    const [a, b] = await Promise.all([register(handle, 'us-east', `${handle}-a@example.com`), register(handle, 'asia-pacific', `${handle}-b@example.com`)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body).toEqual({ statusCode: 409, error: 'Conflict', message: `Handle "${handle}" is already taken` });
    const winner = a.status === 201 ? 'us-east' : 'asia-pacific';
    expect(await count('global', 'directory WHERE handle = $1 AND home_region = $2', [handle, winner])).toBe(1);
    let rows = 0;
    for (const g of topology.groups) rows += await count(g.name, 'users WHERE username = $1', [handle]);
    expect(rows).toBe(1);
  });

  it('answers a registration with an email that has an account as if it were new, and creates nothing', async () => {
    const owner = unique('owner');
    const first = await register(owner, 'us-east').expect(201);
    const intruder = unique('intruder');
    const again = await register(intruder, 'eu-west', `${owner}@example.com`).expect(201);
    // The same shape as the first answer: nothing says the email was taken.
    expect(Object.keys(again.body).sort()).toEqual(Object.keys(first.body).sort());
    expect(again.body).toMatchObject({ handle: intruder, region: 'eu-west', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await count('global', 'directory WHERE handle = $1', [intruder])).toBe(0);
    for (const g of topology.groups) expect([g.name, await count(g.name, 'users WHERE username = $1', [intruder])]).toEqual([g.name, 0]);
    await request(http).post('/api/auth/login').send({ handle: intruder, password: PASSWORD }).expect(401);
    // The owner's account is untouched, and the intruder's handle stays free for someone else.
    expect((await login(owner)).userId).toBe(first.body.id);
    await register(intruder, 'eu-west').expect(201);
  });

  it('accepts a password stored with bcrypt (before scrypt) and rehashes it with scrypt at that login', async () => {
    const handle = unique('legacy');
    await register(handle, 'eu-west').expect(201);
    await sql.get('eu-west')!.query('UPDATE users SET password_hash = $1 WHERE username = $2', [bcrypt.hashSync(PASSWORD, 4), handle]);
    await request(http).post('/api/auth/login').send({ handle, password: 'wrong-horse-8' }).expect(401);
    expect((await sql.get('eu-west')!.query('SELECT password_hash FROM users WHERE username = $1', [handle])).rows[0].password_hash).toMatch(/^\$2[aby]\$/);
    await login(handle);
    const stored = (await sql.get('eu-west')!.query('SELECT password_hash FROM users WHERE username = $1', [handle])).rows[0].password_hash;
    expect(stored).toMatch(/^\$scrypt\$ln=4,r=8,p=1\$/);
    await login(handle);
  });

  it('answers a login with Cache-Control: no-store and hardened headers, and no X-Powered-By', async () => {
    const handle = unique('headers');
    await register(handle, 'us-east').expect(201);
    const res = await request(http).post('/api/auth/login').send({ handle, password: PASSWORD }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('moves a user from us-east to eu-west, interrupted after the flip and resumed, with nothing lost or duplicated', async () => {
    const handle = unique('mover');
    await register(handle, 'us-east').expect(201);
    const old = await login(handle);
    const auth = { Authorization: `Bearer ${old.accessToken}` };
    for (const content of ['one', 'two', 'three']) await request(http).post('/api/posts').set(auth).send({ content }).expect(201);

    const interrupted = await app.get(HomeRegionMoves).move(handle, 'eu-west', { stopAfter: 'flip' });
    expect(interrupted).toMatchObject({ fromRegion: 'us-east', toRegion: 'eu-west', step: 'invalidate', postsMoved: 3, resumed: false });
    // Mid-way: the directory names the target, both regions hold everything, and reads still find it all.
    expect(await count('global', "directory WHERE handle = $1 AND home_region = 'eu-west'", [handle])).toBe(1);
    for (const region of ['us-east', 'eu-west']) expect(await count(region, 'posts WHERE user_id = $1', [old.userId])).toBe(3);
    expect((await request(http).get(`/api/users/${handle}/posts`).expect(200)).body).toHaveLength(3);
    // A post made with the old token meanwhile lands in the source: the resume must carry it over.
    await request(http).post('/api/posts').set(auth).send({ content: 'four, during the move' }).expect(201);

    const resumed = await request(http).post(`/api/users/${handle}/move`).set('Authorization', `Bearer ${adminToken}`).send({ toRegion: 'eu-west' }).expect(200);
    expect(resumed.body).toMatchObject({ handle, userId: old.userId, fromRegion: 'us-east', toRegion: 'eu-west', step: 'done', postsMoved: 4, resumed: true });

    expect(await count('us-east', 'users WHERE id = $1', [old.userId])).toBe(0);
    expect(await count('us-east', 'posts WHERE user_id = $1', [old.userId])).toBe(0);
    expect(await count('eu-west', 'users WHERE id = $1', [old.userId])).toBe(1);
    const moved = await sql.get('eu-west')!.query<{ content: string }>('SELECT content FROM posts WHERE user_id = $1 ORDER BY content', [old.userId]);
    expect(moved.rows.map((r) => r.content)).toEqual(['four, during the move', 'one', 'three', 'two']);

    const listed = await eventually(async () => {
      const res = await request(http).get(`/api/users/${handle}/posts`).expect(200);
      return res.body.length === 4 && res.body.every((p: { region: string }) => p.region === 'eu-west') && res.body;
    });
    expect(new Set(listed.map((p: { id: string }) => p.id)).size).toBe(4);
    expect((await login(handle)).region).toBe('eu-west');
    // The old token still names us-east, where the user is gone: a clear 401, not a stray row.
    const stale = await request(http).post('/api/posts').set(auth).send({ content: 'five' }).expect(401);
    expect(stale.body.message).toBe('Your home region is no longer us-east: log in again');
    // Done: a second call has nothing to resume.
    const again = await request(http).post(`/api/users/${handle}/move`).set('Authorization', `Bearer ${adminToken}`).send({ toRegion: 'eu-west' }).expect(409);
    expect(again.body.message).toBe(`"${handle}" already lives in eu-west`);
  });

  describe('answers bad input with a clear 4xx', () => {
    let taken: string;
    let userToken: string;

    beforeAll(async () => {
      taken = unique('taken');
      await register(taken, 'us-east').expect(201);
      userToken = (await login(taken)).accessToken;
    });

    const oversized = 'x'.repeat(2_001);
    const cases: [string, () => request.Test, number, string | RegExp][] = [
      ['an unknown region header', () => request(http).post('/api/users').set('X-Region', 'mars').send({ handle: unique('m'), email: 'm@example.com', password: PASSWORD }), 400, 'Unknown region "mars" in X-Region header (known: us-east, eu-west, asia-pacific)'],
      ['an unknown region in the body', () => request(http).post('/api/users').send({ handle: unique('m'), email: 'm2@example.com', password: PASSWORD, region: 'mars' }), 400, 'Unknown region "mars" (known: us-east, eu-west, asia-pacific)'],
      ['a duplicate handle', () => register(taken, 'eu-west', `${taken}-2@example.com`), 409, /^Handle "taken_[0-9a-f]+" is already taken$/],
      ['a weak password', () => request(http).post('/api/users').send({ handle: unique('w'), email: 'w@example.com', password: 'aaaaaaaaaaaa' }), 400, /^password is too weak/],
      ['a short password', () => request(http).post('/api/users').send({ handle: unique('w'), email: 'w@example.com', password: 'Ab1!' }), 400, 'password must be at least 10 characters long'],
      ['a missing password', () => request(http).post('/api/users').send({ handle: unique('w'), email: 'w@example.com' }), 400, 'password is required'],
      ['a bad handle', () => request(http).post('/api/users').send({ handle: 'No Spaces!', email: 'w@example.com', password: PASSWORD }), 400, 'handle must be 3 to 32 characters of a-z, 0-9 and _'],
      ['a bad email', () => request(http).post('/api/users').send({ handle: unique('w'), email: 'not-an-email', password: PASSWORD }), 400, 'email must be a valid email address'],
      ['oversized content', () => request(http).post('/api/posts').set('Authorization', `Bearer ${userToken}`).send({ content: oversized }), 400, 'content must be at most 2000 characters'],
      ['empty content', () => request(http).post('/api/posts').set('Authorization', `Bearer ${userToken}`).send({ content: '' }), 400, 'content must not be empty'],
      ['a body over the limit', () => request(http).post('/api/posts').set('Authorization', `Bearer ${userToken}`).send({ content: 'x'.repeat(200_000) }), 413, /^Request body too large/],
      ['a post without a token', () => request(http).post('/api/posts').send({ content: 'hi' }), 401, 'Missing bearer token (Authorization: Bearer <jwt>)'],
      ['a post with an admin token', () => request(http).post('/api/posts').set('Authorization', `Bearer ${adminToken}`).send({ content: 'hi' }), 403, 'This route requires the user role; the token has admin'],
      ['a wrong password', () => request(http).post('/api/auth/login').send({ handle: taken, password: 'wrong-horse-8' }), 401, 'Invalid handle or password'],
      ['an unknown handle at login', () => request(http).post('/api/auth/login').send({ handle: unique('nobody'), password: PASSWORD }), 401, 'Invalid handle or password'],
      ['a malformed post id', () => request(http).get('/api/posts/not-a-uuid'), 400, /uuid is expected/],
      ['an unknown post', () => request(http).get(`/api/posts/${randomUUID()}`), 404, /^Post [0-9a-f-]+ not found$/],
      ['an unknown user', () => request(http).get(`/api/users/${unique('ghost')}/posts`), 404, /^No user has the handle "ghost_[0-9a-f]+"$/],
      ['a move to an unknown region', () => request(http).post(`/api/users/${taken}/move`).set('Authorization', `Bearer ${adminToken}`).send({ toRegion: 'mars' }), 400, 'Unknown region "mars" (known: us-east, eu-west, asia-pacific)'],
      ['a move to where the user lives', () => request(http).post(`/api/users/${taken}/move`).set('Authorization', `Bearer ${adminToken}`).send({ toRegion: 'us-east' }), 409, /already lives in us-east$/],
      ['a move by a user token', () => request(http).post(`/api/users/${taken}/move`).set('Authorization', `Bearer ${userToken}`).send({ toRegion: 'eu-west' }), 403, /requires the admin role/],
    ];

    it.each(cases)('%s', async (_, send, status, message) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.statusCode).toBe(status);
      expect(res.body.message).toMatch(message);
      expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
    });
  });
});
