import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlertWebhook } from './alert-webhook';
import type { AlertEvent } from './alert.types';

const event = { action: 'raised', at: '2026-01-01T00:00:00.000Z', alert: { key: 'endpoint_down:x' } } as unknown as AlertEvent;

describe('AlertWebhook', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    jest.restoreAllMocks();
  });

  it('posts the event as JSON', async () => {
    const received = new Promise<{ path: string; body: unknown }>((resolve) => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c)).on('end', () => {
          res.end();
          resolve({ path: req.url!, body: JSON.parse(body) });
        });
      }).listen(0, '127.0.0.1');
    });
    await new Promise((r) => server!.once('listening', r));
    new AlertWebhook(`http://127.0.0.1:${(server!.address() as AddressInfo).port}/T0/s3cret`, 1_000).notify(event);
    expect(await received).toEqual({ path: '/T0/s3cret', body: event });
  });

  it("posts Alertmanager's payload when so configured", async () => {
    const received = new Promise<unknown>((resolve) => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c)).on('end', () => {
          res.end();
          resolve(JSON.parse(body));
        });
      }).listen(0, '127.0.0.1');
    });
    await new Promise((r) => server!.once('listening', r));
    const alert = { key: 'endpoint_down:x', type: 'endpoint_down', severity: 'high', group: 'us-east', endpointId: 'x', message: 'x is down', raisedAt: event.at, resolvedAt: null };
    new AlertWebhook(`http://127.0.0.1:${(server!.address() as AddressInfo).port}/`, 1_000, 'alertmanager').notify({ ...event, alert } as unknown as AlertEvent);
    expect(await received).toMatchObject({ version: '4', status: 'firing', alerts: [{ labels: { alertname: 'endpoint_down', severity: 'high', endpoint: 'x' } }] });
  });

  it('logs a failure with the origin only, never the secret path', async () => {
    const warned = new Promise<string>((resolve) => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => resolve(String(message)));
    });
    // Accepts and never answers: the timeout bounds the attempt.
    server = createServer(() => undefined).listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    const origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    new AlertWebhook(`${origin}/T0/s3cret`, 100).notify(event);
    const message = await warned;
    expect(message).toBe(`alert webhook ${origin} failed: no answer within 100 ms`);
    server.closeAllConnections();
  });
});
