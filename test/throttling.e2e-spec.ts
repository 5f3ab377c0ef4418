// Abuse throttling across three app instances sharing one Redis: a handle held after repeated failed logins
// (429 + Retry-After, the owner in again from another address once the hold ends), per-address limits on
// login, registration and geo writes, and X-Forwarded-For believed only from a trusted proxy.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { TokenService } from '../src/auth/token.service';
import { createTestApp } from './support/app';
import { closeApp, PASSWORD, suitePrefix, useEnv } from './support/suite';

const REDIS_PREFIX = suitePrefix('throttling');
const FAILURES = 3;

describe('throttling shared by three instances (real Redis)', () => {
  useEnv({
    REDIS_PREFIX,
    PASSWORD_HASH_COST: '4',
    FAILOVER_AUTOMATIC: 'false',
    TRUSTED_PROXIES: 'loopback',
    THROTTLE_WINDOW_SECONDS: '600',
    THROTTLE_LOGIN_PER_ADDRESS: '12',
    THROTTLE_REGISTER_PER_ADDRESS: '3',
    THROTTLE_GEO_WRITE_PER_ADDRESS: '3',
    THROTTLE_LOGIN_FAILURES_PER_HANDLE: String(FAILURES),
    THROTTLE_LOGIN_HOLD_SECONDS: '2',
    THROTTLE_LOGIN_HOLD_MAX_SECONDS: '4',
  });
  const apps: INestApplication[] = [];
  const http = (i: number) => apps[i % apps.length].getHttpServer();
  const unique = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  // A documentation range address per simulated client; the apps trust the loopback proxy (supertest) to say it.
  let nextAddress = 1;
  const newAddress = () => `198.51.100.${nextAddress++}`;

  const register = (i: number, from: string, handle = unique('t')) =>
    request(http(i)).post('/api/users').set('X-Forwarded-For', from).send({ handle, email: `${handle}@example.com`, password: PASSWORD });
  const login = (i: number, from: string, handle: string, password: string) =>
    request(http(i)).post('/api/auth/login').set('X-Forwarded-For', from).send({ handle, password });

  function expectTooMany(res: request.Response, message: RegExp): void {
    expect([res.status, res.body.error]).toEqual([429, 'Too Many Requests']);
    expect(res.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(message) });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  }

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) apps.push(await createTestApp());
  });

  afterAll(async () => {
    await Promise.all(apps.slice(1).map((app) => app.close()));
    await closeApp(apps[0], REDIS_PREFIX);
  });

  it(`holds a handle after ${FAILURES} failed logins counted across the instances; its owner gets in from elsewhere once the hold ends`, async () => {
    const handle = unique('victim');
    await register(0, newAddress(), handle).expect(201);
    const attacker = newAddress();
    // Each failure on another instance: none of them alone has seen the limit.
    for (let i = 0; i < FAILURES; i++) {
      const res = await login(i, attacker, handle, `wrong-horse-${i}`);
      expect([i, res.status, res.body.message]).toEqual([i, 401, 'Invalid handle or password']);
    }
    expectTooMany(await login(FAILURES, attacker, handle, 'wrong-horse-x'), /^Too many failed logins for this handle; retry in \d+ s$/);

    // The owner, from another address, waits as told by Retry-After (never polling faster) and gets in.
    const owner = newAddress();
    let res = await login(1, owner, handle, PASSWORD);
    for (let tries = 0; res.status === 429 && tries < 10; tries++) {
      await new Promise((r) => setTimeout(r, Number(res.headers['retry-after']) * 1000));
      res = await login(tries + 2, owner, handle, PASSWORD);
    }
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    // A success forgets the failures: the next wrong password is an ordinary 401 again.
    expect((await login(0, attacker, handle, 'wrong-horse-y')).status).toBe(401);
  });

  it('counts logins per client address on every instance: the next one past the limit is a 429, other addresses unaffected', async () => {
    const from = newAddress();
    for (let i = 0; i < 12; i++) expect((await login(i, from, unique('nobody'), 'wrong-horse-1')).status).toBe(401);
    expectTooMany(await login(12, from, unique('nobody'), 'wrong-horse-1'), /^Too many login requests from this address \(limit 12 per 600 s\); retry in \d+ s$/);
    expect((await login(0, newAddress(), unique('nobody'), 'wrong-horse-1')).status).toBe(401);
  });

  it('limits registrations per client address across the instances', async () => {
    const from = newAddress();
    for (let i = 0; i < 3; i++) await register(i, from).expect(201);
    expectTooMany(await register(3, from), /^Too many register requests from this address \(limit 3 per 600 s\)/);
    await register(1, newAddress()).expect(201);
  });

  it('limits geo writes per client address across the instances', async () => {
    const auth = `Bearer ${apps[0].get(TokenService).sign({ sub: randomUUID(), roles: ['user'], region: 'us-east' })}`;
    const from = newAddress();
    const write = (i: number, address: string) =>
      request(http(i)).post('/api/geo/write').set('X-Forwarded-For', address).set('Authorization', auth).send({ key: unique('throttled'), value: 'v' });
    for (let i = 0; i < 3; i++) await write(i, from).expect(200);
    expectTooMany(await write(3, from), /^Too many geo-write requests from this address/);
    await write(2, newAddress()).expect(200);
  });

  describe('without a trusted proxy', () => {
    let trusted: string | undefined;
    let direct: INestApplication;

    beforeAll(async () => {
      trusted = process.env.TRUSTED_PROXIES;
      delete process.env.TRUSTED_PROXIES;
      direct = await createTestApp();
    });

    afterAll(async () => {
      await direct?.close();
      if (trusted !== undefined) process.env.TRUSTED_PROXIES = trusted;
    });

    it('ignores X-Forwarded-For: a client cannot escape its limit by naming other addresses', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const handle = unique('spoof');
        const res = await request(direct.getHttpServer()).post('/api/users').set('X-Forwarded-For', newAddress()).send({ handle, email: `${handle}@example.com`, password: PASSWORD });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
    });
  });
});
